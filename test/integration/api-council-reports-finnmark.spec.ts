import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { appendStreamEvents } from '../../activities/package-store.js';
import { projectAssignment } from '../../activities/kompetansebase-read-models.js';
import type { CouncilReportDto } from '../../apps/api/council-reports/council-report.dto.js';
import { kompetansebaseFiguresFor } from '../../libs/adherence/index.js';
import { referenceId } from '../../libs/database/migrations/1764050000000-reference-data.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../libs/domain/calendar/oslo-time.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import {
  ASSIGNMENT_STREAM_TYPE,
  KOMPETANSEBASE_CATALOG,
  acceptSteps,
  decideAccept,
  decideComplete,
  decideDecline,
  decideOrder,
  evolveAssignment,
  orderSteps,
  planAssignmentTask,
  validateComplete,
  type AssignmentEvent,
  type AssignmentState,
  type StepToPlan,
} from '../../libs/domain/kompetansebase/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { FINNMARK_DEMO } from '../../libs/security/index.js';
import { completeDueIn } from '../support/adherence-dataset.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * The council report (tilstandsrapport) for Finnmark municipalities, Finnmark's data file loaded through
 * the admin API as the README says: Alta (5601) with placements and kompetansebase orders, and
 * Kárášjohka-Karasjok (5610), whose name needs the Sámi letters the PDF's embedded font has. The report
 * year is last year, the trend year the one before (built relative to today). The PDF is read back with
 * pdf-parse and checked against the adherence API's figures and the kompetansebase figures' provider for
 * the same municipality, year and instant. Leaders sign off their own region's municipalities only.
 */
const FILE = readFileSync(new URL('../../data/regions/finnmark.json', import.meta.url), 'utf8');
const VARNES = referenceId('service:5035'); // Værnesregionen barneverntjeneste (Trøndelag)
const KARASJOK_SERVICE = referenceId('service:5610'); // Kárášjohka-Karasjok barneverntjeneste, from the file
const AUDIENCE = 'omsorgspakken-api';
/** The two services' own identity providers (one key): their leaders are not demo users. */
const ISSUERS = {
  [VARNES]: 'https://idp.varnes.test/oauth2',
  [KARASJOK_SERVICE]: 'https://idp.karasjok.test/oauth2',
};

type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
interface Report {
  rows: Cell[];
}

const today = osloWallClock(new Date().toISOString()).date;
const YEAR = Number(today.slice(0, 4)) - 1;
const at = (day: string) => `${day}T09:00:00.000Z`;
const pct = (rate: unknown) => `${(Math.round(Number(rate) * 1000) / 10).toFixed(1).replace('.', ',')} %`;

