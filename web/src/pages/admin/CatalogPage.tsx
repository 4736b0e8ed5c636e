import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Loading, Problem } from '../../components/Problem.js';
import { StatusMessage, useStatus } from '../../components/StatusMessage.js';
import {
  nextVersion,
  type CatalogDocument,
  type CatalogImpact,
  type CatalogSummary,
} from '../../lib/admin.js';
import { api, ApiError } from '../../lib/api.js';
import { formatInstant, ROLE_LABEL, TRACK_LABEL } from '../../lib/labels.js';
import { useLoad } from '../../lib/use-load.js';

/**
 * Step catalogs (administrators): the versions, one version's steps, and a new version: written as JSON
 * (from a copy of a version), tried first (the dry-run's impact on the open tasks of active placements),
 * then published after a confirmation. A published version never changes.
 */
export function CatalogPage() {
  const versions = useLoad(() => api<CatalogSummary[]>('/api/catalogs'), []);
  const [selected, setSelected] = useState<string>('');
  const [catalog, setCatalog] = useState<CatalogDocument | null>(null);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | undefined>();
  const [problem, setProblem] = useState<unknown>(null);
  const [impact, setImpact] = useState<CatalogImpact | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const status = useStatus();

  useEffect(() => {
    const list = versions.data;
    if (list && list.length > 0 && !selected) setSelected(list.at(-1)?.version ?? '');
  }, [versions.data]);

  useEffect(() => {
    if (!selected) return;
    let live = true;
    setCatalog(null);
    setCatalogError(null);
    api<CatalogDocument>(`/api/catalogs/${encodeURIComponent(selected)}`).then(
      (c) => live && setCatalog(c),
      (e: unknown) => live && setCatalogError(e),
    );
    return () => {
      live = false;
    };
  }, [selected]);

  const copy = () => {
    if (!catalog || !versions.data) return;
    const version = nextVersion(
      versions.data.map((v) => v.version),
      new Date().getFullYear(),
    );
    const draftCatalog: Record<string, unknown> = { ...catalog, version };
    delete draftCatalog.publishedOn;
    setDraft(JSON.stringify(draftCatalog, null, 2));
    setImpact(null);
    setProblem(null);
    setDraftError(undefined);
    status.show(`Utkast til versjon ${version} er laget fra ${catalog.version}.`);
  };

  const parsed = (): Record<string, unknown> | null => {
    setDraftError(undefined);
    setProblem(null);
    try {
      const value = JSON.parse(draft) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // said below
    }
    setDraftError('må være en katalog skrevet som JSON-objekt');
    requestAnimationFrame(() => document.getElementById('catalog-draft')?.focus());
    return null;
  };

  const dryRun = async () => {
    const body = parsed();
    if (!body) return;
    setBusy(true);
    setImpact(null);
    try {
      const result = await api<CatalogImpact>('/api/catalogs/dry-run', {
        method: 'POST',
        body: { catalog: body },
      });
      setImpact(result);
      requestAnimationFrame(() => document.getElementById('impact-title')?.focus());
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    setConfirming(false);
    const body = parsed();
    if (!body) return;
    setBusy(true);
    try {
      const result = await api<{ version: string; created: boolean }>('/api/catalogs', {
        method: 'POST',
        body: { catalog: body },
      });
      versions.reload();
      setSelected(result.version);
      setImpact(null);
      status.show(
        result.created
          ? `Versjon ${result.version} er publisert.`
          : `Versjon ${result.version} var publisert fra før med samme innhold.`,
      );
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };

  const problemFields = problem instanceof ApiError ? problem.errors : [];
  return (
    <section class="admin-page">
      <h1 tabIndex={-1}>Stegkatalog</h1>
      <StatusMessage status={status} />
      {versions.loading && !versions.data && <Loading what="katalogene" />}
      <Problem error={versions.error} />
      {versions.data && (
        <div class="table-scroll">
          <table class="ds-table" data-border>
            <caption>Katalogversjoner</caption>
            <thead>
              <tr>
                <th scope="col">Versjon</th>
                <th scope="col">Beskrivelse</th>
                <th scope="col">Steg</th>
                <th scope="col">Kilde</th>
                <th scope="col">Publisert</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{v.description ?? '–'}</td>
                  <td>{v.steps}</td>
                  <td>{v.source === 'built-in' ? 'Innebygd' : 'Publisert'}</td>
                  <td>{v.publishedAt ? formatInstant(v.publishedAt) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {versions.data && (
        <div class="ds-field">
          <label class="ds-label" for="catalog-version">
            Vis versjon
          </label>
          <select
            class="ds-input"
            id="catalog-version"
            value={selected}
            onChange={(e) => setSelected(e.currentTarget.value)}
          >
            {versions.data.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
      )}
      <Problem error={catalogError} />
      {catalog && (
        <details class="ds-details">
          <summary>
            Stegene i versjon {catalog.version} ({catalog.steps.length})
          </summary>
          <div class="table-scroll">
            <table class="ds-table" data-border>
              <caption>Stegene i versjon {catalog.version}</caption>
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  <th scope="col">Spor</th>
                  <th scope="col">Rolle</th>
                  <th scope="col">Frist</th>
                  <th scope="col">Grunnlag</th>
                </tr>
              </thead>
              <tbody>
                {catalog.steps.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.title} <span class="muted">({s.id})</span>
                    </th>
                    <td>{TRACK_LABEL[s.track as keyof typeof TRACK_LABEL] ?? s.track}</td>
                    <td>{ROLE_LABEL[s.role as keyof typeof ROLE_LABEL] ?? s.role}</td>
                    <td>
                      {s.anchor.kind === 'placement'
                        ? `dag ${s.offsetDays} etter flytting`
                        : `${s.offsetDays} dager etter «${s.anchor.stepId ?? ''}»`}
                    </td>
                    <td>{s.basis.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}

      <h2>Ny versjon</h2>
      <p>
        Lag et utkast fra versjonen over, endre det, og prøv det før du publiserer: tørrkjøringen viser hvor
        mange åpne oppgaver i aktive plasseringer som ville flyttes, komme til eller falle bort.
      </p>
      <button type="button" class="ds-button" data-variant="secondary" disabled={!catalog} onClick={copy}>
        Lag utkast fra versjon {catalog?.version ?? selected}
      </button>
      <div class="ds-field">
        <label class="ds-label" for="catalog-draft">
          Katalog (JSON)
        </label>
        {draftError && (
          <p class="ds-validation-message" data-field="validation" id="catalog-draft-error">
            {draftError}
          </p>
        )}
        <textarea
          class="ds-input catalog-draft"
          id="catalog-draft"
          rows={16}
          spellcheck={false}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          aria-invalid={draftError || problemFields.length > 0 ? true : undefined}
          aria-describedby={draftError ? 'catalog-draft-error' : undefined}
        />
      </div>
      <Problem error={problem} />
      <div class="button-row">
        <button
          type="button"
          class="ds-button"
          data-variant="secondary"
          disabled={busy || !draft}
          onClick={() => void dryRun()}
        >
          Prøv (tørrkjøring)
        </button>
        <button
          type="button"
          class="ds-button"
          data-variant="primary"
          disabled={busy || !draft}
          onClick={() => setConfirming(true)}
        >
          Publiser
        </button>
      </div>

      {impact && <ImpactReport impact={impact} />}

      <ConfirmDialog
        id="confirm-publish"
        open={confirming}
        title="Publisere katalogversjonen?"
        confirmLabel="Publiser versjonen"
        onConfirm={() => void publish()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          En publisert versjon kan ikke endres eller trekkes tilbake. Nye plasseringer kan bruke den; planer
          som er laget, beholder sine datoer.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function ImpactReport({ impact }: { impact: CatalogImpact }) {
  return (
    <section class="impact-report" aria-labelledby="impact-title">
      <h2 id="impact-title" tabIndex={-1}>
        Virkning av versjon {impact.version}
      </h2>
      <dl class="summary">
        <dt>Aktive plasseringer undersøkt</dt>
        <dd>{impact.placements}</dd>
        <dt>Plasseringer med endrede oppgaver</dt>
        <dd>{impact.affectedPlacements}</dd>
        <dt>Oppgaver som flyttes</dt>
        <dd>{impact.moved}</dd>
        <dt>Nye oppgaver</dt>
        <dd>{impact.added}</dd>
        <dt>Oppgaver som faller bort</dt>
        <dd>{impact.cancelled}</dd>
      </dl>
      {impact.steps.length === 0 ? (
        <p>Ingen åpne oppgaver ville endres.</p>
      ) : (
        <table class="ds-table" data-border>
          <caption>Virkning per steg</caption>
          <thead>
            <tr>
              <th scope="col">Steg</th>
              <th scope="col">Flyttes</th>
              <th scope="col">Nye</th>
              <th scope="col">Faller bort</th>
            </tr>
          </thead>
          <tbody>
            {impact.steps.map((s) => (
              <tr key={s.stepId}>
                <th scope="row">
                  {s.title} <span class="muted">({s.stepId})</span>
                </th>
                <td>{s.moved}</td>
                <td>{s.added}</td>
                <td>{s.cancelled}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
