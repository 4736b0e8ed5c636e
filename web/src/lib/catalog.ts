import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

interface CatalogStep {
  readonly id: string;
  readonly basis: { readonly kind: string };
  readonly statutory?: unknown;
}

let coSign: Promise<ReadonlySet<string>> | undefined;

/**
 * Steps whose waiver needs a leader (grounded in law, or counting toward a statutory minimum), in any
 * catalog version: the rule of libs/domain/catalog (requiresCoSignToWaive), read from the catalogs.
 * The API decides; this only tells people before they try.
 */
function loadCoSignSteps(): Promise<ReadonlySet<string>> {
  coSign ??= (async () => {
    const versions = await api<{ version: string }[]>('/api/catalogs');
    const catalogs = await Promise.all(
      versions.map((v) => api<{ steps: CatalogStep[] }>(`/api/catalogs/${encodeURIComponent(v.version)}`)),
    );
    return new Set(
      catalogs.flatMap((c) =>
        c.steps.filter((s) => s.basis.kind === 'LAW' || s.statutory !== undefined).map((s) => s.id),
      ),
    );
  })().catch(() => {
    coSign = undefined;
    return new Set<string>();
  });
  return coSign;
}

export function useCoSignSteps(): ReadonlySet<string> {
  const [steps, setSteps] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    void loadCoSignSteps().then((s) => live && setSteps(s));
    return () => {
      live = false;
    };
  }, []);
  return steps;
}

export { loadCoSignSteps };
