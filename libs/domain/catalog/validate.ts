import { isIsoDate } from '../calendar/dates.js';
import {
  BASIS_KINDS,
  LEGAL_BASES,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  TASK_ROLES,
  TRACKS,
} from '../vocabulary.js';
import { PLACEMENT_FLAGS, type CatalogIssue } from './types.js';

/**
 * Checks a catalog before it is published. It takes `unknown` because catalogs arrive as data (JSON
 * from an administrator or a file): every required field is checked, not only the typed shape.
 *
 * Rules: version `YYYY.N`; at least one step; unique kebab-case ids; known track, role, co-roles,
 * placement types and flags; integer offsets; windows ≥ 0; anchors that name an existing other step and
 * form no cycle; recurrence only on placement-anchored steps, with intervals ≥ 1, a count ≥ 1 and
 * phases whose `untilDay` rises; sane age ranges; a known statutory kind (only on placement-anchored
 * steps, whose cadence the planner can fill in); a basis with kind and source. Returns all issues
 * found, in data order, with Norwegian messages; an empty list means the catalog is valid.
 */
export function validateCatalog(catalog: unknown): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const report = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!isRecord(catalog)) {
    report('', 'Katalogen må være et objekt.');
    return issues;
  }
  unknownFields(catalog, CATALOG_FIELDS, '', report);

  if (!isNonEmptyString(catalog.version)) report('version', 'Versjon mangler.');
  else if (!/^\d{4}\.[1-9]\d*$/.test(catalog.version))
    report('version', 'Versjonen må ha formatet ÅÅÅÅ.N, for eksempel 2026.1.');
  if (catalog.publishedOn !== undefined && !isIsoDate(catalog.publishedOn))
    report('publishedOn', 'Publiseringsdatoen må være en gyldig dato (ÅÅÅÅ-MM-DD).');
  if (catalog.description !== undefined && typeof catalog.description !== 'string')
    report('description', 'Beskrivelsen må være tekst.');
  if (catalog.escalationDelayDays !== undefined && !isIntegerAtLeast(catalog.escalationDelayDays, 1))
    report('escalationDelayDays', 'Eskaleringsfristen må være et helt antall dager, minst 1.');
  if (catalog.reminderDaysBefore !== undefined && !isIntegerAtLeast(catalog.reminderDaysBefore, 0))
    report('reminderDaysBefore', 'Påminnelsen må være et helt antall dager, 0 eller flere.');

  if (!Array.isArray(catalog.steps)) {
    report('steps', 'Stegene mangler.');
    return issues;
  }
  const steps: unknown[] = catalog.steps;
  if (steps.length === 0) report('steps', 'Katalogen må ha minst ett steg.');

  const ids = steps.map((step) => (isRecord(step) && typeof step.id === 'string' ? step.id : undefined));
  const knownIds = new Set(ids.filter((id): id is string => id !== undefined));
  const placementAnchored = new Set(
    steps.flatMap((step) =>
      isRecord(step) &&
      typeof step.id === 'string' &&
      isRecord(step.anchor) &&
      step.anchor.kind === 'placement'
        ? [step.id]
        : [],
    ),
  );
  steps.forEach((step, index) =>
    validateStep(step, `steps[${index}]`, ids, knownIds, placementAnchored, report),
  );
  validateAnchorCycles(steps, ids, report);
  if (catalog.ordinaryFollowUp !== undefined)
    validateOrdinaryFollowUp(catalog.ordinaryFollowUp, knownIds, report);
  return issues;
}

/**
 * The ordinary-follow-up part: the same rules for each step as the package's, anchors within the part,
 * ids unique across both, and exactly one recurring placement-anchored step per statutory kind (its
 * cadence is what the yearly plan continues).
 */
