import { randomUUID } from 'node:crypto';
import { projectAssignment } from '../../activities/kompetansebase-read-models.js';
import { kompetansebaseFiguresFor } from '../../libs/adherence/index.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import {
  KOMPETANSEBASE_CATALOG,
  acceptSteps,
  decideAccept,
  decideComplete,
  decideDecline,
  decideOrder,
  evolveAssignment,
  orderSteps,
  planAssignmentTask,
  validateComplete,
  type AssignmentEvent,
  type AssignmentState,
  type StepToPlan,
} from '../../libs/domain/kompetansebase/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The council report's provider of kompetansebase figures, on a real PostgreSQL: assignments decided by
 * the real deciders and written by the real read-model writer, in a year relative to today.
 */
describe('kompetansebaseFiguresFor', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const calendar = norwegianWorkingDays();
  const plan = (steps: readonly StepToPlan[]) =>
    steps.map((s) =>
      planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar),
    );
  const leader = { userId: 'l', role: 'kompetansebase-leder' } as const;
  const counsellor = { userId: 'v', role: 'kompetansebase-veileder' } as const;
  // Last year, from 1 March: every instant below is in the past and in that year, on any day this runs.
  const year = Number(osloDateOf(Date.now()).slice(0, 4)) - 1;
  const at = (day: string) => `${day}T09:00:00.000Z`;

  async function record(assignmentId: string, state: AssignmentState | undefined, events: AssignmentEvent[]) {
    await db.dataSource.transaction((m) => projectAssignment(m, assignmentId, events));
    return events.reduce<AssignmentState | undefined>(evolveAssignment, state)!;
  }

  async function assignment(
    serviceId: string,
    orderedOn: string,
    outcome: 'declined' | 'started' | 'queued',
  ) {
    const id = randomUUID();
    const order = {
      commandId: randomUUID(),
      assignmentId: id,
      origin: { baseId: randomUUID(), networkId: randomUUID(), serviceId },
      requestType: 'veiledning-fosterforeldre' as const,
      urgency: 'vanlig' as const,
      catalogVersion: KOMPETANSEBASE_CATALOG.version,
      by: { userId: 'k', role: 'kontaktperson' as const },
    };
    let s = await record(id, undefined, decideOrder(order, plan(orderSteps(orderedOn)), at(orderedOn)));
    if (outcome === 'declined')
      await record(
        id,
        s,
        decideDecline(s, { commandId: 'd', reason: 'kapasitet', by: leader }, at(orderedOn)),
      );
    if (outcome !== 'started') return;
    const callBack = {
      commandId: 'c',
      taskId: 'tilbakeringing#1',
      completedOn: addDays(orderedOn, 1),
      by: counsellor,
    };
    s = await record(id, s, decideComplete(s, callBack, [], at(callBack.completedOn)));
    const acceptedAt = at(addDays(orderedOn, 2));
    s = await record(
      id,
      s,
      decideAccept(s, { commandId: 'a', by: leader }, plan(acceptSteps(acceptedAt)), acceptedAt),
    );
    const talkOn = addDays(orderedOn, 10);
    const talk = {
      commandId: 't',
      taskId: 'oppstartssamtale#1',
      completedOn: talkOn,
      evaluationOn: addDays(talkOn, 30),
      by: counsellor,
    };
    await record(id, s, decideComplete(s, talk, plan(validateComplete(s, talk, at(talkOn))), at(talkOn)));
  }

  it('counts the year’s orders of the service covering the municipality, and hides fewer than five', async () => {
    const [{ service_id, municipality_id }] = await db.dataSource.query<
      { service_id: string; municipality_id: string }[]
    >(`SELECT service_id, municipality_id FROM service_municipalities ORDER BY municipality_id LIMIT 1`);
    for (const [i, outcome] of (['started', 'started', 'started', 'declined'] as const).entries())
      await assignment(service_id, `${year}-03-0${i + 2}`, outcome);
    const few = await kompetansebaseFiguresFor(db.dataSource, municipality_id, year);
    expect(few).toEqual({ municipalityId: municipality_id, year, serviceId: service_id, suppressed: true });

    await assignment(service_id, `${year}-03-09`, 'queued');
    await assignment(service_id, `${year - 1}-06-01`, 'started'); // another year: not counted
    const figures = await kompetansebaseFiguresFor(db.dataSource, municipality_id, year);
    expect(figures).toEqual({
      municipalityId: municipality_id,
      year,
      serviceId: service_id,
      suppressed: false,
      orders: 5,
      accepted: 3,
      declinedForCapacity: 1,
      waiting: 1,
      medianDaysToStart: 10,
      callBacks: { of: 3, onTime: 3 },
      evaluationsOnAgreedDate: { of: 0, onTime: 0 },
      reportsOnTime: { of: 0, onTime: 0 },
    });
  });
});
