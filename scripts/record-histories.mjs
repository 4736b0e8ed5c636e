// Records the golden workflow histories in test/histories/ that test/workflows/replay.spec.ts replays.
//
//   npm run histories:record [-- --overwrite]
//
// Builds dist/, starts the real system (embedded PostgreSQL, Temporal CLI dev server, the compiled
// worker and API) in a temporary directory, drives a few placements through their commands, and writes
// each workflow's event history as JSON (the format of `temporal workflow show -o json`).
//
// Existing files are not replaced without --overwrite. Never re-record to make a failing replay pass: it
// means running packages would break, and the change needs `patched()` (see test/histories/README.md).
// Plain JS (ESM) on purpose: it runs the compiled code in dist/, like the Jest global setups do.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { ensureBuilt } from '../test/support/build.mjs';

const OUT_DIR = fileURLToPath(new URL('../test/histories/', import.meta.url));
const LOG_DIR = fileURLToPath(new URL('../test-results/logs/record-histories/', import.meta.url));
const TASK_QUEUE = 'omsorgspakken';

const log = (message) => process.stderr.write(`[histories] ${message}\n`);

ensureBuilt();
const { freePort, startStack } = await import('../dist/libs/dev-servers/index.js');
const { PlacementCommands } = await import('../dist/libs/temporal/placement-commands.js');
const { placementWorkflowId } = await import('../dist/workflows/package-contracts.js');
const { addDays, osloDateOf } = await import('../dist/libs/domain/package/clock.js');
const { decideTick } = await import('../dist/libs/domain/package/decide.js');
const { isFinal } = await import('../dist/libs/domain/package/state.js');
// Opaque ids only (libs/fixtures/placements.ts): no personal data goes into a history.
const fixtures = await import('../dist/libs/fixtures/placements.js');
const { registration } = fixtures;
const caseworker = fixtures.caseworker();
const leader = fixtures.leader();

const command = (more) => ({ commandId: randomUUID(), actor: caseworker, ...more });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one command; a rejection is reported with the workflow's own reason (the update failure's cause). */
async function step(name, promise) {
  try {
    const result = await promise;
    log(`  ${name}: version ${result.version}${result.applied ? '' : ' (not applied)'}`);
    return result;
  } catch (error) {
    const cause = error?.cause;
    throw new Error(`${name} failed: ${cause?.message ?? error?.message ?? error}`, { cause: error });
  }
}

const today = osloDateOf(Date.now());
// Set once the stack runs (below); the helpers and scenarios use them only then.
let client;
let commands;

/** Every due timer transition has been appended and folded. */
async function settled(placementId, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await commands.plan(placementId);
    if (state && (state.status !== 'active' || decideTick(state, new Date().toISOString()).length === 0)) {
      return state;
    }
    if (Date.now() > deadline) throw new Error(`placement ${placementId} did not settle`);
    await sleep(200);
  }
}

const PENDING = new Set([
  'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  'EVENT_TYPE_WORKFLOW_TASK_STARTED',
  'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  'EVENT_TYPE_ACTIVITY_TASK_STARTED',
]);

/**
 * The history once no workflow or activity task is in flight and two reads 0.5 s apart end on the same
 * event. (Not a text comparison: the server serialises marker detail maps in varying key order.)
 */
async function quietHistory(placementId, timeoutMs = 30_000) {
  const handle = client.workflow.getHandle(placementWorkflowId(placementId));
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  for (;;) {
    const history = JSON.parse(historyToJSON(await handle.fetchHistory()));
    const last = history.events.at(-1);
    const signature = `${last.eventId} ${last.eventType}`;
    if (signature === previous && !PENDING.has(last.eventType)) return history;
    if (Date.now() > deadline) {
      const tail = history.events.slice(-12).map((e) => `${e.eventId} ${e.eventType}`);
      throw new Error(`history of ${placementId} did not come to rest:\n${tail.join('\n')}`);
    }
    previous = signature;
    await sleep(500);
  }
}

/**
 * Worker and client identities and sticky task queue names are `pid@hostname`: replaced, so that no
 * machine name is committed (replay uses neither).
 */
function scrubIdentities(value) {
  if (Array.isArray(value)) return value.map(scrubIdentities);
  if (value && typeof value === 'object') {
    const sticky = value.kind === 'TASK_QUEUE_KIND_STICKY';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        (k === 'identity' || (sticky && k === 'name')) && typeof v === 'string'
          ? 'recorder'
          : scrubIdentities(v),
      ]),
    );
  }
  return value;
}

async function capture(name, placementId) {
  const history = scrubIdentities(await quietHistory(placementId));
  const text = `${JSON.stringify(history, null, 2)}\n`;
  if (text.includes(hostname())) throw new Error(`${name}: the history still names this machine`);
  const status = (await client.workflow.getHandle(placementWorkflowId(placementId)).describe()).status.name;
  log(`  ${name}.json: ${history.events.length} events, ${text.length} bytes, workflow ${status}`);
  return text;
}

