import {
  assignmentHref,
  assignmentName,
  assigneeLabel,
  formatDate,
  placementName,
  ROLE_LABEL,
  STATUS_LABEL,
  TRACK_LABEL,
} from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import { STATUS_COLOR } from '../lib/status-color.js';
import { isAssignmentTask, type AssignmentTask, type InboxItem, type Task } from '../lib/types.js';
import { FosterFamilyContact, worksWithFamily } from './FosterFamilyContact.js';
import { TaskActions } from './TaskActions.js';
import { TaskNotes } from './TaskNotes.js';

export function StatusBadge({
  task,
}: {
  task: Pick<Task, 'status' | 'overdueAtRegistration' | 'escalated'>;
}) {
  return (
    <span class="ds-tag" data-color={STATUS_COLOR[task.status]}>
      {STATUS_LABEL[task.status]}
      {task.status === 'overdue' && task.overdueAtRegistration && !task.escalated
        ? ' · forfalt ved registrering'
        : ''}
      {task.escalated && task.status === 'overdue' ? ' · eskalert' : ''}
    </span>
  );
}

/** Tasks as a list of cards (each with its actions), for the inbox. */
export function TaskList({
  tasks,
  session,
  onDone,
  showPlacement = true,
}: {
  tasks: readonly InboxItem[];
  session: Session;
  onDone: (message: string) => void;
  showPlacement?: boolean;
}) {
  if (tasks.length === 0) return <p class="muted">Ingen oppgaver.</p>;
  return (
    <ul class="task-list">
      {tasks.map((t) =>
        isAssignmentTask(t) ? (
          <AssignmentTaskCard key={`${t.assignment.assignmentId}/${t.taskId}`} task={t} session={session} />
        ) : (
          <li key={`${t.placementId}/${t.taskId}`} class="task-card ds-card" data-task={t.taskId}>
            <div class="task-head">
              <h3>{t.title}</h3>
              <StatusBadge task={t} />
            </div>
            <dl class="facts">
              <div>
                <dt>Frist</dt>
                <dd>{formatDate(t.dueOn)}</dd>
              </div>
              <div>
                <dt>Spor</dt>
                <dd>{TRACK_LABEL[t.track]}</dd>
              </div>
              <div>
                <dt>Rolle</dt>
                <dd>{ROLE_LABEL[t.role]}</dd>
              </div>
              <div>
                <dt>Ansvarlig</dt>
                <dd>{assigneeLabel(t, session.me)}</dd>
              </div>
              {showPlacement && (
                <div>
                  <dt>Plassering</dt>
                  <dd>
                    {session.me.roles.some((r) => r === 'kontaktperson' || r === 'leder') ? (
                      <a href={`/plasseringer/${t.placementId}`}>
                        {placementName(t.placementId, t.caseNumber)}
                      </a>
                    ) : (
                      placementName(t.placementId, t.caseNumber)
                    )}
                  </dd>
                </div>
              )}
              {t.statutory && (
                <div>
                  <dt>Lovpålagt</dt>
                  <dd>Ja</dd>
                </div>
              )}
            </dl>
            <TaskActions task={t} session={session} onDone={onDone} />
            {worksWithFamily(t) && <FosterFamilyContact task={t} />}
            <TaskNotes task={t} me={session.me.userId} />
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * A kompetansebase assignment's task as a card: what it belongs to (request type and ordering service,
 * never a child) and a link to the assignment, where its steps are done.
 */
function AssignmentTaskCard({ task: t, session }: { task: AssignmentTask; session: Session }) {
  return (
    <li class="task-card ds-card" data-task={t.taskId}>
      <div class="task-head">
        <h3>{t.title}</h3>
        <StatusBadge task={t} />
      </div>
      <dl class="facts">
        <div>
          <dt>Frist</dt>
          <dd>{formatDate(t.dueOn)}</dd>
        </div>
        <div>
          <dt>Rolle</dt>
          <dd>{ROLE_LABEL[t.role]}</dd>
        </div>
        <div>
          <dt>Ansvarlig</dt>
          <dd>{assigneeLabel(t, session.me)}</dd>
        </div>
        <div>
          <dt>Oppdrag</dt>
          <dd>
            <a href={assignmentHref(t.assignment.assignmentId)}>{assignmentName(t.assignment)}</a>
          </dd>
        </div>
      </dl>
    </li>
  );
}
