import {
  PACKAGE_EVENT_TYPE_LIST,
  type PackageEvent,
  type PackageEventType,
} from '../../../libs/domain/events.js';
import { ANNULLED } from '../../../libs/domain/vocabulary.js';
import type { PlannedTask, TaskTimers } from '../../../libs/domain/plan.js';
import { timelineRow } from '../../../libs/projections/read-models/placement-timeline.js';
import { ROUTE_POLICIES } from '../../../libs/security/policy.js';
import {
  accessSentence,
  EVENT_DEEDS,
  EVENT_SENTENCES,
  eventSentence,
  formatLogInstant,
  ROUTE_DEEDS,
  type HistoryNames,
} from './log-sentences.js';

const at = '2026-12-05T09:14:00.000Z';
const ase = { userId: 'u-ase', role: 'kontaktperson' as const };
const leader = { userId: 'u-leder', role: 'leder' as const };
const timers: TaskTimers = { opensAt: at, remindAt: at, overdueAt: at, escalateAt: at };
const planned: PlannedTask = {
  taskId: 'besok-uke1#1',
  stepId: 'besok-uke1',
  occurrence: 1,
  title: 'Første besøk i hjemmet',
  track: 'barnet',
  role: 'kontaktperson',
  catalogVersion: '2026.1',
  opensOn: '2026-12-01',
  dueOn: '2026-12-08',
  nominalDueOn: '2026-12-08',
  requiresCoSignToWaive: false,
  timers,
};
const task = { taskId: 'besok-uke1#1', at };

