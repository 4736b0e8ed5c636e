import { REQUEST_TYPE_LABEL } from '../domain/labels.js';
import type { IsoDate } from '../domain/vocabulary.js';
import type { NotificationKind } from './recipients.js';

/*
 * The daily digest's text, in Norwegian bokmål, as plain text and simple HTML. Pure. What goes in is what
 * the outbox holds: the step's catalog title, its due date and a link made of opaque ids. No child's name,
 * birth date, national id number, child reference or note can reach a mail, because none is an input here.
 */

export interface DigestItem {
  readonly kind: NotificationKind;
  /** A placement's task (absent for a kompetansebase assignment's). */
  readonly placementId?: string;
  /** A kompetansebase assignment's task: its id and request type (a code). */
  readonly assignment?: { readonly assignmentId: string; readonly requestType: string };
  readonly taskId: string;
  readonly title: string;
  readonly dueOn: IsoDate;
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * The task in the app (`/oppgaver/<placementId>/<taskId>`), where the reader logs in and access is checked.
 * Task ids contain `#` (`samtale#2`), so the segments are encoded.
 */
export function taskLink(baseUrl: string, placementId: string, taskId: string): string {
  return `${baseUrl}/oppgaver/${encodeURIComponent(placementId)}/${encodeURIComponent(taskId)}`;
}

/** A kompetansebase assignment in the app (`/kompetansebase/oppdrag/<assignmentId>`), where its steps are done. */
export function assignmentLink(baseUrl: string, assignmentId: string): string {
  return `${baseUrl}/kompetansebase/oppdrag/${encodeURIComponent(assignmentId)}`;
}

/** `2026-11-23` → `23.11.2026`. */
export function norwegianDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** Most urgent first: a task is listed once, under its most urgent kind. */
const URGENCY: readonly NotificationKind[] = ['escalated', 'overdue', 'due-soon'];

const HEADINGS: Readonly<Record<NotificationKind, string>> = {
  escalated: 'Eskalert til leder (fristen er passert med mer enn en uke)',
  overdue: 'Fristen er passert',
  'due-soon': 'Fristen nærmer seg',
};

export interface DigestLine {
  readonly kind: NotificationKind;
  /** The step's title; an assignment's task says what it belongs to (its request type). */
  readonly title: string;
  readonly dueOn: IsoDate;
  readonly link: string;
}

/** One line per task, under its most urgent kind, sections in urgency order, soonest due first. */
export function digestLines(items: readonly DigestItem[], baseUrl: string): DigestLine[] {
  const caseOf = (i: DigestItem) => i.placementId ?? i.assignment?.assignmentId ?? '';
  const byTask = new Map<string, DigestItem>();
  for (const item of items) {
    const key = `${caseOf(item)}/${item.taskId}`;
    const seen = byTask.get(key);
    if (!seen || URGENCY.indexOf(item.kind) < URGENCY.indexOf(seen.kind)) byTask.set(key, item);
  }
  return [...byTask.values()]
    .sort(
      (a, b) =>
        URGENCY.indexOf(a.kind) - URGENCY.indexOf(b.kind) ||
        a.dueOn.localeCompare(b.dueOn) ||
        a.title.localeCompare(b.title, 'nb') ||
        caseOf(a).localeCompare(caseOf(b)) ||
        a.taskId.localeCompare(b.taskId),
    )
    .map((i) => ({
      kind: i.kind,
      title: i.assignment
        ? `${i.title} (kompetansebase: ${REQUEST_TYPE_LABEL[i.assignment.requestType] ?? i.assignment.requestType})`
        : i.title,
      dueOn: i.dueOn,
      link: i.assignment
        ? assignmentLink(baseUrl, i.assignment.assignmentId)
        : taskLink(baseUrl, caseOf(i), i.taskId),
    }));
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const FOOTER = [
  'Åpne lenken og logg inn for å se oppgaven. Du ser bare det du har tilgang til.',
  'Av hensyn til taushetsplikten står det ingenting om barnet i denne e-posten.',
  'Du får denne oversikten fordi du har oppgaver i Omsorgspakken.',
];

/** The digest for one person and one Oslo day. `items` must not be empty. */
export function renderDigest(
  items: readonly DigestItem[],
  options: { readonly baseUrl: string; readonly date: IsoDate },
): RenderedMail {
  const lines = digestLines(items, options.baseUrl);
  if (lines.length === 0) throw new RangeError('a digest needs at least one notification');
  const count = lines.length;
  const subject = `Omsorgspakken ${norwegianDate(options.date)}: ${count} ${count === 1 ? 'oppgave trenger' : 'oppgaver trenger'} oppfølging`;
  const sections = URGENCY.map((kind) => ({
    kind,
    lines: lines.filter((l) => l.kind === kind),
  })).filter((s) => s.lines.length > 0);

  const text = [
    'Hei,',
    '',
    `Dette er den daglige oversikten fra Omsorgspakken for ${norwegianDate(options.date)}.`,
    '',
    ...sections.flatMap((s) => [
      `${HEADINGS[s.kind]} (${s.lines.length}):`,
      ...s.lines.flatMap((l) => [`- ${l.title}, frist ${norwegianDate(l.dueOn)}`, `  ${l.link}`]),
      '',
    ]),
    ...FOOTER,
    '',
  ].join('\n');

  const html = [
    '<!doctype html>',
    '<html lang="nb"><head><meta charset="utf-8"><title>' + escapeHtml(subject) + '</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.4">',
    '<p>Hei,</p>',
    `<p>Dette er den daglige oversikten fra Omsorgspakken for ${norwegianDate(options.date)}.</p>`,
    ...sections.flatMap((s) => [
      `<h2 style="font-size: 1.1em">${escapeHtml(HEADINGS[s.kind])} (${s.lines.length})</h2>`,
      '<ul>',
      ...s.lines.map(
        (l) =>
          `<li><a href="${escapeHtml(l.link)}">${escapeHtml(l.title)}</a>, frist ${norwegianDate(l.dueOn)}</li>`,
      ),
      '</ul>',
    ]),
    ...FOOTER.map((f) => `<p style="color: #555; font-size: 0.9em">${escapeHtml(f)}</p>`),
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
