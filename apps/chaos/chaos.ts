import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../libs/database/data-source.js';
import { freePort, startStack, type RunningStack } from '../../libs/dev-servers/index.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import type { EventCause, PackageEvent } from '../../libs/domain/events.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import { fold } from '../../libs/domain/package/state.js';
import { DEMO_MUNICIPALITIES } from '../../libs/security/local-issuer.js';
import { readModelChecksum, rebuild } from '../../libs/projections/rebuild.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';

/*
 * The chaos run (issue 13, item 7): the whole system on loopback, several clients sending commands
 * through the HTTP API as real clients do (an Idempotency-Key per command, the same request again after
 * a 202, a 503 or a lost connection), while a random part (worker, API, Temporal dev server, PostgreSQL)
 * is killed with SIGKILL every 20–40 s and the stack's supervision brings it back. At the end, with
 * everything up and quiet, it checks what the issue asks: every acknowledged command present exactly
 * once, nothing applied that no client has a record of, no placement unable to take a command, every
 * read model equal to a replay of the events, every workflow's state equal to its stream.
 */
export interface ChaosOptions {
  readonly durationMs: number;
  /** A kill every `killEveryMs[0]`–`killEveryMs[1]` ms. */
  readonly killEveryMs: readonly [number, number];
  readonly clients: number;
  readonly log: (line: string) => void;
  /** Where the run's data and logs go (default: a new temporary directory, removed at the end). */
  readonly dataDir?: string;
}

export interface ChaosReport {
  readonly seconds: number;
  readonly kills: Readonly<Record<string, number>>;
  readonly commands: {
    readonly sent: number;
    /** Answered with their outcome: applied (2xx) or refused (4xx). */
    readonly acknowledged: number;
    readonly refused: number;
    /** Never answered with an outcome before the client gave up (202/503 to the end). */
    readonly unanswered: number;
  };
  /** Acknowledged as applied, whose events are stored exactly once. */
  readonly presentOnce: number;
  /** Acknowledged as applied, with no events. */
  readonly lost: number;
  /** Acknowledged, with their effect stored more than once. */
  readonly duplicated: number;
  /** Refused, yet with events. */
  readonly refusedApplied: number;
  /** Events caused by a command id no client ever got in an answer. */
  readonly appliedWithoutRecord: number;
  readonly placements: number;
  /** Placements whose workflow did not take a last command. */
  readonly stuck: number;
  readonly readModelsEqualReplay: boolean;
  /** Placements whose workflow state differs from the fold of their events. */
  readonly workflowsDiffering: number;
}

/** What a report says went wrong (empty: all checks passed). */
export function failures(report: ChaosReport): string[] {
  return [
    report.lost > 0 && `${report.lost} acknowledged commands lost`,
    report.duplicated > 0 && `${report.duplicated} commands with their effect stored twice`,
    report.refusedApplied > 0 && `${report.refusedApplied} refused commands applied`,
    report.appliedWithoutRecord > 0 && `${report.appliedWithoutRecord} commands applied without a record`,
    report.stuck > 0 && `${report.stuck} placements could not take a command`,
    !report.readModelsEqualReplay && 'the read models differ from a replay of the events',
    report.workflowsDiffering > 0 && `${report.workflowsDiffering} workflows differ from their stream`,
  ].filter((f): f is string => typeof f === 'string');
}

