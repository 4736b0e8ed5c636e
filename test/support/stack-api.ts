import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { RunningStack } from '../../libs/dev-servers/index.js';

/*
 * Talking to a running stack (test/support/stack.ts) as the demo users do: tokens from the built-in
 * local issuer, JSON requests with an Idempotency-Key, polling until the read models catch up, and the
 * placement workflow's history with every payload decoded. Used by the command tests in test/e2e.
 */

export interface StackApi {
  /** The headers of a request as `userId`: a real token, signed by the local issuer (minted once). */
  as(userId: string): Promise<Record<string, string>>;
  post(userId: string, path: string, body: unknown, key?: string): Promise<Response>;
  get(userId: string, path: string): Promise<Response>;
}

/**
 * `stack` is read on every request: the stack is started in a `beforeAll`. Any API process's address
 * will do (`() => ({ apiUrl: stack.apiUrls[1] })` for the second of the cluster's).
 */
export function stackApi(stack: () => Pick<RunningStack, 'apiUrl'>): StackApi {
  const tokens = new Map<string, string>();
  async function as(userId: string): Promise<Record<string, string>> {
    if (!tokens.has(userId)) {
      const res = await fetch(`${stack().apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
    }
    return { authorization: `Bearer ${tokens.get(userId)}`, 'content-type': 'application/json' };
  }
  return {
    as,
    post: async (userId, path, body, key = randomUUID()) =>
      fetch(`${stack().apiUrl}${path}`, {
        method: 'POST',
        headers: { ...(await as(userId)), 'idempotency-key': key },
        body: JSON.stringify(body),
      }),
    get: async (userId, path) => fetch(`${stack().apiUrl}${path}`, { headers: await as(userId) }),
  };
}

/** Polls `fn` until it returns a value (150 tries, 200 ms apart): the read models are eventually consistent. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs `fn` with a Temporal client on the stack's dev server. */
export async function withTemporal<T>(stack: RunningStack, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/**
 * The history of placement `placementId`'s workflow as JSON text, every payload decoded: payload bytes
 * appear as base64 in the history's JSON form, so a search of the raw text would find nothing.
 */
export const decodedHistory = (stack: RunningStack, placementId: string): Promise<string> =>
  withTemporal(stack, async (client) => {
    const history = await client.workflow.getHandle(`placement-${placementId}`).fetchHistory();
    return JSON.stringify(history, (key, value: unknown) =>
      key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
    );
  });
