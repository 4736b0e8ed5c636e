import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

/** What the catalog says about a step: why it is done and what it rests on (GET /api/catalogs/{version}). */
export interface StepInfo {
  readonly id: string;
  readonly title: string;
  readonly purpose?: string;
  readonly statutory?: string;
  readonly basis: {
    readonly kind: 'LAW' | 'REC' | 'ASSUMPTION';
    readonly source: string;
    readonly timingKind?: 'LAW' | 'REC' | 'ASSUMPTION';
    readonly note?: string;
  };
}

/** Why a step exists: law, a recommendation, or our assumption (the catalog's basis kinds). */
export const BASIS_KIND_LABEL: Record<StepInfo['basis']['kind'], string> = {
  LAW: 'Lovkrav',
  REC: 'Anbefaling',
  ASSUMPTION: 'Antakelse',
};

/** How a step's deadline is grounded, as a phrase. */
export const TIMING_KIND_LABEL: Record<StepInfo['basis']['kind'], string> = {
  LAW: 'fast frist etter lov',
  REC: 'frist etter anbefaling',
  ASSUMPTION: 'fristen er en antakelse',
};

/** "Lovkrav: Barnevernsloven § 8-3" */
export const basisText = (info: StepInfo | undefined): string =>
  info ? `${BASIS_KIND_LABEL[info.basis.kind]}: ${info.basis.source}` : '–';

const catalogs = new Map<string, Promise<ReadonlyMap<string, StepInfo>>>();

function load(version: string): Promise<ReadonlyMap<string, StepInfo>> {
  let found = catalogs.get(version);
  if (!found) {
    found = api<{ steps: StepInfo[] }>(`/api/catalogs/${encodeURIComponent(version)}`).then(
      (c) => new Map(c.steps.map((s) => [s.id, s])),
      (error: unknown) => {
        catalogs.delete(version);
        throw error;
      },
    );
    catalogs.set(version, found);
  }
  return found;
}

/**
 * The steps of a catalog version by id; empty until loaded (and if it cannot be: the plan still shows,
 * without purposes).
 */
export function useStepInfo(version: string): ReadonlyMap<string, StepInfo> {
  const [steps, setSteps] = useState<ReadonlyMap<string, StepInfo>>(new Map());
  useEffect(() => {
    let live = true;
    load(version).then(
      (s) => live && setSteps(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [version]);
  return steps;
}
