import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { startTestStack } from '../support/stack.js';

/**
 * Contract fuzzing (issue 13, item 16): Schemathesis (PyPI, installed by scripts/tools.sh into a virtual
 * environment in the cache) runs every check against the real stack of the e2e tier, as a caseworker, a
 * leader and an administrator with tokens of the local issuer, a bounded number of examples per
 * operation. Any 5xx, any answer outside the OpenAPI document (status, content type, schema, headers), any
 * error body that is not the documented problem+json, any schema-valid request refused for other than a
 * documented reason (test/contract/schemathesis.toml) fails the suite.
 */
const ROLES = ['demo-kontaktperson', 'demo-leder', 'demo-admin'] as const;
const MAX_EXAMPLES = '10';
const CONFIG = fileURLToPath(new URL('../contract/schemathesis.toml', import.meta.url));
const REPORTS = fileURLToPath(new URL('../../test-results/contract/', import.meta.url));

function schemathesis(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const st = process.env.SCHEMATHESIS_PATH;
  if (!st)
    throw new Error('SCHEMATHESIS_PATH is not set: run `npm test` (scripts/tools.sh installs Schemathesis)');
  return new Promise((resolve, reject) => {
    // Run in the report folder: nothing Schemathesis writes lands in the repository.
    const child = spawn(st, args, {
      cwd: REPORTS,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the per-operation settings of the contract fuzzing', () => {
  it('select each entry by one filter: Schemathesis joins an entry\'s filters with "or"', () => {
    // include-path-regex with include-method matched every POST and PUT of the API, and the first
    // matching entry wins: every command route was allowed the reference routes' 400.
    const entries = readFileSync(CONFIG, 'utf8')
      .split(/^\[\[operations\]\]$/m)
      .slice(1);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      const filters = entry.match(/^(include|exclude)-[a-z-]+(?= =)/gm) ?? [];
      expect(filters).toHaveLength(1);
    }
  });
});

describe('contract fuzzing with Schemathesis against the real stack', () => {
  let stack: RunningStack;
  const tokens = new Map<string, string>();
  let placementId = '';

  beforeAll(async () => {
    mkdirSync(REPORTS, { recursive: true });
    stack = await startTestStack('contract-fuzz', {
      API_RATE_LIMIT: '1000000',
      API_LOGIN_FAILURE_LIMIT: '1000000',
    });
    for (const userId of ROLES) {
      const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
    }
    // A placement of the caseworker's service, so that the fuzzed operations on a placement or a task
    // get past the access check into validation, the workflow and the read models.
    const registered = await fetch(`${stack.apiUrl}/api/placements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.get('demo-kontaktperson')}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(placementRequestBody(osloDateOf(Date.now()))),
    });
    expect(registered.status).toBe(201);
    placementId = ((await registered.json()) as { placementId: string }).placementId;
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${stack.apiUrl}/api/tasks/${placementId}/besok-uke1%231`, {
        headers: { authorization: `Bearer ${tokens.get('demo-kontaktperson')}` },
      });
      if (res.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(() => stack?.stop());

  it.each(ROLES)(
    'finds nothing as %s',
    async (userId) => {
      const { code, output } = await schemathesis(
        [
          '--config-file',
          CONFIG,
          'run',
          `${stack.apiUrl}/docs/openapi.json`,
          '--checks',
          'all',
          '--max-examples',
          MAX_EXAMPLES,
          '--generation-database',
          'none',
          '--no-color',
          '--header',
          `Authorization: Bearer ${tokens.get(userId)}`,
          '--report',
          'junit',
          '--report-junit-path',
          `${REPORTS}${userId}.xml`,
        ],
        { OMSORG_FUZZ_PLACEMENT_ID: placementId, OMSORG_FUZZ_TASK_ID: 'besok-uke1%231' },
      );
      const summary = output.slice(output.lastIndexOf('SUMMARY'));
      expect(summary).toMatch(/Tested: 5\d|Tested: [6-9]\d/); // every operation was exercised
      if (code !== 0) throw new Error(`Schemathesis found problems as ${userId}:\n${output}`);
      expect(summary).not.toMatch(/failures?,|errors?,/);
    },
    600_000,
  );
});