type Kind = 'register' | 'complete' | 'ad-hoc';
interface Sent {
  readonly kind: Kind;
  readonly placementId?: string;
  commandId?: string;
  outcome: 'applied' | 'refused' | 'unanswered';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'omsorg-chaos-'));
  const kills: Record<string, number> = {};
  const stack = await startStack({
    dataDir,
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    persistent: true,
    logLevel: 'warn',
    output: { logDir: join(dataDir, 'logs') },
    restart: true,
    restartPolicy: { initialDelayMs: 500, maxDelayMs: 4_000, resetAfterMs: 30_000 },
    extraEnv: { API_COMMAND_WAIT_MS: '3000', API_RATE_LIMIT: '100000' },
    onEvent: (event) => options.log(`  ${JSON.stringify(event)}`),
  });
  const sent: Sent[] = [];
  try {
    const today = osloDateOf(Date.now());
    const client = httpClient(stack.apiUrl);

    // The killer: one random part every 20–40 s, until the end of the run.
    const deadline = started + options.durationMs;
    const killer = (async () => {
      for (;;) {
        await sleep(between(...options.killEveryMs));
        if (Date.now() >= deadline) return;
        // Each part of the stack (worker, API, Temporal dev server, PostgreSQL) as likely as the others.
        const byPart = new Map(stack.pids().map((p) => [p.name, p]));
        const running = [...byPart.values()];
        const victim = running[Math.floor(Math.random() * running.length)];
        if (!victim) continue;
        try {
          process.kill(victim.pid, 'SIGKILL');
          kills[victim.name] = (kills[victim.name] ?? 0) + 1;
          options.log(
            `${Math.round((Date.now() - started) / 1000)} s: kill -9 ${victim.name} (${victim.pid})`,
          );
        } catch {
          // already gone
        }
      }
    })();

    // The clients: each registers placements and works on them until the deadline.
    const users = ['demo-kontaktperson', 'demo-kontaktperson-2', 'demo-leder'];
    const workers = Array.from({ length: options.clients }, async (_, i) => {
      const user = users[i % users.length];
      const mine: { placementId: string; next: number }[] = [];
      while (Date.now() < deadline) {
        await sleep(between(50, 150)); // a person's pace, several people at once
        const action =
          mine.length === 0 || (mine.length < 3 && Math.random() < 0.2)
            ? 'register'
            : Math.random() < 0.6
              ? 'complete'
              : 'ad-hoc';
        if (action === 'register') {
          const record: Sent = { kind: 'register', outcome: 'unanswered' };
          sent.push(record);
          const answer = await client.command(
            user,
            '/api/placements',
            registrationBody(addDays(today, -between(5, 200))),
            record,
          );
          if (answer?.placementId) mine.push({ placementId: answer.placementId, next: 0 });
          continue;
        }
        const target = mine[Math.floor(Math.random() * mine.length)];
        if (action === 'complete') {
          const taskId = TASKS_TO_COMPLETE[target.next++ % TASKS_TO_COMPLETE.length];
          const record: Sent = { kind: 'complete', placementId: target.placementId, outcome: 'unanswered' };
          sent.push(record);
          await client.command(
            user,
            `/api/tasks/${target.placementId}/${encodeURIComponent(taskId)}/complete`,
            { outcome: 'gjennomfort', completedOn: today },
            record,
          );
        } else {
          const record: Sent = { kind: 'ad-hoc', placementId: target.placementId, outcome: 'unanswered' };
          sent.push(record);
          await client.command(
            user,
            `/api/placements/${target.placementId}/ad-hoc-tasks`,
            { stepId: 'oppfolgingsbesok', dueOn: addDays(today, -between(0, 3)) },
            record,
          );
        }
      }
    });
    await Promise.all([killer, ...workers]);
    options.log(
      `${Math.round((Date.now() - started) / 1000)} s: no more kills; waiting for everything to be up and quiet`,
    );
    return await verify(stack, sent, kills, started, options, client, today);
  } finally {
    await stack.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Tasks every care-order placement of the default catalog has, in the order clients complete them. */
const TASKS_TO_COMPLETE = [
  ...Array.from({ length: 16 }, (_, i) => `veiledning#${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `leder-avvik#${i + 1}`),
  ...Array.from({ length: 4 }, (_, i) => `foreldre-plan#${i + 1}`),
  'kartlegging#1',
  'helse#1',
  'evaluering-3mnd#1',
];

function registrationBody(placementDate: string) {
  return {
    municipalityId: DEMO_MUNICIPALITIES.nordby,
    catalogVersion: '2026.2',
    facts: {
      placementType: 'omsorgsovertakelse',
      legalBasis: 'omsorgsovertakelse',
      placementDate,
      childAgeYears: 9,
      samvaer: true,
      parentsReachable: true,
      inSchoolOrKindergarten: true,
      bufetatHelp: false,
      beredskapshjem: false,
    },
  };
}

/**
 * A client as a person's browser is one (web/src/lib/api.ts): a command with a new Idempotency-Key,
 * sent again with that key after a 202, a 503, a 5xx or a lost connection, until its outcome comes or
 * two minutes pass. Tokens come from the local issuer (kept across API restarts).
 */
function httpClient(apiUrl: string) {
  const tokens = new Map<string, string>();
  const token = async (userId: string): Promise<string> => {
    for (;;) {
      const known = tokens.get(userId);
      if (known) return known;
      const res = await fetch(`${apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      }).catch(() => undefined);
      if (res?.ok) tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
      else await sleep(500);
    }
  };
  return {
    token,
    async command(
      userId: string,
      path: string,
      body: unknown,
      record: Sent,
    ): Promise<{ placementId?: string; commandId?: string } | undefined> {
      const key = randomUUID();
      const giveUp = Date.now() + 120_000;
      while (Date.now() < giveUp) {
        const res = await fetch(`${apiUrl}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${await token(userId)}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
        }).catch(() => undefined);
        if (!res) {
          await sleep(500);
          continue;
        }
        const answer = (await res.json().catch(() => ({}))) as { commandId?: string; placementId?: string };
        if (answer.commandId) record.commandId = answer.commandId;
        if (res.status === 200 || res.status === 201) {
          record.outcome = 'applied';
          return answer;
        }
        if (res.status === 202 || res.status >= 500 || res.status === 429) {
          await sleep(1_000);
          continue;
        }
        if (res.status === 401) {
          tokens.delete(userId);
          continue;
        }
        record.outcome = 'refused';
        return undefined;
      }
      return undefined;
    },
  };
}

