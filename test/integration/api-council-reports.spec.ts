import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import type { CouncilReportDto } from '../../apps/api/council-reports/council-report.dto.js';
import { referenceId } from '../../libs/database/migrations/1764050000000-reference-data.js';
import { osloWallClock } from '../../libs/domain/calendar/oslo-time.js';
import { EventStore } from '../../libs/event-store/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { nbCsvLines } from '../support/csv.js';
import { completeDueIn } from '../support/adherence-dataset.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * The yearly report to a municipal council (tilstandsrapport) for Selbu, a member of the inter-municipal
 * Værnesregionen barneverntjeneste in Trøndelag (reference data as seeded), with placements built
 * relative to today: the report year is last year (so it can be signed off) and the trend year the one
 * before. The PDF is read back with pdf-parse and its figures, like the CSV's, checked against the
 * adherence API's and the statutory compliance API's for the same municipality, year and instant.
 */
const ISSUER = 'https://idp.varnes.test/oauth2';
const AUDIENCE = 'omsorgspakken-api';
const VARNES = referenceId('service:5035'); // Værnesregionen barneverntjeneste (host Stjørdal, 5035)
const TRONDHEIMSREGIONEN = referenceId('network:Trondheimsregionen');

type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
interface Report {
  total: Cell;
  rows: Cell[];
}

const today = osloWallClock(new Date().toISOString()).date;
const YEAR = Number(today.slice(0, 4)) - 1;

/** A share as the PDF prints it (0.667 → «66,7 %»). */
const pct = (rate: unknown) => `${(Math.round(Number(rate) * 1000) / 10).toFixed(1).replace('.', ',')} %`;

