import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type ReplayResult,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The determinism gate: histories recorded from the real Temporal dev server (scripts/record-histories.mjs,
 * see test/histories/README.md) are replayed against the current workflow code. A change that would make
 * running placements fail on their next workflow task (a command added, removed or reordered without
 * `patched()`) fails here. No server is needed: the replay worker runs the bundle against the JSON.
 */
const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));
const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

interface JsonEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly [attributes: string]: unknown;
}
interface JsonHistory {
  readonly events: readonly JsonEvent[];
}
interface Named {
  readonly name: string;
  readonly history: JsonHistory;
}

const recorded: Named[] = readdirSync(HISTORIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    name: file,
    history: JSON.parse(readFileSync(`${HISTORIES_DIR}${file}`, 'utf8')) as JsonHistory,
  }));

/** The commands whose order the SDK checks strictly on replay (local-activity markers are matched by id). */
const ORDERED_COMMANDS = new Set([
  'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  'EVENT_TYPE_TIMER_STARTED',
  'EVENT_TYPE_TIMER_CANCELED',
]);

/**
 * The history with events i and i+1 trading places, as if the workflow had issued those two commands
 * in the other order. Event ids stay ascending and every reference (`scheduledEventId`, `startedEventId`,
 * ...) follows its event, so the order is the only thing that differs.
 */
function swapAdjacent(history: JsonHistory, i: number): JsonHistory {
  const [a, b] = [history.events[i].eventId, history.events[i + 1].eventId];
  const follow = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => follow(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, follow(v, k)]));
    }
    if (key.endsWith('EventId') && (value === a || value === b)) return value === a ? b : a;
    return value;
  };
  const events = history.events.map((event) => follow(event) as JsonEvent);
  const [first, second] = [events[i], events[i + 1]];
  events[i] = { ...second, eventId: a };
  events[i + 1] = { ...first, eventId: b };
  return { events };
}

/** The first place where two different strictly ordered commands were recorded back to back. */
function firstReorderable(history: JsonHistory): number {
  return history.events.findIndex(
    (event, i) =>
      i + 1 < history.events.length &&
      ORDERED_COMMANDS.has(event.eventType) &&
      ORDERED_COMMANDS.has(history.events[i + 1].eventType) &&
      event.eventType !== history.events[i + 1].eventType,
  );
}

describe('replay of recorded workflow histories', () => {
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  });

  async function replay(histories: readonly Named[]): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    const inputs = histories.map(({ name, history }) => ({
      workflowId: name,
      history: historyFromJSON(history),
    }));
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, inputs)) {
      results.push(result);
    }
    return results;
  }

  it('has recorded histories, of running and of completed workflows', () => {
    expect(recorded.map((r) => r.name)).not.toEqual([]);
    const closed = (h: JsonHistory) =>
      h.events.at(-1)?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED';
    expect(recorded.some((r) => closed(r.history))).toBe(true);
    expect(recorded.some((r) => !closed(r.history))).toBe(true);
  });

  it('replays every recorded history with the current workflow code', async () => {
    expect(recorded.length).toBeGreaterThan(0);
    const results = await replay(recorded);
    expect(results.map((r) => ({ history: r.workflowId, error: r.error?.message }))).toEqual(
      recorded.map((r) => ({ history: r.name, error: undefined })),
    );
  });

  it('detects two commands issued in the other order', async () => {
    const source = recorded.find((r) => firstReorderable(r.history) >= 0);
    if (!source) throw new Error('no recorded history has two ordered commands back to back: re-record');
    const i = firstReorderable(source.history);
    const mutated = swapAdjacent(source.history, i);
    expect(mutated.events.map((e) => e.eventType)).not.toEqual(source.history.events.map((e) => e.eventType));
    // The same helper undoes itself: the mutation changes the order and nothing else.
    expect(swapAdjacent(mutated, i)).toEqual(source.history);

    const [result] = await replay([{ name: `${source.name} reordered at ${i}`, history: mutated }]);
    // Core reports a reordering either as a nondeterminism error (TMPRL1100) or as a fatal state-machine
    // error; both fail the workflow task, which is what the gate is for.
    expect(result.error).toBeDefined();
    expect(result.error?.message).toMatch(/TMPRL1100|[Nn]ondeterminism|transition is invalid/);
  });

  it('detects a different activity called at the same point', async () => {
    const source = recorded[0];
    const i = source.history.events.findIndex((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED');
    expect(i).toBeGreaterThanOrEqual(0);
    const events = structuredClone(source.history.events) as JsonEvent[];
    // A local activity's marker records its type in the `data` payload (JSON, base64-encoded).
    const details = (
      events[i].markerRecordedEventAttributes as { details: Record<string, { payloads: { data: string }[] }> }
    ).details;
    const payload = details.data.payloads[0];
    const data = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as {
      activity_type: string;
    };
    expect(data.activity_type).toBe('planPackage');
    data.activity_type = 'planAdHoc';
    payload.data = Buffer.from(JSON.stringify(data)).toString('base64');

    const [result] = await replay([{ name: `${source.name} with another activity`, history: { events } }]);
    expect(result.error).toBeInstanceOf(DeterminismViolationError);
  });
});
