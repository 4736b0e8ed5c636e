import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../../activities/index.js';
import { startTimeSkippingServer } from '../../libs/dev-servers/temporal.js';
import { EventStore } from '../../libs/event-store/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** What a workflow test works with: the time-skipping server, a database of its own, the event store. */
export interface TimeSkippingWorld {
  readonly env: TestWorkflowEnvironment;
  readonly db: TestDatabase;
  readonly eventStore: EventStore;
  /** The task queue the worker polls (unique per file). */
  readonly taskQueue: string;
}

/**
 * Starts, for the describe block it is called in, the real time-skipping Temporal server, a fresh
 * PostgreSQL database and a worker with the project's workflows and real activities on a task queue of
 * its own (`<prefix>-<uuid>`), and stops them all afterwards. Call it before the block's own `beforeAll`
 * (hooks run in the order they are declared); the returned function gives the world once it is up.
 */
export function timeSkippingWorld(prefix: string): () => TimeSkippingWorld {
  let world: TimeSkippingWorld | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    const env = await startTimeSkippingServer();
    const db = await createTestDatabase();
    const eventStore = new EventStore(db.dataSource);
    const taskQueue = `${prefix}-${randomUUID()}`;
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      activities: createActivities({ eventStore }),
    });
    running = worker.run();
    world = { env, db, eventStore, taskQueue };
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await world?.env.teardown();
    await world?.db.drop();
  });
  return () => {
    if (!world) throw new Error('the time-skipping world is not up yet (use it inside a test or hook)');
    return world;
  };
}