function validateOrdinaryFollowUp(part: unknown, packageIds: ReadonlySet<string>, report: Report): void {
  const path = 'ordinaryFollowUp';
  if (!isRecord(part)) {
    report(path, 'Ordinær oppfølging må være et objekt.');
    return;
  }
  unknownFields(part, ['steps'], path, report);
  if (!Array.isArray(part.steps) || part.steps.length === 0) {
    report(`${path}.steps`, 'Ordinær oppfølging må ha minst ett steg.');
    return;
  }
  const steps: unknown[] = part.steps;
  const ids = steps.map((step) => (isRecord(step) && typeof step.id === 'string' ? step.id : undefined));
  const knownIds = new Set(ids.filter((id): id is string => id !== undefined));
  const placementAnchored = new Set(
    steps.flatMap((step) =>
      isRecord(step) &&
      typeof step.id === 'string' &&
      isRecord(step.anchor) &&
      step.anchor.kind === 'placement'
        ? [step.id]
        : [],
    ),
  );
  steps.forEach((step, index) => {
    const at = `${path}.steps[${index}]`;
    validateStep(step, at, ids, knownIds, placementAnchored, report);
    if (!isRecord(step)) return;
    if (typeof step.id === 'string' && packageIds.has(step.id))
      report(`${at}.id`, `Steg-ID-en «${step.id}» er brukt i pakken også.`);
    if (step.statutory !== undefined && !isRecord(step.recurrence))
      report(`${at}.recurrence`, 'Et lovpålagt besøk i ordinær oppfølging må ha et intervall.');
  });
  for (const kind of STATUTORY_KINDS) {
    const count = steps.filter((step) => isRecord(step) && step.statutory === kind).length;
    if (count !== 1)
      report(`${path}.steps`, `Ordinær oppfølging må ha nøyaktig ett steg for «${kind}» (har ${count}).`);
  }
  validateAnchorCycles(steps, ids, (p, message) => report(`${path}.${p}`, message));
}

type Report = (path: string, message: string) => void;

/** The fields each level may have: anything else is a typo that would otherwise be ignored silently. */
const CATALOG_FIELDS = [
  'version',
  'publishedOn',
  'description',
  'escalationDelayDays',
  'reminderDaysBefore',
  'steps',
  'ordinaryFollowUp',
];
const STEP_FIELDS = [
  'id',
  'title',
  'purpose',
  'track',
  'role',
  'coRoles',
  'anchor',
  'offsetDays',
  'windowDays',
  'overrides',
  'recurrence',
  'conditions',
  'statutory',
  'dueAfterStep',
  'basis',
];
const CONDITION_FIELDS = [
  'placementTypes',
  'legalBases',
  'childMinAge',
  'childMaxAge',
  'requires',
  'excludes',
];

/** Reports every field of `value` not in `allowed`; true when there was one. */
function unknownFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  report: Report,
): boolean {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  for (const key of unknown) {
    const name = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : '(ukjent felt)';
    report(path ? `${path}.${name}` : name, 'Ukjent felt.');
  }
  return unknown.length > 0;
}

