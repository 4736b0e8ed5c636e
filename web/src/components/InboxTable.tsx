import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import {
  assignmentHref,
  assignmentName,
  assigneeLabel,
  formatDate,
  placementName,
  TRACK_LABEL,
} from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import {
  isAssignmentTask,
  isPlacementTask,
  type AssignmentTask,
  type InboxItem,
  type Task,
} from '../lib/types.js';
import { FosterFamilyContact, worksWithFamily } from './FosterFamilyContact.js';
import { isClosed, TaskActions } from './TaskActions.js';
import { StatusBadge } from './TaskTable.js';
import { TaskNotes } from './TaskNotes.js';

/** A task's key in a selection: placement and task. */
export const taskKey = (t: Pick<Task, 'placementId' | 'taskId'>) => `${t.placementId}/${t.taskId}`;

/** A row's key in the inbox: its placement's or assignment's id and the task. */
const rowKey = (t: InboxItem) =>
  isAssignmentTask(t) ? `oppdrag/${t.assignment.assignmentId}/${t.taskId}` : taskKey(t);

const domId = (t: Task) => `rad-${taskKey(t)}`.replace(/[^\w-]/g, '_');

/**
 * The inbox as a compact table: one row a task (choose it for a bulk action, open it for its actions,
 * notes and the foster family's contact), a few tab stops a row instead of a card's dozen.
 */
export function InboxTable({
  tasks,
  session,
  selected,
  onSelect,
  onDone,
  caption,
  showCompleted,
}: {
  tasks: readonly InboxItem[];
  session: Session;
  selected: ReadonlySet<string>;
  onSelect: (keys: readonly string[], on: boolean) => void;
  onDone: (message: string) => void;
  caption: string;
  showCompleted: boolean;
}) {
  const [open, setOpen] = useState<string | null>(null);
  if (tasks.length === 0) return <p class="muted">Ingen oppgaver.</p>;
  const caseStaff = session.me.roles.some((r) => r === 'kontaktperson' || r === 'leder');
  const selectable = tasks.filter(isPlacementTask).filter((t) => !isClosed(t));
  const allSelected = selectable.length > 0 && selectable.every((t) => selected.has(taskKey(t)));
  return (
    <div class="inbox-table-wrap">
      <table class="ds-table inbox-table" data-border>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="select-col">
              {selectable.length > 0 && (
                <input
                  type="checkbox"
                  class="ds-input"
                  aria-label="Velg alle oppgavene på siden"
                  checked={allSelected}
                  onChange={(e) => onSelect(selectable.map(taskKey), e.currentTarget.checked)}
                />
              )}
            </th>
            <th scope="col">Steg</th>
            <th scope="col">Sak</th>
            <th scope="col">Frist</th>
            {showCompleted && <th scope="col">Fullført</th>}
            <th scope="col">Status</th>
            <th scope="col">Ansvarlig</th>
            <th scope="col">Spor</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => {
            if (isAssignmentTask(t))
              return (
                <AssignmentRow key={rowKey(t)} task={t} session={session} showCompleted={showCompleted} />
              );
            const key = taskKey(t);
            const name = placementName(t.placementId, t.caseNumber);
            const expanded = open === key;
            return (
              <Fragment key={key}>
                <tr data-task={t.taskId} class={selected.has(key) ? 'selected' : undefined}>
                  <td class="select-col">
                    {!isClosed(t) && (
                      <input
                        type="checkbox"
                        class="ds-input"
                        aria-label={`Velg «${t.title}» (${name})`}
                        checked={selected.has(key)}
                        onChange={(e) => onSelect([key], e.currentTarget.checked)}
                      />
                    )}
                  </td>
                  <th scope="row">
                    <button
                      type="button"
                      class="ds-link row-toggle"
                      aria-expanded={expanded}
                      aria-controls={domId(t)}
                      onClick={() => setOpen(expanded ? null : key)}
                    >
                      {t.title}
                      <span class="ds-sr-only"> ({name})</span>
                    </button>
                    {t.statutory && <span class="statutory"> · lovpålagt</span>}
                  </th>
                  <td class="case-col">
                    {caseStaff ? <a href={`/plasseringer/${t.placementId}`}>{name}</a> : name}
                  </td>
                  <td class="date-col">{formatDate(t.dueOn)}</td>
                  {showCompleted && <td class="date-col">{formatDate(t.completedOn)}</td>}
                  <td>
                    <StatusBadge task={t} />
                  </td>
                  <td>{assigneeLabel(t, session.me)}</td>
                  <td>{TRACK_LABEL[t.track]}</td>
                </tr>
                {expanded && (
                  <tr class="row-detail">
                    <td colSpan={showCompleted ? 8 : 7} id={domId(t)}>
                      <TaskActions task={t} session={session} onDone={onDone} />
                      {worksWithFamily(t) && <FosterFamilyContact task={t} />}
                      <TaskNotes task={t} me={session.me.userId} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A kompetansebase assignment's task: what it belongs to (request type and ordering service, never a
 * child) and a link to the assignment, where its steps are done; it is not chosen for bulk actions.
 */
function AssignmentRow({
  task: t,
  session,
  showCompleted,
}: {
  task: AssignmentTask;
  session: Session;
  showCompleted: boolean;
}) {
  const name = assignmentName(t.assignment);
  return (
    <tr data-task={t.taskId} data-assignment={t.assignment.assignmentId}>
      <td class="select-col" />
      <th scope="row">
        <a href={assignmentHref(t.assignment.assignmentId)}>
          {t.title}
          <span class="ds-sr-only"> ({name})</span>
        </a>
      </th>
      <td class="case-col">{name}</td>
      <td class="date-col">{formatDate(t.dueOn)}</td>
      {showCompleted && <td class="date-col">{formatDate(t.completedOn)}</td>}
      <td>
        <StatusBadge task={t} />
      </td>
      <td>{assigneeLabel(t, session.me)}</td>
      <td>Kompetansebase</td>
    </tr>
  );
}
