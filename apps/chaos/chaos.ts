import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startStack } from '../../libs/dev-servers/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { httpClient, type Sent } from './client.js';
import { killParts, startClients } from './load.js';
import type { ChaosReport } from './report.js';
import { verify } from './verify.js';

export { failures, type ChaosReport } from './report.js';

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

    // The killer and the clients (load.ts), until the deadline.
    const deadline = started + options.durationMs;
    const killer = killParts(
      stack,
      { started, deadline, killEveryMs: options.killEveryMs, log: options.log },
      kills,
    );
    const workers = startClients(client, { deadline, clients: options.clients, today }, sent);
    await Promise.all([killer, ...workers]);
    options.log(
      `${Math.round((Date.now() - started) / 1000)} s: no more kills; waiting for everything to be up and quiet`,
    );
    return await verify(stack, sent, kills, started, options.log, client, today);
  } finally {
    await stack.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