describe('council report (tilstandsrapport; real PostgreSQL, projector-built read models)', () => {
  let api: TestApi;
  let jwks: Server;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let selbu: string;
  let tydal: string;
  let lateTask: { placementId: string; taskId: string; dueOn: string } | undefined;

  const token = (sub: string, roles: string[], extra: Record<string, unknown> = {}) =>
    new SignJWT({ roles, org: VARNES, acr: 'idporten-loa-high', ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: 'varnes-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(rsa.privateKey);
  const leader = () => token('varnes-leder', ['leder'], { name: 'Kari Nordmann' });
  const lead = () => token('trondheim-lead', ['laeringsnettverksleder'], { network: TRONDHEIMSREGIONEN });
  const get = async (path: string, bearer: string) =>
    request(api.server).get(path).set('Authorization', `Bearer ${bearer}`);
  const binary = async (path: string, bearer: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${bearer}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const pdfText = async (pdf: Buffer) => {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const result = await parser.getText();
      return { text: result.text.replace(/[ \t]+/g, ' '), pages: result.total };
    } finally {
      await parser.destroy();
    }
  };
  const query = (municipality: string, year = YEAR) => `municipality=${municipality}&year=${year}`;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(rsa.publicKey)), kid: 'varnes-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    api = await startTestApi({
      AUTH_ISSUERS: JSON.stringify([
        {
          issuer: ISSUER,
          jwksUri: `http://127.0.0.1:${port}/jwks`,
          organisation: VARNES,
          acr: ['idporten-loa-high'],
        },
      ]),
    });
    const ids = await api.db.dataSource.query<{ id: string; number: string }[]>(
      `SELECT id::text, number FROM municipalities WHERE number IN ('5032', '5033')`,
    );
    selbu = ids.find((m) => m.number === '5032')!.id;
    tydal = ids.find((m) => m.number === '5033')!.id;

    // Selbu: 11 placements active in the report year (5 of them since the year before, the trend year),
    // 3 with every task and visit of the report year done on its day; Tydal: 3, too few to show.
    const seed = async (municipalityId: string, date: string, done: boolean) => {
      const placed = await seedPlannedPlacement(api.db, {
        serviceId: VARNES,
        municipalityId,
        facts: placementFacts('omsorgsovertakelse', date),
        after: done ? completeDueIn(YEAR) : undefined,
      });
      const due = placed.tasks.filter((t) => t.dueOn.startsWith(String(YEAR)));
      if (!done && !lateTask && due[0]) lateTask = { placementId: placed.placementId, ...due[0] };
    };
    for (let i = 0; i < 6; i++) await seed(selbu, `${YEAR}-02-0${2 + i}`, i < 3);
    for (let i = 0; i < 5; i++) await seed(selbu, `${YEAR - 1}-06-0${3 + i}`, false);
    for (let i = 0; i < 3; i++) await seed(tydal, `${YEAR}-03-0${2 + i}`, false);
    await projectAll(api.db);
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('drafts the report with the adherence API’s figures, as PDF and CSV, small cells hidden', async () => {
    const res = await get(`/api/council-reports?${query(selbu)}`, await leader());
    expect(res.status).toBe(200);
    const draft = bodyOf<CouncilReportDto>(res);
    expect(draft).toMatchObject({
      status: 'utkast',
      year: YEAR,
      municipality: { id: selbu, name: 'Selbu', number: '5032' },
      service: { id: VARNES, name: 'Værnesregionen barneverntjeneste' },
      suppression: true,
      kompetansebase: null,
    });
    expect(draft.signedOff).toBeUndefined();

    // The same municipality, years and instant in the adherence API (the leader's own service, exact).
    const asOf = encodeURIComponent(draft.asOf);
    const apiCells = async (year: number) => ({
      adherence: bodyOf<Report>(
        await get(
          `/api/adherence/report?from=${year}-01-01&to=${year}-12-31&by=municipality&asOf=${asOf}`,
          await leader(),
        ),
      ).rows.find((r) => r.key === selbu)!,
      statutory: bodyOf<Report>(
        await get(
          `/api/adherence/statutory-compliance?year=${year}&by=municipality&asOf=${asOf}`,
          await leader(),
        ),
      ).rows.find((r) => r.key === selbu)!,
    });
    const now = await apiCells(YEAR);
    const before = await apiCells(YEAR - 1);
    expect(now.adherence.placements).toBe(11);
    expect(now.statutory.placements).toBe(11);
    expect(now.statutory.followUpCompliant).toBe(3);
    expect(before.adherence.placements).toBe(5);
    expect(before.adherence.onTime).toBe(0);
    const figures = ({ key: _k, label: _l, ...rest }: Cell) => rest;
    expect(draft.current.adherence).toMatchObject(figures(now.adherence));
    expect(draft.current.statutory).toMatchObject(figures(now.statutory));
    expect(draft.previous.adherence).toMatchObject(figures(before.adherence));
    expect(draft.previous.statutory).toMatchObject(figures(before.statutory));
    // Every track's tasks add up to the total.
    expect(draft.current.tracks.reduce((n, t) => n + (t.due ?? 0), 0)).toBe(now.adherence.due);

    // The PDF, read back.
    const pdf = await binary(`/api/council-reports/report.pdf?${query(selbu)}`, await leader());
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="tilstandsrapport-5032-${YEAR}-utkast.pdf"`,
    );
    const { text, pages } = await pdfText(pdf.body as Buffer);
    expect(text).toContain(`Tilstandsrapport ${YEAR}`);
    expect(text).toContain('Selbu kommune (kommunenummer 5032)');
    expect(text).toContain('Barneverntjeneste: Værnesregionen barneverntjeneste');
    expect(text).toContain('Utkast: ikke godkjent av lederen i barneverntjenesten');
    expect(text).toContain('Ingen kompetansebase-bruk registrert.');
    expect(text).toContain(`Gruppe Tall ${YEAR} ${YEAR - 1} Endring`);
    expect(text).toContain(`Side 1 av ${pages}`);
    expect(text).toContain(`Side ${pages} av ${pages}`);
    expect(text).toMatch(/^Utkast$/m); // the watermark
    const row = (group: string, measure: string) =>
      new RegExp(`^${group} ${measure} ([^\\n]+)$`, 'm').exec(text)?.[1];
    const count = (cur: unknown, prev: unknown) => {
      const d = Number(cur) - Number(prev);
      return `${String(cur)} ${String(prev)} ${d > 0 ? '+' : d < 0 ? '-' : '±'}${Math.abs(d)}`;
    };
    const share = (cur: unknown, prev: unknown) => {
      const d = Math.round((Number(cur) - Number(prev)) * 1000) / 1000;
      return `${pct(cur)} ${pct(prev)} ${d > 0 ? '+' : d < 0 ? '-' : '±'}${pct(Math.abs(d)).replace(' %', ' p.p.')}`;
    };
    const [n, b] = [now.statutory, before.statutory];
    expect(row('Totalt', 'Plasseringer')).toBe(count(n.placements, b.placements));
    expect(row('Totalt', 'Nok oppfølgingsbesøk')).toBe(count(n.followUpCompliant, b.followUpCompliant));
    expect(row('Totalt', 'Andel nok oppfølgingsbesøk')).toBe(share(n.followUpRate, b.followUpRate));
    expect(row('Totalt', 'Andel nok tilsynsbesøk')).toBe(share(n.supervisionRate, b.supervisionRate));
    const [na, ba] = [now.adherence, before.adherence];
    expect(row('Totalt', 'Oppgaver forfalt')).toBe(count(na.due, ba.due));
    expect(row('Totalt', 'Utført i tide')).toBe(count(na.onTime, ba.onTime));
    expect(row('Totalt', 'Andel i tide')).toBe(share(na.onTimeRate, ba.onTimeRate));
    expect(row('Totalt', 'Forsinket')).toBe(count(na.overdue, ba.overdue));
    expect(row('Barnet', 'Plasseringer')).toBe('11 5 +6');
    expect(text).toContain(
      `Andel oppgaver utført i tide: ${pct(na.onTimeRate)} i ${YEAR} mot ${pct(ba.onTimeRate)} i ${YEAR - 1}`,
    );
    // Aggregates only: no placement, child or task id anywhere.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    // The CSV: the same lines.
    const csv = await get(`/api/council-reports/report.csv?${query(selbu)}`, await leader());
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="tilstandsrapport-5032-${YEAR}-utkast.csv"`,
    );
    const lines = nbCsvLines(csv.text);
    expect(lines[0]).toBe(
      'Kommunenummer;År;Del;Gruppe;Tall;Rapportåret;Året før;Endring;Skjult (små tall);Skjult året før (små tall)',
    );
    const nb = (v: unknown) => String(v).replace('.', ',');
    const change = Math.round((Number(na.onTimeRate) - Number(ba.onTimeRate)) * 1000) / 1000;
    expect(lines).toContain(
      `5032;${YEAR};Etterlevelse av Omsorgspakken etter spor;Totalt;Andel i tide;${nb(na.onTimeRate)};${nb(ba.onTimeRate)};${nb(change)};nei;nei`,
    );
    expect(lines).toContain(
      `5032;${YEAR};Lovpålagte oppfølgings- og tilsynsbesøk;Totalt;Nok oppfølgingsbesøk;3;${nb(b.followUpCompliant)};${3 - Number(b.followUpCompliant)};nei;nei`,
    );
    // Every line of the PDF's tables is a line of the CSV.
    const figure = '(skjult|–|[0-9]+|[0-9]+,[0-9] %)';
    const pdfRows = text
      .split('\n')
      .filter((l) => new RegExp(` ${figure} ${figure} (–|[-+±][0-9,]+( p\\.p\\.)?)$`).test(l));
    expect(pdfRows.length).toBeGreaterThan(20);
    expect(lines.length - 1).toBe(pdfRows.length);
  });

  it('hides a municipality with fewer than 5 placements entirely', async () => {
    const draft = bodyOf<CouncilReportDto>(await get(`/api/council-reports?${query(tydal)}`, await leader()));
    expect(draft.current.statutory.suppressed).toBe(true);
    expect(draft.current.adherence.suppressed).toBe(true);
    expect(draft.current.tracks.every((t) => t.suppressed)).toBe(true);
    const lines = nbCsvLines(
      (await get(`/api/council-reports/report.csv?${query(tydal)}`, await leader())).text,
    );
    for (const l of lines.slice(1)) expect(l).toMatch(/;;;ja;(ja|nei)$/);
    const { text } = await pdfText(
      (await binary(`/api/council-reports/report.pdf?${query(tydal)}`, await leader())).body as Buffer,
    );
    expect(text).toContain('Tydal kommune (kommunenummer 5033)');
    expect(text).not.toMatch(/Plasseringer 3 /);
  });

  it('refuses bad input with problem+json naming the field, and other services, roles and networks', async () => {
    const problem = async (path: string, bearer: string, status: number, field: string) => {
      const res = await get(path, bearer);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bodyOf<{ errors?: { field: string }[] }>(res).errors?.map((e) => e.field)).toContain(field);
    };
    const l = await leader();
    await problem(`/api/council-reports?municipality=${randomUUID()}&year=${YEAR}`, l, 400, 'municipality');
    await problem(`/api/council-reports?municipality=5032&year=${YEAR}`, l, 400, 'municipality');
    await problem(`/api/council-reports?municipality=${selbu}&year=1999`, l, 400, 'year');
    await problem(`/api/council-reports?municipality=${selbu}&year=${YEAR + 2}`, l, 400, 'year');
    await problem(`/api/council-reports/report.pdf?municipality=${selbu}`, l, 400, 'year');
    // Another service's leader: not the leader's municipality (logged).
    await problem(`/api/council-reports?${query(selbu)}`, await api.token('demo-leder'), 403, 'municipality');
    const [refusal] = await api.db.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM access_log WHERE user_id = 'demo-leder' AND action = 'GET /api/council-reports'`,
    );
    expect(refusal).toEqual({ outcome: 'forbidden' });
    // A caseworker of the service: not at all.
    const caseworker = await get(
      `/api/council-reports?${query(selbu)}`,
      await token('varnes-kp', ['kontaktperson']),
    );
    expect(caseworker.status).toBe(403);
    // Another network's lead.
    await problem(
      `/api/council-reports?${query(selbu)}`,
      await api.token('demo-laeringsnettverksleder'),
      403,
      'municipality',
    );
    // The network's lead: nothing before it is signed off.
    expect((await get(`/api/council-reports?${query(selbu)}`, await lead())).status).toBe(404);
    // A year still running cannot be signed off.
    const running = await request(api.server)
      .post('/api/council-reports/sign-off')
      .set('Authorization', `Bearer ${l}`)
      .send({ municipality: selbu, year: YEAR + 1, asOf: new Date().toISOString() });
    expect(running.status).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(running).errors[0]?.field).toBe('year');
    const [signed] = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM council_report_signoffs`,
    );
    expect(signed).toEqual({ n: 0 });
  });

  it('releases the report signed off by the leader, its figures frozen at the draft reviewed', async () => {
    const draft = bodyOf<CouncilReportDto>(await get(`/api/council-reports?${query(selbu)}`, await leader()));
    const signOff = (asOf: string, bearer: Promise<string> = leader()) =>
      bearer.then((b) =>
        request(api.server)
          .post('/api/council-reports/sign-off')
          .set('Authorization', `Bearer ${b}`)
          .send({ municipality: selbu, year: YEAR, asOf }),
      );
    // The lead may not sign.
    expect((await signOff(draft.asOf, lead())).status).toBe(403);
    const res = await signOff(draft.asOf);
    expect(res.status).toBe(200);
    const signed = bodyOf<CouncilReportDto>(res);
    expect(signed).toEqual({
      ...draft,
      status: 'godkjent',
      signedOff: { by: 'varnes-leder', name: 'Kari Nordmann', at: expect.any(String) as string },
    });
    // The same sign-off again: the stored report; another one: 409.
    const again = await signOff(draft.asOf);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(signed);
    const other = await signOff(new Date().toISOString());
    expect(other.status).toBe(409);

    // A late completion recorded now moves the live adherence figures, never the released report.
    const before = bodyOf<Report>(
      await get(`/api/adherence/report?from=${YEAR}-01-01&to=${YEAR}-12-31&by=municipality`, await leader()),
    ).rows.find((r) => r.key === selbu)!;
    await new EventStore(api.db.dataSource).append(
      { streamType: 'placement', streamId: lateTask!.placementId },
      'any',
      [
        {
          eventId: randomUUID(),
          type: 'TaskCompleted',
          payload: {
            taskId: lateTask!.taskId,
            at: new Date().toISOString(),
            completedOn: lateTask!.dueOn,
            outcome: 'gjennomfort',
            by: { userId: 'seed', role: 'kontaktperson' },
          },
        },
      ],
    );
    await projectAll(api.db);
    const after = bodyOf<Report>(
      await get(`/api/adherence/report?from=${YEAR}-01-01&to=${YEAR}-12-31&by=municipality`, await leader()),
    ).rows.find((r) => r.key === selbu)!;
    expect(after.onTime).toBe(Number(before.onTime) + 1);
    const released = await get(`/api/council-reports?${query(selbu)}`, await leader());
    expect(released.body).toEqual(signed);

    // The released PDF: signed, no watermark, the same file on every download; the lead gets it too.
    const first = await binary(`/api/council-reports/report.pdf?${query(selbu)}`, await leader());
    const second = await binary(`/api/council-reports/report.pdf?${query(selbu)}`, await lead());
    expect(second.status).toBe(200);
    expect(first.headers['content-disposition']).toBe(
      `attachment; filename="tilstandsrapport-5032-${YEAR}-godkjent.pdf"`,
    );
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);
    const { text } = await pdfText(first.body as Buffer);
    expect(text).toContain('Godkjent av Kari Nordmann (leder)');
    expect(text).not.toContain('Utkast');
    expect(text).toContain(`Utført i tide ${String(draft.current.adherence.onTime)} `);
    const leadCsv = await get(`/api/council-reports/report.csv?${query(selbu)}`, await lead());
    expect(leadCsv.status).toBe(200);
    expect(leadCsv.text).toBe(
      (await get(`/api/council-reports/report.csv?${query(selbu)}`, await leader())).text,
    );

    // Who signed and every read are on record; the sign-off row cannot be changed.
    const log = await api.db.dataSource.query<{ user_id: string; action: string; outcome: string }[]>(
      `SELECT user_id, action, outcome FROM access_log WHERE action LIKE '%/api/council-reports%' AND outcome = 'allowed'`,
    );
    expect(log).toContainEqual({
      user_id: 'varnes-leder',
      action: 'POST /api/council-reports/sign-off',
      outcome: 'allowed',
    });
    expect(log).toContainEqual({
      user_id: 'trondheim-lead',
      action: 'GET /api/council-reports/report.pdf',
      outcome: 'allowed',
    });
    await expect(
      api.db.dataSource.query(`UPDATE council_report_signoffs SET signed_by = 'someone'`),
    ).rejects.toThrow(/append-only/);
  });
});
