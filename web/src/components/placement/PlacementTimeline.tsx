import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { addDays, addMonths, todayInOslo } from '../../lib/dates.js';
import {
  assigneeLabel,
  formatDate,
  ROLE_LABEL,
  STATUS_LABEL,
  TRACK_LABEL,
  TRACKS,
} from '../../lib/labels.js';
import type { Me, Placement, Task } from '../../lib/types.js';
import { BASIS_KIND_LABEL, TIMING_KIND_LABEL, type StepInfo } from '../../lib/step-info.js';

/** Pixels per day on the time axis (a month is about 150 px). */
const DAY_PX = 5;
/** A step's card: its width in days' worth of pixels, and one row's height. */
const CARD_PX = 172;
const ROW_PX = 116;
/** The axis shows at least the first 13 months, and a couple of months past today. */
const MIN_MONTHS = 13;

/** What the card of a task shows: the shape (aria-hidden; the text says the same) and the words. */
export type Visual =
  'completed' | 'waived' | 'cancelled' | 'escalated' | 'overdue' | 'due-soon' | 'open' | 'planned';

export const visualOf = (t: Task): Visual => (t.status === 'overdue' && t.escalated ? 'escalated' : t.status);

export const VISUAL_LABEL: Record<Visual, string> = {
  ...STATUS_LABEL,
  escalated: `${STATUS_LABEL.overdue} · eskalert`,
};

/** A glyph per status, so no status is told by colour alone. */
const GLYPH: Record<Visual, string> = {
  completed: '✓',
  waived: '⊘',
  cancelled: '✕',
  escalated: '‼',
  overdue: '!',
  'due-soon': '◔',
  open: '○',
  planned: '◌',
};

const diffDays = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

