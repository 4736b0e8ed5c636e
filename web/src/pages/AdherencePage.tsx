import { useState } from 'preact/hooks';
import { BarChart, type Bar } from '../components/BarChart.js';
import { LabelSelect } from '../components/Field.js';
import { PeriodFields } from '../components/PeriodFields.js';
import { QuarterFields } from '../components/QuarterFields.js';
import { Loading, Problem } from '../components/Problem.js';
import { api, download } from '../lib/api.js';
import { addDays, addMonths, monthEnds, publishedQuarters, todayInOslo, type Quarter } from '../lib/dates.js';
import { formatDate, formatInstant, formatRate } from '../lib/labels.js';
import { hasRole, type Session } from '../lib/session.js';
import type { AdherenceCell, AdherenceReport, ComplianceReport } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

const BREAKDOWN_LABEL: Record<string, string> = {
  service: 'Tjeneste',
  track: 'Spor',
  step: 'Steg',
  month: 'Måned',
  placementType: 'Type plassering',
  municipality: 'Kommune',
};

const rateNote = (c: AdherenceCell) =>
  c.suppressed
    ? 'Skjult: færre enn 5 plasseringer'
    : `${c.onTime ?? 0} i tide av ${(c.due ?? 0) - (c.waived ?? 0)} (${c.placements ?? 0} plasseringer)`;

const rateBars = (report: AdherenceReport | undefined): Bar[] =>
  (report?.rows ?? []).map((c) => ({
    label: c.label,
    value: c.suppressed ? null : (c.onTimeRate ?? null),
    note: rateNote(c),
  }));

/** The on-time charts' breakdowns, as their titles name them. */
const RATE_CHART_BY = { service: 'tjeneste', track: 'spor', step: 'steg' } as const;

/** Days after a quarter's end before the API publishes it to a learning-network lead. */
const LEAD_PUBLICATION_LAG_DAYS = 30;
/** Days after a year's end before the API publishes its statutory compliance to a lead. */
const LEAD_YEAR_PUBLICATION_LAG_DAYS = 31;

/**
 * Adherence for the learning-network lead (network, small cells hidden) and the leader (own service).
 * A lead gets whole calendar quarters once published, and finished years of statutory compliance: the
 * API refuses other periods to a lead, so that no two reports can be subtracted to reveal a small group.
 */
