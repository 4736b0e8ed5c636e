import { ApplicationFailure } from '@temporalio/activity';
import { addDays } from '../libs/domain/calendar/dates.js';
import type { CalendarSource } from '../libs/calendars/index.js';
import type { PlannedTask, ReductionDecision } from '../libs/domain/plan.js';
import { timerSettings } from '../libs/domain/planner/inputs.js';
import { planFollowUps, planPackage } from '../libs/domain/planner/index.js';
import { datesFor, plannedTask } from '../libs/domain/planner/task.js';
import type { IsoDate, PlacementFacts, TaskRole } from '../libs/domain/vocabulary.js';
import { type EventStore } from '../libs/event-store/index.js';
import type { CatalogSource } from './catalogs.js';
import { appendPackageEvents, type AfterAppend, type AppendPackageEventsInput } from './package-store.js';

export interface PackageActivityDeps {
  readonly eventStore: EventStore;
  readonly catalogs: CatalogSource;
  /** The owning service's calendar (its closure days on top of the Norwegian default). */
  readonly calendars: CalendarSource;
  /** Test mode only: the fault hook run after each committed append. */
  readonly afterAppend?: AfterAppend;
}

/** What planning needs; `serviceId` picks the service's calendar (absent in histories recorded before it). */
interface Planning {
  readonly catalogVersion: string;
  readonly serviceId?: string;
}

interface PlanRequest extends Planning {
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
}

/**
 * The care package's side effects. Planning runs here, not in the workflow, so its result (dates after
 * holidays, timer instants) is recorded in history: a later change of the holiday library or the
 * planner never moves the timers of a running package.
 */
export function createPackageActivities({
  eventStore,
  catalogs,
  calendars,
  afterAppend,
}: PackageActivityDeps) {
  const calendarOf = (request: Planning) =>
    calendars.forService(request.serviceId ?? DEFAULT_CALENDAR_SERVICE);

  const step = async (catalogVersion: string, stepId: string) => {
    const catalog = await catalogs.get(catalogVersion);
    const found = catalog.steps.find((s) => s.id === stepId);
    if (!found) throw ApplicationFailure.nonRetryable(`Unknown step ${stepId}`, 'CommandRejected');
    return { catalog, step: found };
  };

  return {
    async planPackage(request: PlanRequest): Promise<PlannedTask[]> {
      const { catalogVersion, facts, reductions } = request;
      const catalog = await catalogs.get(catalogVersion);
      const calendar = await calendarOf(request);
      try {
        return planPackage(catalog, { facts, reductions }, calendar);
      } catch (error) {
        // Facts the planner refuses will not improve by retrying: fail at once instead of forever.
        if (error instanceof RangeError)
          throw ApplicationFailure.nonRetryable(error.message, 'InvalidPlanInput');
        throw error;
      }
    },

    async planFollowUps(
      input: Planning & { facts: PlacementFacts; stepId: string; occurrence: number; completedOn: IsoDate },
    ): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(input.catalogVersion);
      return planFollowUps(
        catalog,
        input.facts,
        { stepId: input.stepId, occurrence: input.occurrence },
        input.completedOn,
        await calendarOf(input),
      );
    },

    /** One extra task of a catalog step, due on a chosen day (moved off weekends and holidays). */
    async planAdHoc(
      input: Planning & {
        facts: PlacementFacts;
        stepId: string;
        dueOn: IsoDate;
        role?: TaskRole;
        taskId: string;
      },
    ): Promise<PlannedTask> {
      const { catalog, step: s } = await step(input.catalogVersion, input.stepId);
      const task = plannedTask(
        s,
        1,
        datesFor(s, input.dueOn, await calendarOf(input)),
        catalog.version,
        timerSettings(catalog),
      );
      return { ...task, taskId: input.taskId, occurrence: 0, ...(input.role ? { role: input.role } : {}) };
    },

    /** Moves tasks by `shiftDays` (after a pause), keeping each step's window and working-day rule. */
    async reschedule(
      input: Planning & { tasks: readonly PlannedTask[]; shiftDays: number },
    ): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(input.catalogVersion);
      const settings = timerSettings(catalog);
      const calendar = await calendarOf(input);
      return Promise.all(
        input.tasks.map(async (t) => {
          const { step: s } = await step(input.catalogVersion, t.stepId);
          const moved = plannedTask(
            s,
            t.occurrence,
            datesFor(s, addDays(t.nominalDueOn, input.shiftDays), calendar),
            t.catalogVersion,
            settings,
          );
          return {
            ...t,
            opensOn: moved.opensOn,
            dueOn: moved.dueOn,
            nominalDueOn: moved.nominalDueOn,
            timers: moved.timers,
          };
        }),
      );
    },

    appendPackageEvents(input: AppendPackageEventsInput) {
      return appendPackageEvents(eventStore, input, afterAppend);
    },
  };
}

export type PackageActivities = ReturnType<typeof createPackageActivities>;

/** Histories recorded before plans named their service: planned on the default calendar. */
const DEFAULT_CALENDAR_SERVICE = '';
