import ical, { ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { addDays } from '../domain/calendar/dates.js';
import type { IsoDate } from '../domain/vocabulary.js';
import { assignmentLink, norwegianDate, taskLink } from './digest.js';

/*
 * A person's iCalendar feed: one all-day event per open task, on its due date. Like the e-mails it carries
 * the step's catalog title, the date, the status and a link into the app, and nothing about the child:
 * the inputs below are all it gets.
 */

/** A placement's task, or (with `assignment`) a kompetansebase assignment's. */
export interface CalendarTask {
  /** The placement's id, or the assignment's. */
  readonly caseId: string;
  readonly taskId: string;
  /**
   * A kompetansebase assignment's task: what it belongs to in words (the request type in bokmål and the
   * ordering service's name: codes and reference data, never a child's data).
   */
  readonly assignment?: { readonly label: string };
  readonly title: string;
  readonly dueOn: IsoDate;
  /** The inbox status: open, due-soon or overdue. */
  readonly status: string;
}

const STATUS_TEXT: Readonly<Record<string, string>> = {
  open: 'Åpen',
  'due-soon': 'Fristen nærmer seg',
  overdue: 'Fristen er passert',
};

/** A whole day: DTSTART;VALUE=DATE (ical-generator writes a Date's UTC day when the calendar has no zone). */
const day = (date: IsoDate) => new Date(`${date}T00:00:00.000Z`);

export function renderCalendar(
  tasks: readonly CalendarTask[],
  options: { readonly baseUrl: string; readonly domain: string },
): string {
  const calendar = ical({
    name: 'Omsorgspakken – mine oppgaver',
    description: 'Åpne oppgaver i Omsorgspakken, på fristdatoen. Logg inn via lenken for å se en oppgave.',
    prodId: { company: 'Omsorgspakken', product: 'oppgaver', language: 'NB' },
    // Calendar clients poll the URL; an hour is plenty for tasks that move by days.
    ttl: 60 * 60,
  });
  for (const task of tasks) {
    const link = task.assignment
      ? assignmentLink(options.baseUrl, task.caseId)
      : taskLink(options.baseUrl, task.caseId, task.taskId);
    const status = STATUS_TEXT[task.status] ?? task.status;
    const about = task.assignment ? `Kompetansebase-oppdrag: ${task.assignment.label}.\n` : '';
    calendar.createEvent({
      // Stable per task, so a client updates the entry when the due date moves.
      id: `${task.caseId}.${encodeURIComponent(task.taskId)}@${options.domain}`,
      start: day(task.dueOn),
      end: day(addDays(task.dueOn, 1)),
      allDay: true,
      summary: task.status === 'overdue' ? `${task.title} (forfalt)` : task.title,
      description: `${about}${status}. Frist ${norwegianDate(task.dueOn)}.\n${link}`,
      url: link,
      status: ICalEventStatus.CONFIRMED,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF; ical-generator leaves it off the last one.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
