import type { AddressInfo } from 'node:net';
import { demoPlan } from '../../apps/launcher/demo/demo-plan.js';
import { DemoRefused, hasPlacements, seedDemoData } from '../../apps/launcher/demo/demo-seed.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { startTestApi, type TestApi } from '../support/api.js';

/**
 * Demo data is never written where the local issuer is off (production, or a deployment that turned it
 * off): the seeder asks the API first and refuses, and nothing reaches the event store. (The launcher's
 * configuration refuses DEMO_DATA=on there before anything starts: libs/config/launcher-config.spec.ts.)
 */
describe('demo data on an API without the local issuer', () => {
  let api: TestApi;
  let url: string;

  beforeAll(async () => {
    api = await startTestApi({ AUTH_LOCAL_ISSUER: 'off' });
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  });
  afterAll(() => api?.close());

  it('is refused, and nothing is written', async () => {
    const plan = demoPlan({ anchor: osloDateOf(Date.now()), count: 4 });
    await expect(seedDemoData({ apiUrl: url, plan })).rejects.toThrow(DemoRefused);
    await expect(seedDemoData({ apiUrl: url, plan })).rejects.toThrow(/never written there/);
    expect(await hasPlacements(api.db.url)).toBe(false);
    const [{ n }] = await api.db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`);
    expect(n).toBe(0);
  });
});
