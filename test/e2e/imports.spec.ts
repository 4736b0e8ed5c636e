import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';
import { decodedHistory, eventually, stackApi } from '../support/stack-api.js';
import { daysFromToday, importCsv, importRow } from '../support/import-csv.js';

type Report = {
  counts: {
    rows: number;
    applied: number;
    repeated: number;
    rejected: number;
    pending: number;
    notTried: number;
  };
  rows: { line: number; key: string; status: string; placementId?: string; errors?: unknown[] }[];
};

/**
 * The bulk import through the real system: each row a registration (HTTP → the registration's checks →
 * the placement workflow on the dev server → events → projector), the same file again registering
 * nothing twice, the same rows sent by someone else in the service found as theirs, and an API killed
 * half-way through a file: uploaded again, every placement exists exactly once.
 */
describe('placement import through the API', () => {
  let stack: RunningStack;
  let db: pg.Client;
  const { as, get } = stackApi(() => stack);
  const upload = async (text: string, userId = 'demo-kontaktperson') =>
    fetch(`${stack.apiUrl}/api/imports/placements`, {
      method: 'POST',
      headers: { ...(await as(userId)), 'content-type': 'text/csv; charset=utf-8' },
      body: text,
    });
  /** The placements of the given case numbers, each with how many times it was registered. */
  const registered = async (prefix: string) =>
    (
      await db.query<{ case_number: string; placement_id: string; registrations: number }>(
        `SELECT c.case_number, c.placement_id,
                (SELECT count(*)::int FROM events e
                  WHERE e.stream_id = c.placement_id AND e.type = 'PlacementRegistered') AS registrations
           FROM placement_case_numbers c WHERE c.case_number LIKE $1 ORDER BY c.case_number`,
        [`${prefix}%`],
      )
    ).rows;

  beforeAll(async () => {
    stack = await startTestStack('imports');
    db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('registers the good rows, refuses the bad, and registers nothing twice on a re-upload', async () => {
    const run = randomUUID().slice(0, 6);
    const rows = [
      importRow(`${run}-1`, `G${run}/1`),
      importRow(`${run}-2`, `G${run}/2`, {
        plasseringstype: 'akutt',
        hjemmel: 'frivillig',
        beredskapshjem: 'ja',
        plasseringsdato: daysFromToday(-3).split('-').reverse().join('.'),
      }),
      importRow(`${run}-3`, `G${run}/3`, { kommunenummer: '9902' }),
      importRow(`${run}-4`, `G${run}/4`, { barnets_alder: '0', samvær: 'nei' }),
      importRow(`${run}-5`, `G${run}/1`),
    ];
    const file = importCsv(rows, { bom: true });
    const first = await upload(file);
    expect(first.status).toBe(200);
    const report = (await first.json()) as Report;
    expect(report.rows.map((r) => [r.key, r.status])).toEqual([
      [`${run}-1`, 'applied'],
      [`${run}-2`, 'applied'],
      [`${run}-3`, 'rejected'],
      [`${run}-4`, 'applied'],
      [`${run}-5`, 'rejected'],
    ]);
    // Another service's municipality, and a case number an earlier row of the file has.
    expect(report.rows[2]?.errors).toEqual([
      { field: 'kommunenummer', reason: 'er ikke en kommune tjenesten din handler for' },
    ]);
    expect(report.rows[4]?.errors).toEqual([{ field: 'saksnummer', reason: 'er brukt på linje 2 i filen' }]);
    const placements = await registered(`G${run}/`);
    expect(placements.map((p) => [p.case_number, p.registrations])).toEqual([
      [`G${run}/1`, 1],
      [`G${run}/2`, 1],
      [`G${run}/4`, 1],
    ]);
    // Each one through the API like any registration: its plan readable, the registration logged.
    const id = report.rows[1].placementId!;
    const placement = await eventually(async () => {
      const r = await get('demo-kontaktperson', `/api/placements/${id}`);
      return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
    }, 'the imported placement');
    expect(placement).toMatchObject({
      caseNumber: `G${run}/2`,
      placementType: 'akutt',
      legalBasis: 'frivillig',
      placementDate: daysFromToday(-3),
    });
    const logged = await db.query(
      `SELECT 1 FROM access_log WHERE action = 'POST /api/imports/placements' AND outcome = 'allowed'
          AND placement_id = ANY($1::uuid[])`,
      [placements.map((p) => p.placement_id)],
    );
    expect(logged.rowCount).toBe(3);
    // The case number is personal data: never in the workflow's history.
    expect(await decodedHistory(stack, id)).not.toContain(`G${run}/2`);

    // The same file again, by someone else in the service: nothing registered twice.
    for (const userId of ['demo-kontaktperson', 'demo-leder']) {
      const again = (await (await upload(file, userId)).json()) as Report;
      expect(again.rows.map((r) => r.status)).toEqual([
        'repeated',
        'repeated',
        'rejected',
        'repeated',
        'rejected',
      ]);
      expect(again.rows.map((r) => r.placementId)).toEqual(report.rows.map((r) => r.placementId));
    }
    // The refused row fixed: it registers, the rest repeat.
    const fixed = importCsv([...rows.slice(0, 4), { ...rows[4], saksnummer: `G${run}/5` }]);
    const last = (await (await upload(fixed)).json()) as Report;
    expect(last.counts).toMatchObject({ applied: 1, repeated: 3, rejected: 1 });
    expect((await registered(`G${run}/`)).map((p) => p.registrations)).toEqual([1, 1, 1, 1]);
    // A registered row's key with another case number, or another placement date: refused (the key
    // stands for the registration it was first used for), nothing changes.
    const changed = (await (
      await upload(
        importCsv([
          { ...rows[0], saksnummer: `G${run}/9` },
          { ...rows[1], plasseringsdato: daysFromToday(-4).split('-').reverse().join('.') },
        ]),
      )
    ).json()) as Report;
    for (const row of changed.rows)
      expect(row.errors).toEqual([{ field: 'radnøkkel', reason: 'er brukt for en annen registrering' }]);
    expect(changed.counts).toMatchObject({ applied: 0, repeated: 0, rejected: 2 });
    expect((await registered(`G${run}/`)).map((p) => p.case_number)).toEqual(
      [1, 2, 4, 5].map((n) => `G${run}/${n}`),
    );
  });

  it('finishes a file cut short by a crash of the API: uploaded again, each placement exists once', async () => {
    const run = randomUUID().slice(0, 6);
    const count = 16;
    const file = importCsv(
      Array.from({ length: count }, (_, i) =>
        importRow(`${run}-${i}`, `K${run}/${String(i).padStart(2, '0')}`),
      ),
    );
    const cut = upload(file).then(
      (res) => res.status,
      () => 'connection lost',
    );
    // Kill the API (SIGKILL) once some rows are registered and others are not.
    await eventually(
      async () =>
        (await registered(`K${run}/`)).filter((p) => p.registrations > 0).length >= 3 ? true : undefined,
      'the first rows registered',
    );
    await stack.stopApp(stack.api, 'SIGKILL');
    expect(await cut).toBe('connection lost');
    const before = await registered(`K${run}/`);
    const done = before.filter((p) => p.registrations === 1).length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(count);
    expect(before.every((p) => p.registrations <= 1)).toBe(true);

    stack.api = await stack.startApp('api');
    const again = await upload(file);
    expect(again.status).toBe(200);
    const report = (await again.json()) as Report;
    expect(report.counts.rejected + report.counts.pending + report.counts.notTried).toBe(0);
    expect(report.counts.applied + report.counts.repeated).toBe(count);
    expect(report.counts.repeated).toBeGreaterThanOrEqual(done);
    const after = await registered(`K${run}/`);
    expect(after).toHaveLength(count);
    expect(after.every((p) => p.registrations === 1)).toBe(true);
    expect(new Set(after.map((p) => p.placement_id)).size).toBe(count);
    expect(new Set(report.rows.map((r) => r.placementId))).toEqual(new Set(after.map((p) => p.placement_id)));
  });
});
