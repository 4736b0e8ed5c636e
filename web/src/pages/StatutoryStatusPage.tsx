import { useState } from 'preact/hooks';
import { Field, LabelSelect } from '../components/Field.js';
import { Pager } from '../components/Pager.js';
import { Loading, Problem } from '../components/Problem.js';
import { api, download } from '../lib/api.js';
import { todayInOslo } from '../lib/dates.js';
import { formatDate, LEDGER_KIND_LABEL, placementName, RISK_LEVEL_LABEL } from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import type { Municipality } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

type Standing = 'bak' | 'i-fare' | 'i-rute' | 'fullfort';
type Counts = Record<Standing, number>;

interface Duty {
  readonly kind: 'oppfolgingsbesok' | 'tilsynsbesok';
  readonly required: number;
  readonly completed: number;
  readonly planned: number;
  readonly waived: number;
  readonly remaining: number;
  readonly plannedAhead: number;
  readonly overdue: number;
  readonly nextDue: string | null;
  readonly saveBy: string;
  readonly level?: 'kritisk' | 'risiko' | 'brutt';
  readonly status: Standing;
}

interface Row {
  readonly placementId: string;
  readonly caseNumber?: string;
  readonly municipality: string | null;
  readonly phase: 'pakke' | 'ordinaer';
  readonly endedOn: string | null;
  readonly status: Standing;
  readonly duties: readonly Duty[];
}

interface StatusPage {
  readonly year: number;
  readonly reportDate: string;
  readonly totals: {
    readonly placements: number;
    readonly oppfolgingsbesok: Counts;
    readonly tilsynsbesok: Counts;
    readonly overall: Counts;
  };
  readonly matching: number;
  readonly offset: number;
  readonly limit: number;
  readonly rows: readonly Row[];
}

const PAGE_SIZE = 25;
const STANDINGS: readonly Standing[] = ['bak', 'i-fare', 'i-rute', 'fullfort'];
const STANDING_LABEL: Record<Standing, string> = {
  bak: 'Bak',
  'i-fare': 'I fare',
  'i-rute': 'I rute',
  fullfort: 'Fullført',
};
/** The status's Designsystemet colour: it supports the words, which always stand in the tag. */
const STANDING_COLOR: Record<Standing, string> = {
  bak: 'danger',
  'i-fare': 'warning',
  'i-rute': 'info',
  fullfort: 'success',
};
const PHASE_LABEL = { pakke: 'Omsorgspakken', ordinaer: 'Ordinær oppfølging' } as const;
const SORT_LABEL = {
  risk: 'Mest hastende først',
  nextDue: 'Neste besøk først',
  municipality: 'Kommune',
  placementDate: 'Eldste plassering først',
};

function StandingTag({ duty }: { duty: Pick<Duty, 'status' | 'level'> }) {
  return (
    <span class="ds-tag" data-color={STANDING_COLOR[duty.status]} data-size="sm">
      {STANDING_LABEL[duty.status]}
      {duty.level === 'kritisk' ? ' · kritisk' : ''}
    </span>
  );
}

/** One duty's figures in a cell: the status, then done of required, planned ahead, waived. */
function DutyCell({ duty, label }: { duty: Duty | undefined; label: string }) {
  if (!duty) return <td data-label={label}>–</td>;
  return (
    <td data-label={label}>
      <StandingTag duty={duty} />
      <span class="status-figures">
        {duty.completed} av {duty.required} utført
        {duty.plannedAhead > 0 ? `, ${duty.plannedAhead} planlagt` : ''}
        {duty.overdue > 0 ? `, ${duty.overdue} forsinket` : ''}
        {duty.waived > 0 ? `, ${duty.waived} frafalt` : ''}
      </span>
      {duty.remaining > 0 && (
        <span class="status-figures">
          {duty.level === 'brutt' ? 'Kan ikke lenger nås' : `Start innen ${formatDate(duty.saveBy)}`}
        </span>
      )}
    </td>
  );
}

/**
 * «Lovpålagt oppfølging i år»: every child of the service and this year's (or a past year's) statutory
 * follow-up and supervision visits, the counts per status at the top, then the placements most urgent
 * first, 25 a page, with filters and a CSV export (GET /api/statutory-status). No names: the case number
 * links to the placement, whose page shows the rest to those allowed.
 */
