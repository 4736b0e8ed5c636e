import { ApplicationFailure } from '@temporalio/activity';
import type { CalendarSource } from '../libs/calendars/index.js';
import type { EventCause } from '../libs/domain/events.js';
import { ASSIGNMENT_CATALOGS } from '../libs/domain/kompetansebase/catalog.js';
import type { StepToPlan } from '../libs/domain/kompetansebase/decide.js';
import { ASSIGNMENT_STREAM_TYPE, type AssignmentEvent } from '../libs/domain/kompetansebase/events.js';
import { planAssignmentTask, type PlannedAssignmentTask } from '../libs/domain/kompetansebase/plan.js';
import type { EventStore } from '../libs/event-store/index.js';
import { projectAssignment } from './kompetansebase-read-models.js';
import { appendStreamEvents, type AfterAppend } from './package-store.js';

export interface KompetansebaseActivityDeps {
  readonly eventStore: EventStore;
  readonly calendars: CalendarSource;
  readonly afterAppend?: AfterAppend;
}

/**
 * A kompetansebase assignment's side effects: planning its steps on the ordering service's calendar
 * (recorded in history, so a later holiday or catalog change never moves a running assignment's
 * timers) and appending its events to its own stream in the shared event store, with its read models
 * (the base's queue, the counsellors' tasks) in the same transaction.
 */
export function createKompetansebaseActivities({
  eventStore,
  calendars,
  afterAppend,
}: KompetansebaseActivityDeps) {
  return {
    async planAssignmentTasks(input: {
      readonly catalogVersion: string;
      readonly serviceId: string;
      readonly steps: readonly StepToPlan[];
    }): Promise<PlannedAssignmentTask[]> {
      const catalog = ASSIGNMENT_CATALOGS[input.catalogVersion];
      if (!catalog)
        throw ApplicationFailure.nonRetryable(
          `Ukjent katalogversjon for kompetansebase: ${input.catalogVersion}`,
          'UnknownCatalogVersion',
        );
      const calendar = await calendars.forService(input.serviceId);
      try {
        return input.steps.map((s) =>
          planAssignmentTask(catalog, s.stepId, s.occurrence, s.anchorOn, calendar),
        );
      } catch (error) {
        if (error instanceof RangeError)
          throw ApplicationFailure.nonRetryable(error.message, 'InvalidPlanInput');
        throw error;
      }
    },

    appendAssignmentEvents(input: {
      readonly assignmentId: string;
      readonly expectedVersion: number;
      readonly events: readonly AssignmentEvent[];
      readonly cause: EventCause;
    }) {
      return appendStreamEvents(
        eventStore,
        {
          streamType: ASSIGNMENT_STREAM_TYPE,
          streamId: input.assignmentId,
          expectedVersion: input.expectedVersion,
          events: input.events,
          cause: input.cause,
        },
        (m) => projectAssignment(m, input.assignmentId, input.events),
        afterAppend,
      );
    },
  };
}

export type KompetansebaseActivities = ReturnType<typeof createKompetansebaseActivities>;