const openTask = (state, accept) =>
  Object.values(state.tasks)
    .filter((t) => !isFinal(t) && accept(t))
    .sort((a, b) => a.taskId.localeCompare(b.taskId))[0];

const scenarios = {
  /** Registered four months late: a burst of due timers is appended at once; left running. */
  async 'register-and-ticks'() {
    const reg = registration('omsorgsovertakelse', addDays(today, -120));
    await step('register', commands.register(reg));
    await settled(reg.placementId);
    return reg.placementId;
  },

  /** One of every kind of command on a running package; left running. */
  async commands() {
    const reg = registration('omsorgsovertakelse', addDays(today, -45));
    const id = reg.placementId;
    await step('register', commands.register(reg));
    let state = await settled(id);
    const call = state.tasks['kontakt-dag1#1'];
    await step(
      'complete',
      commands.send(
        id,
        'completeTask',
        command({
          taskId: call.taskId,
          outcome: 'gjennomfort',
          completedOn: addDays(reg.facts.placementDate, 1),
        }),
      ),
    );
    state = await settled(id);
    const optional = openTask(state, (t) => !t.requiresCoSignToWaive);
    if (!optional) throw new Error('no open task that can be waived without a leader');
    await step(
      'waive',
      commands.send(id, 'waiveTask', command({ taskId: optional.taskId, reason: 'ikke-relevant' })),
    );
    const other = openTask(state, (t) => t.taskId !== optional.taskId);
    await step(
      'reassign',
      commands.send(id, 'reassignTask', command({ taskId: other.taskId, assigneeId: 'kp-2' })),
    );
    await step(
      'addAdHoc',
      commands.send(id, 'addAdHocTask', command({ stepId: 'oppfolgingsbesok', dueOn: addDays(today, 14) })),
    );
    await step(
      'pause',
      commands.send(id, 'pause', command({ reason: 'sykehusopphold', from: addDays(today, -3) })),
    );
    await step('resume', commands.send(id, 'resume', command({ on: today })));
    await step(
      'recordReduction',
      commands.send(id, 'recordReduction', {
        commandId: randomUUID(),
        actor: leader,
        decision: { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: today },
      }),
    );
    state = await settled(id);
    await step(
      'change',
      commands.send(
        id,
        'changePlacement',
        command({ placementType: 'slekt-nettverk', expectedVersion: state.version }),
      ),
    );
    await settled(id);
    return id;
  },

  /** Ended by a person: open work is cancelled and the workflow completes. */
  async ended() {
    const reg = registration('frivillig', addDays(today, -60));
    await step('register', commands.register(reg));
    await settled(reg.placementId);
    await step(
      'end',
      commands.send(reg.placementId, 'endPlacement', command({ endedOn: today, reason: 'planlagt' })),
    );
    const outcome = await client.workflow.getHandle(placementWorkflowId(reg.placementId)).result();
    log(`  workflow result: ${JSON.stringify(outcome)}`);
    return reg.placementId;
  },
};

const overwrite = process.argv.includes('--overwrite');
const target = (name) => join(OUT_DIR, `${name}.json`);
const existing = Object.keys(scenarios).filter((name) => existsSync(target(name)));
if (existing.length > 0 && !overwrite) {
  log(
    `not replacing ${existing.map((n) => `${n}.json`).join(', ')}: rename them to keep them, or pass --overwrite`,
  );
  process.exit(1);
}

const started = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), 'omsorg-histories-'));
const stack = await startStack({
  dataDir,
  apiPort: await freePort(),
  pgPort: await freePort(),
  temporalPort: await freePort(),
  persistent: false,
  logLevel: 'info',
  output: { logDir: LOG_DIR },
}).catch((error) => {
  rmSync(dataDir, { recursive: true, force: true });
  throw error;
});
const stopStack = async () => {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
};
const connection = await Connection.connect({ address: stack.temporalAddress }).catch(async (error) => {
  await stopStack();
  throw error;
});
const recorded = new Map();
try {
  client = new Client({ connection });
  commands = new PlacementCommands(client, TASK_QUEUE);
  for (const [name, run] of Object.entries(scenarios)) {
    log(name);
    recorded.set(name, await capture(name, await run()));
  }
} finally {
  await connection.close();
  await stopStack();
}
// Written only when every scenario succeeded, so a failed run leaves the committed files alone.
mkdirSync(OUT_DIR, { recursive: true });
for (const [name, text] of recorded) writeFileSync(target(name), text);
log(`wrote ${recorded.size} histories to ${OUT_DIR} in ${Math.round((Date.now() - started) / 1000)} s`);