describe('council report for Finnmark (real PostgreSQL, the region loaded from its data file)', () => {
  let api: TestApi;
  let jwks: Server;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let karasjok: { id: string; serviceId: string };
  let selbu: string;

  const get = async (path: string, bearer: string) =>
    request(api.server).get(path).set('Authorization', `Bearer ${bearer}`);
  const pdfOf = async (path: string, bearer: string) => {
    const res = await request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${bearer}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
    try {
      return (await parser.getText()).text.replace(/[ \t]+/g, ' ');
    } finally {
      await parser.destroy();
    }
  };
  const leaderOf = (organisation: string, userId: string) =>
    new SignJWT({ roles: ['leder'], org: organisation, acr: 'idporten-loa-high', name: 'Leder' })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer(ISSUERS[organisation])
      .setAudience(AUDIENCE)
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(rsa.privateKey);
  const signOff = async (municipality: string, bearer: string) => {
    const draft = await get(`/api/council-reports?municipality=${municipality}&year=${YEAR}`, bearer);
    return request(api.server)
      .post('/api/council-reports/sign-off')
      .set('Authorization', `Bearer ${bearer}`)
      .send({
        municipality,
        year: YEAR,
        asOf: draft.status === 200 ? bodyOf<CouncilReportDto>(draft).asOf : new Date().toISOString(),
      });
  };

  /** A kompetansebase order of Alta's service, through the event store and the real read-model writer. */
  const calendar = norwegianWorkingDays();
  const plan = (steps: readonly StepToPlan[]) =>
    steps.map((s) =>
      planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar),
    );
  const base = { leader: { userId: 'kb-l', role: 'kompetansebase-leder' } as const };
  const counsellor = { userId: 'kb-v', role: 'kompetansebase-veileder' } as const;
  async function order(orderedOn: string, outcome: 'declined' | 'started' | 'queued') {
    const id = randomUUID();
    const store = new EventStore(api.db.dataSource);
    let version = 0;
    let state: AssignmentState | undefined;
    const record = async (events: AssignmentEvent[]) => {
      await appendStreamEvents(
        store,
        { streamType: ASSIGNMENT_STREAM_TYPE, streamId: id, expectedVersion: version, events },
        (m) => projectAssignment(m, id, events),
      );
      version += events.length;
      state = events.reduce<AssignmentState | undefined>(evolveAssignment, state)!;
      return state;
    };
    let s = await record(
      decideOrder(
        {
          commandId: randomUUID(),
          assignmentId: id,
          origin: {
            baseId: randomUUID(),
            networkId: FINNMARK_DEMO.vestFinnmark,
            serviceId: FINNMARK_DEMO.alta,
          },
          requestType: 'veiledning-fosterforeldre',
          urgency: 'vanlig',
          catalogVersion: KOMPETANSEBASE_CATALOG.version,
          by: { userId: 'k', role: 'kontaktperson' },
        },
        plan(orderSteps(orderedOn)),
        at(orderedOn),
      ),
    );
    if (outcome === 'declined')
      await record(decideDecline(s, { commandId: 'd', reason: 'kapasitet', by: base.leader }, at(orderedOn)));
    if (outcome !== 'started') return;
    const callBack = {
      commandId: 'c',
      taskId: 'tilbakeringing#1',
      completedOn: addDays(orderedOn, 1),
      by: counsellor,
    };
    s = await record(decideComplete(s, callBack, [], at(callBack.completedOn)));
    const acceptedAt = at(addDays(orderedOn, 2));
    s = await record(
      decideAccept(s, { commandId: 'a', by: base.leader }, plan(acceptSteps(acceptedAt)), acceptedAt),
    );
    const talkOn = addDays(orderedOn, 8);
    const talk = {
      commandId: 't',
      taskId: 'oppstartssamtale#1',
      completedOn: talkOn,
      evaluationOn: addDays(talkOn, 30),
      by: counsellor,
    };
    await record(decideComplete(s, talk, plan(validateComplete(s, talk, at(talkOn))), at(talkOn)));
  }

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(rsa.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    api = await startTestApi({
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      AUTH_ISSUERS: JSON.stringify(
        Object.entries(ISSUERS).map(([organisation, issuer]) => ({
          issuer,
          jwksUri: `http://127.0.0.1:${port}/jwks`,
          organisation,
          acr: ['idporten-loa-high'],
        })),
      ),
    });
    const load = await request(api.server)
      .put('/api/reference/regions/finnmark')
      .set('Authorization', `Bearer ${await api.token('demo-admin')}`)
      .send(JSON.parse(FILE) as object);
    expect(load.status).toBe(200);
    const [row] = await api.db.dataSource.query<{ id: string; service_id: string }[]>(
      `SELECT m.id::text, sm.service_id::text FROM municipalities m
         JOIN service_municipalities sm ON sm.municipality_id = m.id WHERE m.number = '5610'`,
    );
    karasjok = { id: row.id, serviceId: row.service_id };
    expect(karasjok.serviceId).toBe(KARASJOK_SERVICE);
    [{ id: selbu }] = await api.db.dataSource.query<{ id: string }[]>(
      `SELECT id::text FROM municipalities WHERE number = '5032'`,
    );

    // Alta: 7 placements active in the report year (2 since the year before), 2 with the report year's
    // tasks done on their day; Karasjok: 2, too few to show.
    const seed = (serviceId: string, municipalityId: string, date: string, done: boolean) =>
      seedPlannedPlacement(api.db, {
        serviceId,
        municipalityId,
        facts: placementFacts('omsorgsovertakelse', date),
        after: done ? completeDueIn(YEAR) : undefined,
      });
    for (let i = 0; i < 5; i++)
      await seed(FINNMARK_DEMO.alta, FINNMARK_DEMO.altaMunicipality, `${YEAR}-02-0${2 + i}`, i < 2);
    for (let i = 0; i < 2; i++)
      await seed(FINNMARK_DEMO.alta, FINNMARK_DEMO.altaMunicipality, `${YEAR - 1}-06-0${3 + i}`, false);
    for (let i = 0; i < 2; i++) await seed(karasjok.serviceId, karasjok.id, `${YEAR}-03-0${2 + i}`, false);
    await projectAll(api.db);

    // Alta's service orders from the kompetansebase: 6 in the report year, 2 the year before (hidden).
    for (const [i, outcome] of (
      ['started', 'started', 'started', 'declined', 'queued', 'started'] as const
    ).entries())
      await order(`${YEAR}-03-1${i}`, outcome);
    await order(`${YEAR - 1}-09-01`, 'started');
    await order(`${YEAR - 1}-09-02`, 'declined');
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('reports Alta with the adherence API’s figures and the kompetansebase use, read back from the PDF', async () => {
    const leader = await api.token('demo-finnmark-leder');
    const alta = FINNMARK_DEMO.altaMunicipality;
    const draft = bodyOf<CouncilReportDto>(
      await get(`/api/council-reports?municipality=${alta}&year=${YEAR}`, leader),
    );
    expect(draft).toMatchObject({
      status: 'utkast',
      municipality: { id: alta, name: 'Alta', number: '5601' },
      service: { id: FINNMARK_DEMO.alta, name: 'Alta barneverntjeneste' },
    });
    const asOf = encodeURIComponent(draft.asOf);
    const cells = async (year: number) => ({
      adherence: bodyOf<Report>(
        await get(
          `/api/adherence/report?from=${year}-01-01&to=${year}-12-31&by=municipality&asOf=${asOf}`,
          leader,
        ),
      ).rows.find((r) => r.key === alta)!,
      statutory: bodyOf<Report>(
        await get(`/api/adherence/statutory-compliance?year=${year}&by=municipality&asOf=${asOf}`, leader),
      ).rows.find((r) => r.key === alta)!,
    });
    const now = await cells(YEAR);
    expect(now.adherence.placements).toBe(7);
    expect(now.statutory.followUpCompliant).toBe(2);
    const figures = ({ key: _k, label: _l, ...rest }: Cell) => rest;
    expect(draft.current.adherence).toMatchObject(figures(now.adherence));
    expect(draft.current.statutory).toMatchObject(figures(now.statutory));
    expect(draft.previous.adherence.suppressed).toBe(true); // 2 placements the year before

    const kb = await kompetansebaseFiguresFor(api.db.dataSource, alta, YEAR);
    expect(kb).toMatchObject({
      suppressed: false,
      orders: 6,
      accepted: 4,
      declinedForCapacity: 1,
      waiting: 1,
    });
    expect(kb.medianDaysToStart).toBe(8);
    const measure = (label: string) => draft.kompetansebase?.find((m) => m.label === label);
    expect(measure('Bestillinger')).toEqual({ label: 'Bestillinger', current: 6, previous: null });
    expect(measure('Tatt imot')?.current).toBe(kb.accepted);
    expect(measure('Avslått på grunn av kapasitet')?.current).toBe(1);
    expect(measure('Venter på svar')?.current).toBe(1);
    expect(measure('Median dager til oppstart')?.current).toBe(8);
    expect(measure('Tilbakeringinger i tide')?.current).toBe(kb.callBacks?.onTime);

    const text = await pdfOf(`/api/council-reports/report.pdf?municipality=${alta}&year=${YEAR}`, leader);
    expect(text).toContain('Alta kommune (kommunenummer 5601)');
    expect(text).toContain('Barneverntjeneste: Alta barneverntjeneste');
    const row = (measureName: string) => new RegExp(`^Totalt ${measureName} ([^\\n]+)$`, 'm').exec(text)?.[1];
    expect(row('Plasseringer')).toMatch(new RegExp(`^${String(now.statutory.placements)} skjult –$`));
    expect(row('Andel i tide')).toBe(`${pct(now.adherence.onTimeRate)} skjult –`);
    expect(row('Bestillinger')).toBe('6 skjult –');
    expect(row('Avslått på grunn av kapasitet')).toBe('1 skjult –');
    expect(text).not.toContain('Ingen kompetansebase-bruk registrert.');
  });

  it('prints Kárášjohka-Karasjok with its Sámi letters, its few placements hidden', async () => {
    const leader = await leaderOf(karasjok.serviceId, 'karasjok-leder');
    const draft = bodyOf<CouncilReportDto>(
      await get(`/api/council-reports?municipality=${karasjok.id}&year=${YEAR}`, leader),
    );
    expect(draft.municipality).toEqual({ id: karasjok.id, name: 'Kárášjohka-Karasjok', number: '5610' });
    expect(draft.current.statutory.suppressed).toBe(true);
    expect(draft.kompetansebase).toBeNull(); // the service never ordered
    const text = await pdfOf(
      `/api/council-reports/report.pdf?municipality=${karasjok.id}&year=${YEAR}`,
      leader,
    );
    expect(text).toContain('Kárášjohka-Karasjok kommune (kommunenummer 5610)');
    expect(text).toContain('Kárášjohka-Karasjok kommune (5610) · Tilstandsrapport');
    expect(text).toContain('Ingen kompetansebase-bruk registrert.');
    expect(text).not.toMatch(/Plasseringer 2 /);
  });

  it('lets a Finnmark leader sign off Finnmark’s report and not Trøndelag’s, and the reverse', async () => {
    const finnmark = await api.token('demo-finnmark-leder');
    const trondelag = await leaderOf(VARNES, 'varnes-leder');
    expect((await signOff(selbu, finnmark)).status).toBe(403);
    expect((await signOff(FINNMARK_DEMO.altaMunicipality, trondelag)).status).toBe(403);
    const alta = await signOff(FINNMARK_DEMO.altaMunicipality, finnmark);
    expect(alta.status).toBe(200);
    expect(bodyOf<CouncilReportDto>(alta)).toMatchObject({
      status: 'godkjent',
      signedOff: { by: 'demo-finnmark-leder' },
    });
    expect((await signOff(selbu, trondelag)).status).toBe(200);
    const signed = await api.db.dataSource.query<{ municipality_id: string; signed_by: string }[]>(
      `SELECT municipality_id::text, signed_by FROM council_report_signoffs ORDER BY signed_by`,
    );
    expect(signed).toEqual([
      { municipality_id: FINNMARK_DEMO.altaMunicipality, signed_by: 'demo-finnmark-leder' },
      { municipality_id: selbu, signed_by: 'varnes-leder' },
    ]);
    // The released Alta report: signed, with the Finnmark leader's name, and the kompetansebase figures.
    const text = await pdfOf(
      `/api/council-reports/report.pdf?municipality=${FINNMARK_DEMO.altaMunicipality}&year=${YEAR}`,
      await api.token('demo-finnmark-nettverksleder'),
    );
    expect(text).toContain('Godkjent av Nils Isak Eira (leder)');
    expect(text).toMatch(/^Totalt Bestillinger 6 skjult –$/m);
  });
});
