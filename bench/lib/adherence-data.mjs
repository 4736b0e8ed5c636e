// The adherence benchmark's data (bench/adherence.mjs): the full projection rebuild, measured, and what
// the read models then hold.
import { cpuDelta, cpuSnapshot } from './procs.mjs';
import { formatMs, round } from './stats.mjs';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

/** `rebuild` of libs/projections (truncate every read model, replay every event), timed, with its CPU. */
export async function measureRebuild(ds, { batchSize, log }) {
  const { rebuild } = await import(dist('libs/projections/rebuild.js'));
  log(`rebuilding the read models (rebuild of libs/projections, batches of ${batchSize})`);
  const labels = { [process.pid]: 'bench (projector)' };
  const before = cpuSnapshot(labels);
  const t = performance.now();
  const rebuilt = await rebuild(ds, { batchSize });
  const ms = performance.now() - t;
  const cpu = cpuDelta(before, cpuSnapshot(labels), ms);
  const [rows] = await ds.query(
    `SELECT (SELECT count(*) FROM adherence_facts)::int AS adherence_facts,
            (SELECT count(*) FROM task_inbox)::int AS task_inbox,
            (SELECT count(*) FROM placement_timeline)::int AS placement_timeline`,
  );
  const measured = {
    events: rebuilt.events,
    batches: rebuilt.batches,
    batchSize,
    ms,
    eventsPerSecond: round(rebuilt.events / (ms / 1000)),
    adherenceRows: rows.adherence_facts,
    adherenceRowsPerSecond: round(rows.adherence_facts / (ms / 1000)),
    taskRows: rows.task_inbox,
    timelineRows: rows.placement_timeline,
    cpu,
  };
  log(
    `rebuilt in ${formatMs(ms)}: ${rebuilt.events} events (${measured.eventsPerSecond}/s), ` +
      `${rows.adherence_facts} adherence versions`,
  );
  return measured;
}

/** Placements, tasks, events and their recorded span, adherence versions, sizes; the facts' indexes. */
export async function adherenceCounts(ds, { log }) {
  const [counts] = await ds.query(
    `SELECT (SELECT count(*) FROM placements)::int AS placements,
            (SELECT count(*) FROM placements WHERE status = 'completed')::int AS completed_packages,
            (SELECT count(*) FROM task_inbox)::int AS tasks,
            (SELECT count(*) FROM events)::int AS events,
            (SELECT to_json(min(recorded_at)) #>> '{}' FROM events) AS first_recorded,
            (SELECT to_json(max(recorded_at)) #>> '{}' FROM events) AS last_recorded,
            (SELECT count(*) FROM adherence_facts)::int AS adherence_rows,
            (SELECT count(*) FROM adherence_facts WHERE recorded_to IS NULL)::int AS adherence_current,
            pg_database_size(current_database())::bigint AS database_bytes,
            pg_table_size('adherence_facts')::bigint AS adherence_table_bytes,
            pg_indexes_size('adherence_facts')::bigint AS adherence_index_bytes`,
  );
  const byService = await ds.query(
    `SELECT p.service_id::text, s.name, count(*)::int AS n
       FROM placements p LEFT JOIN services s ON s.id = p.service_id GROUP BY 1, 2 ORDER BY n DESC`,
  );
  const indexes = await ds.query(
    `SELECT indexdef FROM pg_indexes WHERE tablename = 'adherence_facts' ORDER BY indexname`,
  );
  const databaseMB = round(Number(counts.database_bytes) / 1e6);
  log(
    `${counts.placements} placements (${counts.completed_packages} packages completed), ${counts.tasks} tasks, ` +
      `${counts.events} events recorded ${counts.first_recorded} – ${counts.last_recorded}, ` +
      `${counts.adherence_rows} adherence versions (${counts.adherence_current} current), ` +
      `database ${databaseMB} MB`,
  );
  return {
    counts: {
      placements: counts.placements,
      completedPackages: counts.completed_packages,
      tasks: counts.tasks,
      events: counts.events,
      recordedFrom: counts.first_recorded,
      recordedTo: counts.last_recorded,
      adherenceRows: counts.adherence_rows,
      adherenceCurrentRows: counts.adherence_current,
      databaseMB,
      adherenceTableMB: round(Number(counts.adherence_table_bytes) / 1e6),
      adherenceIndexesMB: round(Number(counts.adherence_index_bytes) / 1e6),
      placementsByService: Object.fromEntries(byService.map((r) => [r.name ?? r.service_id, r.n])),
    },
    indexes: indexes.map((r) => r.indexdef),
  };
}
