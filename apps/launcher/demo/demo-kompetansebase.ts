import { addDays } from '../../../libs/domain/calendar/dates.js';
import { client } from './demo-seed.js';

/*
 * `npm start`'s kompetansebase demo: orders from the demo network's services to its base, sent through the
 * API as the demo users (caseworkers order, the base's leader decides, a counsellor calls back and holds the
 * start talk), so the base's queue, its counsellors' «Mine oppgaver» and its adherence page have something
 * to show. Every command has a stable Idempotency-Key from the anchor: a second run repeats, adds nothing.
 * The texts are fictional; the families of a group are opaque labels, as the API requires.
 */

type Decision =
  | { readonly kind: 'none' }
  | { readonly kind: 'wait'; readonly reason: 'kapasitet' | 'avklaring' }
  | { readonly kind: 'decline'; readonly reason: 'kapasitet' | 'utenfor-mandat' }
  | { readonly kind: 'accept'; readonly startTalk: boolean };

interface DemoOrder {
  readonly by: string;
  readonly requestType: string;
  readonly urgency: 'vanlig' | 'haster';
  readonly goal: string;
  readonly families?: readonly string[];
  readonly callBack: boolean;
  readonly decision: Decision;
}

export const KOMPETANSEBASE_DEMO: readonly DemoOrder[] = [
  {
    by: 'demo-kontaktperson',
    requestType: 'veiledning-fosterforeldre',
    urgency: 'haster',
    goal: 'Fosterforeldrene skal håndtere barnets reaksjoner etter samvær.',
    callBack: true,
    decision: { kind: 'accept', startTalk: true },
  },
  {
    by: 'demo-kontaktperson',
    requestType: 'hjemmebasert-foreldreveiledning',
    urgency: 'vanlig',
    goal: 'Foreldrene skal få støtte til gode samvær.',
    callBack: true,
    decision: { kind: 'wait', reason: 'kapasitet' },
  },
  {
    by: 'demo-sorvik-kontaktperson',
    requestType: 'oppfolging-foreldre-mistet-omsorgen',
    urgency: 'vanlig',
    goal: 'Foreldrene skal få oppfølging etter omsorgsovertakelsen.',
    callBack: true,
    decision: { kind: 'decline', reason: 'kapasitet' },
  },
  {
    by: 'demo-sorvik-kontaktperson',
    requestType: 'gruppeveiledning-fosterforeldre',
    urgency: 'vanlig',
    goal: 'Nye fosterforeldre skal lære av hverandre.',
    families: ['familie-1', 'familie-2', 'familie-3'],
    callBack: true,
    decision: { kind: 'accept', startTalk: false },
  },
  {
    by: 'demo-kontaktperson',
    requestType: 'annet-konsultasjon',
    urgency: 'vanlig',
    goal: 'Råd om skolegang for et barn i fosterhjem.',
    callBack: false,
    decision: { kind: 'none' },
  },
];

export interface KompetansebaseDemoSummary {
  readonly orders: number;
  readonly accepted: number;
  readonly waiting: number;
  readonly declined: number;
  readonly assignmentIds: readonly string[];
}

/**
 * Sends the demo orders and their decisions, dated from `anchor` (the day of the first seeding: a run on a
 * later day sends the very same bodies, so its keys answer repeats rather than 422).
 */
export async function seedKompetansebaseDemo(
  apiUrl: string,
  anchor: string,
): Promise<KompetansebaseDemoSummary> {
  const { command } = client(apiUrl);
  const ids: string[] = [];
  for (const [i, o] of KOMPETANSEBASE_DEMO.entries()) {
    const key = `demo-kb-${anchor}-${i + 1}`;
    const ordered = await command(o.by, '/api/kompetansebase/orders', key, {
      requestType: o.requestType,
      urgency: o.urgency,
      caseNumber: `DEMO-KB-${i + 1}`,
      goal: o.goal,
      planReference: `Tiltaksplan demo ${i + 1}`,
      ...(o.families ? { families: o.families } : {}),
    });
    const id = ordered.body.assignmentId!;
    ids.push(id);
    const on = (path: string) => `/api/kompetansebase/assignments/${id}/${path}`;
    const step = (taskId: string) => on(`tasks/${encodeURIComponent(taskId)}/complete`);
    if (o.callBack)
      await command(
        'demo-kb-veileder',
        step('tilbakeringing#1'),
        `${key}-ring`,
        { completedOn: anchor },
        true,
      );
    const d = o.decision;
    if (d.kind === 'wait' || d.kind === 'decline')
      await command('demo-kb-leder', on(d.kind), `${key}-${d.kind}`, { reason: d.reason }, true);
    if (d.kind === 'accept') {
      await command('demo-kb-leder', on('accept'), `${key}-accept`, {}, true);
      if (d.startTalk)
        await command(
          'demo-kb-veileder',
          step('oppstartssamtale#1'),
          `${key}-oppstart`,
          { completedOn: anchor, evaluationOn: addDays(anchor, 90) },
          true,
        );
    }
  }
  const count = (kind: Decision['kind']) =>
    KOMPETANSEBASE_DEMO.filter((o) => o.decision.kind === kind).length;
  return {
    orders: KOMPETANSEBASE_DEMO.length,
    accepted: count('accept'),
    waiting: count('wait') + count('none'),
    declined: count('decline'),
    assignmentIds: ids,
  };
}
