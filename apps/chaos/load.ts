import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { DEMO_MUNICIPALITIES } from '../../libs/security/local-issuer.js';
import type { ChaosClient, Sent } from './client.js';

/*
 * The two sides of a chaos run until its deadline: the killer, which SIGKILLs a random part of the stack
 * every so often, and the clients, which register placements and work on them meanwhile.
 */

const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** The killer: one random part every `killEveryMs[0]`–`killEveryMs[1]` ms, until the deadline. */
export async function killParts(
  stack: RunningStack,
  run: {
    readonly started: number;
    readonly deadline: number;
    readonly killEveryMs: readonly [number, number];
    readonly log: (line: string) => void;
  },
  kills: Record<string, number>,
): Promise<void> {
  const { started, deadline, killEveryMs } = run;
  for (;;) {
    await sleep(between(...killEveryMs));
    if (Date.now() >= deadline) return;
    // Each part of the stack (worker, API, Temporal dev server, PostgreSQL) as likely as the others.
    const byPart = new Map(stack.pids().map((p) => [p.name, p]));
    const running = [...byPart.values()];
    const victim = running[Math.floor(Math.random() * running.length)];
    if (!victim) continue;
    try {
      process.kill(victim.pid, 'SIGKILL');
      kills[victim.name] = (kills[victim.name] ?? 0) + 1;
      run.log(`${Math.round((Date.now() - started) / 1000)} s: kill -9 ${victim.name} (${victim.pid})`);
    } catch {
      // already gone
    }
  }
}

/** The clients: each registers placements and works on them until the deadline; every command in `sent`. */
export function startClients(
  client: ChaosClient,
  run: { readonly deadline: number; readonly clients: number; readonly today: string },
  sent: Sent[],
): Promise<void>[] {
  const { deadline, today } = run;
  const users = ['demo-kontaktperson', 'demo-kontaktperson-2', 'demo-leder'];
  return Array.from({ length: run.clients }, async (_, i) => {
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
