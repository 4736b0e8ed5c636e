import { addDays, diffDays } from '../../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../../libs/domain/catalog/default-catalog.js';
import { DAY } from '../../../libs/domain/package/clock.js';
import { PACKAGE_GRACE_DAYS } from '../../../libs/domain/package/decide/time.js';
import type { PlannedTask } from '../../../libs/domain/plan.js';
import { planPackage } from '../../../libs/domain/planner/plan-package.js';
import {
  legalBasisOf,
  type EndReason,
  type IsoDate,
  type PlacementFacts,
  type PlacementType,
  type WaiverReason,
} from '../../../libs/domain/vocabulary.js';
import {
  DEMO_FJORD_MUNICIPALITIES,
  DEMO_FJORD_SERVICES,
  DEMO_MUNICIPALITIES,
  DEMO_SERVICES,
  FINNMARK_DEMO,
} from '../../../libs/security/local-issuer.js';

/*
 * The demo data of `npm start` as a list of commands, worked out in advance and deterministically: the
 * same seed, count and anchor day give the same placements, the same dates and the same idempotency
 * keys (so a second run repeats, and adds nothing). Pure: the commands are sent by demo-seed.ts through
 * the API, as the demo users of the local issuer.
 *
 * Each placement is registered on the anchor day (today when first seeded) with a placement date up to
 * `spanDays` back; a package whose year has run out by then is recorded as all done. The work already due is recorded in the registration as done before it
 * (`completedBefore`, with the day it was done: on time or some days late), a few of the steps are
 * waived afterwards by the service's leader through the waive command, a few recent ones are left open
 * (overdue: the backlog), and some older placements have ended. Each service has its own habits, so the
 * services' figures differ.
 */

/** Bump when the plan changes in a way that must not be mistaken for an earlier seeding's commands. */
export const DEMO_SEED_VERSION = 'v1';
export const DEMO_DEFAULT_COUNT = 300;
export const DEMO_DEFAULT_SPAN_DAYS = 730;

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface DemoService {
  readonly key: string;
  readonly serviceId: string;
  readonly municipalityId: string;
  /** Registers, completes and ends. */
  readonly caseworker: string;
  /** Waives (a leader may waive any step, statutory ones included). */
  readonly leader: string;
  /** Share of the work done by its due date; of the rest most is done late. */
  readonly onTime: number;
  /** Share of the non-statutory steps waived. */
  readonly waived: number;
}

/** The four demo services of the two demo learning networks, each with its own habits. */
export const DEMO_SEED_SERVICES: readonly DemoService[] = [
  {
    key: 'nordby',
    serviceId: DEMO_SERVICES.nordby,
    municipalityId: DEMO_MUNICIPALITIES.nordby,
    caseworker: 'demo-kontaktperson',
    leader: 'demo-leder',
    onTime: 0.82,
    waived: 0.04,
  },
  {
    key: 'sorvik',
    serviceId: DEMO_SERVICES.sorvik,
    municipalityId: DEMO_MUNICIPALITIES.sorvik,
    caseworker: 'demo-sorvik-kontaktperson',
    leader: 'demo-sorvik-leder',
    onTime: 0.66,
    waived: 0.07,
  },
  {
    key: 'vestby',
    serviceId: DEMO_FJORD_SERVICES.vestby,
    municipalityId: DEMO_FJORD_MUNICIPALITIES.vestby,
    caseworker: 'demo-vestby-kontaktperson',
    leader: 'demo-vestby-leder',
    onTime: 0.88,
    waived: 0.03,
  },
  {
    key: 'elvdal',
    serviceId: DEMO_FJORD_SERVICES.elvdal,
    municipalityId: DEMO_FJORD_MUNICIPALITIES.elvdal,
    caseworker: 'demo-elvdal-kontaktperson',
    leader: 'demo-elvdal-leder',
    onTime: 0.58,
    waived: 0.06,
  },
];

/**
 * Finnmark's demo service (a real service of the region's data file, with fictional people and
 * placements): Alta barneverntjeneste, so that Finnmark's demo leader and learning-network lead
 * (Vest-Finnmark) do not start empty. Its placements are a plan of their own (`finnmarkDemoPlan`).
 */
export const FINNMARK_SEED_SERVICES: readonly DemoService[] = [
  {
    key: 'alta',
    serviceId: FINNMARK_DEMO.alta,
    municipalityId: FINNMARK_DEMO.altaMunicipality,
    caseworker: 'demo-finnmark-kontaktperson',
    leader: 'demo-finnmark-leder',
    onTime: 0.74,
    waived: 0.05,
  },
];
export const FINNMARK_DEMO_COUNT = 40;

export interface DemoCommand {
  /** The demo user who sends it. */
  readonly userId: string;
  /** The Idempotency-Key: stable, so a second run repeats the command instead of adding one. */
  readonly key: string;
}

