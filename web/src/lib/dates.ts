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
