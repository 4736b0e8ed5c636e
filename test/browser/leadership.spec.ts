import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { browserSuite, card } from '../support/browser-suite.js';

/**
 * Leaders in a real browser against the real system: the service's leader (escalations, a co-signed
 * waiver, the access log, adherence, giving a task to a colleague) and the learning network's lead
 * (adherence only). The leader's flows use one placement registered through the API first, dated 40
 * days ago, so it has overdue and escalated tasks.
 */
describe('web app in Chromium: leaders', () => {
  const s = browserSuite();
  let seeded: string;

  beforeAll(async () => {
    seeded = await s.seedPlacement();
  }, 180_000);

  it('leder: escalations, co-signs a statutory waiver, sees who accessed the child, and adherence', async () => {
    const page = await s.as('demo-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Ledelse' }).click();
    await page.getByRole('heading', { name: 'Ledelse', level: 1 }).waitFor();
    const escalated = page.getByRole('region', { name: 'Eskalerte oppgaver' });
    // Ten at a time, oldest due first: page on until the step shows.
    await escalated.locator('li.task-card').first().waitFor();
    const next = escalated.getByRole('button', { name: 'Neste' });
    while (
      !(await card(escalated, 'Fosterhjemmet godkjent').isVisible()) &&
      (await next.count()) > 0 &&
      (await next.isEnabled())
    )
      await next.click();
    await card(escalated, 'Fosterhjemmet godkjent').waitFor();
    expect(await escalated.getByText('Forsinket · eskalert', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: /Plasseringer som kan få for få lovpålagte besøk/ }).waitFor();
    await s.checkPage(page, 'ledelse');

    // The caseworker asked for a statutory step to be waived; the leader co-signs it in the dialog.
    await s.api(
      'demo-kontaktperson',
      `/api/tasks/${seeded}/${encodeURIComponent('omsorgsplan#1')}/waiver-request`,
      {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          reason: 'erstattet-av-annet-tiltak',
          justification: 'Planen er laget i en annen sak.',
        }),
      },
    );
    await page.reload();
    const requests = page.getByRole('region', { name: 'Anmodninger om frafall' });
    const plan = requests.locator('li', { hasText: 'Plan for barnets omsorgssituasjon' }).filter({
      has: page.locator(`a[href="/plasseringer/${seeded}"]`),
    });
    await s.untilVisible(page, plan);
    await plan.getByRole('button', { name: /^Medsigner frafall/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Medsigner frafallet' }).click();
    await page.getByText('«Plan for barnets omsorgssituasjon» er frafalt med din medsignatur.').waitFor();

    await page.goto(`/plasseringer/${seeded}`);
    await page.getByRole('button', { name: 'Vis tilgangsloggen' }).click();
    // Both logs read as sentences: names, role labels, the step's title, dd.mm.yyyy kl. hh.mm.
    const log = page.getByRole('list', { name: 'Tilgangslogg, nyeste først' });
    await log.waitFor();
    const when = String.raw`\d{2}\.\d{2}\.\d{4} kl\. \d{2}\.\d{2}\.`;
    const entries = await log.getByRole('listitem').allTextContents();
    expect(entries).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Ingrid Haugen \\(kontaktperson\\) registrerte plasseringen ${when}$`),
      ),
    );
    expect(entries).toContainEqual(
      expect.stringMatching(new RegExp(`^Åse Myhre \\(leder\\) så plasseringen i en oppgaveliste ${when}$`)),
    );
    expect(entries.join('\n')).not.toMatch(/GET \/api|event:|demo-/);
    await page.getByLabel('Vis tekniske koder').first().check();
    expect(await log.textContent()).toContain(
      'demo-kontaktperson · kontaktperson · event:PlacementRegistered',
    );
    await page.getByText('Hendelseslogg for pakken').click();
    const history = page.getByRole('list', { name: 'Hendelser, eldste først' });
    await history.getByText(/: Første besøk i hjemmet ble åpnet\.$/).waitFor();
    expect(await history.textContent()).toMatch(
      new RegExp(`${when.slice(0, -2)}: Plasseringen ble registrert av (Ingrid Haugen|kontaktpersonen): `),
    );
    expect(await history.textContent()).not.toMatch(/Task[A-Z]|#\d/);
    await page.getByRole('table', { name: /Besøk i \d{4}/ }).waitFor();
    await s.checkPage(page, 'plassering-leder');

    await page.getByRole('navigation').getByRole('link', { name: 'Etterlevelse' }).click();
    await page.getByText('Tall for din tjeneste.', { exact: false }).waitFor();
    await page.getByRole('figure', { name: 'Andel steg utført i tide, per spor' }).waitFor();
    await s.checkPage(page, 'etterlevelse-leder');
  });

  it('leder: annuls a placement registered by mistake (a caseworker cannot); it shows as «Annullert»', async () => {
    const placementId = await s.seedPlacement({ daysAgo: 3, escalated: false });
    const caseworker = await s.as('demo-kontaktperson');
    await caseworker.goto(`/plasseringer/${placementId}`);
    await caseworker.getByRole('button', { name: 'Avslutt plasseringen' }).waitFor();
    expect(await caseworker.getByRole('button', { name: 'Annuller plasseringen' }).count()).toBe(0);

    const page = await s.as('demo-leder');
    await page.goto(`/plasseringer/${placementId}`);
    await page.getByRole('button', { name: 'Annuller plasseringen' }).click();
    const dialog = page.getByRole('dialog', { name: /^Annullere / });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('tas ut av tallene for etterlevelse');
    await s.checkPage(page, 'plassering-bekreft-annuller');
    await dialog.getByRole('button', { name: 'Annuller plasseringen' }).click();
    await page.getByText('Plasseringen er annullert.').waitFor();
    await s.untilText(page, page.locator('dl.summary'), 'Annullert');
    expect(await page.getByRole('button', { name: 'Annuller plasseringen' }).count()).toBe(0);
  });

  it('leder: gives a task to a caseworker chosen by name, then back to the role pool', async () => {
    const page = await s.as('demo-leder');
    await page.goto('/oppgaver?visning=alle&oppsett=kort'); // every task the leader sees, as cards
    await page.getByLabel('Plassering', { exact: true }).selectOption(seeded);
    const visit = card(page, 'Første besøk i hjemmet');
    await visit.waitFor();
    const assigneeOf = async () =>
      (
        await s.api<{ assigneeId: string | null }>(
          'demo-leder',
          `/api/tasks/${seeded}/${encodeURIComponent('besok-uke1#1')}`,
        )
      ).assigneeId;
    expect(await assigneeOf()).toBeNull();

    // The choices are the service's caseworkers by name (no ids to type), and the role's pool.
    await visit.getByRole('button', { name: 'Tildel «Første besøk i hjemmet»', exact: true }).click();
    const choice = visit.getByLabel('Gi oppgaven til');
    await choice.waitFor();
    expect(await choice.locator('option').allTextContents()).toEqual([
      'Rollens felles kø',
      'Ingrid Haugen',
      'Jonas Bakke',
    ]);
    await s.checkPage(page, 'tildel-oppgave');
    await choice.selectOption({ label: 'Jonas Bakke' });
    await visit.getByRole('button', { name: 'Tildel oppgaven' }).click();
    await page.getByText('«Første besøk i hjemmet» er gitt til Jonas Bakke.').waitFor();
    for (let i = 0; i < 50 && (await assigneeOf()) !== 'demo-kontaktperson-2'; i++)
      await page.waitForTimeout(200);
    expect(await assigneeOf()).toBe('demo-kontaktperson-2');
    // The inbox says who has it, by name.
    const holder = visit.locator('div', { has: page.locator('dt', { hasText: 'Ansvarlig' }) }).locator('dd');
    await s.untilText(page, holder, 'Jonas Bakke');

    await s.untilVisible(
      page,
      visit.getByRole('button', { name: 'Tildel «Første besøk i hjemmet»', exact: true }),
    );
    await visit.getByRole('button', { name: 'Tildel «Første besøk i hjemmet»', exact: true }).click();
    await visit.getByLabel('Gi oppgaven til').selectOption({ label: 'Rollens felles kø' });
    await visit.getByRole('button', { name: 'Tildel oppgaven' }).click();
    await page.getByText('«Første besøk i hjemmet» er lagt i rollens felles kø.').waitFor();
    for (let i = 0; i < 50 && (await assigneeOf()) !== null; i++) await page.waitForTimeout(200);
    expect(await assigneeOf()).toBeNull();
  });

  it('læringsnettverksleder: adherence charts with tables, period selector and CSV, nothing else', async () => {
    const page = await s.as('demo-laeringsnettverksleder');
    await page.getByRole('heading', { name: 'Etterlevelse', level: 1 }).waitFor();
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Etterlevelse',
      'Kompetansebasens etterlevelse',
    ]);
    await page.getByText('Grupper med færre enn 5 plasseringer vises ikke').waitFor();
    for (const name of [
      'Andel steg utført i tide, per tjeneste',
      'Andel steg utført i tide, per spor',
      'Andel steg utført i tide, per steg',
      'Forsinkede, åpne steg per kvartal',
      /Plasseringer med nok oppfølgingsbesøk/,
      /Plasseringer med nok tilsynsbesøk/,
    ]) {
      const figure = page.getByRole('figure', { name });
      await figure.waitFor();
      // Every chart carries its numbers as a table.
      expect(await figure.locator('table').count()).toBe(1);
    }
    // Whole published quarters only (the API refuses a lead any other period): no free dates, no presets.
    expect(await page.getByRole('button', { name: 'Hittil i år' }).count()).toBe(0);
    const quarter = page.getByRole('combobox', { name: 'Kvartal' });
    const options = await quarter.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    expect(options.every((o) => /^[1-4]\. kvartal \d{4}$/.test(o))).toBe(true);
    await quarter.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Vis kvartalet' }).click();
    await page.getByText(/^Viser frister \d\d\.(01|04|07|10)\.\d{4}–\d\d\.(03|06|09|12)\.\d{4}/).waitFor();
    await page.waitForLoadState('networkidle');
    await s.checkPage(page, 'etterlevelse-laeringsnettverk');

    await page.getByLabel('Fordelt på').selectOption('track');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^etterlevelse-etter-spor-\d{4}-\d\d-\d\d-til-\d{4}-\d\d-\d\d-per-\d{4}-\d\d-\d\d\.csv$/,
    );
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFNøkkel;Gruppe;Skjult \(små tall\);Plasseringer;/);

    await page.goto('/plasseringer/ny');
    await page.getByRole('heading', { name: 'Ingen tilgang' }).waitFor();
  });
});