export interface DemoPlacement {
  readonly index: number;
  readonly service: string;
  readonly caseNumber: string;
  readonly register: DemoCommand & {
    readonly body: {
      readonly municipalityId: string;
      readonly facts: PlacementFacts;
      readonly catalogVersion: string;
      readonly caseNumber: string;
      readonly completedBefore: readonly { taskId: string; completedOn: IsoDate }[];
    };
  };
  /** Waivers of tasks overdue at registration, sent once it is registered. */
  /**
   * Waivers: by the leader alone where the rules allow it; a step that needs a leader's co-signature is
   * asked for by the caseworker (`requestedBy`, with a justification) and co-signed by the leader.
   */
  readonly waivers: readonly (DemoCommand & {
    readonly taskId: string;
    readonly reason: WaiverReason;
    readonly requestedBy?: string;
  })[];
  /** The placement ended (after the waivers). */
  readonly end?: DemoCommand & { readonly body: { readonly reason: EndReason; readonly endedOn: IsoDate } };
  /** What the registration records, for the summary: done on time, done late, left open and overdue. */
  readonly counts: { readonly onTime: number; readonly late: number; readonly overdue: number };
}

export interface DemoPlanOptions {
  /** The registration day (Oslo), which every date is relative to. */
  readonly anchor: IsoDate;
  readonly count?: number;
  readonly spanDays?: number;
  readonly seed?: number;
  /** The services, round-robin (default: the four demo services of the two demo networks). */
  readonly services?: readonly DemoService[];
  /** A word in every idempotency key, so that another plan's keys never meet this one's. */
  readonly keyPrefix?: string;
}

const TYPES: readonly [PlacementType, number][] = [
  ['omsorgsovertakelse', 0.35],
  ['frivillig', 0.3],
  ['akutt', 0.2],
  ['slekt-nettverk', 0.15],
];
const WAIVER_REASONS: readonly WaiverReason[] = [
  'ikke-relevant',
  'gjennomfort-annet-sted',
  'barnet-onsker-ikke',
  'foreldre-onsker-ikke',
  'erstattet-av-annet-tiltak',
];
const END_REASONS: readonly EndReason[] = ['planlagt', 'planlagt', 'flytting-nytt-fosterhjem', 'brudd'];

/** An Idempotency-Key: 8–100 characters of a–z, A–Z, 0–9, - and _. */
const keyOf = (...parts: (string | number)[]) =>
  ['demo', DEMO_SEED_VERSION, ...parts].join('-').replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The demo placements, oldest first: `count` of them (default 300) placed over the last `spanDays` days
 * (default two years) before `anchor`, spread evenly with some jitter, round-robin over the services.
 */
