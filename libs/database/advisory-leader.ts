import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * One holder at a time across processes: a session-level PostgreSQL advisory lock on a connection of
 * its own. The holder runs `lead` until it stops the election or loses the connection; the others try
 * for the lock every `retryMs`. When the holder's process dies (even kill -9) its connection closes,
 * PostgreSQL releases the lock, and one of the others takes it at its next try: within `retryMs` plus a
 * connect. A holder whose lock connection fails stops leading (its `lead` is aborted) before trying again.
 */
export interface LeaderOptions {
  readonly connectionString: string;
  /** The lock's name (hashed to the lock key with hashtextextended). */
  readonly name: string;
  /** Runs while this process holds the lock; must end soon after `signal` aborts. */
  readonly lead: (signal: AbortSignal) => Promise<void>;
  /** Between tries while another holds the lock, and between heartbeats while holding it. Default 1 s. */
  readonly retryMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Told when this process became the holder, and when it stopped being it. */
  readonly onChange?: (leading: boolean) => void;
}

export interface Leadership {
  isLeader(): boolean;
  /** Stops leading (if it does) and trying; releases the lock. */
  stop(): Promise<void>;
}

export function electLeader(options: LeaderOptions): Leadership {
  const retryMs = options.retryMs ?? 1_000;
  const onError = options.onError ?? (() => undefined);
  const stopping = new AbortController();
  let leading = false;

  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);

  const session = async () => {
    const client = new pg.Client({
      connectionString: options.connectionString,
      // The pid: which process holds the lock is visible in pg_stat_activity.
      application_name: `omsorgspakken leader ${options.name} pid=${process.pid}`,
      keepAlive: true,
    });
    // A connection that breaks is seen by the next heartbeat; the error event must not crash the process.
    let broken: Error | undefined;
    client.on('error', (error) => (broken = error));
    try {
      await client.connect();
      while (!stopping.signal.aborted) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [options.name],
        );
        if (rows[0]?.locked) break;
        await pause(retryMs);
      }
      if (stopping.signal.aborted) return;
      const lost = new AbortController();
      leading = true;
      options.onChange?.(true);
      const run = options.lead(AbortSignal.any([lost.signal, stopping.signal])).catch(onError);
      try {
        while (!stopping.signal.aborted && broken === undefined) {
          await pause(retryMs);
          if (stopping.signal.aborted) break;
          await client.query('SELECT 1');
        }
        if (broken !== undefined) throw broken;
      } finally {
        lost.abort();
        await run;
        leading = false;
        options.onChange?.(false);
      }
    } finally {
      // Ending the session releases the lock.
      await client.end().catch(() => undefined);
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await session();
      } catch (error) {
        if (!stopping.signal.aborted) onError(error);
      }
      await pause(retryMs);
    }
  })();

  return {
    isLeader: () => leading,
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}
