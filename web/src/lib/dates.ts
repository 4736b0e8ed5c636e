/** Calendar dates (YYYY-MM-DD) in Europe/Oslo, as the API counts them. */

export function todayInOslo(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** The last day of each month from `from` to `to`, at most `max` of them (the latest). */
export function monthEnds(from: string, to: string, max: number): string[] {
  const ends: string[] = [];
  let d = new Date(`${from.slice(0, 7)}-01T12:00:00Z`);
  while (true) {
    const next = new Date(d);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const end = new Date(next);
    end.setUTCDate(0);
    const iso = end.toISOString().slice(0, 10);
    if (iso > to) break;
    ends.push(iso);
    d = next;
  }
  if (ends.length === 0 || ends[ends.length - 1] !== to) ends.push(to);
  return ends.slice(-max);
}

export interface Quarter {
  readonly from: string;
  readonly to: string;
  /** "3. kvartal 2026" */
  readonly label: string;
}

/**
 * The calendar quarters published to a learning-network lead by `today`, newest first, at most `count`:
 * the API gives a lead one whole quarter per report, from `lagDays` after its end (apps/api/adherence/report-window.ts).
 */
export function publishedQuarters(today: string, lagDays: number, count: number): Quarter[] {
  const quarters: Quarter[] = [];
  let year = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  while (quarters.length < count) {
    const startMonth = (q - 1) * 3 + 1;
    const from = `${year}-${String(startMonth).padStart(2, '0')}-01`;
    const to = addDays(addMonths(from, 3), -1);
    if (addDays(to, lagDays + 1) <= today) quarters.push({ from, to, label: `${q}. kvartal ${year}` });
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return quarters;
}

/** The calendar quarters that have begun by `today`, newest (the current one) first, at most `count`. */
export function startedQuarters(today: string, count: number): Quarter[] {
  // The current quarter ends at most 91 days after its first day (today or earlier): a "lag" of −92 days
  // lets publishedQuarters count it and every quarter before it.
  return publishedQuarters(today, -92, count);
}
