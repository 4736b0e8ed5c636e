import request from 'supertest';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { complete, type Report } from '../support/adherence-dataset.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * The milestones report (GET /api/adherence/milestones) on two placements planned from the default
 * catalog in March 2024, one with every task done on its due date.
 */
describe('adherence reports (real PostgreSQL, projector-built read model)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('reports package completion at 90/182/365 days and first-contact speed', async () => {
    const seed = (doAll: boolean) =>
      seedPlannedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        facts: placementFacts('omsorgsovertakelse', '2024-03-04'),
        after: (planned) => (doAll ? planned.map((t) => complete(t.taskId, t.dueOn)) : []),
      });
    const { tasks } = await seed(true);
    await seed(false);
    await projectAll(api.db);
    const dueOf = (stepId: string) => tasks.find((t) => t.stepId === stepId)?.dueOn ?? '';
    const days = (date: string) => (Date.parse(date) - Date.parse('2024-03-04')) / 86_400_000;

    const res = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-12-31&by=total')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(res.status).toBe(200);
    expect(bodyOf<Report>(res).total).toEqual({
      key: 'total',
      label: 'Totalt',
      suppressed: false,
      placements: 2,
      reached90: 2,
      completeRate90: 0.5,
      reached182: 2,
      completeRate182: 0.5,
      reached365: 2,
      completeRate365: 0.5,
      firstContactMedianDays: days(dueOf('kontakt-dag1')),
      firstVisitMedianDays: days(dueOf('besok-uke1')),
      firstVisitWithin7Rate: days(dueOf('besok-uke1')) <= 7 ? 1 : 0,
    });
    // Two placements are too few for a learning-network lead.
    const lead = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-03-31&by=service')
      .set('Authorization', `Bearer ${await api.token('demo-laeringsnettverksleder')}`);
    expect(bodyOf<Report>(lead).total).toEqual({ key: 'total', label: 'Totalt', suppressed: true });
    const byStep = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-12-31&by=step')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(byStep.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(byStep).errors).toEqual([
      { field: 'by', reason: 'må være total, network, service, municipality eller placementType' },
    ]);
  });
});
