import { browserSuite } from '../support/browser-suite.js';

/**
 * Kompetansebase orders in the web app (issue 17): a Nordby caseworker orders three measures (the page
 * checks the form first), the base's leader lets one wait, declines one and accepts one from the queue
 * (waiting time and capacity beside it), a counsellor calls back on the accepted one, and the caseworker
 * sees what became of each order. Each request type once, so the rows are told apart; no other file
 * orders these types from the base (kb-inbox.spec.ts orders «Annen konsultasjon», which it leaves queued).
 */
describe('web app in Chromium: kompetansebase orders', () => {
  const s = browserSuite();
  const WAIT = 'Hjemmebasert foreldreveiledning';
  const DECLINE = 'Oppfølging av foreldre som har mistet omsorgen';
  const ACCEPT = 'Veiledning av fosterforeldre';

  it('ordering caseworker: the form checks first, then three orders go to the base', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.getByRole('navigation').getByRole('link', { name: 'Bestill fra kompetansebasen' }).click();
    await page.getByRole('heading', { name: 'Bestill fra kompetansebasen', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Send bestilling' }).click();
    await page.getByRole('heading', { name: 'Skjemaet har 3 feil' }).waitFor();
    await s.checkPage(page, 'kompetansebase-bestill-feil');

    const orders = page.getByRole('table', { name: 'Bestillinger fra tjenesten, nyeste først' });
    for (const [n, type] of [WAIT, DECLINE, ACCEPT].entries()) {
      await page.getByLabel('Hva bestilles').selectOption({ label: type });
      await page.getByLabel('Saksnummer').fill(`KB-NETT-${n + 1}`);
      await page.getByLabel('Hva tiltaket skal oppnå').fill('Trygg hverdag for barnet i fosterhjemmet.');
      await page.getByLabel('Tiltaksplan').fill(`Tiltaksplan ${n + 1}`);
      await page.getByRole('button', { name: 'Send bestilling' }).click();
      // Each order is in the service's list before the next is filled in (the form is emptied on success).
      await s.untilVisible(page, orders.getByRole('row', { name: new RegExp(type) }));
    }
    await page.getByRole('heading', { name: 'Bestill fra kompetansebasen', level: 1 }).waitFor();
    await s.checkPage(page, 'kompetansebase-bestilt');
  });

  it('kompetansebase-leder: the queue with waiting time and capacity; wait, decline, accept', async () => {
    const page = await s.as('demo-kb-leder');
    await page.getByRole('heading', { name: 'Kompetansebasens kø', level: 1 }).waitFor();
    await page.getByText(/aktive oppdrag av kapasitet/).waitFor();
    const queue = page.getByRole('table', { name: /Bestillinger som venter på vurdering/ });
    const row = (type: string) => queue.getByRole('row', { name: new RegExp(type) });
    await row(ACCEPT).waitFor();
    await row(WAIT).getByText('0 dager').waitFor();
    await s.checkPage(page, 'kompetansebase-ko');

    // Waiting for capacity, then for clarification: the second is a decision of its own (a new key), not
    // the first one's key with another reason (422).
    const status = row(WAIT).getByRole('cell').nth(3);
    await row(WAIT).getByLabel('Grunn til å vente').selectOption({ label: 'Venter på kapasitet' });
    await row(WAIT).getByRole('button', { name: 'Sett på vent' }).click();
    await page.getByText('Bestillingen er satt på vent.').waitFor();
    await s.untilText(page, status, 'Venter på kapasitet');
    await row(WAIT).getByLabel('Grunn til å vente').selectOption({ label: 'Venter på avklaring' });
    await row(WAIT).getByRole('button', { name: 'Sett på vent' }).click();
    await s.untilText(page, status, 'Venter på avklaring');

    await row(DECLINE).getByLabel('Grunn til avslag').selectOption({ label: 'Ikke kapasitet' });
    await row(DECLINE).getByRole('button', { name: 'Avslå' }).click();
    await page.getByText('Bestillingen er avslått.').waitFor();

    await row(ACCEPT).getByRole('button', { name: 'Ta imot' }).click();
    await page.getByText('Bestillingen er tatt imot.').waitFor();
    await page.getByText(/1 aktive oppdrag av kapasitet 8/).waitFor();
    expect(await row(DECLINE).count()).toBe(0);
    expect(await row(ACCEPT).count()).toBe(0);
    await s.checkPage(page, 'kompetansebase-ko-vurdert');
  });

  it('kompetansebase-veileder: opens the accepted assignment and records the call-back', async () => {
    const page = await s.as('demo-kb-veileder');
    await page.getByRole('heading', { name: 'Kompetansebasens kø', level: 1 }).waitFor();
    const all = page.getByRole('table', { name: 'Basens oppdrag, nyeste først' });
    await all
      .getByRole('row', { name: new RegExp(ACCEPT) })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: ACCEPT, level: 1 }).waitFor();
    await page.getByText('KB-NETT-3').waitFor();
    const callBack = page.getByRole('form', { name: /Fullfør: Ring tilbake/ });
    await callBack.getByRole('button', { name: 'Fullfør steget' }).click();
    await page.getByText(/Ring tilbake.*: utført\./).waitFor();
    const steps = page.getByRole('table', { name: 'Steg i oppdraget' });
    await s.untilText(page, steps.getByRole('row', { name: /Ring tilbake/ }), 'Utført');
    await page.getByRole('form', { name: /Fullfør: .*oppstartssamtale/i }).waitFor();
    await s.checkPage(page, 'kompetansebase-oppdrag');
  });

  it('ordering caseworker: sees the waiting and the declined order', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.goto(`${s.apiUrl}/kompetansebase/bestill`);
    const orders = page.getByRole('table', { name: 'Bestillinger fra tjenesten, nyeste først' });
    await s.untilText(page, orders.getByRole('row', { name: new RegExp(DECLINE) }), 'Avslått');
    await orders
      .getByRole('row', { name: new RegExp(DECLINE) })
      .getByText('Ikke kapasitet')
      .waitFor();
    await orders
      .getByRole('row', { name: new RegExp(WAIT) })
      .getByText('Venter på avklaring')
      .waitFor();
    await s.checkPage(page, 'kompetansebase-bestillinger');
  });
});