function validateStep(
  step: unknown,
  path: string,
  ids: readonly (string | undefined)[],
  knownIds: ReadonlySet<string>,
  placementAnchored: ReadonlySet<string>,
  report: Report,
): void {
  if (!isRecord(step)) {
    report(path, 'Steget må være et objekt.');
    return;
  }
  const at = (field: string): string => `${path}.${field}`;
  unknownFields(step, STEP_FIELDS, path, report);

  if (!isNonEmptyString(step.id)) report(at('id'), 'Steg-ID mangler.');
  else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(step.id))
    report(at('id'), `Steg-ID-en «${step.id}» må bestå av små bokstaver, tall og bindestrek.`);
  else if (ids.indexOf(step.id) !== ids.lastIndexOf(step.id))
    report(at('id'), `Steg-ID-en «${step.id}» er brukt mer enn én gang.`);

  if (!isNonEmptyString(step.title)) report(at('title'), 'Tittel mangler.');
  if (step.purpose !== undefined && !isNonEmptyString(step.purpose))
    report(at('purpose'), 'Formålet må være tekst (eller utelates).');
  if (!isOneOf(step.track, TRACKS)) report(at('track'), 'Ukjent eller manglende spor.');
  if (!isOneOf(step.role, TASK_ROLES)) report(at('role'), 'Ukjent eller manglende rolle.');
  if (step.coRoles !== undefined) {
    if (!Array.isArray(step.coRoles)) report(at('coRoles'), 'Medansvarlige roller må være en liste.');
    else
      step.coRoles.forEach((role: unknown, i) => {
        if (!isOneOf(role, TASK_ROLES)) report(at(`coRoles[${i}]`), 'Ukjent rolle.');
        else if (role === step.role)
          report(at(`coRoles[${i}]`), 'Hovedrollen kan ikke også være medansvarlig.');
      });
  }

  const anchorKind = validateAnchor(step.anchor, step.id, at('anchor'), knownIds, placementAnchored, report);
  if (!isInteger(step.offsetDays))
    report(at('offsetDays'), 'Fristen (dager fra ankeret) må være et heltall.');
  if (!isIntegerAtLeast(step.windowDays, 0))
    report(at('windowDays'), 'Vinduet må være et helt antall dager, 0 eller flere.');
  validateOverrides(step.overrides, at('overrides'), report);
  if (step.recurrence !== undefined) {
    if (anchorKind === 'step-completion')
      report(
        at('recurrence'),
        'Steg som ankres i et annet steg gjentas med ankeret og kan ikke ha egen gjentakelse.',
      );
    validateRecurrence(step.recurrence, at('recurrence'), report);
  }
  validateConditions(step.conditions, at('conditions'), report);
  if (step.statutory !== undefined) {
    if (!isOneOf(step.statutory, STATUTORY_KINDS)) report(at('statutory'), 'Ukjent lovpålagt besøkstype.');
    else if (anchorKind === 'step-completion')
      report(at('statutory'), 'Lovpålagte besøk må ankres i plasseringen.');
  }
  if (step.dueAfterStep !== undefined) {
    if (step.statutory === undefined)
      report(at('dueAfterStep'), 'Bare lovpålagte besøk kan vente på et annet steg.');
    else if (!isNonEmptyString(step.dueAfterStep) || step.dueAfterStep === step.id)
      report(at('dueAfterStep'), 'Må vise til et annet steg.');
    else if (!placementAnchored.has(step.dueAfterStep))
      report(at('dueAfterStep'), `Må vise til et steg som ankres i plasseringen: «${step.dueAfterStep}».`);
  }
  validateBasis(step.basis, at('basis'), report);
}

function validateAnchor(
  anchor: unknown,
  ownId: unknown,
  path: string,
  knownIds: ReadonlySet<string>,
  placementAnchored: ReadonlySet<string>,
  report: Report,
): 'placement' | 'step-completion' | undefined {
  if (!isRecord(anchor)) {
    report(path, 'Anker mangler.');
    return undefined;
  }
  unknownFields(anchor, ['kind', 'stepId', 'alsoAfter'], path, report);
  if (anchor.kind === 'placement') return 'placement';
  if (anchor.kind !== 'step-completion') {
    report(`${path}.kind`, 'Ankeret må være «placement» eller «step-completion».');
    return undefined;
  }
  if (!isNonEmptyString(anchor.stepId)) report(`${path}.stepId`, 'Ankeret mangler steg-ID.');
  else if (anchor.stepId === ownId) report(`${path}.stepId`, 'Et steg kan ikke ankres i seg selv.');
  else if (!knownIds.has(anchor.stepId))
    report(`${path}.stepId`, `Ankeret viser til et steg som ikke finnes: «${anchor.stepId}».`);
  const alsoAfter: unknown = anchor.alsoAfter;
  if (alsoAfter !== undefined) {
    if (!Array.isArray(alsoAfter)) report(`${path}.alsoAfter`, 'Må være en liste med steg-ID-er.');
    else
      alsoAfter.forEach((id: unknown, i) => {
        const at = `${path}.alsoAfter[${i}]`;
        if (!isNonEmptyString(id) || id === ownId || id === anchor.stepId)
          report(at, 'Må vise til et annet steg enn ankeret og steget selv.');
        else if (alsoAfter.indexOf(id) !== i) report(at, `«${id}» står mer enn én gang.`);
        // Only placement-anchored steps: then an extra anchor can never close a cycle of anchors.
        else if (!placementAnchored.has(id))
          report(at, `Må vise til et steg som ankres i plasseringen: «${id}».`);
      });
  }
  return 'step-completion';
}

