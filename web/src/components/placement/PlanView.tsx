import { useEffect, useState } from 'preact/hooks';
import { formatInstant } from '../../lib/labels.js';
import { planHeading } from '../../lib/phase.js';
import type { Session } from '../../lib/session.js';
import { useStepInfo } from '../../lib/step-info.js';
import type { Placement, Task } from '../../lib/types.js';
import type { Loaded } from '../../lib/use-load.js';
import { PlacementTimeline } from './PlacementTimeline.js';
import { PlacementTracks } from './PlacementTracks.js';

type View = 'tidslinje' | 'tabell';

/** The view last chosen in this browser (a preference, nothing about a case). */
const VIEW_KEY = 'omsorgspakken.planvisning';
const remembered = (): View => {
  try {
    return localStorage.getItem(VIEW_KEY) === 'tabell' ? 'tabell' : 'tidslinje';
  } catch {
    return 'tidslinje';
  }
};

/**
 * The plan of a placement, as a timeline or as tables (the accessible alternative, with the actions).
 * Both are in the page; the one not chosen is hidden. Printed, the plan is the tables, headed by the
 * case number (the page's heading) and the moment it was printed.
 */
export function PlanView({
  placement,
  tasks,
  session,
  onDone,
  ordinaryYear = null,
}: {
  placement: Placement;
  tasks: Loaded<readonly Task[] | undefined>;
  session: Session;
  onDone: (m: string) => void;
  /** The year of ordinary follow-up the placement is in; null: in the package. */
  ordinaryYear?: number | null;
}) {
  const [view, setViewState] = useState<View>(remembered);
  const setView = (v: View) => {
    setViewState(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // Storage may be off: the choice then lasts as long as the page.
    }
  };
  const steps = useStepInfo(placement.catalogVersion);
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());
  useEffect(() => {
    const stamp = () => setPrintedAt(new Date().toISOString());
    addEventListener('beforeprint', stamp);
    return () => removeEventListener('beforeprint', stamp);
  }, []);
  const list = tasks.data ?? [];
  const hasPlan = list.length > 0;
  return (
    <section class="plan-view" aria-labelledby="plan-title">
      <div class="plan-head">
        <h2 id="plan-title">{planHeading(ordinaryYear)}</h2>
        {hasPlan && (
          <div class="plan-tools">
            <div class="plan-toggle" role="group" aria-label="Vis planen som">
              {(
                [
                  ['tidslinje', 'Tidslinje'],
                  ['tabell', 'Tabell'],
                ] as const
              ).map(([v, label]) => (
                <button
                  key={v}
                  type="button"
                  class="ds-button"
                  data-variant={view === v ? 'primary' : 'secondary'}
                  aria-pressed={view === v}
                  onClick={() => setView(v)}
                >
                  {label}
                </button>
              ))}
            </div>
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() => {
                setPrintedAt(new Date().toISOString());
                window.print();
              }}
            >
              Skriv ut plan
            </button>
          </div>
        )}
      </div>
      <p class="print-only print-stamp">
        Plan for omsorgspakken, katalog {placement.catalogVersion}. Skrevet ut {formatInstant(printedAt)}.
      </p>
      {hasPlan && view === 'tidslinje' && (
        <PlacementTimeline placement={placement} tasks={list} steps={steps} me={session.me} />
      )}
      <div class="plan-tables" hidden={hasPlan && view === 'tidslinje'}>
        <PlacementTracks
          placement={placement}
          tasks={tasks}
          session={session}
          onDone={onDone}
          steps={steps}
        />
      </div>
    </section>
  );
}