/** The legend: each status's shape with its words. */
export function StatusLegend() {
  const shown: Visual[] = ['completed', 'open', 'due-soon', 'planned', 'overdue', 'escalated', 'waived'];
  return (
    <ul class="tl-legend" aria-label="Tegnforklaring">
      {shown.map((v) => (
        <li key={v} class={`tl-status-${v}`}>
          <span class="tl-glyph" aria-hidden="true">
            {GLYPH[v]}
          </span>{' '}
          <span>{VISUAL_LABEL[v]}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The package as a timeline: the three tracks and the administrative steps, one lane each, on one axis
 * of months from the placement date, today marked. Each step is a card with its shape, status in words,
 * deadline and who has it; choosing one shows its purpose and legal basis. The timeline scrolls within
 * its own region (a keyboard stop); the arrow keys move between the steps in date order.
 */
export function PlacementTimeline({
  placement,
  tasks,
  steps,
  me,
}: {
  placement: Placement;
  tasks: readonly Task[];
  steps: ReadonlyMap<string, StepInfo>;
  me: Me;
}) {
  const today = todayInOslo();
  const start = addDays(placement.placementDate, -21);
  const earliest = tasks.reduce((min, t) => (t.dueOn < min ? t.dueOn : min), start);
  const axisStart = earliest < start ? addDays(earliest, -7) : start;
  const latest = tasks.reduce((max, t) => (t.dueOn > max ? t.dueOn : max), placement.placementDate);
  const wanted = [addMonths(placement.placementDate, MIN_MONTHS), addMonths(today, 2)].sort()[1];
  const axisEnd = latest < wanted ? addDays(latest, 21) : wanted;
  const width = diffDays(axisStart, axisEnd) * DAY_PX + CARD_PX;
  const x = (date: string) => diffDays(axisStart, date) * DAY_PX;

  const shown = useMemo(
    () =>
      tasks
        .filter((t) => t.status !== 'cancelled' && t.dueOn <= axisEnd)
        .slice()
        .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title, 'nb')),
    [tasks, axisEnd],
  );
  const later = tasks.filter((t) => t.status !== 'cancelled' && t.dueOn > axisEnd).length;

  // Lanes: within each, a card goes on the first row where it does not overlap the one before it.
  const lanes = TRACKS.map((track) => {
    const ends: number[] = [];
    const placed = shown
      .filter((t) => t.track === track)
      .map((t) => {
        const left = x(t.dueOn);
        let row = ends.findIndex((end) => end <= left);
        if (row === -1) row = ends.push(0) - 1;
        ends[row] = left + CARD_PX + 4;
        return { task: t, left, row };
      });
    return { track, placed, rows: Math.max(1, ends.length) };
  });

  // Months from the placement date, each with its calendar date.
  const ticks: { month: number; date: string }[] = [];
  for (let m = 0; ; m++) {
    const date = addMonths(placement.placementDate, m);
    if (date > axisEnd) break;
    ticks.push({ month: m, date });
  }

  const [selected, setSelected] = useState<string | null>(null);
  const key = (t: Task) => `${t.placementId}/${t.taskId}`;
  // One keyboard stop among the cards: the chosen one, else the next step due.
  const next = shown.find((t) => t.dueOn >= today) ?? shown[0];
  const current = selected ?? (next ? key(next) : null);
  const chosen = shown.find((t) => key(t) === selected);
  const region = useRef<HTMLDivElement>(null);

  // Open on today (or the placement date, if today is off the axis).
  useLayoutEffect(() => {
    const el = region.current;
    if (!el) return;
    const at = today >= axisStart && today <= axisEnd ? x(today) : x(placement.placementDate);
    el.scrollLeft = Math.max(0, at - 120);
  }, [placement.placementId]);

  const move = (event: KeyboardEvent, index: number) => {
    const to =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? shown.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    const t = shown[Math.max(0, Math.min(shown.length - 1, to))];
    if (!t) return;
    setSelected(key(t));
    region.current?.querySelector<HTMLButtonElement>(`[data-key="${CSS.escape(key(t))}"]`)?.focus();
  };

  const details = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (chosen) details.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  const todayOnAxis = today >= axisStart && today <= axisEnd;
  return (
    <div class="tl">
      <StatusLegend />
      <p class="muted tl-help" id="tl-help">
        Tidslinjen viser måneder fra innflytting {formatDate(placement.placementDate)}. Velg et steg for å se
        formålet og grunnlaget; piltastene flytter mellom stegene.
      </p>
      <div
        class="tl-scroll"
        ref={region}
        tabIndex={0}
        role="region"
        aria-label="Tidslinje for omsorgspakken (rull sideveis)"
        aria-describedby="tl-help"
      >
        <div class="tl-canvas" style={{ width: `${width}px` }}>
          <ol class="tl-axis" aria-label="Måneder fra innflytting">
            {ticks.map((tick) => (
              <li key={tick.month} style={{ left: `${x(tick.date)}px` }}>
                <span class="tl-month">{tick.month === 0 ? 'Innflytting' : `${tick.month} mnd`}</span>
                <span class="tl-date">{formatDate(tick.date)}</span>
              </li>
            ))}
          </ol>
          {ticks.map((tick) => (
            <div key={tick.month} class="tl-grid" aria-hidden="true" style={{ left: `${x(tick.date)}px` }} />
          ))}
          {todayOnAxis && (
            <div class="tl-today" style={{ left: `${x(today)}px` }} data-today={today}>
              <span>I dag {formatDate(today)}</span>
            </div>
          )}
          {lanes.map(({ track, placed, rows }) => (
            <section key={track} class="tl-lane" aria-labelledby={`tl-lane-${track}`}>
              <h3 id={`tl-lane-${track}`} class="tl-lane-title">
                {TRACK_LABEL[track]}
              </h3>
              {placed.length === 0 ? (
                <p class="muted tl-empty">Ingen steg i dette sporet på tidslinjen.</p>
              ) : (
                <ol class="tl-items" style={{ height: `${rows * ROW_PX}px` }}>
                  {placed.map(({ task: t, left, row }) => {
                    const v = visualOf(t);
                    const k = key(t);
                    const index = shown.indexOf(t);
                    return (
                      <li
                        key={k}
                        class={`tl-item tl-status-${v}`}
                        style={{ left: `${left}px`, top: `${row * ROW_PX}px` }}
                        data-task={t.taskId}
                      >
                        <button
                          class="ds-button"
                          data-variant="tertiary"
                          type="button"
                          data-key={k}
                          tabIndex={k === current ? 0 : -1}
                          aria-pressed={k === selected}
                          onClick={() => setSelected(k === selected ? null : k)}
                          onKeyDown={(e) => move(e, index)}
                        >
                          <span class="tl-glyph" aria-hidden="true">
                            {GLYPH[v]}
                          </span>
                          <span class="tl-title">{t.title}</span>
                          <span class="tl-line tl-status">{VISUAL_LABEL[v]}</span>
                          <span class="tl-line">Frist {formatDate(t.dueOn)}</span>
                          <span class="tl-line tl-assignee">
                            {ROLE_LABEL[t.role]}: {assigneeLabel(t, me)}
                          </span>
                        </button>
                      </li>
                    );
                  })}
                </ol>
              )}
            </section>
          ))}
        </div>
      </div>
      {later > 0 && (
        <p class="muted">
          {later} steg med frist etter {formatDate(axisEnd)} vises i tabellen.
        </p>
      )}
      <div class="tl-details" ref={details} aria-live="polite">
        {chosen && <StepDetails task={chosen} info={steps.get(chosen.stepId)} me={me} />}
      </div>
    </div>
  );
}

/** One step: its dates, status and assignee, and from the catalog why it is done and on what basis. */
export function StepDetails({ task: t, info, me }: { task: Task; info: StepInfo | undefined; me: Me }) {
  return (
    <section class="tl-step" aria-labelledby="tl-step-title">
      <h3 id="tl-step-title">{t.title}</h3>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>{VISUAL_LABEL[visualOf(t)]}</dd>
        </div>
        <div>
          <dt>Frist</dt>
          <dd>{formatDate(t.dueOn)}</dd>
        </div>
        <div>
          <dt>Ansvarlig</dt>
          <dd>
            {ROLE_LABEL[t.role]}: {assigneeLabel(t, me)}
          </dd>
        </div>
        {t.completedOn && (
          <div>
            <dt>Utført</dt>
            <dd>{formatDate(t.completedOn)}</dd>
          </div>
        )}
      </dl>
      <StepBasis info={info} />
    </section>
  );
}

/** The catalog's word on a step: its purpose, its legal basis and how its deadline is grounded. */
export function StepBasis({ info }: { info: StepInfo | undefined }) {
  if (!info) return null;
  return (
    <dl class="facts step-basis">
      {info.purpose && (
        <div>
          <dt>Formål</dt>
          <dd>{info.purpose}</dd>
        </div>
      )}
      <div>
        <dt>Grunnlag</dt>
        <dd>
          {BASIS_KIND_LABEL[info.basis.kind]}: {info.basis.source}
          {info.basis.timingKind ? ` (${TIMING_KIND_LABEL[info.basis.timingKind]})` : ''}
        </dd>
      </div>
      {info.basis.note && (
        <div>
          <dt>Merknad</dt>
          <dd>{info.basis.note}</dd>
        </div>
      )}
    </dl>
  );
}
