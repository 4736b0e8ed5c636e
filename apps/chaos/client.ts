import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export type CommandKind = 'register' | 'complete' | 'ad-hoc';

/** One command a client sent, and what became of it: filled in as the answers come. */
export interface Sent {
  readonly kind: CommandKind;
  readonly placementId?: string;
  commandId?: string;
  outcome: 'applied' | 'refused' | 'unanswered';
}

/**
 * A client as a person's browser is one (web/src/lib/api.ts): a command with a new Idempotency-Key,
 * sent again with that key after a 202, a 503, a 5xx or a lost connection, until its outcome comes or
 * two minutes pass. Tokens come from the local issuer (kept across API restarts).
 */
export function httpClient(apiUrl: string) {
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

export type ChaosClient = ReturnType<typeof httpClient>;
