// The two load generators of the API benchmarks (bench/api.mjs, bench/adherence.mjs): autocannon against
// the API, and the same SQL directly against PostgreSQL (the ceiling), measured alike.
import autocannon from 'autocannon';
import pg from 'pg';
import { round, summary } from './stats.mjs';

/**
 * autocannon against the API for `durationS`; every response's time is kept, so the percentiles come
 * from the same function as the ceiling's. autocannon's own summary is kept as well.
 */
export async function runAutocannon({ url, token, connections, durationS }) {
  const latencies = [];
  const statuses = {};
  const result = await new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationS,
        pipelining: 1,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      },
      (error, res) => (error ? reject(error) : resolvePromise(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const elapsedS = result.duration;
  const ok = statuses[200] ?? 0;
  return {
    requests: latencies.length,
    ok,
    perSecond: round(latencies.length / elapsedS),
    elapsedS,
    latencyMs: summary(latencies),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: result.requests.total ? Math.round(result.throughput.total / result.requests.total) : 0,
    autocannon: {
      requestsTotal: result.requests.total,
      requestsPerSecondMean: result.requests.mean,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
    },
  };
}

/**
 * `connections` PostgreSQL clients run the query back to back for `durationS`. `measure` is called
 * with the connections open, just before and just after the runs (their server processes end with them).
 */
export async function runPostgres({
  databaseUrl,
  text,
  params,
  connections,
  durationS,
  measure = () => {},
  applicationName = 'bench-api-ceiling',
  sessionSql = [],
}) {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
      await client.connect();
      // Settings the API makes for the same query (e.g. the adherence report's work_mem).
      for (const statement of sessionSql) await client.query(statement);
      return client;
    }),
  );
  try {
    const latencies = [];
    let errors = 0;
    let rows = 0;
    measure('start');
    const started = performance.now();
    const deadline = started + durationS * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            // A named prepared statement, as the API runs it (libs/database/prepared.ts).
            rows = (await client.query({ name: 'ceiling', text, values: params })).rowCount;
          } catch {
            errors++;
            continue;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    measure('end');
    return {
      queries: latencies.length,
      perSecond: round(latencies.length / elapsedS),
      elapsedS: round(elapsedS, 2),
      latencyMs: summary(latencies),
      errors,
      rows,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