function validateOverrides(overrides: unknown, path: string, report: Report): void {
  if (overrides === undefined) return;
  if (!isRecord(overrides)) {
    report(path, 'Unntak per plasseringstype må være et objekt.');
    return;
  }
  for (const [type, override] of Object.entries(overrides)) {
    const at = `${path}.${type}`;
    if (!isOneOf(type, PLACEMENT_TYPES)) report(at, `Ukjent plasseringstype: «${type}».`);
    if (!isRecord(override)) report(at, 'Unntaket må være et objekt.');
    else if (unknownFields(override, ['skip', 'offsetDays'], at, report)) continue;
    else if ('skip' in override) {
      if (override.skip !== true) report(`${at}.skip`, '«skip» må være true.');
      if ('offsetDays' in override) report(at, 'Et unntak kan ikke både hoppe over steget og endre fristen.');
    } else if (!isInteger(override.offsetDays))
      report(`${at}.offsetDays`, 'Fristen i unntaket må være et heltall.');
  }
}

function validateRecurrence(recurrence: unknown, path: string, report: Report): void {
  if (!isRecord(recurrence)) {
    report(path, 'Gjentakelsen må være et objekt.');
    return;
  }
  unknownFields(recurrence, ['intervalDays', 'untilDay', 'count', 'phases'], path, report);
  if (!isIntegerAtLeast(recurrence.intervalDays, 1))
    report(`${path}.intervalDays`, 'Intervallet må være et helt antall dager, minst 1.');
  if (recurrence.untilDay !== undefined && !isInteger(recurrence.untilDay))
    report(`${path}.untilDay`, 'Siste dag må være et heltall.');
  if (recurrence.count !== undefined && !isIntegerAtLeast(recurrence.count, 1))
    report(`${path}.count`, 'Antall ganger må være et heltall, minst 1.');
  if (recurrence.phases === undefined) return;
  if (!Array.isArray(recurrence.phases)) {
    report(`${path}.phases`, 'Fasene må være en liste.');
    return;
  }
  if (recurrence.untilDay === undefined)
    report(`${path}.untilDay`, 'Med faser må første fase ha en siste dag.');
  const phases: unknown[] = recurrence.phases;
  let previousUntil = isInteger(recurrence.untilDay) ? recurrence.untilDay : undefined;
  phases.forEach((phase, i) => {
    const at = `${path}.phases[${i}]`;
    if (!isRecord(phase)) {
      report(at, 'Fasen må være et objekt.');
      return;
    }
    unknownFields(phase, ['intervalDays', 'untilDay'], at, report);
    if (!isIntegerAtLeast(phase.intervalDays, 1))
      report(`${at}.intervalDays`, 'Intervallet må være et helt antall dager, minst 1.');
    if (phase.untilDay === undefined) {
      if (i < phases.length - 1) report(`${at}.untilDay`, 'Bare siste fase kan mangle siste dag.');
      return;
    }
    if (!isInteger(phase.untilDay)) report(`${at}.untilDay`, 'Siste dag må være et heltall.');
    else if (previousUntil !== undefined && phase.untilDay <= previousUntil)
      report(`${at}.untilDay`, 'Siste dag må være senere enn i fasen før.');
    if (isInteger(phase.untilDay)) previousUntil = phase.untilDay;
  });
}

