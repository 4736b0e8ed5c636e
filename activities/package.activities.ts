import { ApplicationFailure } from '@temporalio/activity';
import { addDays } from '../libs/domain/calendar/dates.js';
import { type WorkingDayCalendar } from '../libs/domain/calendar/working-days.js';
import type { PackageEvent } from '../libs/domain/events.js';
import type { PlannedTask, ReductionDecision } from '../libs/domain/plan.js';
import { timerSettings } from '../libs/domain/planner/inputs.js';
import { planFollowUps, planPackage } from '../libs/domain/planner/index.js';
import { datesFor, plannedTask } from '../libs/domain/planner/task.js';
import type { IsoDate, PlacementFacts, TaskRole } from '../libs/domain/vocabulary.js';
import { type EventStore } from '../libs/event-store/index.js';
import type { CatalogSource } from './catalogs.js';
import { appendPackageEvents } from './package-store.js';

export interface PackageActivityDeps {
  readonly eventStore: EventStore;
  readonly catalogs: CatalogSource;
  readonly calendar: WorkingDayCalendar;
}

interface PlanRequest {
  readonly catalogVersion: string;
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
}

/**
 * The care package's side effects. Planning runs here, not in the workflow, so its result (dates after
 * holidays, timer instants) is recorded in history: a later change of the holiday library or the
 * planner never moves the timers of a running package.
 */
export function createPackageActivities({ eventStore, catalogs, calendar }: PackageActivityDeps) {
  const step = async (catalogVersion: string, stepId: string) => {
    const catalog = await catalogs.get(catalogVersion);
    const found = catalog.steps.find((s) => s.id === stepId);
    if (!found) throw ApplicationFailure.nonRetryable(`Unknown step ${stepId}`, 'CommandRejected');
    return { catalog, step: found };
  };

  return {
    async planPackage({ catalogVersion, facts, reductions }: PlanRequest): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(catalogVersion);
      try {
        return planPackage(catalog, { facts, reductions }, calendar);
      } catch (error) {
        // Facts the planner refuses will not improve by retrying: fail at once instead of forever.
        if (error instanceof RangeError)
          throw ApplicationFailure.nonRetryable(error.message, 'InvalidPlanInput');
        throw error;
      }
    },

    async planFollowUps(input: {
      catalogVersion: string;
      facts: PlacementFacts;
      stepId: string;
      occurrence: number;
      completedOn: IsoDate;
    }): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(input.catalogVersion);
      return planFollowUps(
        catalog,
        input.facts,
        { stepId: input.stepId, occurrence: input.occurrence },
        input.completedOn,
        calendar,
      );
    },

    /** One extra task of a catalog step, due on a chosen day (moved off weekends and holidays). */
    async planAdHoc(input: {
      catalogVersion: string;
      facts: PlacementFacts;
      stepId: string;
      dueOn: IsoDate;
      role?: TaskRole;
      taskId: string;
    }): Promise<PlannedTask> {
      const { catalog, step: s } = await step(input.catalogVersion, input.stepId);
      const task = plannedTask(
        s,
        1,
        datesFor(s, input.dueOn, calendar),
        catalog.version,
        timerSettings(catalog),
      );
      return { ...task, taskId: input.taskId, occurrence: 0, ...(input.role ? { role: input.role } : {}) };
    },

    /** Moves tasks by `shiftDays` (after a pause), keeping each step's window and working-day rule. */
    async reschedule(input: {
      catalogVersion: string;
      tasks: readonly PlannedTask[];
      shiftDays: number;
    }): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(input.catalogVersion);
      const settings = timerSettings(catalog);
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

    appendPackageEvents(input: {
      placementId: string;
      expectedVersion: number;
      events: readonly PackageEvent[];
    }) {
      return appendPackageEvents(eventStore, input);
    },
  };
}

export type PackageActivities = ReturnType<typeof createPackageActivities>;
