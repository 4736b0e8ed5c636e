import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Field } from '../components/Field.js';
import { Loading, Problem } from '../components/Problem.js';
import { StatusMessage, useStatus } from '../components/StatusMessage.js';
import { api, download } from '../lib/api.js';
import { todayInOslo } from '../lib/dates.js';
import { formatInstant, formatRate } from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import { useLoad } from '../lib/use-load.js';

/** A cell of the report (GET /api/council-reports): figures unless hidden. */
interface Cell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly [figure: string]: string | number | boolean | null | undefined;
}
interface Year {
  readonly year: number;
  readonly statutory: Cell;
  readonly adherence: Cell;
  readonly tracks: Cell[];
}
interface CouncilReport {
  readonly status: 'utkast' | 'godkjent';
  readonly municipality: { id: string; name: string; number: string };
  readonly service: { id: string; name: string };
  readonly year: number;
  readonly asOf: string;
  readonly current: Year;
  readonly previous: Year;
  readonly kompetansebase: { label: string; current: number | null; previous: number | null }[] | null;
  readonly signedOff?: { by: string; name?: string; at: string };
}

const STATUTORY: [string, string, boolean][] = [
  ['placements', 'Plasseringer', false],
  ['followUpCompliant', 'Nok oppfølgingsbesøk', false],
  ['followUpRate', 'Andel nok oppfølgingsbesøk', true],
  ['supervisionCompliant', 'Nok tilsynsbesøk', false],
  ['supervisionRate', 'Andel nok tilsynsbesøk', true],
];
const PACKAGE: [string, string, boolean][] = [
  ['placements', 'Plasseringer', false],
  ['due', 'Oppgaver forfalt', false],
  ['completed', 'Utført', false],
  ['onTime', 'Utført i tide', false],
  ['onTimeRate', 'Andel i tide', true],
  ['overdue', 'Forsinket', false],
];

const value = (cell: Cell | undefined, figure: string, rate: boolean): string => {
  if (!cell) return '–';
  if (cell.suppressed) return 'skjult';
  const v = cell[figure];
  if (typeof v !== 'number') return '–';
  return rate ? formatRate(v) : String(v);
};

