import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  assigneeLabel,
  formatDate,
  OUTCOME_LABEL,
  ROLE_LABEL,
  TRACK_LABEL,
  TRACKS,
} from '../../lib/labels.js';
import { basisText, type StepInfo } from '../../lib/step-info.js';
import type { Session } from '../../lib/session.js';
import type { Placement, Task } from '../../lib/types.js';
import type { Loaded } from '../../lib/use-load.js';
import { Loading, Problem } from '../Problem.js';
import { isClosed, TaskActions } from '../TaskActions.js';
import { StatusBadge } from '../TaskTable.js';
import { TaskNotes } from '../TaskNotes.js';
import { StepBasis } from './PlacementTimeline.js';
import { WaiverRecord } from './WaiverRecord.js';

/** How many times, a second apart, an empty plan of a running package is asked for again. */
const PLAN_POLLS = 30;

/**
 * The package on its tracks. Right after a registration the plan may not be in the read model yet: a
 * running package with no steps is a plan being made, so it says so and asks again (a second apart, for
 * half a minute) instead of showing empty tracks.
 */
export function PlacementTracks({
  placement,
  tasks,
  session,
  onDone,
  steps = new Map(),
}: {
  placement: Placement;
  tasks: Loaded<readonly Task[] | undefined>;
  session: Session;
  onDone: (m: string) => void;
  /** The catalog's steps (purpose, basis), by id. */
  steps?: ReadonlyMap<string, StepInfo>;
}) {
  const running = placement.status === 'active' || placement.status === 'paused';
  const making = running && tasks.data?.length === 0;
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (!making || polls >= PLAN_POLLS) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      tasks.reload();
    }, 1000);
    return () => clearTimeout(timer);
  }, [making, polls]);

  if (tasks.error) return <Problem error={tasks.error} />;
  if (!tasks.data) return <Loading what="stegene" />;
  if (making && polls < PLAN_POLLS)
    return (
      <p class="loading plan-pending" role="status">
        Planen lages … Stegene vises her så snart omsorgspakken er planlagt.
      </p>
    );
  if (making)
    return (
      <div class="ds-alert" data-color="warning" role="status">
        <p>Planen er ikke klar ennå. Den lages i bakgrunnen; prøv igjen om litt.</p>
        <button
          type="button"
          class="ds-button"
          data-variant="secondary"
          onClick={() => {
            setPolls(0);
            tasks.reload();
          }}
        >
          Hent planen på nytt
        </button>
      </div>
    );
  if (tasks.data.length === 0) return <p>Omsorgspakken har ingen steg.</p>;
  return <Tracks tasks={tasks.data} session={session} onDone={onDone} steps={steps} />;
}

function Tracks({
  tasks,
  session,
  onDone,
  steps,
}: {
  tasks: readonly Task[];
  session: Session;
  onDone: (m: string) => void;
  steps: ReadonlyMap<string, StepInfo>;
}) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div class="tracks">
      {TRACKS.map((track) => {
        const list = tasks.filter((t) => t.track === track);
        const count = (s: string[]) => list.filter((t) => s.includes(t.status)).length;
        return (
          <section key={track} aria-labelledby={`track-${track}`} class="track">
            <h3 id={`track-${track}`}>{TRACK_LABEL[track]}</h3>
            <p class="muted">
              {count(['completed'])} utført · {count(['waived'])} frafalt · {count(['overdue'])} forsinket ·{' '}
              {count(['open', 'due-soon', 'planned'])} gjenstår
            </p>
            <table class="ds-table stack-narrow">
              <caption class="ds-sr-only">Steg i sporet {TRACK_LABEL[track]}</caption>
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  <th scope="col">Frist</th>
                  <th scope="col">Status</th>
                  <th scope="col">Ansvarlig</th>
                  <th scope="col">Grunnlag</th>
                  <th scope="col">Utført</th>
                  <th scope="col" class="plan-action">
                    Handling
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((t) => {
                  const id = `${t.placementId}/${t.taskId}`;
                  return (
                    <Fragment key={id}>
                      <tr data-task={t.taskId}>
                        <th scope="row">{t.title}</th>
                        <td data-label="Frist">{formatDate(t.dueOn)}</td>
                        <td data-label="Status">
                          <StatusBadge task={t} />
                        </td>
                        <td data-label="Ansvarlig">
                          {ROLE_LABEL[t.role]}: {assigneeLabel(t, session.me)}
                        </td>
                        <td data-label="Grunnlag">{basisText(steps.get(t.stepId))}</td>
                        <td data-label="Utført">
                          {t.completedOn
                            ? `${formatDate(t.completedOn)}${t.outcome ? ` (${OUTCOME_LABEL[t.outcome] ?? t.outcome})` : ''}`
                            : '–'}
                        </td>
                        <td class="plan-action">
                          <button
                            type="button"
                            class="ds-link"
                            aria-expanded={open === id}
                            onClick={() => setOpen(open === id ? null : id)}
                          >
                            {isClosed(t) ? 'Notater' : 'Handlinger'}
                            <span class="ds-sr-only"> for {t.title}</span>
                          </button>
                        </td>
                      </tr>
                      {open === id && (
                        <tr class="row-panel">
                          <td colSpan={7}>
                            <StepBasis info={steps.get(t.stepId)} />
                            <TaskActions
                              task={t}
                              session={session}
                              onDone={(m) => {
                                setOpen(null);
                                onDone(m);
                              }}
                            />
                            <WaiverRecord task={t} session={session} onDone={onDone} />
                            <TaskNotes task={t} me={session.me.userId} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
                {list.length === 0 && (
                  <tr>
                    <td colSpan={7}>Ingen steg i dette sporet.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
