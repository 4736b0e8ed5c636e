import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { publishCatalog } from '../catalog/publish.js';
import type { ReductionDecision } from '../plan.js';
import { planPackage } from './plan-package.js';
import { facts, stepIds, task } from './test-support.js';

const calendar = norwegianWorkingDays();
const plan = (over: Parameters<typeof facts>[0] = {}, reductions: readonly ReductionDecision[] = []) =>
  planPackage(DEFAULT_CATALOG, { facts: facts(over), reductions }, calendar);

const ALWAYS = [
  'avslutning',
  'besok-uke1',
  'evaluering-3mnd',
  'evaluering-planer',
  'fosterhjemsavtale',
  'gjennomgang-planer',
  'godkjenning',
  'grunnopplaering',
  'helse',
  'kartlegging',
  'kontakt-dag1',
  'leder-avvik',
  'oppfolgingsbesok',
  'plan-fosterfamilien',
  'tilsyn-organisert',
  'veiledning',
];
const WITH_FLAGS = [
  'bufetat-avklaring',
  'foreldre-plan',
  'samvaer-evaluering',
  'samvaer-forste',
  'skole-barnehage',
];

describe('planPackage: which steps apply', () => {
  it('care order: omsorgsplan and the offer to parents, no tiltaksplan', () => {
    expect(stepIds(plan())).toEqual(
      [
        ...ALWAYS,
        ...WITH_FLAGS,
        'forventningssamtale',
        'foreldre-tilbud',
        'omsorgsplan',
        'plan-innflytting',
        'tilsynsbesok',
      ].sort(),
    );
  });

  it('voluntary: tiltaksplan, no omsorgsplan or offer to parents', () => {
    expect(stepIds(plan({ placementType: 'frivillig' }))).toEqual(
      [
        ...ALWAYS,
        ...WITH_FLAGS,
        'forventningssamtale',
        'plan-innflytting',
        'tiltaksplan',
        'tilsynsbesok',
      ].sort(),
    );
  });

  it('emergency under a care order: no move-in plan; [E] offsets, the care plan by day 42', () => {
    const tasks = plan({ placementType: 'akutt' });
    expect(stepIds(tasks)).toEqual(
      [
        ...ALWAYS,
        ...WITH_FLAGS,
        'forventningssamtale',
        'tilsynsbesok',
        'omsorgsplan',
        'foreldre-tilbud',
      ].sort(),
    );
    expect(task(tasks, 'omsorgsplan#1').nominalDueOn).toBe('2026-04-13');
    // A voluntary emergency placement gets the measures plan instead, also by day 42.
    const voluntary = plan({ placementType: 'akutt', legalBasis: 'frivillig' });
    expect(stepIds(voluntary)).toContain('tiltaksplan');
    expect(stepIds(voluntary)).not.toContain('omsorgsplan');
    expect(task(voluntary, 'tiltaksplan#1').nominalDueOn).toBe('2026-04-13');
    // 2026-03-02 + offset; all land on working days.
    expect(task(tasks, 'forventningssamtale#1').nominalDueOn).toBe('2026-03-09');
    expect(task(tasks, 'fosterhjemsavtale#1').nominalDueOn).toBe('2026-03-16');
    expect(task(tasks, 'gjennomgang-planer#1').nominalDueOn).toBe('2026-03-16');
    expect(task(tasks, 'godkjenning#1').nominalDueOn).toBe('2026-04-13');
    expect(task(tasks, 'grunnopplaering#1').nominalDueOn).toBe('2026-05-31');
    expect(task(tasks, 'grunnopplaering#1').dueOn).toBe('2026-05-29'); // Sunday → Friday
  });

  it('kinship: [K] offsets for approval and training only', () => {
    const tasks = plan({ placementType: 'slekt-nettverk' });
    expect(stepIds(tasks)).toEqual(
      [
        ...ALWAYS,
        ...WITH_FLAGS,
        'forventningssamtale',
        'plan-innflytting',
        'tilsynsbesok',
        'omsorgsplan',
        'foreldre-tilbud',
      ].sort(),
    );
    expect(task(tasks, 'godkjenning#1').nominalDueOn).toBe('2026-04-13');
    expect(task(tasks, 'fosterhjemsavtale#1').nominalDueOn).toBe('2026-03-02');
    expect(task(tasks, 'forventningssamtale#1').nominalDueOn).toBe('2026-02-23');
  });

  it('drops the steps whose facts are missing', () => {
    const tasks = plan({
      samvaer: false,
      parentsReachable: false,
      inSchoolOrKindergarten: false,
      bufetatHelp: false,
      beredskapshjem: true,
      childAgeYears: 18,
    });
    expect(stepIds(tasks)).toEqual([...ALWAYS, 'foreldre-tilbud', 'omsorgsplan', 'plan-innflytting'].sort());
  });

  it('never plans completion-anchored steps up front', () => {
    const ids = stepIds(plan());
    expect(ids).not.toContain('tilsynsrapport');
    expect(ids).not.toContain('barnesamtale');
  });
});