export function AdherencePage({ session }: { session: Session }) {
  const today = todayInOslo();
  const lead = hasRole(session, 'laeringsnettverksleder');
  const quarters = publishedQuarters(today, LEAD_PUBLICATION_LAG_DAYS, 8);
  const [period, setPeriod] = useState<{ from: string; to: string }>(
    lead && quarters[0]
      ? { from: quarters[0].from, to: quarters[0].to }
      : { from: addMonths(today, -3), to: today },
  );
  const [draft, setDraft] = useState(period);
  const [csvBy, setCsvBy] = useState('service');
  const [error, setError] = useState<unknown>(null);
  const thisYear = Number(today.slice(0, 4));
  const periodYear = Number(period.to.slice(0, 4));
  // A lead: the year of the quarter, or the last year published (from 1 February of the next year).
  const lastPublished = addDays(`${thisYear - 1}-12-31`, LEAD_YEAR_PUBLICATION_LAG_DAYS + 1) <= today;
  const year = lead ? Math.min(periodYear, lastPublished ? thisYear - 1 : thisYear - 2) : periodYear;

  const reports = useLoad(async () => {
    const report = (by: string) =>
      api<AdherenceReport>('/api/adherence/report', { query: { ...period, by } });
    const [service, track, step] = await Promise.all([report('service'), report('track'), report('step')]);
    return { service, track, step };
  }, [period.from, period.to]);
  const backlog = useLoad(
    () =>
      Promise.all(
        lead
          ? // A lead: the overdue, open tasks of each published quarter (whole quarters only).
            quarters
              .slice(0, 4)
              .reverse()
              .map(async (q: Quarter) => {
                const r = await api<AdherenceReport>('/api/adherence/report', {
                  query: { from: q.from, to: q.to, by: 'total' },
                });
                return { end: q.to, label: q.label, cell: r.total };
              })
          : monthEnds(period.from, period.to, 6).map(async (end) => {
              const asOf = end < today ? `${end}T22:00:00Z` : undefined;
              const r = await api<AdherenceReport>('/api/adherence/report', {
                query: { from: period.from, to: end, by: 'total', asOf },
              });
              return { end, label: formatDate(end), cell: r.total };
            }),
      ),
    [period.from, period.to],
  );
  const compliance = useLoad(
    () => api<ComplianceReport>('/api/adherence/statutory-compliance', { query: { year, by: 'service' } }),
    [year],
  );

  const apply = (event: Event) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from <= draft.to) setPeriod(draft);
  };
  const preset = (from: string, to: string) => {
    setDraft({ from, to });
    setPeriod({ from, to });
  };
  const csv = async () => {
    setError(null);
    try {
      await download(
        '/api/adherence/report',
        { ...period, by: csvBy, format: 'csv' },
        `etterlevelse-${csvBy}-${period.from}-${period.to}.csv`,
      );
    } catch (e) {
      setError(e);
    }
  };
  const rates = reports.data;
  const scope = rates?.service.scope;

  return (
    <section aria-labelledby="adherence-title">
      <h1 id="adherence-title" tabIndex={-1}>
        Etterlevelse
      </h1>
      <p>
        {hasRole(session, 'laeringsnettverksleder')
          ? 'Tall for tjenestene i læringsnettverket. Grupper med færre enn 5 plasseringer vises ikke.'
          : 'Tall for din tjeneste.'}{' '}
        Ingen opplysninger om enkeltbarn.
      </p>

      {lead ? (
        <form class="filters ds-card" onSubmit={apply} aria-labelledby="period-title">
          <h2 id="period-title">Periode</h2>
          <p class="muted">
            Læringsnettverket ser hele kvartaler, fra {LEAD_PUBLICATION_LAG_DAYS + 1} dager etter at kvartalet
            er slutt. Tallene er slik de var da kvartalet ble publisert, og endres ikke senere.
            {reports.data?.service.asOf ? ` Publisert ${formatInstant(reports.data.service.asOf)}.` : ''}
          </p>
          <div class="field-row">
            <QuarterFields id="period-quarter" quarters={quarters} draft={draft} onChange={setDraft} />
          </div>
        </form>
      ) : (
        <form class="filters ds-card" onSubmit={apply} aria-labelledby="period-title">
          <h2 id="period-title">Periode (frister fra og med – til og med)</h2>
          <div class="field-row">
            <PeriodFields id="period" fromLabel="Fra" toLabel="Til" draft={draft} onChange={setDraft} />
          </div>
          <div class="button-row">
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() => preset(addMonths(today, -3), today)}
            >
              Siste 3 måneder
            </button>
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() => preset(`${today.slice(0, 4)}-01-01`, today)}
            >
              Hittil i år
            </button>
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() =>
                preset(`${Number(today.slice(0, 4)) - 1}-01-01`, `${Number(today.slice(0, 4)) - 1}-12-31`)
              }
            >
              I fjor
            </button>
          </div>
        </form>
      )}

      <p class="muted" aria-live="polite">
        Viser frister {formatDate(period.from)}–{formatDate(period.to)}
        {scope ? ` (${scope === 'network' ? 'læringsnettverket' : 'tjenesten'})` : ''}.
      </p>

      {reports.loading && <Loading what="rapportene" />}
      <Problem error={reports.error} />
      {rates && (
        <>
          <p class="key-figure">
            Andel i tide totalt: <strong>{formatRate(rates.service.total.onTimeRate)}</strong> (
            {rateNote(rates.service.total)})
          </p>
          {(['service', 'track', 'step'] as const).map((by) => (
            <BarChart
              key={by}
              id={`by-${by}`}
              title={`Andel steg utført i tide, per ${RATE_CHART_BY[by]}`}
              bars={rateBars(rates[by])}
              max={1}
              format={formatRate}
              valueHeading="Andel i tide"
            />
          ))}
        </>
      )}

      {backlog.loading && <Loading what="forsinkelser over tid" />}
      <Problem error={backlog.error} />
      {backlog.data && (
        <BarChart
          id="backlog"
          title={
            lead ? 'Forsinkede, åpne steg per kvartal' : 'Forsinkede, åpne steg ved slutten av hver måned'
          }
          bars={backlog.data.map(({ label, cell }) => ({
            label,
            value: cell.suppressed ? null : (cell.overdue ?? 0),
            note: cell.suppressed ? 'Skjult: færre enn 5 plasseringer' : undefined,
          }))}
          max={Math.max(1, ...backlog.data.map((b) => b.cell.overdue ?? 0))}
          format={(v) => (v === null ? '–' : String(v))}
          valueHeading="Forsinkede steg"
        />
      )}

      {compliance.loading && <Loading what="lovkravene" />}
      <Problem error={compliance.error} />
      {compliance.data && (
        <>
          <BarChart
            id="followup"
            title={`Plasseringer med nok oppfølgingsbesøk i ${year}`}
            bars={compliance.data.rows.map((c) => ({
              label: c.label,
              value: c.suppressed ? null : (c.followUpRate ?? null),
              note: c.suppressed
                ? 'Skjult: færre enn 5 plasseringer'
                : `${c.followUpCompliant ?? 0} av ${c.placements ?? 0}`,
            }))}
            max={1}
            format={formatRate}
            valueHeading="Andel som oppfyller kravet"
          />
          <BarChart
            id="supervision"
            title={`Plasseringer med nok tilsynsbesøk i ${year}`}
            bars={compliance.data.rows.map((c) => ({
              label: c.label,
              value: c.suppressed ? null : (c.supervisionRate ?? null),
              note: c.suppressed
                ? 'Skjult: færre enn 5 plasseringer'
                : `${c.supervisionCompliant ?? 0} av ${c.placements ?? 0}`,
            }))}
            max={1}
            format={formatRate}
            valueHeading="Andel som oppfyller kravet"
          />
        </>
      )}

      <section class="ds-card" aria-labelledby="csv-title">
        <h2 id="csv-title">Last ned som CSV</h2>
        <div class="field-row">
          <LabelSelect
            id="csv-by"
            label="Fordelt på"
            labels={BREAKDOWN_LABEL}
            value={csvBy}
            onChange={setCsvBy}
          />
          <button class="ds-button" data-variant="primary" type="button" onClick={() => void csv()}>
            Last ned CSV
          </button>
        </div>
        <Problem error={error} />
      </section>
    </section>
  );
}
