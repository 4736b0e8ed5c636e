import type { Role } from '../domain/vocabulary.js';
import { can, type Scoped } from '../security/access.js';
import { isRecipient, recipientsOf, type TaskFacts } from './recipients.js';

const OWN = '00000000-0000-4000-8000-000000000001';
const NEIGHBOUR = '00000000-0000-4000-8000-000000000002';
const FAR = '00000000-0000-4000-8000-000000000003';
const BUFETAT = '00000000-0000-4000-8000-00000000000b';

const person = (
  userId: string,
  roles: Role[],
  organisation = OWN,
  networkServices: string[] = [],
): Scoped => ({
  userId,
  roles,
  organisation,
  issuer: 'test',
  networkServices,
  // Bufetat's office serves the region of OWN and NEIGHBOUR (not FAR's).
  ...(roles.includes('bufetat') ? { bufetatServices: [OWN, NEIGHBOUR] } : {}),
});
const task = (over: Partial<TaskFacts>): TaskFacts => ({
  serviceId: OWN,
  role: 'kontaktperson',
  assigneeId: null,
  bufetatHelp: false,
  ...over,
});

const people = [
  person('kp', ['kontaktperson']),
  person('kp2', ['kontaktperson']),
  person('kp-far', ['kontaktperson'], FAR),
  person('leder', ['leder']),
  person('leder-far', ['leder'], FAR),
  person('tilsyn', ['tilsynsforer']),
  person('fhr', ['fosterhjemsressurs'], NEIGHBOUR, [OWN, NEIGHBOUR]),
  person('fhr-far', ['fosterhjemsressurs'], FAR),
  person('bufetat', ['bufetat'], BUFETAT),
  person('admin', ['admin']),
  person('nettverk', ['laeringsnettverksleder'], OWN, [OWN, NEIGHBOUR]),
];
const ids = (list: Scoped[]) => list.map((p) => p.userId);

describe('who is told about a task', () => {
  it('an assigned task: its assignee only, if they may see it', () => {
    expect(ids(recipientsOf('due-soon', task({ assigneeId: 'kp2' }), people))).toEqual(['kp2']);
    // Assigned to someone who cannot see it (another service): nobody.
    expect(ids(recipientsOf('overdue', task({ assigneeId: 'kp-far' }), people))).toEqual([]);
  });

  it("a pool task: the role's people of the owning service", () => {
    expect(ids(recipientsOf('due-soon', task({}), people))).toEqual(['kp', 'kp2']);
    expect(ids(recipientsOf('due-soon', task({ role: 'tilsynsforer' }), people))).toEqual(['tilsyn']);
    expect(ids(recipientsOf('due-soon', task({ role: 'leder' }), people))).toEqual(['leder']);
  });

  it('fosterhjemsressurs: also from the services of their learning network', () => {
    expect(ids(recipientsOf('due-soon', task({ role: 'fosterhjemsressurs' }), people))).toEqual(['fhr']);
  });

  it('bufetat: only for placements with Bufetat help', () => {
    expect(ids(recipientsOf('due-soon', task({ role: 'bufetat' }), people))).toEqual([]);
    expect(ids(recipientsOf('due-soon', task({ role: 'bufetat', bufetatHelp: true }), people))).toEqual([
      'bufetat',
    ]);
    // Bufetat works by region: not for a service of a region its office does not serve.
    expect(
      ids(recipientsOf('due-soon', task({ role: 'bufetat', bufetatHelp: true, serviceId: FAR }), people)),
    ).toEqual([]);
  });

  it('an escalation: the leaders of the owning service, whoever has the task', () => {
    expect(ids(recipientsOf('escalated', task({ assigneeId: 'kp' }), people))).toEqual(['leder']);
    expect(ids(recipientsOf('escalated', task({ serviceId: FAR }), people))).toEqual(['leder-far']);
  });

  it('never someone the access function hides the task from', () => {
    const tasks = [OWN, NEIGHBOUR, FAR].flatMap((serviceId) =>
      ['kontaktperson', 'leder', 'tilsynsforer', 'fosterhjemsressurs', 'bufetat'].flatMap((role) =>
        [null, 'kp', 'fhr', 'bufetat'].flatMap((assigneeId) =>
          [false, true].map((bufetatHelp) => task({ serviceId, role, assigneeId, bufetatHelp })),
        ),
      ),
    );
    let told = 0;
    for (const kind of ['due-soon', 'overdue', 'escalated'] as const)
      for (const p of people)
        for (const t of tasks) {
          if (!isRecipient(kind, t, p)) continue;
          told += 1;
          const resource = { kind: 'task' as const, childRef: '', ...t };
          expect(can(p, 'task:read', resource)).toBe('allow');
        }
    expect(told).toBeGreaterThan(50);
  });
});

describe('a kompetansebase assignment’s task (issue 17)', () => {
  const NETWORK = '00000000-0000-4000-8000-0000000000a1';
  const OTHER_NETWORK = '00000000-0000-4000-8000-0000000000a2';
  const staff = (userId: string, role: Role, network: string): Scoped => ({
    ...person(userId, [role]),
    network,
  });
  const base = [
    staff('kbv', 'kompetansebase-veileder', NETWORK),
    staff('kbl', 'kompetansebase-leder', NETWORK),
    staff('kbv-far', 'kompetansebase-veileder', OTHER_NETWORK),
    staff('kbl-far', 'kompetansebase-leder', OTHER_NETWORK),
  ];
  // The ordering service's own staff (its organisation) and a network's foster-home resource.
  const everyone = [...people, { ...person('fhr-net', ['fosterhjemsressurs']), network: NETWORK }, ...base];
  const callBack = task({ serviceId: null, role: 'kompetansebase-veileder', baseNetwork: NETWORK });
  const review = task({ serviceId: null, role: 'kompetansebase-leder', baseNetwork: NETWORK });

  it('tells the base’s counsellors of an overdue call-back, its leader of the review and of escalations', () => {
    expect(recipientsOf('overdue', callBack, everyone).map((p) => p.userId)).toEqual(['kbv']);
    expect(recipientsOf('overdue', review, everyone).map((p) => p.userId)).toEqual(['kbl']);
    expect(recipientsOf('escalated', callBack, everyone).map((p) => p.userId)).toEqual(['kbl']);
    expect(recipientsOf('escalated', review, everyone).map((p) => p.userId)).toEqual(['kbl']);
  });
});
