import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DemoPlacement } from './demo-plan.js';

/*
 * Sends the demo plan (demo-plan.ts) through the API as the demo users of the local issuer: each
 * placement's registration (with the work done before it), then the leader's waivers and the ends.
 * Nothing is written anywhere else: the commands go the way a person's would (validation, policy,
 * Temporal, the event store, the projector). Every command has a stable Idempotency-Key, so a second run
 * repeats what is there and adds nothing.
 */

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

export interface SeedSummary {
  readonly placements: number;
  /** Registered by this run (the rest were there already: repeats). */
  readonly registered: number;
  readonly repeated: number;
  readonly onTime: number;
  readonly late: number;
  readonly waived: number;
  readonly overdue: number;
  readonly ended: number;
  readonly ms: number;
  /** Each placement's id, in the order of the plan. */
  readonly placementIds: readonly string[];
}

export interface SeedOptions {
  readonly apiUrl: string;
  readonly plan: readonly DemoPlacement[];
  /** Commands in flight at once (default 3: the machine keeps serving people while it seeds). */
  readonly concurrency?: number;
  /** Called after each placement's registration and after each placement's follow-up commands. */
  readonly onProgress?: (stage: 'registered' | 'completed', done: number, total: number) => void;
}

interface Answer {
  readonly status: number;
  readonly body: {
    placementId?: string;
    assignmentId?: string;
    commandId?: string;
    repeated?: boolean;
    detail?: string;
    title?: string;
  };
}

/** A fictional justification (the demo has no real cases). */
const DEMO_JUSTIFICATION = 'Demodata: frafallet er drøftet med barnet og fosterforeldrene.';

