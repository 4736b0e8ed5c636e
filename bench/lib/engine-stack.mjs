// What the engine benchmark (bench/engine.mjs) runs against: the whole system as `npm start` runs it,
// a Temporal client, and the benchmark's own worker for the no-op baseline (bench/noop.workflow.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { waitForPollers } from './engine-samplers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

export const TASK_QUEUE = 'omsorgspakken'; // the application worker's queue
const NOOP_TASK_QUEUE = 'bench-noop'; // the benchmark's own worker

/**
 * Starts the stack in a temporary directory (in `resources`, with everything cleanup must stop) with
 * the worker's workflow bundle built beforehand (`bundle: 'prebuilt'`, as the production image) or at
 * its start; NODE_OPTIONS for the apps from `appNodeOptions`, plus V8 CPU profiles into `profileDir`.
 * Returns the stack, the CPU labels of its apps, `register(registration)` (PlacementCommands.register,
 * an error unless applied up to `registrationVersion`) and `startNoop(registration)`: what register does,
 * on a workflow that does nothing.
 */
export async function startEngineStack({
  registrationVersion,
  bundle,
  appNodeOptions,
  appEnv = {},
  profileDir,
  logDir,
  logLevel,
  resources,
  log,
  temporal = 'dev',
}) {
  const { freePort, freePortBelow, startStack } = await import(dist('libs/dev-servers/index.js'));
  const { openDatabase } = await import(dist('libs/database/data-source.js'));
  const { PlacementCommands } = await import(dist('libs/temporal/placement-commands.js'));
  resources.dataDir = mkdtempSync(join(tmpdir(), 'omsorg-bench-'));
  // The worker logs where its memory is every 2 s (readWorkerMemory), besides what `appEnv` sets.
  const extraEnv = { WORKER_MEMORY_LOG_MS: String(WORKER_MEMORY_LOG_MS), ...appEnv };
  if (bundle === 'prebuilt') {
    // What the Dockerfile does: the worker then starts without webpack.
    extraEnv.WORKFLOW_BUNDLE_PATH = join(resources.dataDir, 'workflow-bundle.js');
    const built = spawnSync(
      process.execPath,
      [fileURLToPath(dist('apps/worker/bundle.js')), extraEnv.WORKFLOW_BUNDLE_PATH],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (built.status !== 0)
      throw new Error('could not build the workflow bundle (dist/apps/worker/bundle.js)');
  }
  const nodeOptions = [process.env.NODE_OPTIONS, appNodeOptions];
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    nodeOptions.push(`--cpu-prof --cpu-prof-dir=${profileDir}`);
  }
  if (appNodeOptions || profileDir) extraEnv.NODE_OPTIONS = nodeOptions.filter(Boolean).join(' ');
  log(`starting the stack (data in ${resources.dataDir}, logs in ${logDir})`);
  const stack = await startStack({
    extraEnv,
    dataDir: resources.dataDir,
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: temporal === 'cluster' ? await freePortBelow() : await freePort(),
    persistent: false,
    logLevel,
    output: { logDir },
    // `cluster`: the Temporal server's four services as processes of their own on PostgreSQL (as
    // `npm run start:cluster`), with one worker and one API as on the dev server, so that the two
    // engines are compared under the same application.
    temporal,
  });
  resources.stack = stack;
  const workerPid = stack.worker.child.pid;
  const labels = { [workerPid]: 'worker (app)', [stack.api.child.pid]: 'api (app, idle)' };
  for (const { service, pid } of stack.temporalServices()) labels[pid] = `temporal ${service}`;

  resources.connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection: resources.connection });
  resources.nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  resources.noopWorker = await Worker.create({
    connection: resources.nativeConnection,
    taskQueue: NOOP_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../noop.workflow.js', import.meta.url)),
  });
  resources.noopRunning = resources.noopWorker.run();
  const workerExited = () => stack.worker.child.exitCode !== null || stack.worker.child.signalCode !== null;
  await waitForPollers(client, TASK_QUEUE, workerExited);
  await waitForPollers(client, NOOP_TASK_QUEUE, () => false);
  resources.dataSource = await openDatabase(stack.databaseUrl, 4);
  resources.db = new pg.Client({ connectionString: stack.databaseUrl, application_name: 'bench-lag' });
  await resources.db.connect();

  const startNoop = async (reg) => {
    const workflowId = `bench-noop-${reg.placementId}`;
    try {
      await client.workflow.start('noop', {
        workflowId,
        taskQueue: NOOP_TASK_QUEUE,
        args: [{ registration: reg }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    await client.workflow
      .getHandle(workflowId)
      .executeUpdate('ready', { args: [reg], updateId: `ready-${reg.commandId}` });
  };
  const commands = new PlacementCommands(client, TASK_QUEUE);
  // A registration whose Update failed on the server or timed out (its workflow task timed out on an
  // overloaded machine) is sent again, as a client of the API would: the command is idempotent. Counted.
  const register = async (reg) => {
    let answer;
    for (let attempt = 1; ; attempt++) {
      try {
        answer = await commands.register(reg);
        break;
      } catch (error) {
        const overloaded =
          error?.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
          /Workflow Update failed/.test(String(error?.message));
        if (attempt >= 3 || !overloaded) throw error;
        resources.registrationRetries = (resources.registrationRetries ?? 0) + 1;
      }
    }
    if (!answer.applied || answer.version < registrationVersion)
      throw new Error(`registration of ${reg.placementId} answered ${JSON.stringify(answer)}`);
  };
  return { stack, labels, workerPid, register, startNoop };
}

/** How often the worker logs its memory in a benchmark (ms). */
export const WORKER_MEMORY_LOG_MS = 2000;

/**
 * The worker's last "worker memory" log line (apps/worker/worker.service.ts) in `logDir`/worker.log:
 * RSS, V8 heap, external memory (MB) and the workflow cache's fill, and `at`, when it was logged (epoch
 * ms); undefined when there is none.
 */
export function readWorkerMemory(logDir) {
  let text;
  try {
    text = readFileSync(join(logDir, 'worker.log'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((l) => l.includes('"worker memory"'));
  for (const line of lines.reverse()) {
    try {
      const { memory, time } = JSON.parse(line);
      return { ...memory, at: time };
    } catch {
      // a line cut by the log's rotation or a crash: the one before
    }
  }
  return undefined;
}