/** One event of each type, in the shape the domain makes it: a type added without a sample fails. */
const SAMPLES: Record<PackageEventType, PackageEvent> = {
  PlacementRegistered: {
    type: 'PlacementRegistered',
    data: {
      placementId: 'p-1',
      childRef: 'c-1',
      organisation: { serviceId: 's-1', municipalityId: 'm-1' },
      facts: { placementType: 'omsorgsovertakelse', placementDate: '2026-11-20' },
      catalogVersion: '2026.1',
      by: ase,
      at,
    } as Extract<PackageEvent, { type: 'PlacementRegistered' }>['data'],
  },
  TasksPlanned: { type: 'TasksPlanned', data: { tasks: [planned], reason: 'registered', at } },
  TaskOpened: { type: 'TaskOpened', data: task },
  TaskDueSoon: { type: 'TaskDueSoon', data: task },
  TaskOverdue: { type: 'TaskOverdue', data: task },
  TaskEscalated: { type: 'TaskEscalated', data: { ...task, toRole: 'leder' } },
  TaskCompleted: {
    type: 'TaskCompleted',
    data: { ...task, completedOn: '2026-12-04', outcome: 'gjennomfort', noteRef: 'n-1', by: ase },
  },
  TaskWaived: {
    type: 'TaskWaived',
    data: { ...task, reason: 'erstattet-av-annet-tiltak', by: ase, coSignedBy: leader },
  },
  WaiverRequested: {
    type: 'WaiverRequested',
    data: { ...task, requestId: 'r-1', reason: 'barnet-onsker-ikke', by: ase },
  },
  WaiverDeclined: {
    type: 'WaiverDeclined',
    data: { ...task, requestId: 'r-1', declineRef: 'd-1', by: leader, requestedBy: ase },
  },
  TaskReassigned: {
    type: 'TaskReassigned',
    data: { ...task, assigneeId: 'u-jonas', role: 'kontaktperson', by: leader },
  },
  TaskRescheduled: {
    type: 'TaskRescheduled',
    data: {
      ...task,
      opensOn: '2026-12-02',
      dueOn: '2026-12-09',
      nominalDueOn: '2026-12-09',
      timers,
      reason: 'placement-date-changed',
    },
  },
  TaskCancelled: { type: 'TaskCancelled', data: { ...task, reason: 'placement-ended' } },
  PlacementDateChanged: {
    type: 'PlacementDateChanged',
    data: { from: '2026-11-20', to: '2026-11-21', by: ase, at },
  },
  PlacementTypeChanged: {
    type: 'PlacementTypeChanged',
    data: {
      from: 'akutt',
      to: 'omsorgsovertakelse',
      legalBasis: { from: 'frivillig', to: 'omsorgsovertakelse' },
      by: ase,
      at,
    },
  },
  ReductionRecorded: {
    type: 'ReductionRecorded',
    data: {
      decision: { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2027-01-01' },
      by: leader,
      at,
    },
  },
  PlacementPaused: {
    type: 'PlacementPaused',
    data: { reason: 'sykehusopphold', from: '2026-12-01', by: ase, at },
  },
  PlacementResumed: { type: 'PlacementResumed', data: { on: '2026-12-05', pausedDays: 4, by: ase, at } },
  PlacementEnded: {
    type: 'PlacementEnded',
    data: { endedOn: '2026-12-05', reason: 'planlagt', by: ase, at },
  },
  PackageCompleted: { type: 'PackageCompleted', data: { at } },
  OrdinaryYearPlanned: {
    type: 'OrdinaryYearPlanned',
    data: { year: 2027, from: '2027-01-01', required: { oppfolgingsbesok: 4, tilsynsbesok: 4 }, at },
  },
  SupervisionEndSet: { type: 'SupervisionEndSet', data: { month: '2031-05', by: ase, at } },
};

const names: HistoryNames = {
  titleOf: (id) => (id === 'besok-uke1#1' ? 'Første besøk i hjemmet' : undefined),
  nameOf: (id) => ({ 'u-ase': 'Åse Myhre', 'u-jonas': 'Jonas Bakke' })[id],
};
/** The sentence of an event as the page gets it: through the timeline read model and its API. */
const sentenceOf = (event: PackageEvent, n = names) => {
  const row = timelineRow('p-1', 1, '1', event);
  return eventSentence(
    { type: row.type, taskId: row.task_id, details: row.details as Record<string, unknown> },
    n,
  );
};
const RAW_CODE = /[a-z][A-Z]|#|\b(undefined|null|NaN)\b|\[object/;

describe('the placement page logs as bokmål sentences', () => {
  it('writes instants as dd.mm.yyyy kl. hh.mm in Oslo time, summer and winter', () => {
    expect(formatLogInstant('2026-12-05T09:14:00Z')).toBe('05.12.2026 kl. 10.14');
    expect(formatLogInstant('2026-07-01T22:05:00Z')).toBe('02.07.2026 kl. 00.05');
  });

  it.each(PACKAGE_EVENT_TYPE_LIST.map((type) => [type]))(
    'has a sentence for every event type of the history: %s',
    (type) => {
      expect(Object.hasOwn(EVENT_SENTENCES, type)).toBe(true);
      expect(Object.hasOwn(SAMPLES, type)).toBe(true);
      const sentence = sentenceOf(SAMPLES[type]);
      expect(sentence).toMatch(/^[A-ZÆØÅ].+\.$/);
      expect(sentence).not.toContain(type);
      expect(sentence).not.toMatch(RAW_CODE);
    },
  );

  it('names the step by its title and the people by name, by role when the name is unknown', () => {
    expect(sentenceOf(SAMPLES.TaskOpened)).toBe('Første besøk i hjemmet ble åpnet.');
    expect(sentenceOf(SAMPLES.TaskCompleted)).toBe(
      'Første besøk i hjemmet ble utført 04.12.2026 av Åse Myhre (gjennomført, med notat).',
    );
    expect(sentenceOf(SAMPLES.TaskWaived)).toBe(
      'Første besøk i hjemmet ble frafalt av Åse Myhre, medsignert av lederen. ' +
        'Begrunnelse: Erstattet av et annet tiltak.',
    );
    expect(sentenceOf(SAMPLES.WaiverRequested)).toBe(
      'Åse Myhre ba om frafall av «Første besøk i hjemmet». Begrunnelse: Barnet ønsker ikke, ' +
        'med skriftlig forklaring. Venter på medsignatur fra leder.',
    );
    expect(sentenceOf(SAMPLES.WaiverDeclined)).toBe(
      'Lederen avslo anmodningen om frafall av «Første besøk i hjemmet», med begrunnelse. Steget gjelder fortsatt.',
    );
    const cosigned: PackageEvent = {
      type: 'TaskWaived',
      data: {
        ...task,
        reason: 'barnet-onsker-ikke',
        by: ase,
        coSignedBy: { userId: 'u-jonas', role: 'leder' },
        requestId: 'r-1',
        requestedAt: at,
      },
    };
    expect(sentenceOf(cosigned)).toBe(
      'Første besøk i hjemmet ble frafalt etter anmodning fra Åse Myhre, medsignert av Jonas Bakke. ' +
        'Begrunnelse: Barnet ønsker ikke.',
    );
    expect(sentenceOf(SAMPLES.TaskReassigned)).toBe(
      'Første besøk i hjemmet ble gitt til Jonas Bakke av lederen.',
    );
    expect(sentenceOf(SAMPLES.PlacementPaused, { titleOf: () => undefined, nameOf: () => undefined })).toBe(
      'Plasseringen ble satt på pause fra 01.12.2026 av kontaktpersonen. Årsak: Sykehusopphold.',
    );
    expect(sentenceOf(SAMPLES.PlacementEnded)).toBe(
      'Plasseringen ble avsluttet 05.12.2026 av Åse Myhre. Årsak: Planlagt avslutning.',
    );
    const annulled = {
      ...SAMPLES.PlacementEnded,
      data: { ...SAMPLES.PlacementEnded.data, reason: ANNULLED },
    };
    expect(sentenceOf(annulled as PackageEvent)).toBe(
      'Plasseringen ble annullert 05.12.2026 av Åse Myhre: annullert (registrert ved feil).',
    );
  });

  it('says which step when the task list does not have its title, and what an unknown event is', () => {
    const none: HistoryNames = { titleOf: () => undefined, nameOf: () => undefined };
    expect(sentenceOf(SAMPLES.TaskOverdue, none)).toBe('Steget besok-uke1#1 passerte fristen.');
    expect(eventSentence({ type: 'SomethingNew', taskId: null, details: {} }, none)).toBe(
      'Hendelse av ukjent type (SomethingNew).',
    );
  });

  /** Routes that can land in a child's access log: on a placement or task, or a listing naming children. */
  const LISTINGS = [
    'GET /api/tasks',
    'GET /calendar/{token}.ics',
    'GET /api/adherence/statutory-risk',
    'POST /api/placements',
  ];
  const logged = Object.entries(ROUTE_POLICIES)
    .filter(
      ([key, policy]) => key.includes('{placementId}') || (!policy.public && policy.resource !== undefined),
    )
    .map(([key]) => key)
    .concat(LISTINGS);

  it.each(logged.map((route) => [route]))('has a sentence for every route in the access log: %s', (route) => {
    expect(Object.keys(ROUTE_POLICIES)).toContain(route);
    expect(Object.hasOwn(ROUTE_DEEDS, route)).toBe(true);
    const sentence = accessSentence({
      at,
      name: 'Åse Myhre',
      userId: 'u-ase',
      roles: ['kontaktperson'],
      action: route,
      outcome: 'allowed',
    });
    expect(sentence).toMatch(/^Åse Myhre \(kontaktperson\) [a-zæøå].+ 05\.12\.2026 kl\. 10\.14\.$/);
    expect(sentence).not.toMatch(/\/|\{/);
  });

  it('has no sentence for a route that is not in the policy', () => {
    expect(Object.keys(ROUTE_DEEDS).filter((route) => !Object.hasOwn(ROUTE_POLICIES, route))).toEqual([]);
  });

  it.each(PACKAGE_EVENT_TYPE_LIST.map((type) => [type]))(
    'has a sentence for every write the event store logs: event:%s',
    (type) => {
      expect(Object.hasOwn(EVENT_DEEDS, type)).toBe(true);
      const sentence = accessSentence({
        at,
        userId: 'u-x',
        roles: ['leder'],
        action: `event:${type}`,
        outcome: 'allowed',
      });
      expect(sentence).toMatch(/^u-x \(leder\) [a-zæøå].+ 05\.12\.2026 kl\. 10\.14\.$/);
      expect(sentence).not.toContain(type);
    },
  );

  it('reads the examples and the refusals as sentences', () => {
    const base = { at, name: 'Åse Myhre', userId: 'u-ase', roles: ['leder'] };
    const read = 'GET /api/placements/{placementId}/personal-data';
    expect(accessSentence({ ...base, action: read, outcome: 'allowed' })).toBe(
      'Åse Myhre (leder) så barnets opplysninger 05.12.2026 kl. 10.14.',
    );
    expect(accessSentence({ ...base, action: 'event:TaskWaived', outcome: 'allowed' })).toBe(
      'Åse Myhre (leder) frafalt et steg 05.12.2026 kl. 10.14.',
    );
    expect(
      accessSentence({ at, userId: 'u-ase', roles: ['bufetat'], action: read, outcome: 'forbidden' }),
    ).toBe('u-ase (Bufetat-rådgiver) prøvde å se barnets opplysninger 05.12.2026 kl. 10.14, men ble avvist.');
    expect(accessSentence({ ...base, roles: ['tilsynsforer'], action: read, outcome: 'hidden' })).toBe(
      'Åse Myhre (tilsynsfører) prøvde å se barnets opplysninger 05.12.2026 kl. 10.14, men har ikke tilgang til plasseringen.',
    );
    expect(accessSentence({ at, userId: null, roles: [], action: read, outcome: 'unauthenticated' })).toBe(
      'Noen som ikke var logget inn, prøvde å se barnets opplysninger 05.12.2026 kl. 10.14, men ble avvist.',
    );
  });
});