/** One section's figures: this year, the year before. */
function Figures({
  id,
  caption,
  rows,
  report,
}: {
  id: string;
  caption: string;
  rows: { group: string; current: Cell | undefined; previous: Cell | undefined }[];
  report: CouncilReport;
}) {
  const measures = id === 'statutory' ? STATUTORY : PACKAGE;
  return (
    <table class="ds-table council-table" data-border>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Gruppe</th>
          <th scope="col">Tall</th>
          <th scope="col" class="council-number">
            {report.year}
          </th>
          <th scope="col" class="council-number">
            {report.year - 1}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.flatMap((r) =>
          measures.map(([figure, label, rate]) => (
            <tr key={`${r.group}-${figure}`}>
              <th scope="row">{r.group}</th>
              <td>{label}</td>
              <td class="council-number">{value(r.current, figure, rate)}</td>
              <td class="council-number">{value(r.previous, figure, rate)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/**
 * «Tilstandsrapport»: the service's leader chooses a member municipality and a year, reads the draft of
 * the yearly report to its council, signs it off (after a confirmation: it cannot be undone) and
 * downloads it as PDF or CSV. Aggregates only; groups of fewer than 5 placements hidden.
 */
export function CouncilReportPage({ session }: { session: Session }) {
  const thisYear = Number(todayInOslo().slice(0, 4));
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  const [chosen, setChosen] = useState<{ municipality: string; year: number } | null>(null);
  const [municipality, setMunicipality] = useState('');
  const [year, setYear] = useState(thisYear - 1);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const status = useStatus();

  const places = useLoad(async () => {
    const [services, municipalities] = await Promise.all([
      api<{ id: string; memberMunicipalityIds: string[] }[]>('/api/reference/services'),
      api<{ id: string; number: string; name: string }[]>('/api/reference/municipalities'),
    ]);
    const own = services.find((s) => s.id === session.me.organisation);
    return municipalities
      .filter((m) => own?.memberMunicipalityIds.includes(m.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'nb'));
  }, []);
  const report = useLoad(
    () =>
      chosen ? api<CouncilReport>('/api/council-reports', { query: chosen }) : Promise.resolve(undefined),
    [chosen?.municipality, chosen?.year],
  );

  const show = (event: Event) => {
    event.preventDefault();
    const m = municipality || places.data?.[0]?.id;
    if (m) setChosen({ municipality: m, year });
  };
  const signOff = async () => {
    setConfirming(false);
    setError(null);
    if (!report.data || !chosen) return;
    try {
      await api('/api/council-reports/sign-off', {
        method: 'POST',
        body: { ...chosen, asOf: report.data.asOf },
      });
      report.reload();
      status.show(`Rapporten for ${report.data.municipality.name} ${chosen.year} er godkjent og frigitt.`);
    } catch (e) {
      setError(e);
    }
  };
  const get = async (ext: 'pdf' | 'csv') => {
    setError(null);
    if (!chosen || !report.data) return;
    try {
      await download(
        `/api/council-reports/report.${ext}`,
        chosen,
        `tilstandsrapport-${report.data.municipality.number}-${chosen.year}.${ext}`,
      );
    } catch (e) {
      setError(e);
    }
  };

  const r = report.data;
  const tracks = r
    ? [...new Map([...r.current.tracks, ...r.previous.tracks].map((t) => [t.key, t.label]))]
    : [];
  return (
    <section aria-labelledby="council-title">
      <h1 id="council-title" tabIndex={-1}>
        Tilstandsrapport
      </h1>
      <p>
        Den årlige rapporten til kommunestyret om oppfølgingen av barn i fosterhjem: lovpålagte besøk,
        etterlevelse av Omsorgspakken etter spor, bruk av kompetansebasen og utviklingen fra året før. Bare
        samlede tall; grupper med færre enn 5 plasseringer vises ikke. Rapporten frigis når du har godkjent
        den.
      </p>
      <form class="ds-card council-choice" onSubmit={show} aria-labelledby="council-choice-title">
        <h2 id="council-choice-title">Velg kommune og år</h2>
        {places.error ? <Problem error={places.error} /> : null}
        <div class="council-fields">
          <Field id="council-municipality" label="Kommune">
            {(control) => (
              <select
                {...control}
                class="ds-input"
                value={municipality || places.data?.[0]?.id || ''}
                onChange={(e) => setMunicipality(e.currentTarget.value)}
              >
                {(places.data ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({m.number})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="council-year" label="År">
            {(control) => (
              <select
                {...control}
                class="ds-input"
                value={String(year)}
                onChange={(e) => setYear(Number(e.currentTarget.value))}
              >
                {years.map((y) => (
                  <option key={y} value={String(y)}>
                    {y}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" class="ds-button" data-variant="primary" disabled={!places.data?.length}>
          Vis rapporten
        </button>
      </form>

      <StatusMessage status={status} />
      <Problem error={error} />
      {chosen && report.loading && !r ? <Loading what="rapporten" /> : null}
      {report.error ? <Problem error={report.error} /> : null}
      {r ? (
        <article class="council-report" aria-labelledby="council-report-title">
          <h2 id="council-report-title">
            {r.municipality.name} kommune ({r.municipality.number}), {r.year}
          </h2>
          <p>
            <span class="ds-tag" data-color={r.status === 'godkjent' ? 'success' : 'warning'}>
              {r.status === 'godkjent' ? 'Godkjent' : 'Utkast'}
            </span>{' '}
            {r.signedOff
              ? `Godkjent av ${r.signedOff.name ?? r.signedOff.by} ${formatInstant(r.signedOff.at)}. Tallene er låst slik de var ${formatInstant(r.asOf)}.`
              : `Tallene slik de er registrert ${formatInstant(r.asOf)}. Ikke frigitt før du godkjenner.`}
          </p>
          <p>Barneverntjeneste: {r.service.name}</p>
          <div class="button-row">
            {r.status === 'utkast' ? (
              <button
                type="button"
                class="ds-button"
                data-variant="primary"
                disabled={r.year >= thisYear}
                onClick={() => setConfirming(true)}
              >
                Godkjenn rapporten
              </button>
            ) : null}
            <button type="button" class="ds-button" data-variant="secondary" onClick={() => void get('pdf')}>
              Last ned PDF
            </button>
            <button type="button" class="ds-button" data-variant="secondary" onClick={() => void get('csv')}>
              Last ned CSV
            </button>
          </div>
          {r.status === 'utkast' && r.year >= thisYear ? (
            <p class="muted">Rapporten kan godkjennes når året er omme.</p>
          ) : null}
          <h3>Lovpålagte oppfølgings- og tilsynsbesøk</h3>
          <Figures
            id="statutory"
            caption="Plasseringer med minst de lovpålagte besøkene"
            report={r}
            rows={[{ group: 'Totalt', current: r.current.statutory, previous: r.previous.statutory }]}
          />
          <h3>Etterlevelse av Omsorgspakken etter spor</h3>
          <Figures
            id="package"
            caption="Oppgaver med frist i året, alle spor og hvert spor"
            report={r}
            rows={[
              { group: 'Totalt', current: r.current.adherence, previous: r.previous.adherence },
              ...tracks.map(([key, label]) => ({
                group: label,
                current: r.current.tracks.find((t) => t.key === key),
                previous: r.previous.tracks.find((t) => t.key === key),
              })),
            ]}
          />
          <h3>Bruk av kompetansebasen</h3>
          {r.kompetansebase?.length ? (
            <ul>
              {r.kompetansebase.map((k) => (
                <li key={k.label}>
                  {k.label}: {k.current ?? 'skjult'} ({r.year - 1}: {k.previous ?? 'skjult'})
                </li>
              ))}
            </ul>
          ) : (
            <p>Ingen kompetansebase-bruk registrert.</p>
          )}
        </article>
      ) : null}
      <ConfirmDialog
        id="council-signoff"
        open={confirming}
        title="Godkjenne og frigi rapporten?"
        confirmLabel="Godkjenn og frigi"
        onConfirm={() => void signOff()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Rapporten for {r?.municipality.name} {r?.year} frigis med tallene du ser nå, og kan ikke endres
          senere. Godkjenningen registreres med navnet ditt og tidspunktet.
        </p>
      </ConfirmDialog>
    </section>
  );
}