async function verify(
  stack: RunningStack,
  sent: Sent[],
  kills: Record<string, number>,
  started: number,
  options: ChaosOptions,
  client: ReturnType<typeof httpClient>,
  today: string,
): Promise<ChaosReport> {
  const ready = async () => (await fetch(`${stack.apiUrl}/health/ready`).catch(() => undefined))?.ok === true;
  for (let i = 0; i < 240 && !(await ready()); i++) await sleep(500);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const commands = new PlacementCommands(new Client({ connection }), 'omsorgspakken');
  const db: DataSource = await openDatabase(stack.databaseUrl, 2);
  try {
    const placements = (
      await db.query<{ stream_id: string }[]>(
        `SELECT DISTINCT stream_id FROM events WHERE stream_type = 'placement'`,
      )
    ).map((r) => r.stream_id);
    const eventsOf = async (placementId: string) =>
      (
        await db.query<{ type: string; payload: unknown; metadata: { cause?: EventCause } }[]>(
          `SELECT type, payload, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
          [placementId],
        )
      ).map((r) => ({ event: { type: r.type, data: r.payload } as PackageEvent, cause: r.metadata.cause }));

    // Quiet: every workflow at its stream's version with nothing due, the projector caught up.
    for (const placementId of placements) {
      for (let i = 0; i < 240; i++) {
        const state = await commands.plan(placementId).catch(() => undefined);
        const stored = await eventsOf(placementId);
        if (
          state &&
          state.version === stored.length &&
          decideTick(state, new Date().toISOString()).length === 0
        )
          break;
        await sleep(500);
      }
    }

    // Every acknowledged command present once; nothing without a record of its command id.
    const byCommand = new Map<string, number>();
    let workflowsDiffering = 0;
    for (const placementId of placements) {
      const stored = await eventsOf(placementId);
      const state = await commands.plan(placementId);
      if (!isDeepStrictEqual(fold(stored.map((s) => s.event)), state)) workflowsDiffering += 1;
      for (const { event, cause } of stored) {
        if (!cause || !('commandId' in cause)) continue;
        const effect =
          event.type === 'TaskCompleted' ||
          event.type === 'PlacementRegistered' ||
          (event.type === 'TasksPlanned' && event.data.reason === 'ad-hoc');
        if (effect) byCommand.set(cause.commandId, (byCommand.get(cause.commandId) ?? 0) + 1);
      }
    }
    const known = new Set(sent.flatMap((s) => (s.commandId ? [s.commandId] : [])));
    const appliedWithoutRecord = [...byCommand.keys()].filter((id) => !known.has(id)).length;
    const applied = sent.filter((s) => s.outcome === 'applied');
    const refused = sent.filter((s) => s.outcome === 'refused');
    const effects = (s: Sent) => (s.commandId ? (byCommand.get(s.commandId) ?? 0) : 0);

    // Every placement takes one more command (one no state can refuse: an ad-hoc task).
    let stuck = 0;
    for (const placementId of placements) {
      const record: Sent = { kind: 'ad-hoc', placementId, outcome: 'unanswered' };
      await client.command(
        'demo-leder',
        `/api/placements/${placementId}/ad-hoc-tasks`,
        { stepId: 'oppfolgingsbesok', dueOn: today },
        record,
      );
      if (record.outcome !== 'applied') stuck += 1;
    }
    // Read models equal to a replay of the events (the projector caught up first).
    for (let i = 0; i < 60; i++) {
      const [lag] = await db.query<{ behind: boolean }[]>(
        `SELECT (SELECT max(global_position) FROM events) > (SELECT position FROM projection_checkpoints WHERE name = 'read-models') AS behind`,
      );
      if (!lag?.behind) break;
      await sleep(500);
    }
    const before = await readModelChecksum(db);
    await rebuild(db);
    const after = await readModelChecksum(db);

    const report: ChaosReport = {
      seconds: Math.round((Date.now() - started) / 1000),
      kills,
      commands: {
        sent: sent.length,
        acknowledged: applied.length + refused.length,
        refused: refused.length,
        unanswered: sent.filter((s) => s.outcome === 'unanswered').length,
      },
      presentOnce: applied.filter((s) => effects(s) === 1).length,
      lost: applied.filter((s) => effects(s) === 0).length,
      duplicated: sent.filter((s) => effects(s) > 1).length,
      refusedApplied: refused.filter((s) => effects(s) > 0).length,
      appliedWithoutRecord,
      placements: placements.length,
      stuck,
      readModelsEqualReplay: before === after,
      workflowsDiffering,
    };
    options.log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    await db.destroy();
    await connection.close();
  }
}
