import { useState } from 'preact/hooks';
import { LabelSelect } from '../components/Field.js';
import { PeriodFields } from '../components/PeriodFields.js';
import { QuarterFields } from '../components/QuarterFields.js';
import { Loading, Problem } from '../components/Problem.js';
import { api } from '../lib/api.js';
import { addMonths, startedQuarters, todayInOslo } from '../lib/dates.js';
import { formatDate, formatRate } from '../lib/labels.js';
import { hasRole, type Session } from '../lib/session.js';
import { useLoad } from '../lib/use-load.js';

/*
 * A kompetansebase's adherence (issue 17): for the orders of a period, how many the base took, declined
 * or keeps waiting, how long from order to start talk, and call-backs, evaluations and reports on time.
 * The base's leader sees the own base for any period; the learning-network lead the network's base one
 * whole quarter at a time, with groups of fewer than 5 orders hidden (GET /api/kompetansebase/adherence).
 */

interface Share {
  of: number;
  onTime: number;
  rate: number | null;
}
interface Cell {
  key: string;
  label: string;
  suppressed: boolean;
  orders?: number;
  accepted?: number;
  declinedForCapacity?: number;
  declinedOther?: number;
  waiting?: number;
  medianDaysToStart?: number | null;
  p80DaysToStart?: number | null;
  callBacks?: Share;
  evaluationsOnAgreedDate?: Share;
  reportsOnTime?: Share;
}
interface Report {
  scope: 'base' | 'network';
  base: { baseId: string; name: string; capacity: number };
  from: string;
  to: string;
  reportDate: string;
  suppression: boolean;
  total: Cell;
  rows: Cell[];
}

const BREAKDOWN_LABEL: Record<string, string> = { requestType: 'Type bestilling', service: 'Tjeneste' };

const days = (d: number | null | undefined) =>
  d === null || d === undefined ? '–' : d.toLocaleString('nb-NO', { maximumFractionDigits: 1 });
const share = (s: Share | undefined) =>
  !s || s.of === 0 ? '–' : `${formatRate(s.rate)} (${s.onTime} av ${s.of})`;

/** One table: the total first, then the breakdown's rows; a hidden row says so across its columns. */
function FigureTable({
  caption,
  first,
  report,
  columns,
}: {
  caption: string;
  first: string;
  report: Report;
  columns: readonly { label: string; value: (c: Cell) => string }[];
}) {
  const row = (c: Cell, total = false) => (
    <tr key={c.key} class={total ? 'kb-adherence-total' : undefined}>
      <th scope="row">{c.label}</th>
      {c.suppressed ? (
        <td colSpan={columns.length}>
          <span class="ds-tag" data-color="neutral">
            Skjult
          </span>{' '}
          for å verne grupper med færre enn 5 bestillinger
        </td>
      ) : (
        columns.map((col) => (
          <td key={col.label} class="numeric" data-label={col.label}>
            {col.value(c)}
          </td>
        ))
      )}
    </tr>
  );
  return (
    <table class="ds-table kb-adherence-table" data-border>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          {columns.map((col) => (
            <th scope="col" key={col.label} class="numeric">
              {col.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {row(report.total, true)}
        {report.rows.map((c) => row(c))}
      </tbody>
    </table>
  );
}

export function KompetansebaseAdherencePage({ session }: { session: Session }) {
  const today = todayInOslo();
  const lead = hasRole(session, 'laeringsnettverksleder') && !hasRole(session, 'kompetansebase-leder');
  const quarters = startedQuarters(today, 8);
  const [period, setPeriod] = useState<{ from: string; to: string }>(
    lead ? { from: quarters[0].from, to: quarters[0].to } : { from: addMonths(today, -12), to: today },
  );
  const [draft, setDraft] = useState(period);
  const [by, setBy] = useState('requestType');
  const report = useLoad(
    () => api<Report>('/api/kompetansebase/adherence', { query: { ...period, by } }),
    [period.from, period.to, by],
  );
  const apply = (event: Event) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from <= draft.to) setPeriod(draft);
  };
  const data = report.data;

  return (
    <section aria-labelledby="kb-adherence-title">
      <h1 id="kb-adherence-title" tabIndex={-1}>
        Kompetansebasens etterlevelse
      </h1>
      <p>
        {lead
          ? 'Tall for kompetansebasen i læringsnettverket. Grupper med færre enn 5 bestillinger vises ikke.'
          : 'Tall for kompetansebasen din.'}{' '}
        Bestillingene telles etter dagen de ble bestilt. Ingen opplysninger om enkeltbarn.
      </p>

      <form class="filters ds-card" onSubmit={apply} aria-labelledby="kb-period-title">
        <h2 id="kb-period-title">Periode</h2>
        {lead ? (
          <>
            <p class="muted">Læringsnettverket ser ett helt kvartal om gangen.</p>
            <div class="field-row">
              <QuarterFields id="kb-quarter" quarters={quarters} draft={draft} onChange={setDraft} />
            </div>
          </>
        ) : (
          <div class="field-row">
            <PeriodFields
              id="kb"
              fromLabel="Bestilt fra og med"
              toLabel="Til og med"
              draft={draft}
              onChange={setDraft}
            />
          </div>
        )}
        <div class="field-row">
          <LabelSelect id="kb-by" label="Fordelt på" labels={BREAKDOWN_LABEL} value={by} onChange={setBy} />
        </div>
      </form>

      {report.error ? <Problem error={report.error} /> : null}
      {report.loading && !data ? <Loading what="tallene" /> : null}
      {data && (
        <div aria-live="polite" aria-busy={report.loading}>
          <p>
            <strong>{data.base.name}</strong>: bestillinger fra {formatDate(data.from)} til{' '}
            {formatDate(data.to)}. «Venter» er slik køen står {formatDate(data.reportDate)}. Kapasitet:{' '}
            {data.base.capacity} oppdrag samtidig.
          </p>
          {data.total.suppressed && (
            <div class="ds-alert" data-color="info" role="status">
              Færre enn 5 bestillinger i perioden: tallene vises ikke, for å verne små grupper.
            </div>
          )}
          <FigureTable
            caption="Bestillinger og ventetid"
            first={BREAKDOWN_LABEL[by]}
            report={data}
            columns={[
              { label: 'Bestillinger', value: (c) => String(c.orders) },
              { label: 'Tatt imot', value: (c) => String(c.accepted) },
              { label: 'Avslått, kapasitet', value: (c) => String(c.declinedForCapacity) },
              { label: 'Avslått, annen grunn', value: (c) => String(c.declinedOther) },
              { label: 'Venter nå', value: (c) => String(c.waiting) },
              { label: 'Dager til oppstart, median', value: (c) => days(c.medianDaysToStart) },
              { label: 'Dager til oppstart, 80 %', value: (c) => days(c.p80DaysToStart) },
            ]}
          />
          <FigureTable
            caption="Frister holdt (andel i tide, antall i tide av utført)"
            first={BREAKDOWN_LABEL[by]}
            report={data}
            columns={[
              { label: 'Tilbakeringing i tide', value: (c) => share(c.callBacks) },
              { label: 'Evaluering på avtalt dato', value: (c) => share(c.evaluationsOnAgreedDate) },
              { label: 'Rapport i tide', value: (c) => share(c.reportsOnTime) },
            ]}
          />
        </div>
      )}
    </section>
  );
}