export function StatutoryStatusPage({ session }: { session: Session }) {
  const thisYear = Number(todayInOslo().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [municipality, setMunicipality] = useState('');
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [sort, setSort] = useState('risk');
  const [page, setPage] = useState(1);
  const filters = {
    year,
    municipality: municipality || undefined,
    status: status || undefined,
    kind: kind || undefined,
    sort,
  };
  const list = useLoad(
    () =>
      api<StatusPage>('/api/statutory-status', {
        query: { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      }),
    [year, municipality, status, kind, sort, page],
  );
  const municipalities = useLoad(
    async () =>
      (await api<Municipality[]>('/api/reference/municipalities'))
        .filter((m) => m.serviceId === session.me.organisation)
        .sort((a, b) => a.name.localeCompare(b.name, 'nb')),
    [session.me.organisation],
  );
  /** A filter changed: back to the first page. */
  const change =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.matching / PAGE_SIZE)) : 1;
  const heading = year === thisYear ? 'Lovpålagt oppfølging i år' : `Lovpålagt oppfølging ${year}`;

  return (
    <section aria-labelledby="status-title" class="statutory-status">
      <h1 id="status-title" tabIndex={-1}>
        {heading}
      </h1>
      <p>
        Oppfølgingsbesøk og tilsynsbesøk for alle barna i tjenesten i {year}, etter den lovpålagte
        minstegrensen (fire i året, forholdsmessig for deler av året; lavere bare ved registrert vedtak). Et
        frafalt besøk teller ikke som besøk.
      </p>

      <div class="status-filters">
        <Field id="status-year" label="År">
          {(control) => (
            <select
              {...control}
              value={String(year)}
              onChange={(e) => change(setYear)(Number(e.currentTarget.value))}
            >
              {[thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3, thisYear - 4].map((y) => (
                <option key={y} value={y}>
                  {y === thisYear ? `${y} (i år)` : y}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <Problem error={list.error} />
      {list.loading && !data && <Loading what="lovpålagt oppfølging" />}
      {data && (
        <section aria-labelledby="status-summary-title">
          <h2 id="status-summary-title">Status for {data.totals.placements} barn</h2>
          <table class="ds-table status-summary" data-border>
            <caption>Antall barn per status og plikt i {data.year}, hele tjenesten</caption>
            <thead>
              <tr>
                <th scope="col">Plikt</th>
                {STANDINGS.map((s) => (
                  <th scope="col" key={s} class="numeric">
                    {STANDING_LABEL[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(['oppfolgingsbesok', 'tilsynsbesok'] as const).map((k) => (
                <tr key={k}>
                  <th scope="row">{LEDGER_KIND_LABEL[k]}</th>
                  {STANDINGS.map((s) => (
                    <td key={s} class="numeric" data-label={STANDING_LABEL[s]}>
                      {data.totals[k][s]}
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Samlet (den svakeste av de to)</th>
                {STANDINGS.map((s) => (
                  <td key={s} class="numeric" data-label={STANDING_LABEL[s]}>
                    {data.totals.overall[s]}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p class="muted">
            Bak: året kan ikke lenger nås. I fare: et besøk er forsinket, for få er planlagt, eller det haster
            (kritisk: siste frist for å starte er innen 30 dager). I rute: nok besøk er planlagt i tide.
          </p>
        </section>
      )}

      <section aria-labelledby="status-list-title">
        <h2 id="status-list-title">Barna</h2>
        <div class="status-filters">
          <Field id="status-municipality" label="Kommune">
            {(control) => (
              <select
                {...control}
                value={municipality}
                onChange={(e) => change(setMunicipality)(e.currentTarget.value)}
              >
                <option value="">Alle kommuner</option>
                {(municipalities.data ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <LabelSelect
            id="status-status"
            label="Status"
            labels={{ '': 'Alle', ...STANDING_LABEL }}
            value={status}
            onChange={change(setStatus)}
          />
          <LabelSelect
            id="status-kind"
            label="Plikt"
            labels={{ '': 'Begge', ...LEDGER_KIND_LABEL }}
            value={kind}
            onChange={change(setKind)}
          />
          <LabelSelect
            id="status-sort"
            label="Sortering"
            labels={SORT_LABEL}
            value={sort}
            onChange={change(setSort)}
          />
        </div>
        <p>
          <button
            type="button"
            class="ds-button"
            data-variant="secondary"
            onClick={() =>
              void download(
                '/api/statutory-status',
                { ...filters, format: 'csv' },
                `lovpalagt-oppfolging-${year}.csv`,
              )
            }
          >
            Last ned CSV
          </button>
        </p>
        {data && (
          <>
            <table class="ds-table status-table">
              <caption>
                {data.matching === 0
                  ? 'Ingen barn med disse valgene'
                  : `Barn ${data.offset + 1}–${data.offset + data.rows.length} av ${data.matching}, side ${page} av ${pages}`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Plassering</th>
                  <th scope="col">Kommune</th>
                  <th scope="col">Fase</th>
                  <th scope="col">Oppfølgingsbesøk</th>
                  <th scope="col">Tilsynsbesøk</th>
                  <th scope="col">Neste besøk</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => {
                  const next = r.duties
                    .map((d) => d.nextDue)
                    .filter((d): d is string => d !== null)
                    .sort()[0];
                  return (
                    <tr key={r.placementId}>
                      <th scope="row">
                        <a href={`/plasseringer/${r.placementId}`}>
                          {placementName(r.placementId, r.caseNumber)}
                        </a>
                      </th>
                      <td data-label="Kommune">{r.municipality ?? '–'}</td>
                      <td data-label="Fase">
                        {PHASE_LABEL[r.phase]}
                        {r.endedOn ? ` (avsluttet ${formatDate(r.endedOn)})` : ''}
                      </td>
                      <DutyCell
                        label="Oppfølgingsbesøk"
                        duty={r.duties.find((d) => d.kind === 'oppfolgingsbesok')}
                      />
                      <DutyCell label="Tilsynsbesøk" duty={r.duties.find((d) => d.kind === 'tilsynsbesok')} />
                      <td data-label="Neste besøk">
                        {formatDate(next)}
                        {next && next < data.reportDate ? ' (forsinket)' : ''}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager label="Sider i listen over barna" page={page} pages={pages} onPage={setPage} />
          </>
        )}
      </section>
      <p class="muted">
        Nivåene er de samme som i risikolisten ({Object.values(RISK_LEVEL_LABEL).join(', ').toLowerCase()}).
        Tallene er per {data ? formatDate(data.reportDate) : 'i dag'}.
      </p>
    </section>
  );
}
