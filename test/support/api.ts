import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_ISSUER } from '../../apps/api/auth/auth.tokens.js';
import type { ApiApp } from '../../apps/api/bootstrap.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import type { PlannedTask } from '../../libs/domain/plan.js';
import type { IsoDate, PlacementFacts, TaskRole } from '../../libs/domain/vocabulary.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import { planPackage } from '../../libs/domain/planner/plan-package.js';
import { EventStore } from '../../libs/event-store/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { projectionLag, runOnce } from '../../libs/projections/index.js';
import { DEMO_USERS, type DemoUser, type LocalIssuer, type MintOptions } from '../../libs/security/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/*
 * The API in-process against a real, migrated PostgreSQL (one database per test file), with the local
 * issuer on: every request carries a real signed token. Read models are built the real way: events
 * appended through the EventStore, then folded by the projector.
 */

export interface TestApi {
  readonly app: ApiApp;
  readonly db: TestDatabase;
  readonly issuer: LocalIssuer;
  readonly server: ReturnType<ApiApp['getHttpServer']>;
  token(userId: string, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '4',
    AUTH_LOCAL_ISSUER: 'on',
    API_RATE_LIMIT: '100000',
    API_LOGIN_FAILURE_LIMIT: '100000',
    AUTH_ISSUERS: '[]',
    ...env,
  });
  // Imported only now: the config module validates the environment when it is first loaded.
  const { createApiApp, ready } = await import('../../apps/api/bootstrap.js');
  const app = await createApiApp();
  await app.init();
  await ready(app);
  const issuer = app.get<LocalIssuer>(LOCAL_ISSUER);
  return {
    app,
    db,
    issuer,
    server: app.getHttpServer(),
    token: (userId, options) => issuer.mint(demoUser(userId), options),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export function demoUser(userId: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.userId === userId);
  if (!user) throw new Error(`no demo user ${userId}`);
  return user;
}

let clock = Date.parse('2026-06-20T08:00:00.000Z');
const at = () => new Date((clock += 60_000)).toISOString();

export interface FixtureTask {
  readonly taskId: string;
  readonly role: TaskRole;
  readonly dueOn: IsoDate;
  readonly assigneeId?: string;
  /** The step's title (default «Samtale med barnet»). */
  readonly title?: string;
  /** Completed on this day (a TaskCompleted event after the reassignments). */
  readonly completedOn?: IsoDate;
}

export interface FixturePlacement {
  readonly placementId: string;
  readonly childRef: string;
  readonly serviceId: string;
  readonly bufetatHelp: boolean;
  readonly tasks: readonly FixtureTask[];
}

function plannedTask(t: FixtureTask): PlannedTask {
  const [stepId = t.taskId, occurrence = '1'] = t.taskId.split('#');
  return {
    taskId: t.taskId,
    stepId,
    occurrence: Number(occurrence),
    title: t.title ?? 'Samtale med barnet',
    track: 'barnet',
    role: t.role,
    catalogVersion: '2026.1',
    opensOn: t.dueOn,
    dueOn: t.dueOn,
    nominalDueOn: t.dueOn,
    requiresCoSignToWaive: false,
    timers: {
      opensAt: `${t.dueOn}T05:00:00.000Z`,
      remindAt: `${t.dueOn}T05:00:00.000Z`,
      overdueAt: `${t.dueOn}T22:00:00.000Z`,
      escalateAt: `${t.dueOn}T22:00:00.000Z`,
    },
  };
}

/** Appends a placement's events (registered, planned, reassignments) and returns its description. */
export async function seedPlacement(
  db: TestDatabase,
  spec: Omit<FixturePlacement, 'placementId' | 'childRef'> & { placementId?: string; childRef?: string },
): Promise<FixturePlacement> {
  const placement: FixturePlacement = {
    placementId: spec.placementId ?? randomUUID(),
    childRef: spec.childRef ?? randomUUID(),
    serviceId: spec.serviceId,
    bufetatHelp: spec.bufetatHelp,
    tasks: spec.tasks,
  };
  const by = { userId: 'seed', role: 'leder' as const };
  const events: PackageEvent[] = [
    {
      type: 'PlacementRegistered',
      data: {
        placementId: placement.placementId,
        childRef: placement.childRef,
        organisation: { serviceId: placement.serviceId, municipalityId: placement.serviceId },
        facts: placementFacts('omsorgsovertakelse', '2026-06-01', { bufetatHelp: placement.bufetatHelp }),
        catalogVersion: '2026.1',
        by,
        at: at(),
      },
    },
    {
      type: 'TasksPlanned',
      data: { tasks: placement.tasks.map(plannedTask), reason: 'registered', at: at() },
    },
    ...placement.tasks
      .filter((t) => t.assigneeId)
      .map((t): PackageEvent => ({
        type: 'TaskReassigned',
        data: { taskId: t.taskId, at: at(), assigneeId: t.assigneeId!, role: t.role, by },
      })),
    ...placement.tasks
      .filter((t) => t.completedOn)
      .map((t): PackageEvent => ({
        type: 'TaskCompleted',
        data: { taskId: t.taskId, at: at(), completedOn: t.completedOn!, outcome: 'gjennomfort', by },
      })),
  ];
  await new EventStore(db.dataSource).append(
    { streamType: 'placement', streamId: placement.placementId },
    'any',
    events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
  );
  return placement;
}

