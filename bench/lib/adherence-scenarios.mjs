// The scenarios of the adherence benchmark (bench/adherence.mjs): who asks which report for which
// period, and the requests the API cannot answer from its cache.
import { summary } from './stats.mjs';

export const NETWORK_LEAD = 'demo-laeringsnettverksleder';

/**
 * Default scenarios: `user` asks GET /api/adherence/report with `query`. Without from/to the period is
 * the last 12 whole months before the report date, for the learning-network lead the last calendar
 * quarter published to it (one whole quarter, 31 days after its end, as published: ReportWindows);
 * `asOf=year-ago` is the same instant a year ago.
 */
export const DEFAULT_SCENARIOS = [
  `${NETWORK_LEAD}:by=service`,
  `${NETWORK_LEAD}:by=step`,
  `${NETWORK_LEAD}:by=month`,
  'demo-leder:by=track',
  'demo-leder:by=service&asOf=year-ago',
];

/** What makes the API compute a scenario's report afresh (the cold runs). */
export const COLD_KINDS = {
  change: 'after a change to its facts',
  publication: 'a new publication of the quarter',
  instant: 'as of another instant',
};

/** The calendar month `months` before the month of `date` (YYYY-MM-DD), as its first day. */
function monthStart(date, months) {
  const [y, m] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The last calendar quarter published to a learning-network lead by `date`: it ended at least 31 days
 * before (ReportWindows' publication rule for the task report).
 */
function publishedQuarter(date, addDays) {
  const back = (Number(date.slice(5, 7)) - 1) % 3; // months since the current quarter began
  for (let quarters = 1; ; quarters++) {
    const from = monthStart(date, back + 3 * quarters);
    const to = addDays(monthStart(date, back + 3 * (quarters - 1)), -1);
    if (addDays(to, 31) <= date) return { from, to };
  }
}

/**
 * The query of a scenario with its placeholders filled in: asOf=year-ago becomes this instant a year
 * ago; without from/to, the 12 whole months before the month of the report date (today in Oslo, or
 * the asOf instant's date), or for the network lead the last quarter published to it by then.
 */
export function resolveQuery(query, { now, osloDateOf, addDays, user }) {
  const params = new URLSearchParams(query);
  if (params.get('asOf') === 'year-ago') {
    const yearAgo = new Date(now);
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    params.set('asOf', yearAgo.toISOString());
  }
  const reportDate = osloDateOf(params.get('asOf') ?? new Date(now).toISOString());
  const period =
    user === NETWORK_LEAD
      ? publishedQuarter(reportDate, addDays)
      : { from: monthStart(reportDate, 12), to: addDays(monthStart(reportDate, 0), -1) };
  if (!params.has('from')) params.set('from', period.from);
  if (!params.has('to')) params.set('to', period.to);
  return params;
}

/*
 * Computed afresh: the API keeps a finished report while what it is computed from stands still
 * (apps/api/adherence/report-cache.ts), so the measured runs answer from that cache once warm. Here each
 * request is one the API has to compute, one connection, one at a time (`kind`, see COLD_KINDS):
 * - change, a leader's live report: right after a change of the kind the projector records when it
 *   writes a fact due in the period (adherence_changes);
 * - publication, a lead's quarter: as a new publication (its publication row removed, so the request
 *   publishes the quarter again, as of now; a publication never changes once made);
 * - instant, a report as of a past instant: as of another instant (a second earlier each time), since
 *   no change recorded now can change a report of the past.
 */
export async function computedAfresh({ kind, ds, apiUrl, token, params, asOf, services, samples }) {
  const url = `${apiUrl}/api/adherence/report?${params.toString()}`;
  const quarter = `${params.get('from').slice(0, 4)}-Q${(Number(params.get('from').slice(5, 7)) + 2) / 3}`;
  const latencies = [];
  let failures = 0;
  for (let i = 0; i < samples; i++) {
    let target = url;
    if (kind === 'publication')
      await ds.query(`DELETE FROM adherence_publications WHERE kind = 'report' AND period = $1`, [quarter]);
    else if (kind === 'instant') {
      const shifted = new URLSearchParams(params);
      shifted.set('asOf', new Date(Date.parse(asOf) - (i + 1) * 1000).toISOString());
      target = `${apiUrl}/api/adherence/report?${shifted.toString()}`;
    } else
      await ds.query(
        `INSERT INTO adherence_changes (service_id, month, version)
         SELECT s, date_trunc('month', $2::date)::date, nextval('adherence_change_seq') FROM unnest($1::uuid[]) s
         ON CONFLICT (service_id, month) DO UPDATE SET version = excluded.version`,
        [services, params.get('from')],
      );
    const t0 = performance.now();
    const res = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) failures++;
    latencies.push(performance.now() - t0);
  }
  return { requests: samples, failures, latencyMs: summary(latencies), kind };
}