describe('planPackage: dates', () => {
  it('plans recurrences as numbered tasks within the package', () => {
    const tasks = plan();
    expect(tasks.filter((t) => t.stepId === 'veiledning')).toHaveLength(15);
    expect(tasks.filter((t) => t.stepId === 'leder-avvik')).toHaveLength(12);
    expect(tasks.filter((t) => t.stepId === 'omsorgsplan').map((t) => t.nominalDueOn)).toEqual([
      '2026-03-02',
      '2026-08-31',
      '2027-03-01',
    ]);
    expect(task(tasks, 'avslutning#1').nominalDueOn).toBe('2027-03-02');
  });

  it('opens each task windowDays before its nominal due date', () => {
    const t = task(plan(), 'forventningssamtale#1');
    expect(t).toMatchObject({ opensOn: '2026-02-09', nominalDueOn: '2026-02-23', dueOn: '2026-02-23' });
  });

  it('moves a due date on 17 May to the working day before', () => {
    // 2027-05-17 is a Monday (grunnlovsdag and andre pinsedag): day 0 = 17 May.
    const t = task(plan({ placementDate: '2027-05-17' }), 'fosterhjemsavtale#1');
    expect(t).toMatchObject({ nominalDueOn: '2027-05-17', dueOn: '2027-05-14', opensOn: '2027-05-03' });
  });

  it('moves past Easter without going before the task opens', () => {
    const tasks = plan({ placementDate: '2026-04-06' }); // andre påskedag
    expect(task(tasks, 'fosterhjemsavtale#1')).toMatchObject({ dueOn: '2026-04-01', opensOn: '2026-03-23' });
    // Opens 2026-04-05 with a one-day window: nothing earlier is allowed, so the next working day.
    expect(task(tasks, 'kontakt-dag1#1')).toMatchObject({
      opensOn: '2026-04-06',
      nominalDueOn: '2026-04-07',
      dueOn: '2026-04-07',
    });
    // A window with no working day at all: the task stays on its nominal day, never later.
    const early = plan({ placementDate: '2026-04-05' });
    expect(task(early, 'kontakt-dag1#1')).toMatchObject({
      opensOn: '2026-04-05',
      nominalDueOn: '2026-04-06',
      dueOn: '2026-04-06',
    });
  });

  it('moves Christmas Day past julaften (a closure day) to the 23rd', () => {
    const tasks = plan({ placementDate: '2026-12-25' });
    expect(task(tasks, 'fosterhjemsavtale#1')).toMatchObject({
      nominalDueOn: '2026-12-25',
      dueOn: '2026-12-23',
    });
    expect(task(tasks, 'kontakt-dag1#1')).toMatchObject({ nominalDueOn: '2026-12-26', dueOn: '2026-12-26' });
  });

  it('sorts by due date, then task id', () => {
    const tasks = plan();
    const keys = tasks.map((t) => `${t.dueOn} ${t.taskId}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('carries the catalog metadata onto each task', () => {
    const tasks = plan();
    expect(task(tasks, 'oppfolgingsbesok#1')).toMatchObject({
      stepId: 'oppfolgingsbesok',
      occurrence: 1,
      title: 'Lovpålagt oppfølgingsbesøk',
      track: 'barnet',
      role: 'kontaktperson',
      catalogVersion: '2026.2',
      statutory: 'oppfolgingsbesok',
      requiresCoSignToWaive: true,
    });
    // Not LAW itself, but it counts toward the statutory four: waiving it needs a leader too.
    expect(task(tasks, 'besok-uke1#1')).toMatchObject({
      statutory: 'oppfolgingsbesok',
      requiresCoSignToWaive: true,
    });
    expect(task(tasks, 'kontakt-dag1#1')).not.toHaveProperty('statutory');
  });

  it('cuts recurrences at the policy package length', () => {
    const policy = { reminderDaysBefore: 3, escalationDelayDays: 7, packageDays: 180 };
    const tasks = planPackage(DEFAULT_CATALOG, { facts: facts(), reductions: [], policy }, calendar);
    expect(tasks.filter((t) => t.stepId === 'leder-avvik')).toHaveLength(6);
    expect(stepIds(tasks)).not.toContain('avslutning');
  });

  it('rejects malformed input', () => {
    expect(() => plan({ placementDate: '2026-02-30' })).toThrow(RangeError);
    expect(() =>
      plan({}, [{ kind: 'oppfolgingsbesok', minimumPerYear: 0, effectiveFrom: '2026-06-01' }]),
    ).toThrow(RangeError);
    const policy = { reminderDaysBefore: 3, escalationDelayDays: 0, packageDays: 365 };
    expect(() => planPackage(DEFAULT_CATALOG, { facts: facts(), reductions: [], policy }, calendar)).toThrow(
      RangeError,
    );
  });
});

describe('planPackage: timers', () => {
  it('sets 07:00 Oslo opening and reminder, midnight overdue, escalation a week later', () => {
    // Winter: UTC+1.
    expect(task(plan(), 'forventningssamtale#1').timers).toEqual({
      opensAt: '2026-02-09T06:00:00.000Z',
      remindAt: '2026-02-20T06:00:00.000Z',
      overdueAt: '2026-02-23T23:00:00.000Z',
      escalateAt: '2026-03-02T23:00:00.000Z',
    });
  });

  it('keeps 07:00 wall clock across the daylight-saving change', () => {
    // kontakt-dag1 opens on move-in, 2026-03-29 (spring forward) and is due Monday 30 March.
    expect(task(plan({ placementDate: '2026-03-29' }), 'kontakt-dag1#1').timers).toEqual({
      opensAt: '2026-03-29T05:00:00.000Z',
      remindAt: '2026-03-29T05:00:00.000Z', // 3 days before due is before opening
      overdueAt: '2026-03-30T22:00:00.000Z',
      escalateAt: '2026-04-06T22:00:00.000Z',
    });
    // Due Sunday 25 October (fall back) moves to Friday 23rd; escalation crosses the change.
    expect(task(plan({ placementDate: '2026-10-25' }), 'fosterhjemsavtale#1').timers).toMatchObject({
      overdueAt: '2026-10-23T22:00:00.000Z',
      escalateAt: '2026-10-30T23:00:00.000Z',
    });
  });

  it('lets the catalog override the policy timers', () => {
    const catalog = publishCatalog({
      ...DEFAULT_CATALOG,
      version: '2026.2',
      reminderDaysBefore: 7,
      escalationDelayDays: 2,
    });
    const t = task(
      planPackage(catalog, { facts: facts(), reductions: [] }, calendar),
      'forventningssamtale#1',
    );
    expect(t.catalogVersion).toBe('2026.2');
    expect(t.timers.remindAt).toBe('2026-02-16T06:00:00.000Z');
    expect(t.timers.escalateAt).toBe('2026-02-25T23:00:00.000Z');
  });
});

describe('planPackage: statutory minimums', () => {
  const statutory = (tasks: ReturnType<typeof plan>, kind: string) =>
    tasks.filter((t) => t.statutory === kind).map((t) => `${t.taskId} ${t.dueOn}`);

  it('plans one statutory visit per 91 days plus the first-week visit', () => {
    expect(statutory(plan(), 'oppfolgingsbesok')).toEqual([
      'besok-uke1#1 2026-03-09',
      'oppfolgingsbesok#1 2026-06-01',
      'oppfolgingsbesok#2 2026-08-31',
      'oppfolgingsbesok#3 2026-11-30',
      'oppfolgingsbesok#4 2027-03-01',
    ]);
  });

  it('pulls the cadence visit after the package into a year that falls short (not an extra visit)', () => {
    // 2026-09-01 .. 2027-08-31: 2026 has 122 days → round(4 × 122 / 365 = 1.34) = 1 and gets two
    // (1 Oct, 30 Dec: the 31st is a closure day); 2027 has 243 days → round(2.66) = 3 but the cadence
    // leaves two (1 Apr, 1 Jul):
    // its next visit (tilsynsbesok#5, 30 Sep 2027) comes forward to the package's last working day.
    expect(statutory(plan({ placementDate: '2026-09-01' }), 'tilsynsbesok')).toEqual([
      'tilsynsbesok#1 2026-10-01',
      'tilsynsbesok#2 2026-12-30',
      'tilsynsbesok#3 2027-04-01',
      'tilsynsbesok#4 2027-07-01',
      'tilsynsbesok#5 2027-08-31',
    ]);
    expect(task(plan({ placementDate: '2026-09-01' }), 'tilsynsbesok#5')).toMatchObject({
      nominalDueOn: '2027-08-31',
      opensOn: '2027-08-17',
      requiresCoSignToWaive: true,
    });
    // 1 July: 184 + 181 days → 2 + 2, which the cadence gives: nothing is pulled.
    expect(statutory(plan({ placementDate: '2026-07-01' }), 'tilsynsbesok')).toEqual([
      'tilsynsbesok#1 2026-07-31',
      'tilsynsbesok#2 2026-10-30',
      'tilsynsbesok#3 2027-01-29',
      'tilsynsbesok#4 2027-04-30',
    ]);
  });

  it('asks no visit of a single day of a year (2026-01-02: none due on New Year’s Day 2027)', () => {
    // Package 2026-01-02 .. 2027-01-01: 1 January 2027 alone requires round(4 × 1 / 365) = 0 visits.
    const tasks = plan({ placementDate: '2026-01-02' });
    expect(tasks.filter((t) => t.statutory && t.dueOn >= '2027-01-01')).toEqual([]);
    expect(tasks.filter((t) => t.statutory).map((t) => t.taskId)).not.toContain('oppfolgingsbesok#5');
  });

  it('plans no supervision after 18', () => {
    expect(statutory(plan({ childAgeYears: 18 }), 'tilsynsbesok')).toEqual([]);
  });

  it('follows a recorded reduction from its effective date only', () => {
    const reduction = { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2026-09-01' } as const;
    expect(statutory(plan({}, [reduction]), 'oppfolgingsbesok')).toEqual([
      'besok-uke1#1 2026-03-09',
      'oppfolgingsbesok#1 2026-06-01',
      'oppfolgingsbesok#2 2026-08-31', // before the decision: kept
      'oppfolgingsbesok#3 2027-03-01', // 182 days later
    ]);
    // Supervision is another duty: unchanged.
    expect(statutory(plan({}, [reduction]), 'tilsynsbesok')).toEqual(statutory(plan(), 'tilsynsbesok'));
  });

  it('still meets the pro-rata share of the year before a reduction', () => {
    // Reduced to 2 from 1 March 2026 for a placement on 1 July 2025: 2025 needs round(4 × 184 / 365) = 2
    // (cadence: 3), 2026 needs round((4 × 59 + 2 × 122) / 365 = 1.32) = 1 within 1 Jan–30 Jun.
    const reduction = { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2026-03-01' } as const;
    const visits = plan({ placementDate: '2025-07-01' }, [reduction]).filter(
      (t) => t.statutory === 'oppfolgingsbesok',
    );
    expect(visits.filter((t) => t.dueOn >= '2026-01-01' && t.dueOn <= '2026-06-30').length).toBe(1);
    expect(visits.filter((t) => t.dueOn <= '2025-12-31').length).toBe(3);
  });
});