function validateConditions(conditions: unknown, path: string, report: Report): void {
  if (conditions === undefined) return;
  if (!isRecord(conditions)) {
    report(path, 'Betingelsene må være et objekt.');
    return;
  }
  unknownFields(conditions, CONDITION_FIELDS, path, report);
  const { placementTypes, legalBases, childMinAge, childMaxAge, requires, excludes } = conditions;
  if (legalBases !== undefined) {
    if (!Array.isArray(legalBases) || legalBases.length === 0)
      report(`${path}.legalBases`, 'Rettsgrunnlagene må være en liste med minst ett grunnlag.');
    else
      legalBases.forEach((basis: unknown, i) => {
        if (!isOneOf(basis, LEGAL_BASES)) report(`${path}.legalBases[${i}]`, 'Ukjent rettsgrunnlag.');
      });
  }
  if (placementTypes !== undefined) {
    if (!Array.isArray(placementTypes) || placementTypes.length === 0)
      report(`${path}.placementTypes`, 'Plasseringstypene må være en liste med minst én type.');
    else
      placementTypes.forEach((type: unknown, i) => {
        if (!isOneOf(type, PLACEMENT_TYPES))
          report(`${path}.placementTypes[${i}]`, 'Ukjent plasseringstype.');
      });
  }
  for (const [field, age] of [
    ['childMinAge', childMinAge],
    ['childMaxAge', childMaxAge],
  ] as const) {
    if (age !== undefined && !(isIntegerAtLeast(age, 0) && age <= 25))
      report(`${path}.${field}`, 'Alder må være et helt antall år mellom 0 og 25.');
  }
  if (isInteger(childMinAge) && isInteger(childMaxAge) && childMinAge > childMaxAge)
    report(`${path}.childMaxAge`, 'Høyeste alder kan ikke være lavere enn laveste alder.');
  for (const [field, flags] of [
    ['requires', requires],
    ['excludes', excludes],
  ] as const) {
    if (flags === undefined) continue;
    if (!Array.isArray(flags)) report(`${path}.${field}`, 'Må være en liste.');
    else
      flags.forEach((flag: unknown, i) => {
        if (!isOneOf(flag, PLACEMENT_FLAGS))
          report(`${path}.${field}[${i}]`, 'Ukjent egenskap ved plasseringen.');
      });
  }
  if (Array.isArray(requires) && Array.isArray(excludes)) {
    const required = new Set<unknown>(requires);
    if (excludes.some((flag) => required.has(flag)))
      report(path, 'Samme egenskap kan ikke både kreves og utelukkes.');
  }
}

function validateBasis(basis: unknown, path: string, report: Report): void {
  if (!isRecord(basis)) {
    report(path, 'Grunnlag mangler.');
    return;
  }
  unknownFields(basis, ['kind', 'source', 'timingKind', 'note'], path, report);
  if (!isOneOf(basis.kind, BASIS_KINDS))
    report(`${path}.kind`, 'Grunnlaget må være LAW, REC eller ASSUMPTION.');
  if (!isNonEmptyString(basis.source)) report(`${path}.source`, 'Kilde for grunnlaget mangler.');
  if (basis.timingKind !== undefined && !isOneOf(basis.timingKind, BASIS_KINDS))
    report(`${path}.timingKind`, 'Grunnlaget for fristen må være LAW, REC eller ASSUMPTION.');
  if (basis.note !== undefined && typeof basis.note !== 'string')
    report(`${path}.note`, 'Merknaden må være tekst.');
}

/** Each step has at most one anchor, so following anchors from a step either ends or runs into a cycle. */
function validateAnchorCycles(
  steps: readonly unknown[],
  ids: readonly (string | undefined)[],
  report: Report,
): void {
  const anchorOf = new Map<string, string>();
  steps.forEach((step, index) => {
    const id = ids[index];
    if (id === undefined || !isRecord(step) || !isRecord(step.anchor)) return;
    const { kind, stepId } = step.anchor;
    if (kind === 'step-completion' && typeof stepId === 'string' && stepId !== id) anchorOf.set(id, stepId);
  });
  const reported = new Set<string>();
  ids.forEach((id, index) => {
    if (id === undefined || reported.has(id)) return;
    const chain: string[] = [];
    let current: string | undefined = id;
    while (current !== undefined && !chain.includes(current)) {
      chain.push(current);
      current = anchorOf.get(current);
    }
    if (current !== id) return; // ends, or runs into a cycle that another step of it reports
    chain.forEach((member) => reported.add(member));
    report(`steps[${index}].anchor.stepId`, `Ankrene danner en sirkel: ${[...chain, id].join(' → ')}.`);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isIntegerAtLeast = (value: unknown, min: number): value is number => isInteger(value) && value >= min;
const isOneOf = <T extends string>(value: unknown, allowed: readonly T[]): value is T =>
  typeof value === 'string' && (allowed as readonly string[]).includes(value);