export function demoPlan(options: DemoPlanOptions): DemoPlacement[] {
  const count = options.count ?? DEMO_DEFAULT_COUNT;
  const span = options.spanDays ?? DEMO_DEFAULT_SPAN_DAYS;
  const random = prng(options.seed ?? 20_261_205);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const calendar = norwegianWorkingDays();
  const sequence = new Map<string, number>();
  const services = options.services ?? DEMO_SEED_SERVICES;
  const key = (...parts: (string | number)[]) =>
    options.keyPrefix ? keyOf(options.keyPrefix, ...parts) : keyOf(...parts);

  const placements: DemoPlacement[] = [];
  for (let index = 0; index < count; index++) {
    const service = services[index % services.length];
    // Evenly over the span (so every quarter has its placements), at least a week back.
    const back = Math.max(7, Math.round(span - ((index + random()) * (span - 7)) / count));
    const placementDate = addDays(options.anchor, -back);

    let roll = random();
    const placementType = TYPES.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'omsorgsovertakelse';
    const facts: PlacementFacts = {
      placementType,
      legalBasis: legalBasisOf(placementType) ?? (chance(0.6) ? 'omsorgsovertakelse' : 'frivillig'),
      placementDate,
      childAgeYears: between(0, 17),
      samvaer: chance(0.75),
      parentsReachable: chance(0.85),
      inSchoolOrKindergarten: chance(0.8),
      bufetatHelp: chance(0.3),
      beredskapshjem: placementType === 'akutt' && chance(0.7),
    };
    const year = placementDate.slice(0, 4);
    const seq = (sequence.get(`${service.key}|${year}`) ?? 0) + 1;
    sequence.set(`${service.key}|${year}`, seq);
    const caseNumber = `D-${year}/${String(seq).padStart(4, '0')}`;

    const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, calendar);
    // A package runs out PACKAGE_GRACE_DAYS after its last escalation (decide/time.ts): what is open then
    // is cancelled, and the package completes. One that has run out by the anchor day (or will within
    // two weeks) is recorded as all done: nothing is left to waive or to end, and no figure moves later.
    const lastEscalation = tasks.reduce(
      (last, t) => (t.timers.escalateAt > last ? t.timers.escalateAt : last),
      '',
    );
    const closed =
      Date.parse(lastEscalation) + PACKAGE_GRACE_DAYS * DAY <
      Date.parse(`${addDays(options.anchor, 14)}T00:00:00Z`);
    // Some placements have ended by now (their tasks after the end are cancelled by it).
    const ended = !closed && back > 200 && chance(0.15);
    const endedOn = ended ? addDays(placementDate, between(120, back - 20)) : undefined;
    const cutoff = endedOn ?? options.anchor;

    const completedBefore: { taskId: string; completedOn: IsoDate }[] = [];
    const waivers: DemoPlacement['waivers'][number][] = [];
    const counts = { onTime: 0, late: 0, overdue: 0 };
    let left = 0;
    for (const task of tasks) {
      const fate = fateOf(task, service, cutoff, options.anchor, closed, random);
      if (fate.kind === 'done') {
        completedBefore.push({ taskId: task.taskId, completedOn: fate.on });
        if (fate.on <= task.dueOn) counts.onTime++;
        else counts.late++;
      } else if (fate.kind === 'waived') {
        waivers.push({
          userId: service.leader,
          key: key(index, 'waive', task.taskId),
          taskId: task.taskId,
          reason: pick(WAIVER_REASONS),
          ...(task.requiresCoSignToWaive ? { requestedBy: service.caseworker } : {}),
        });
      } else {
        left++;
        if (task.dueOn < options.anchor && !ended) counts.overdue++;
      }
    }
    // A package with nothing left is complete (at registration): there is nothing to end. (The reason is
    // drawn either way, so that the placements after this one stay as they are.)
    const endReason = ended ? pick(END_REASONS) : undefined;
    const end = endedOn && endReason && left > 0 ? { endedOn, reason: endReason } : undefined;
    placements.push({
      index,
      service: service.key,
      caseNumber,
      register: {
        userId: service.caseworker,
        key: key(index, 'register'),
        body: {
          municipalityId: service.municipalityId,
          facts,
          catalogVersion: DEFAULT_CATALOG.version,
          caseNumber,
          completedBefore,
        },
      },
      waivers,
      ...(end
        ? {
            end: {
              userId: service.caseworker,
              key: key(index, 'end'),
              body: { reason: end.reason, endedOn: end.endedOn },
            },
          }
        : {}),
      counts,
    });
  }
  return placements;
}

/**
 * Finnmark's demo placements: FINNMARK_DEMO_COUNT in Alta over the last two years before `anchor`, made
 * like the others (same habits of work), with keys of their own (`demo-v1-finnmark-…`).
 */
export function finnmarkDemoPlan(anchor: IsoDate, count = FINNMARK_DEMO_COUNT): DemoPlacement[] {
  return demoPlan({ anchor, count, services: FINNMARK_SEED_SERVICES, keyPrefix: 'finnmark', seed: 5601 });
}

type Fate = { kind: 'done'; on: IsoDate } | { kind: 'waived' } | { kind: 'open' };

/**
 * What became of one task by `cutoff` (the end of the placement, or the registration day): done on time
 * (between its opening and its due day), done late (1–45 days after, never after the cutoff), waived (a
 * non-statutory step, by the leader), or still open. Older work is nearly all done or waived; of the last
 * month's a good part is still open, as it is in a real service. Work not yet due is done now and then.
 */
function fateOf(
  task: PlannedTask,
  service: DemoService,
  cutoff: IsoDate,
  anchor: IsoDate,
  closed: boolean,
  random: () => number,
): Fate {
  if (task.opensOn > cutoff) return { kind: 'open' };
  const within = (from: IsoDate, to: IsoDate): IsoDate =>
    to <= from ? from : addDays(from, Math.floor(random() * (diffDays(from, to) + 1)));
  if (task.dueOn >= cutoff) {
    // Open, not yet due: now and then done already.
    return cutoff === anchor && random() < 0.3
      ? { kind: 'done', on: within(task.opensOn, cutoff) }
      : { kind: 'open' };
  }
  const age = diffDays(task.dueOn, anchor);
  if (!closed && !task.statutory && cutoff === anchor && random() < service.waived) return { kind: 'waived' };
  if (!closed && random() < (age <= 30 ? 0.25 : 0.005)) return { kind: 'open' };
  if (random() < service.onTime)
    return { kind: 'done', on: within(maxOf(task.opensOn, addDays(task.dueOn, -10)), task.dueOn) };
  const late = addDays(task.dueOn, 1 + Math.floor(random() * 45));
  return { kind: 'done', on: late <= cutoff ? late : within(addDays(task.dueOn, 1), cutoff) };
}

const maxOf = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
