import fc from 'fast-check';
import { ROLES, TASK_ROLES } from '../domain/vocabulary.js';
import { ACTIONS, can, mayBeGiven, type Resource, type Scoped, type TaskResource } from './access.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

const principal = fc.record({
  userId: fc.constantFrom('u1', 'u2'),
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
  organisation: fc.constantFrom(A, B),
  issuer: fc.constant('test'),
  networkServices: fc.subarray([A, B, C]),
  bufetatServices: fc.subarray([A, B, C]),
}) satisfies fc.Arbitrary<Scoped>;

const resource: fc.Arbitrary<Resource> = fc.oneof(
  fc.record({
    kind: fc.constant('placement' as const),
    serviceId: fc.constantFrom(A, B, C),
    childRef: fc.uuid(),
    bufetatHelp: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('task' as const),
    serviceId: fc.constantFrom(A, B, C),
    childRef: fc.uuid(),
    bufetatHelp: fc.boolean(),
    role: fc.constantFrom(...TASK_ROLES),
    assigneeId: fc.constantFrom(null, 'u1', 'u2'),
  }),
);

describe('can (the access function)', () => {
  it('never lets anyone see a placement of another service', () => {
    fc.assert(
      fc.property(principal, resource, fc.constantFrom(...ACTIONS), (p, r, action) => {
        if (r.kind === 'placement' && r.serviceId !== p.organisation) {
          expect(can(p, action, r)).toBe('hidden');
        }
      }),
    );
  });

  it('gives network leads and admins no child data at all', () => {
    fc.assert(
      fc.property(principal, resource, fc.constantFrom(...ACTIONS), (p, r, action) => {
        const only = p.roles.filter((role) => role !== 'laeringsnettverksleder' && role !== 'admin');
        if (only.length === 0) expect(can(p, action, r)).toBe('hidden');
      }),
    );
  });

  it('lets someone outside the owning service see only tasks of their own role pool or their own', () => {
    fc.assert(
      fc.property(principal, resource, (p, r) => {
        if (r.kind !== 'task' || r.serviceId === p.organisation) return;
        if (can(p, 'task:read', r) === 'allow') {
          expect((p.roles as readonly string[]).includes(r.role)).toBe(true);
          expect(r.assigneeId === null || r.assigneeId === p.userId).toBe(true);
          expect(
            r.role === 'bufetat'
              ? r.bufetatHelp
              : r.serviceId !== null && p.networkServices.includes(r.serviceId),
          ).toBe(true);
        }
      }),
    );
  });

  it('lets Bufetat see a task only in the services of the regions its office serves', () => {
    fc.assert(
      fc.property(principal, resource, (p, r) => {
        if (r.kind !== 'task' || r.role !== 'bufetat' || r.serviceId === p.organisation) return;
        if (can(p, 'task:read', r) === 'allow') expect(p.bufetatServices).toContain(r.serviceId);
      }),
    );
    const office: Scoped = {
      userId: 'u1',
      issuer: 'test',
      roles: ['bufetat'],
      organisation: C,
      networkServices: [],
      bufetatServices: [A],
    };
    const helped = (serviceId: string): TaskResource => ({
      kind: 'task',
      serviceId,
      childRef: 'c',
      bufetatHelp: true,
      role: 'bufetat',
      assigneeId: null,
    });
    expect(can(office, 'task:read', helped(A))).toBe('allow');
    expect(can(office, 'task:read', helped(B))).toBe('hidden');
    expect(can({ ...office, bufetatServices: [] }, 'task:read', helped(A))).toBe('hidden');
  });

  it('allows nothing it does not let the principal see (allow implies visible)', () => {
    fc.assert(
      fc.property(principal, resource, fc.constantFrom(...ACTIONS), (p, r, action) => {
        if (can(p, action, r) === 'allow') expect(can(p, 'task:read', r)).not.toBe('hidden');
      }),
    );
  });
});

describe('mayBeGiven (who a task can be reassigned to)', () => {
  const task = (role: TaskResource['role'], serviceId = A, bufetatHelp = false): TaskResource => ({
    kind: 'task',
    serviceId,
    childRef: 'c',
    bufetatHelp,
    role,
    assigneeId: 'someone-else',
  });
  const person = (roles: Scoped['roles'], organisation = A, networkServices: string[] = []): Scoped => ({
    userId: 'u1',
    issuer: 'test',
    roles,
    organisation,
    networkServices,
    // Bufetat's office (C) serves the region of A.
    ...(roles.includes('bufetat') ? { bufetatServices: [A] } : {}),
  });

  it('gives a task to those holding its role who may act on it once it is theirs', () => {
    expect(mayBeGiven(person(['kontaktperson']), task('kontaktperson'))).toBe(true);
    expect(mayBeGiven(person(['kontaktperson'], B), task('kontaktperson'))).toBe(false); // another service
    expect(mayBeGiven(person(['leder']), task('kontaktperson'))).toBe(false); // not the task's role
    expect(mayBeGiven(person(['tilsynsforer']), task('tilsynsforer'))).toBe(true);
    expect(mayBeGiven(person(['fosterhjemsressurs'], B, [A, B]), task('fosterhjemsressurs'))).toBe(true);
    expect(mayBeGiven(person(['fosterhjemsressurs'], B), task('fosterhjemsressurs'))).toBe(false);
    expect(mayBeGiven(person(['bufetat'], C), task('bufetat', A, true))).toBe(true);
    expect(mayBeGiven(person(['bufetat'], C), task('bufetat', A, false))).toBe(false);
    expect(mayBeGiven(person(['bufetat'], C), task('bufetat', B, true))).toBe(false); // another region
  });

  it('is exactly: holds the role, and could act on the task assigned to them', () => {
    fc.assert(
      fc.property(principal, resource, (p, r) => {
        if (r.kind !== 'task') return;
        const given = mayBeGiven(p, r);
        if (given) expect(can(p, 'task:act', { ...r, assigneeId: p.userId })).toBe('allow');
        if (!(p.roles as readonly string[]).includes(r.role)) expect(given).toBe(false);
      }),
    );
  });
});
