import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite, card } from '../support/browser-suite.js';

/**
 * The administrator in a real browser against the real system: reference data (a learning network
 * added, a service's closure day saved), a catalog version tried before publishing (the dry-run's
 * impact report), and a person added by hand who can be given a task before they ever log in. What it
 * changes stays out of the other files' way: Sørvik's people, a Trøndelag service's closure days, a
 * network of its own, a catalog never published.
 */
describe('web app in Chromium: the administrator', () => {
  const s = browserSuite();
  let sorvikPlacement: string;
  const suffix = randomUUID().slice(0, 6);

  beforeAll(async () => {
    // An active placement with planned tasks, for the dry-run and the assignee picker.
    sorvikPlacement = await s.registerPlacement({ by: 'demo-sorvik-kontaktperson', daysAgo: 10 });
    for (let i = 0; i < 150; i++) {
      const tasks = await s.api<{ items: unknown[] }>(
        'demo-sorvik-leder',
        `/api/tasks?placementId=${sorvikPlacement}`,
      );
      if (tasks.items.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  it('reference data: adds a learning network and saves a service’s closure day', async () => {
    const page = await s.as('demo-admin');
    const nav = page.getByRole('navigation');
    // Only the administrator's pages.
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Personer', 'Referansedata', 'Katalog']);
    await nav.getByRole('link', { name: 'Referansedata' }).click();
    await page.getByRole('heading', { name: 'Referansedata', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Læringsnettverk og tjenestene i dem' }).waitFor();
    await page
      .getByRole('table', { name: /Barneverntjenester/ })
      .getByText('Sørvik barneverntjeneste (fiktiv)')
      .first()
      .waitFor();

    // A name already in use: the API's field error, shown at the field.
    await page.getByLabel('Nytt læringsnettverk').fill('Demonettverket (fiktivt)');
    await page.getByRole('button', { name: 'Opprett læringsnettverk' }).click();
    await page.getByText('navnet er allerede i bruk').waitFor();
    const network = `Testnettverk ${suffix}`;
    await page.getByLabel('Nytt læringsnettverk').fill(network);
    await page.getByRole('button', { name: 'Opprett læringsnettverk' }).click();
    await page.getByText(`Læringsnettverket «${network}» er opprettet.`).waitFor();
    await page
      .getByRole('table', { name: 'Læringsnettverk og tjenestene i dem' })
      .getByRole('rowheader', { name: network })
      .waitFor();

    // A closure day for a Trøndelag service (none of the demo placements' services).
    const services = await s.api<{ id: string; name: string }[]>('demo-admin', '/api/reference/services');
    const service = services.find((x) => !/fiktiv/.test(x.name))!;
    await page.getByLabel('Tjeneste', { exact: true }).selectOption(service.id);
    const day = nextWeekday(addDays(s.today, 200));
    await page.getByLabel('Dato', { exact: true }).fill(day);
    await page.getByLabel('Begrunnelse (valgfritt)').fill('Personalseminar');
    await page.getByRole('button', { name: 'Legg til dag' }).click();
    await page.getByRole('button', { name: 'Lagre stengte dager' }).click();
    await page.getByText(`Stengte dager for ${service.name} er lagret`).waitFor();
    const stored = await s.api<{ days: { date: string; reason?: string }[] }>(
      'demo-admin',
      `/api/reference/services/${service.id}/closure-days`,
    );
    expect(stored.days).toContainEqual({ date: day, reason: 'Personalseminar' });
    await s.checkPage(page, 'admin-referansedata');
  });

  it('catalog: a draft from the current version, tried with its impact report, publishing asked first', async () => {
    const page = await s.as('demo-admin');
    await page.goto('/admin/katalog');
    await page.getByRole('heading', { name: 'Stegkatalog', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Katalogversjoner' }).getByText('2026.1').waitFor();
    await page.getByLabel('Vis versjon').selectOption('2026.1');
    await page.getByRole('button', { name: 'Lag utkast fra versjon 2026.1' }).click();
    const draft = page.getByLabel('Katalog (JSON)');
    await page.waitForFunction("document.getElementById('catalog-draft').value !== ''");

    // Not JSON: said at the field, nothing sent.
    const text = await draft.inputValue();
    await draft.fill('{ ikke json');
    await page.getByRole('button', { name: 'Prøv (tørrkjøring)' }).click();
    await page.getByText('må være en katalog skrevet som JSON-objekt').waitFor();

    // A step due some weeks after move-in, two weeks later: its planned tasks move.
    const catalog = JSON.parse(text) as {
      steps: {
        id: string;
        anchor: { kind: string };
        offsetDays: number;
        recurrence?: unknown;
        title: string;
      }[];
    };
    const step = catalog.steps.find(
      (x) => x.anchor.kind === 'placement' && !x.recurrence && x.offsetDays >= 30 && x.offsetDays <= 120,
    )!;
    step.offsetDays += 14;
    await draft.fill(JSON.stringify(catalog, null, 2));
    await page.getByRole('button', { name: 'Prøv (tørrkjøring)' }).click();
    const report = page.getByRole('region', { name: /Virkning av versjon/ });
    await report.waitFor();
    const row = report.getByRole('row', { name: new RegExp(step.id) });
    await row.waitFor();
    const moved = Number((await row.getByRole('cell').first().textContent()) ?? '0');
    expect(moved).toBeGreaterThanOrEqual(1);
    await s.checkPage(page, 'admin-katalog-torrkjoring');

    // Publishing asks first; «Avbryt» publishes nothing.
    await page.getByRole('button', { name: 'Publiser', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publisere katalogversjonen?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    const versions = await s.api<{ version: string }[]>('demo-admin', '/api/catalogs');
    expect(versions.map((v) => v.version)).not.toContain((catalog as unknown as { version: string }).version);
  });

  it('people: adds a person by hand, who can be given a task before they ever log in', async () => {
    const page = await s.as('demo-admin');
    await page.goto('/admin/personer');
    await page.getByRole('heading', { name: 'Personer og roller', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Personer, etter navn' }).getByText('Nora Strand').waitFor();

    // The page's own checks first, listed in an error summary.
    await page.getByRole('button', { name: 'Legg til person' }).click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Navn: skriv inn navnet',
      'Brukernavn: skriv inn brukernavnet',
      'Tjeneste: velg tjenesten',
      'Roller: velg minst én rolle',
    ]);

    const name = `Kari Testesen ${suffix}`;
    await page.getByLabel('Navn', { exact: true }).fill(name);
    await page.getByLabel('Brukernavn (innlogging)').fill(`kari.${suffix}@sorvik.kommune.no`);
    await page.getByLabel('E-post (valgfritt)').fill(`kari.${suffix}@sorvik.kommune.no`);
    await page
      .getByLabel('Tjeneste', { exact: true })
      .selectOption({ label: 'Sørvik barneverntjeneste (fiktiv)' });
    await page.getByLabel('Kontaktperson', { exact: true }).check();
    await page.getByRole('button', { name: 'Legg til person' }).click();
    await page.getByText(`${name} er lagt til.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    expect(await row.textContent()).toContain('ikke logget inn ennå');
    expect(await row.textContent()).toContain('Lagt inn for hånd');
    await s.checkPage(page, 'admin-personer');

    // Sørvik's leader can give a task to the new caseworker at once.
    const lead = await s.as('demo-sorvik-leder');
    await lead.goto(`/oppgaver?plassering=${sorvikPlacement}&visning=alle&oppsett=kort`); // every task, as cards
    const visit = card(lead, 'Første besøk i hjemmet');
    await s.untilVisible(lead, visit);
    await visit.getByRole('button', { name: 'Tildel «Første besøk i hjemmet»', exact: true }).click();
    const choice = visit.getByLabel('Gi oppgaven til');
    await choice.waitFor();
    expect(await choice.locator('option').allTextContents()).toContain(name);
    await s.checkPage(lead, 'admin-person-i-tildeling');
  });
});

/** The day itself or the next Monday–Friday. */
function nextWeekday(iso: string): string {
  let day = iso;
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1);
  return day;
}
