// Test data for the API benchmarks: N placements whose care packages have run for up to a year (or more
// years: `spanDays`), appended through the real EventStore with the ids the workflow's append activity
// gives them (uuidv5 of placement and stream version), and the real projector (`rebuild` of
// libs/projections, what `npm run projections:rebuild` runs) builds the read models from them. What each
// placement's events are is decided in lib/placement-generator.mjs, by the domain code of dist/.
//
// Differences from a year of real use: each placement's events are appended in one go (the workflow
// appends them one decision at a time), so every event's recorded_at is the load time (unless
// `recordedAt: 'simulated'`: then each event is recorded at the simulated instant of the decision that
// made it, as the workflow would have recorded it), and the projector folds the whole load at once
// instead of event by event.
//
// Also used by the adherence benchmark (bench/adherence.mjs): more services (`ensureBenchServices`),
// placement dates over several years (`spanDays`), simulated recorded times.
import { v5 as uuidv5 } from 'uuid';
import { ID_NAMESPACE, placementGenerator } from './placement-generator.mjs';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

/**
 * The demo organisations (what the API writes at start with the local issuer on) and `extra` more
 * fictional services in the demo learning network, each with a fictional municipality (numbers from
 * 9911 up, which no Norwegian municipality has), so a learning-network lead's reports aggregate more
 * than two services. Idempotent. Returns the service specs for `loadInboxData({ services })`: Nordby
 * `demoShares[0]`, Sørvik `demoShares[1]`, the rest split evenly over the extra services.
 */
export async function ensureBenchServices(dataSource, { extra = 0, demoShares = [0.8, 0.2] } = {}) {
  const { seedDemoReferenceData } = await import(dist('apps/api/reference/demo-reference-data.js'));
  const { DEMO_NETWORK } = await import(dist('libs/security/local-issuer.js'));
  await seedDemoReferenceData(dataSource);
  const rest = Math.max(0, 1 - demoShares[0] - demoShares[1]);
  const specs = [
    { key: 'nordby', share: demoShares[0] },
    { key: 'sorvik', share: extra > 0 ? demoShares[1] : 1 - demoShares[0] },
  ];
  await dataSource.transaction(async (m) => {
    for (let k = 1; k <= extra; k++) {
      const key = `bench-${k}`;
      const serviceId = uuidv5(`service/${key}`, ID_NAMESPACE);
      const municipalityId = uuidv5(`municipality/${key}`, ID_NAMESPACE);
      await m.query(
        `INSERT INTO municipalities (id, number, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [municipalityId, String(9910 + k), `Benchby ${k} (fiktiv)`],
      );
      const created = await m.query(
        `INSERT INTO services (id, name, host_municipality_id, network_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [serviceId, `Bench ${k} barneverntjeneste (fiktiv)`, municipalityId, DEMO_NETWORK],
      );
      if (created.length > 0)
        await m.query(`INSERT INTO service_municipalities (service_id, municipality_id) VALUES ($1, $2)`, [
          serviceId,
          municipalityId,
        ]);
      specs.push({ key, serviceId, municipalities: [municipalityId], share: rest / extra });
    }
  });
  return specs;
}

/**
 * Loads what `generate` makes into the database: `placements` placements (a share `nordbyShare` in
 * the demo service Nordby, the rest in Sørvik; or `services`, see `ensureBenchServices`), placement
 * dates spread evenly over the `spanDays` days up to `today`, events appended through the EventStore
 * in transactions of `batchSize` placements, `concurrency` transactions at a time, recorded at the load
 * time (`recordedAt: 'load'`) or at their simulated instants (`'simulated'`); then, unless `project`
 * is false, the projector's rebuild and VACUUM (ANALYZE). Returns counts and timings.
 */
export async function loadInboxData({
  dataSource,
  placements,
  seed = 1,
  now = Date.now(),
  spanDays = 365,
  nordbyShare = 0.8,
  services,
  recordedAt = 'load',
  project = true,
  batchSize = 25,
  concurrency = 2,
  projectorBatchSize = 1000,
  log = () => {},
}) {
  if (recordedAt !== 'load' && recordedAt !== 'simulated')
    throw new Error(`recordedAt must be 'load' or 'simulated', got ${recordedAt}`);
  const { deterministicId, EventStore } = await import(dist('libs/event-store/index.js'));
  const { rebuild } = await import(dist('libs/projections/rebuild.js'));
  const { PACKAGE_STREAM_TYPE } = await import(dist('libs/domain/events.js'));
  const { runPool } = await import('./stats.mjs');
  const generate = await placementGenerator({ seed, now, spanDays, nordbyShare, services });
  const eventStore = new EventStore(dataSource);

  const batches = [];
  for (let i = 0; i < placements; i += batchSize) batches.push([i, Math.min(placements, i + batchSize)]);
  const totals = { placements: 0, events: 0, eventsByType: {}, eventsByService: {}, generateMs: 0 };
  let lastLog = performance.now();
  const started = performance.now();
  await runPool(batches, concurrency, async ([from, to]) => {
    const t0 = performance.now();
    const packages = [];
    for (let i = from; i < to; i++) packages.push(generate(i));
    totals.generateMs += performance.now() - t0;
    await dataSource.transaction(async (m) => {
      for (const { placementId, events, recorded } of packages) {
        // What activities/package-store.ts appendPackageEvents does, inside the batch's transaction.
        await eventStore.append(
          { streamType: PACKAGE_STREAM_TYPE, streamId: placementId },
          0,
          events.map((event, v) => ({
            eventId: deterministicId(PACKAGE_STREAM_TYPE, placementId, String(v + 1)),
            type: event.type,
            payload: event.data,
            ...(recordedAt === 'simulated' ? { recordedAt: recorded[v] } : {}),
          })),
          m,
        );
      }
    });
    for (const { events, serviceId } of packages) {
      totals.events += events.length;
      totals.eventsByService[serviceId] = (totals.eventsByService[serviceId] ?? 0) + events.length;
      for (const e of events) totals.eventsByType[e.type] = (totals.eventsByType[e.type] ?? 0) + 1;
    }
    totals.placements += packages.length;
    if (performance.now() - lastLog > 10_000 || totals.placements === placements) {
      lastLog = performance.now();
      log(`appended ${totals.placements}/${placements} placements, ${totals.events} events`);
    }
  });
  const appendMs = performance.now() - started;
  const loaded = {
    placements: totals.placements,
    events: totals.events,
    eventsByType: totals.eventsByType,
    eventsByService: totals.eventsByService,
    appendMs,
    generateMs: totals.generateMs,
  };
  if (!project) return loaded;

  log(`projecting ${totals.events} events (rebuild of the read models, batches of ${projectorBatchSize})`);
  const t1 = performance.now();
  const projected = await rebuild(dataSource, { batchSize: projectorBatchSize });
  const projectMs = performance.now() - t1;

  // A freshly bulk-loaded table has no planner statistics yet; autovacuum would gather them soon.
  const t2 = performance.now();
  await dataSource.query(`VACUUM (ANALYZE) events, ${(await readModelTables()).join(', ')}`);
  const analyzeMs = performance.now() - t2;
  return {
    ...loaded,
    projectedEvents: projected.events,
    projectorBatches: projected.batches,
    projectMs,
    analyzeMs,
  };
}

/** The tables the projector writes (`rebuild` truncates them), to VACUUM (ANALYZE) after a load. */
export async function readModelTables() {
  const { READ_MODEL_TABLE_NAMES } = await import(dist('libs/projections/rebuild.js'));
  return READ_MODEL_TABLE_NAMES;
}