/** The demo users' HTTP client: tokens from the local issuer, retries as the web app does them. */
export function client(apiUrl: string) {
  const tokens = new Map<string, string>();
  const token = async (userId: string): Promise<string> => {
    const known = tokens.get(userId);
    if (known) return known;
    const res = await fetch(`${apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (!res.ok) throw new DemoRefused(`no token for ${userId} (${res.status}): is the local issuer on?`);
    const { accessToken } = (await res.json()) as { accessToken: string };
    tokens.set(userId, accessToken);
    return accessToken;
  };

  /**
   * One command, sent again with its key until its outcome is known: after a 202 (taken in, outcome not
   * known yet), a 429 or a 5xx, a lost connection, an expired token, and a 404 (`notYet`: the placement
   * or task is not in the read models yet, which follow the events within moments).
   */
  async function command(userId: string, path: string, key: string, body: unknown, notYet = false) {
    const giveUp = Date.now() + 180_000;
    let last = '';
    // Answered `repeated` after a 202, a 5xx or a lost connection: the earlier attempt was this run's.
    let retried = false;
    while (Date.now() < giveUp) {
      const res = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token(userId)}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).catch((error: unknown) => {
        last = String(error);
        return undefined;
      });
      if (!res) {
        retried = true;
        await sleep(1_000);
        continue;
      }
      const answer: Answer = {
        status: res.status,
        body: (await res.json().catch(() => ({}))) as Answer['body'],
      };
      if (res.status === 200 || res.status === 201) return { ...answer, retried };
      last = `${res.status} ${answer.body.title ?? ''} ${answer.body.detail ?? ''}`.trim();
      if (res.status === 401) tokens.delete(userId);
      else if (res.status === 429)
        await sleep(1_000 * Math.max(1, Number(res.headers.get('retry-after') ?? '1')));
      else if (res.status === 202 || res.status >= 500 || (notYet && res.status === 404)) {
        if (res.status !== 404) retried = true;
        await sleep(500);
      } else break;
    }
    throw new Error(`demo command ${key} (${path}) as ${userId} failed: ${last}`);
  }
  return { command };
}

/**
 * The regions' data files (data/regions/*.json) loaded through the admin API as the demo administrator,
 * as `npm run load:region` does: Finnmark's demo users work in Finnmark's services. Idempotent (a file
 * loaded before changes nothing). Answers one line per file.
 */
export async function loadDemoRegions(apiUrl: string, dir: string): Promise<string[]> {
  const res = await fetch(`${apiUrl}/api/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'demo-admin' }),
  });
  if (!res.ok) throw new DemoRefused(`no token for demo-admin (${res.status}): is the local issuer on?`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  const lines: string[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { code: string };
    const put = await fetch(`${apiUrl}/api/reference/regions/${encodeURIComponent(file.code)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    const body = (await put.json().catch(() => ({}))) as { changed?: boolean; detail?: string };
    if (!put.ok) throw new Error(`region ${name}: ${put.status} ${body.detail ?? ''}`.trim());
    lines.push(`${file.code} ${body.changed ? 'lagt inn' : 'uendret'}`);
  }
  return lines;
}

/** Runs `work` on every item, `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
}

/**
 * Sends the plan through the API. Refuses (DemoRefused) when the API has no local issuer: production,
 * or a deployment that turned it off, never gets demo data.
 */
export async function seedDemoData(options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const config = (await fetch(`${options.apiUrl}/api/auth/config`).then((r) => r.json())) as {
    localIssuer?: boolean;
  };
  if (config.localIssuer !== true)
    throw new DemoRefused('the API has no local issuer (production): demo data is never written there');
  const { command } = client(options.apiUrl);
  const limit = options.concurrency ?? 3;
  const total = options.plan.length;
  const ids = new Map<number, string>();
  let registered = 0;
  let repeated = 0;
  let done = 0;

  await pool(options.plan, limit, async (p) => {
    const answer = await command(p.register.userId, '/api/placements', p.register.key, p.register.body);
    ids.set(p.index, answer.body.placementId!);
    if (answer.body.repeated && !answer.retried) repeated++;
    else registered++;
    options.onProgress?.('registered', ++done, total);
  });

  done = 0;
  await pool(options.plan, limit, async (p) => {
    const placementId = ids.get(p.index)!;
    for (const w of p.waivers) {
      const task = `/api/tasks/${placementId}/${encodeURIComponent(w.taskId)}`;
      if (!w.requestedBy) {
        await command(w.userId, `${task}/waive`, w.key, { reason: w.reason }, true);
        continue;
      }
      // Four eyes: the caseworker asks, with a justification; the leader co-signs the request read.
      const asked = await command(
        w.requestedBy,
        `${task}/waiver-request`,
        `${w.key}-ask`,
        { reason: w.reason, justification: DEMO_JUSTIFICATION },
        true,
      );
      await command(w.userId, `${task}/waiver-request/cosign`, `${w.key}-sign`, {
        requestId: asked.body.commandId,
      });
    }
    if (p.end) await command(p.end.userId, `/api/placements/${placementId}/end`, p.end.key, p.end.body, true);
    options.onProgress?.('completed', ++done, total);
  });

  const sum = (f: (p: DemoPlacement) => number) => options.plan.reduce((n, p) => n + f(p), 0);
  return {
    placements: total,
    registered,
    repeated,
    onTime: sum((p) => p.counts.onTime),
    late: sum((p) => p.counts.late),
    waived: sum((p) => p.waivers.length),
    overdue: sum((p) => p.counts.overdue),
    ended: sum((p) => (p.end ? 1 : 0)),
    ms: Date.now() - started,
    placementIds: options.plan.map((p) => ids.get(p.index)!),
  };
}

/** What `npm start` remembers of its demo data, in its data directory. */
export interface DemoMarker {
  /** The day every demo date is relative to: a resumed seeding sends the very same commands. */
  readonly anchor: string;
  readonly count: number;
  readonly state: 'started' | 'done';
  /** Finnmark's demo placements (Alta), seeded after the others with an anchor of their own. */
  readonly finnmark?: { readonly anchor: string; readonly count: number; readonly state: 'started' | 'done' };
  /** The demo network's kompetansebase orders (demo-kompetansebase.ts), dated from their own anchor. */
  readonly kompetansebase?: { readonly anchor: string; readonly state: 'done' };
}

const MARKER = 'demo-data.json';

export function readDemoMarker(dataDir: string): DemoMarker | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, MARKER), 'utf8')) as DemoMarker;
  } catch {
    return undefined;
  }
}

export function writeDemoMarker(dataDir: string, marker: DemoMarker): void {
  writeFileSync(join(dataDir, MARKER), `${JSON.stringify(marker)}\n`);
}

/** Whether the database holds any placement yet (read only: demo data goes on an empty one). */
export async function hasPlacements(databaseUrl: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE stream_type = 'placement') AS any`,
    );
    return rows[0]?.any === true;
  } finally {
    await db.end();
  }
}
