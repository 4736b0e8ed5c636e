import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * Registration straight into ordinary follow-up (followUp 'ordinary', doneThisYear, supervisionEndsMonth):
 * bad input is refused with problem+json naming the field and a reason, before the engine is asked (the
 * engine is unreachable here: asking it would answer 503 after its bound). The successful run is in
 * test/workflows/ordinary-follow-up.spec.ts (real workflow, real activities, PostgreSQL).
 */
describe('POST /api/placements with ordinary follow-up: bad input (no Temporal)', () => {
  let api: TestApi;
  let lead: string;

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    lead = await api.token('demo-leder');
  });
  afterAll(() => api?.close());

  const today = osloDateOf(Date.now());
  const longAgo = addDays(today, -3 * 365);
  const body = (placementDate: string, more: object) => ({ ...placementRequestBody(placementDate), ...more });

  async function refused(payload: object): Promise<{ field: string; reason: string }[]> {
    const started = Date.now();
    const res = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', randomUUID())
      .send(payload);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Date.now() - started).toBeLessThan(5_000); // decided before the engine
    return bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
  }

  it('refuses ordinary follow-up for a placement less than a year old, naming the placement date', async () => {
    const errors = await refused(body(addDays(today, -100), { followUp: 'ordinary' }));
    expect(errors.map((e) => e.field)).toEqual(['facts.placementDate']);
    expect(errors[0].reason).toMatch(/\S/);
  });

  it('refuses an unknown follow-up mode and a malformed supervision month', async () => {
    expect((await refused(body(longAgo, { followUp: 'annet' }))).map((e) => e.field)).toEqual(['followUp']);
    expect(
      (await refused(body(longAgo, { followUp: 'ordinary', supervisionEndsMonth: '2031-13' }))).map(
        (e) => e.field,
      ),
    ).toEqual(['supervisionEndsMonth']);
  });

  it('refuses visits done this year without ordinary follow-up, of an unknown kind, or dated wrong', async () => {
    const visit = { kind: 'oppfolgingsbesok', on: today };
    expect((await refused(body(longAgo, { doneThisYear: [visit] }))).map((e) => e.field)).toEqual([
      'doneThisYear',
    ]);
    expect(
      (
        await refused(body(longAgo, { followUp: 'ordinary', doneThisYear: [{ kind: 'samtale', on: today }] }))
      ).map((e) => e.field),
    ).toEqual(['doneThisYear.0.kind']);
    expect(
      (
        await refused(
          body(longAgo, { followUp: 'ordinary', doneThisYear: [visit, { ...visit, on: addDays(today, 1) }] }),
        )
      ).map((e) => e.field),
    ).toEqual(['doneThisYear.1.on']);
    expect(
      (
        await refused(
          body(longAgo, {
            followUp: 'ordinary',
            doneThisYear: [{ ...visit, on: `${Number(today.slice(0, 4)) - 1}-12-30` }],
          }),
        )
      ).map((e) => e.field),
    ).toEqual(['doneThisYear.0.on']);
  });
});
