import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../../activities/index.js';
import { startTimeSkippingServer } from '../../libs/dev-servers/temporal.js';
import { EventStore } from '../../libs/event-store/index.js';
import { systemProbeWorkflowId, type SystemProbeWorkflow } from '../../workflows/system-probe-contracts.js';
import type { sleeper } from './fixtures/sleeper.workflow.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('time-skipping test server (real, obtained by scripts/tools.sh)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(() => env?.teardown());

  it('runs a workflow that sleeps 30 virtual days in seconds', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const taskQueue = `tq-${randomUUID()}`;
    const woken: number[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/sleeper.workflow.ts', import.meta.url)),
      activities: {
        wakeUp: async () => {
          woken.push(await env.currentTimeMs());
          return 'awake';
        },
      },
    });
    const virtualStart = await env.currentTimeMs();
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof sleeper>('sleeper', {
        taskQueue,
        workflowId: `sleeper-${randomUUID()}`,
      }),
    );
    expect(result).toBe('awake');
    expect(woken).toHaveLength(1);
    expect(woken[0] - virtualStart).toBeGreaterThanOrEqual(30 * DAY_MS);
    // The point of the server: 30 days pass on its clock while well under a minute passes on ours.
    expect(Date.now() - wallStart).toBeLessThan(60_000);
  });

  describe('with the real activities on a real PostgreSQL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    it('records a system probe exactly once, even when the activity is retried', async () => {
      const taskQueue = `tq-${randomUUID()}`;
      const eventStore = new EventStore(db.dataSource);
      const real = createActivities({ eventStore });
      let attempts = 0;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
        activities: {
          ...real,
          // The first attempt writes and then "crashes" before reporting: Temporal retries it.
          recordSystemProbe: async (input: { probeId: string }) => {
            const result = await real.recordSystemProbe(input);
            if (++attempts === 1) throw new Error('simulated crash after the write');
            return result;
          },
        },
      });
      const probeId = randomUUID();
      const result = await worker.runUntil(
        env.client.workflow.execute<SystemProbeWorkflow>('systemProbe', {
          taskQueue,
          workflowId: systemProbeWorkflowId(probeId),
          args: [{ probeId }],
        }),
      );
      expect(attempts).toBe(2);
      expect(result).toEqual({ probeId, streamVersion: 1 });
      expect(await eventStore.readStream({ streamType: 'system-probe', streamId: probeId })).toHaveLength(1);
    });
  });
});
