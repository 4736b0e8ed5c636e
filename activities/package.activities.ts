import { ApplicationFailure } from '@temporalio/activity';
import type { CalendarSource } from '../libs/calendars/index.js';
import type { PlannedTask, ReductionDecision } from '../libs/domain/plan.js';
import {
  planAdHocTask,
  planFollowUps,
  planOrdinaryYear,
  planPackage,
  rescheduleTasks,
  type OrdinaryYearInput,
  type OrdinaryYearPlan,
} from '../libs/domain/planner/index.js';
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

  /** The planner's refusal of its input will not improve by retrying: fail at once, with this type. */
  const refused = <T>(type: string, plan: () => T): T => {
    try {
      return plan();
    } catch (error) {
      if (error instanceof RangeError) throw ApplicationFailure.nonRetryable(error.message, type);
      throw error;
    }
  };

  return {
    async planPackage(request: PlanRequest): Promise<PlannedTask[]> {
      const { catalogVersion, facts, reductions } = request;
      const catalog = await catalogs.get(catalogVersion);
      const calendar = await calendarOf(request);
      return refused('InvalidPlanInput', () => planPackage(catalog, { facts, reductions }, calendar));
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

    /** One calendar year of ordinary follow-up (`planOrdinaryYear`), on the service's calendar. */
    async planOrdinaryYear(request: Planning & OrdinaryYearInput): Promise<OrdinaryYearPlan> {
      const catalog = await catalogs.get(request.catalogVersion);
      const calendar = await calendarOf(request);
      return refused('InvalidPlanInput', () => planOrdinaryYear(catalog, request, calendar));
    },

    /** One extra task of a catalog step, due on a chosen day (moved off weekends and holidays). */
    async planAdHoc(
      input: Planning & { stepId: string; dueOn: IsoDate; role?: TaskRole; taskId: string },
    ): Promise<PlannedTask> {
      const catalog = await catalogs.get(input.catalogVersion);
      const calendar = await calendarOf(input);
      return refused('CommandRejected', () => planAdHocTask(catalog, input, calendar));
    },

    /** Moves tasks by `shiftDays` (after a pause), keeping each step's window and working-day rule. */
    async reschedule(
      input: Planning & { tasks: readonly PlannedTask[]; shiftDays: number },
    ): Promise<PlannedTask[]> {
      const catalog = await catalogs.get(input.catalogVersion);
      const calendar = await calendarOf(input);
      return refused('CommandRejected', () =>
        rescheduleTasks(catalog, input.tasks, input.shiftDays, calendar),
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