const SEED_AT = '2026-01-01T08:00:00.000Z';

/**
 * Appends a placement as the workflow registers it, planned by the real planner from the default
 * catalog, then the events `after` makes of its tasks; returns its ids and its planned tasks.
 */
export async function seedPlannedPlacement(
  db: TestDatabase,
  options: {
    serviceId: string;
    facts: PlacementFacts;
    /** The placement's municipality (default: a random id, no municipality of the reference data). */
    municipalityId?: string;
    after?: (tasks: readonly PlannedTask[]) => readonly PackageEvent[];
  },
): Promise<{ placementId: string; childRef: string; tasks: PlannedTask[] }> {
  const placementId = randomUUID();
  const childRef = randomUUID();
  const { facts, serviceId } = options;
  const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, norwegianWorkingDays());
  const by = { userId: 'seed', role: 'kontaktperson' as const };
  const events: PackageEvent[] = [
    {
      type: 'PlacementRegistered',
      data: {
        placementId,
        childRef,
        organisation: { serviceId, municipalityId: options.municipalityId ?? randomUUID() },
        facts,
        catalogVersion: DEFAULT_CATALOG.version,
        by,
        at: SEED_AT,
      },
    },
    { type: 'TasksPlanned', data: { tasks, reason: 'registered', at: SEED_AT } },
    ...(options.after?.(tasks) ?? []),
  ];
  await new EventStore(db.dataSource).append(
    { streamType: 'placement', streamId: placementId },
    0,
    events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
  );
  return { placementId, childRef, tasks };
}

/** Runs the projector until every committed event is in the read models. */
export async function projectAll(db: TestDatabase): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await runOnce(db.dataSource);
    if (result.caughtUp && (await projectionLag(db.dataSource)).pendingEvents === 0) return;
    if (Date.now() > deadline) throw new Error('projector did not catch up within 15 s');
    if (result.caughtUp) await sleep(20);
  }
}

/**
 * The fixture world of the API tests: two services of the demo learning network.
 * - nordbyHelped (Nordby, Bufetat help): a task for each relation to each demo user.
 * - nordbyPlain (Nordby, no Bufetat help): the same tasks, other assignees.
 * - sorvik (Sørvik, no Bufetat help): the same tasks in the other service.
 */
export async function seedWorld(db: TestDatabase, services: { own: string; other: string }) {
  const tasks = (prefix: string, dueMonth: string): FixtureTask[] => [
    {
      taskId: 'samtale#1',
      role: 'kontaktperson',
      dueOn: `2026-${dueMonth}-01`,
      assigneeId: `${prefix}kontaktperson`,
    },
    {
      taskId: 'samtale#2',
      role: 'kontaktperson',
      dueOn: `2026-${dueMonth}-02`,
      assigneeId: `${prefix}kontaktperson-2`,
    },
    { taskId: 'samtale#3', role: 'kontaktperson', dueOn: `2026-${dueMonth}-03` },
    {
      taskId: 'tilsyn#1',
      role: 'tilsynsforer',
      dueOn: `2026-${dueMonth}-04`,
      assigneeId: `${prefix}tilsynsforer`,
    },
    { taskId: 'tilsyn#2', role: 'tilsynsforer', dueOn: `2026-${dueMonth}-05`, assigneeId: 'someone-else' },
    { taskId: 'fhr#1', role: 'fosterhjemsressurs', dueOn: `2026-${dueMonth}-06` },
    { taskId: 'fhr#2', role: 'fosterhjemsressurs', dueOn: `2026-${dueMonth}-07`, assigneeId: 'someone-else' },
    { taskId: 'bufetat#1', role: 'bufetat', dueOn: `2026-${dueMonth}-08` },
    { taskId: 'leder#1', role: 'leder', dueOn: `2026-${dueMonth}-09` },
    // Another role's task in the name of a foster-home resource: not theirs to see (`sees` asks for the role).
    {
      taskId: 'samtale#4',
      role: 'kontaktperson',
      dueOn: `2026-${dueMonth}-10`,
      assigneeId: `${prefix}fosterhjemsressurs`,
    },
  ];
  const nordbyHelped = await seedPlacement(db, {
    serviceId: services.own,
    bufetatHelp: true,
    tasks: tasks('demo-', '07'),
  });
  const nordbyPlain = await seedPlacement(db, {
    serviceId: services.own,
    bufetatHelp: false,
    tasks: tasks('x-', '08'),
  });
  const sorvik = await seedPlacement(db, {
    serviceId: services.other,
    bufetatHelp: false,
    tasks: tasks('demo-sorvik-', '09'),
  });
  await projectAll(db);
  return { nordbyHelped, nordbyPlain, sorvik };
}

/** A response body, typed (supertest gives `any`). */
export const bodyOf = <T>(res: { body: unknown }): T => res.body as T;
