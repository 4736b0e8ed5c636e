import type { DataSource } from 'typeorm';
import { norwegianWorkingDays, type WorkingDayCalendar } from '../domain/calendar/working-days.js';
import type { IsoDate } from '../domain/vocabulary.js';

/** Which days a child-welfare service works: the calendar the planner plans its placements on. */
export interface CalendarSource {
  forService(serviceId: string): Promise<WorkingDayCalendar>;
}

/** The Norwegian default calendar for every service (tests and tools without the database). */
export function defaultCalendars(): CalendarSource {
  const calendar = norwegianWorkingDays();
  return { forService: () => Promise.resolve(calendar) };
}

/**
 * Each service's calendar: the Norwegian default (weekends, public holidays, Christmas Eve, New Year's
 * Eve) plus the closure days the service registered (`service_closure_days`, reference data changed by
 * administrators). Read at every plan, so a new closure day applies to the next plan or re-plan at once;
 * a plan already made (its events) never changes because a calendar changed. A calendar object is kept
 * while its closure days stay the same, so its per-date answers stay cached.
 */
export class ServiceCalendars implements CalendarSource {
  private readonly cached = new Map<string, { key: string; calendar: WorkingDayCalendar }>();

  constructor(private readonly dataSource: DataSource) {}

  async forService(serviceId: string): Promise<WorkingDayCalendar> {
    const days = await closureDays(this.dataSource, serviceId);
    const key = days.join(',');
    const hit = this.cached.get(serviceId);
    if (hit?.key === key) return hit.calendar;
    const calendar = norwegianWorkingDays({ closureDays: days });
    this.cached.set(serviceId, { key, calendar });
    return calendar;
  }
}

/** A service's own closure days, in date order. */
export async function closureDays(dataSource: DataSource, serviceId: string): Promise<IsoDate[]> {
  const rows = await dataSource.query<{ day: string }[]>(
    `SELECT day::text AS day FROM service_closure_days WHERE service_id::text = $1 ORDER BY day`,
    [serviceId],
  );
  return rows.map((r) => r.day);
}
