import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';

/*
 * API_PROCESSES=2: the compiled API as a node:cluster primary with two processes on one port. Each
 * request below opens its own connection, and the primary hands connections to its processes in turn
 * (round-robin, Node's default on Linux), so both processes answer: a demo token made by one is accepted
 * by the other. A process killed with SIGKILL takes the API down with an error exit, to be restarted whole.
 */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);

/** GET on a new connection (no keep-alive). */
const getOnNewConnection = (url: string, token: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      { headers: { authorization: `Bearer ${token}`, connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });

describe('the API as several processes (API_PROCESSES=2)', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startTestStack('api-processes', { API_PROCESSES: '2' });
  });
  afterAll(() => stack?.stop());

  const token = async () => {
    const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ userId: 'demo-leder' }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  it('answers from both processes with one token, and stops whole when one dies', async () => {
    const primary = stack.api.child.pid ?? 0;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);

    const bearer = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await getOnNewConnection(`${stack.apiUrl}/api/me`, bearer));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));

    // One process dies: the primary stops the other and exits with an error, for its supervisor to
    // restart the API whole (never a half-dead API serving on).
    const [victim, other] = workers;
    process.kill(victim ?? 0, 'SIGKILL');
    expect(await stack.api.exited).toBe(1);
    expect(childrenOf(primary)).toEqual([]);
    expect(() => process.kill(other ?? 0, 0)).toThrow(); // gone too
  });
});
