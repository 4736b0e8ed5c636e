// What each placement of the benchmarks' test data (lib/inbox-data.mjs) appended by now, made the way
// the system itself makes it, only faster than through Temporal.
//
// The pure domain code of dist/ (the code the workflow and its activities run) decides the events: the
// planner (`planPackage` with the published DEFAULT_CATALOG and the Norwegian working-day calendar)
// plans the package at registration, and the workflow's own decision functions (`decideTick` at every
// `nextWakeUp`, `decideComplete` + `planFollowUps`, `decideWaive`, `decideReassign`, `decideEnd`) play
// its year out up to today, with people completing, waiving and claiming tasks at pseudo-random (seeded,
// reproducible) moments.
import { v5 as uuidv5 } from 'uuid';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

export const ID_NAMESPACE = '0f6a1c3e-5b7d-4e2f-9a8b-7c6d5e4f3a21'; // the benchmark's own ids (uuidv5)
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A string hashed to 32 bits (FNV-1a), to seed a PRNG per task. */
function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The people of a service: caseworkers (each placement has one, who claims its caseworker tasks),
 * foster-home staff and supervisors (who claim some of their pool's tasks). The demo users are among
 * them, so their inboxes hold what a colleague's would; other services than Nordby and Sørvik have
 * numbered staff only.
 */
function staffOf(name, demo) {
  const numbered = (prefix, from, to) =>
    Array.from({ length: to - from + 1 }, (_, i) => `${name}-${prefix}-${from + i}`);
  return name === 'nordby'
    ? {
        kontaktperson: [demo.kontaktperson, demo.kontaktperson2, ...numbered('kp', 3, 14)],
        fosterhjemsressurs: [demo.fosterhjemsressurs, ...numbered('fhr', 2, 4)],
        tilsynsforer: [demo.tilsynsforer, ...numbered('tf', 2, 6)],
        leder: [demo.leder],
      }
    : name === 'sorvik'
      ? {
          kontaktperson: [demo.sorvikKontaktperson, ...numbered('kp', 2, 6)],
          fosterhjemsressurs: numbered('fhr', 1, 2),
          tilsynsforer: numbered('tf', 1, 3),
          leder: [demo.sorvikLeder],
        }
      : {
          kontaktperson: numbered('kp', 1, 6),
          fosterhjemsressurs: numbered('fhr', 1, 2),
          tilsynsforer: numbered('tf', 1, 3),
          leder: numbered('leder', 1, 1),
        };
}

/**
 * Returns `generate(i)`: the i-th placement's id and the events its package would have appended by
 * `now`, each with the simulated instant it would have been recorded at (`recorded`: the instant of the
 * decision that made it, never before the previous event's), deterministic in (seed, i). `services`
 * (see `ensureBenchServices`) replaces the default Nordby `nordbyShare`, Sørvik the rest.
 */
export async function placementGenerator({
  seed = 1,
  now = Date.now(),
  spanDays = 365,
  nordbyShare = 0.8,
  services: serviceSpecs = [
    { key: 'nordby', share: nordbyShare },
    { key: 'sorvik', share: 1 - nordbyShare },
  ],
}) {
  const { planFollowUps, planPackage } = await import(dist('libs/domain/planner/index.js'));
  const { DEFAULT_CATALOG } = await import(dist('libs/domain/catalog/default-catalog.js'));
  const { publishCatalog } = await import(dist('libs/domain/catalog/publish.js'));
  const { norwegianWorkingDays } = await import(dist('libs/domain/calendar/working-days.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));
  const { osloInstant } = await import(dist('libs/domain/calendar/oslo-time.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { evolve, isFinal } = await import(dist('libs/domain/package/state.js'));
  const decide = await import(dist('libs/domain/package/decide.js'));
  const { DEMO_SERVICES } = await import(dist('libs/security/local-issuer.js'));
  const { placementFacts } = await import(dist('libs/fixtures/placements.js'));
  const { PLACEMENT_TYPES } = await import(dist('libs/domain/vocabulary.js'));

  const catalog = publishCatalog(DEFAULT_CATALOG);
  const calendar = norwegianWorkingDays();
  const nowIso = new Date(now).toISOString();
  const today = osloDateOf(now);
  const demo = {
    kontaktperson: 'demo-kontaktperson',
    kontaktperson2: 'demo-kontaktperson-2',
    leder: 'demo-leder',
    tilsynsforer: 'demo-tilsynsforer',
    fosterhjemsressurs: 'demo-fosterhjemsressurs',
    sorvikKontaktperson: 'demo-sorvik-kontaktperson',
    sorvikLeder: 'demo-sorvik-leder',
  };
  const municipalityCount = { nordby: 3, sorvik: 2 };
  let cumulative = 0;
  const services = serviceSpecs.map((spec) => ({
    serviceId: spec.serviceId ?? DEMO_SERVICES[spec.key],
    municipalities:
      spec.municipalities ??
      Array.from({ length: municipalityCount[spec.key] ?? 1 }, (_, k) =>
        uuidv5(`${spec.key}-municipality-${k}`, ID_NAMESPACE),
      ),
    staff: staffOf(spec.key, demo),
    upTo: (cumulative += spec.share),
  }));
  if (services.some((x) => !x.serviceId)) throw new Error('a service spec without serviceId');
  /** The service of a draw in [0, 1): the first whose cumulative share exceeds it. */
  const serviceOf = (r) => services.find((x) => r < x.upTo) ?? services[services.length - 1];
  const pick = (rand, list) => list[Math.floor(rand() * list.length)];
  const at = (date, hour, minute = 0) => osloInstant(date, hour, minute);

  return function generate(i) {
    const rand = prng(hash32(`${seed}/${i}`));
    const service = serviceOf(rand());
    const type = PLACEMENT_TYPES[i % PLACEMENT_TYPES.length];
    const placementDate = addDays(today, -Math.floor(rand() * spanDays));
    // Planned placements are registered up to two weeks before move-in, emergencies on the day or after.
    let registeredOn =
      type === 'akutt'
        ? addDays(placementDate, Math.floor(rand() * 3))
        : addDays(placementDate, -Math.floor(rand() * 15));
    if (registeredOn > today) registeredOn = today;
    let registeredAt = at(registeredOn, 8 + Math.floor(rand() * 8), Math.floor(rand() * 60));
    if (registeredAt > nowIso) registeredAt = nowIso;
    const caseworker = pick(rand, service.staff.kontaktperson);
    const actor = (userId, role) => ({ userId, role });
    const age = Math.floor(rand() * 18);
    const placementId = uuidv5(`placement/${seed}/${i}`, ID_NAMESPACE);
    const registration = {
      placementId,
      childRef: uuidv5(`child/${seed}/${i}`, ID_NAMESPACE),
      organisation: { serviceId: service.serviceId, municipalityId: pick(rand, service.municipalities) },
      facts: placementFacts(type, placementDate, {
        childAgeYears: age,
        samvaer: type !== 'frivillig' || rand() < 0.5,
        parentsReachable: rand() < 0.85,
        inSchoolOrKindergarten: age >= 1,
        bufetatHelp: type === 'slekt-nettverk' || rand() < 0.1,
      }),
      catalogVersion: catalog.version,
      by: actor(caseworker, 'kontaktperson'),
    };
    // 3 % of placements end early (a breakdown), some weeks after move-in.
    const endsOn = rand() < 0.03 ? addDays(placementDate, 20 + Math.floor(rand() * 200)) : undefined;

    const events = [];
    const recorded = []; // the simulated instant each event is recorded at
    let state;
    let rejected = 0;
    /** A person's command: refused ones (CommandRejected) are dropped, as the API would answer 4xx. */
    const attempt = (decideFn, instant) => {
      let decided;
      try {
        decided = decideFn();
      } catch (error) {
        if (error?.name !== 'CommandRejected') throw error;
        rejected++;
        return false;
      }
      commit(decided, instant);
      return true;
    };
    let lastRecorded = '';
    /** Applies decided events; they are recorded at `instant` (a timer already due fires at once). */
    const commit = (decided, instant) => {
      if (instant > lastRecorded) lastRecorded = instant;
      for (const event of decided) {
        state = evolve(state, event);
        events.push(event);
        recorded.push(lastRecorded);
        if (event.type === 'TasksPlanned') for (const task of event.data.tasks) schedule(task);
      }
    };

    // What people do with each task, decided when it is planned: claim it when it opens (caseworker
    // tasks go to the child's caseworker; some pool tasks are claimed by a colleague), complete it
    // (mostly within its window, some late), waive it, or leave it (it goes overdue and escalates).
    const actions = new Map(); // taskId → [{ at, kind, ... }] in time order
    function schedule(task) {
      const r = prng(hash32(`${seed}/${i}/${task.taskId}`));
      const list = [];
      const claimAt = new Date(Date.parse(task.timers.opensAt) + (1 + r() * 6) * HOUR).toISOString();
      if (task.role === 'kontaktperson' && r() < 0.6) {
        list.push({ at: claimAt, kind: 'claim', userId: caseworker, role: 'kontaktperson' });
      } else if (
        (task.role === 'fosterhjemsressurs' || task.role === 'tilsynsforer') &&
        r() < 0.35 &&
        service.staff[task.role].length > 0
      ) {
        list.push({ at: claimAt, kind: 'claim', userId: pick(r, service.staff[task.role]), role: task.role });
      }
      const fate = r();
      if (fate < 0.72) {
        // Done some day in its window, or up to three weeks late for a fifth of them.
        const window = Math.max(0, Math.round((Date.parse(task.dueOn) - Date.parse(task.opensOn)) / DAY));
        const late = r() < 0.2 ? 1 + Math.floor(r() * 21) : 0;
        const day = late ? window + late : Math.floor(r() * (window + 1));
        const completedOn = addDays(task.opensOn, day);
        const who =
          list[0]?.userId ??
          (task.role === 'leder' ? service.staff.leder[0] : pick(r, service.staff.kontaktperson));
        const when = at(completedOn, 9 + Math.floor(r() * 7), Math.floor(r() * 60));
        list.push({
          at: when,
          kind: 'complete',
          completedOn,
          userId: who,
          role: task.role,
          outcome: r() < 0.9 ? 'gjennomfort' : 'delvis-gjennomfort',
        });
      } else if (fate < 0.75) {
        list.push({ at: at(task.dueOn, 11), kind: 'waive', userId: service.staff.leder[0] });
      }
      list.sort((a, b) => a.at.localeCompare(b.at));
      actions.set(task.taskId, list);
    }

    commit(
      [
        {
          type: 'PlacementRegistered',
          data: {
            placementId,
            childRef: registration.childRef,
            organisation: registration.organisation,
            facts: registration.facts,
            catalogVersion: registration.catalogVersion,
            by: registration.by,
            at: registeredAt,
          },
        },
        {
          type: 'TasksPlanned',
          data: {
            tasks: planPackage(catalog, { facts: registration.facts, reductions: [] }, calendar),
            reason: 'registered',
            at: registeredAt,
          },
        },
      ],
      registeredAt,
    );
    // As the workflow does: what is already due goes in the registration's append.
    commit(decide.decideTick(state, registeredAt), registeredAt);

    const endAt = endsOn ? at(endsOn, 14) : undefined;
    let ended = false;
    for (let guard = 0; guard < 100_000; guard++) {
      if (state.status === 'ended' || state.status === 'completed') break;
      // The earliest of: the next timer, the next thing a person does, the end of the placement.
      let next;
      for (const task of Object.values(state.tasks)) {
        if (isFinal(task)) continue;
        const action = actions.get(task.taskId)?.[0];
        if (action && (!next || action.at < next.at)) next = { ...action, taskId: task.taskId };
      }
      const wake = decide.nextWakeUp(state);
      if (endAt && !ended && (!next || endAt < next.at) && (!wake || endAt <= wake)) {
        if (endAt > nowIso) break;
        ended = true;
        attempt(
          () =>
            decide.decideEnd(
              state,
              {
                commandId: `end-${i}`,
                actor: actor(service.staff.leder[0], 'leder'),
                endedOn: endsOn,
                reason: 'brudd',
              },
              endAt,
            ),
          endAt,
        );
        continue;
      }
      if (next && (!wake || next.at < wake)) {
        if (next.at > nowIso) break;
        actions.get(next.taskId).shift();
        const task = state.tasks[next.taskId];
        const by = actor(next.userId, next.role ?? 'leder');
        if (next.kind === 'claim') {
          attempt(
            () =>
              decide.decideReassign(
                state,
                {
                  commandId: `claim-${i}-${next.taskId}`,
                  actor: by,
                  taskId: next.taskId,
                  assigneeId: next.userId,
                },
                next.at,
              ),
            next.at,
          );
        } else if (next.kind === 'complete') {
          if (
            !attempt(
              () =>
                decide.decideComplete(
                  state,
                  {
                    commandId: `complete-${i}-${next.taskId}`,
                    actor: by,
                    taskId: next.taskId,
                    outcome: next.outcome,
                    completedOn: next.completedOn,
                  },
                  next.at,
                ),
              next.at,
            )
          )
            continue;
          // The workflow's completeTask handler: follow-ups planned from the completion.
          const fresh = planFollowUps(
            catalog,
            state.facts,
            { stepId: task.stepId, occurrence: task.occurrence },
            next.completedOn,
            calendar,
          ).filter((t) => !state.tasks[t.taskId]);
          if (fresh.length > 0)
            commit(
              [{ type: 'TasksPlanned', data: { tasks: fresh, reason: 'follow-up', at: next.at } }],
              next.at,
            );
        } else {
          attempt(
            () =>
              decide.decideWaive(
                state,
                {
                  commandId: `waive-${i}-${next.taskId}`,
                  actor: by,
                  taskId: next.taskId,
                  reason: 'ikke-relevant',
                },
                next.at,
                // Load data: the waiver's outcome only, in the leader-alone shape recorded before the
                // four-eyes rule (a statutory step is now waived on request, co-signed by another leader).
                { fourEyes: false },
              ),
            next.at,
          );
        }
        continue;
      }
      if (!wake || wake > nowIso) break;
      commit(decide.decideTick(state, wake), wake);
    }
    return { placementId, serviceId: service.serviceId, events, recorded, state, rejected };
  };
}
