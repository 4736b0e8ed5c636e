/**
 * `npm start`: the whole system on its embedded defaults. Starts (or reuses, via DATABASE_URL and
 * TEMPORAL_ADDRESS) PostgreSQL and the Temporal dev server, then the worker and the API, and prints
 * where to look. A part that dies is started again (with a growing delay while it keeps dying).
 * Ctrl-C, SIGINT or SIGTERM stops everything within STOP_BOUND_MS; the data directory keeps the data
 * for the next start.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../../libs/config/config.js';
import { startDemoData } from './demo/demo-start.js';
import { parseLauncherConfig } from '../../libs/config/launcher-config.js';
import {
  type AppName,
  eachLine,
  type RunningStack,
  startStack,
  STOP_BOUND_MS,
  type SupervisorEvent,
} from '../../libs/dev-servers/index.js';

const config = (() => {
  try {
    return parseLauncherConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
})();

/**
 * The apps log JSON, one object a line. On a terminal they are shown readably (pino-pretty, a
 * development dependency: `npm start` installs it); written to a file or a pipe they stay JSON.
 */
type Pipe = (name: AppName, stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => void;
async function prettyOutput(): Promise<Pipe | undefined> {
  const wanted =
    config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  if (!wanted) return undefined;
  try {
    const { prettyFactory } = await import('pino-pretty');
    const format = (colorize: boolean) =>
      prettyFactory({
        colorize,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,app,context',
        messageFormat: '{app} {if context}[{context}] {end}{msg}',
        singleLine: true,
      });
    const out = format(process.stdout.isTTY === true);
    const err = format(process.stderr.isTTY === true);
    return (_name, stdout, stderr) => {
      eachLine(stdout, (line) => process.stdout.write(out(line)));
      eachLine(stderr, (line) => process.stderr.write(err(line)));
    };
  } catch {
    console.log('(pino-pretty er ikke installert: loggen vises som JSON)');
    return undefined;
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
function report(event: SupervisorEvent): void {
  switch (event.type) {
    case 'exited': {
      const how = event.exit.signal ? `signal ${event.exit.signal}` : `kode ${event.exit.code}`;
      console.error(
        `${event.name} stoppet uventet (${how}); starter på nytt om ${seconds(event.restartInMs)}.`,
      );
      break;
    }
    case 'restart-failed': {
      const why = event.error instanceof Error ? event.error.message.split('\n')[0] : String(event.error);
      console.error(
        `${event.name} kunne ikke startes på nytt (${why}); prøver igjen om ${seconds(event.restartInMs)}.`,
      );
      break;
    }
    case 'restarted':
      console.log(`${event.name} kjører igjen.`);
      break;
  }
}

// Signals are handled from the first moment: one that comes while the system starts stops it as soon
// as the start is over (or has failed).
let stack: RunningStack | undefined;
let stopRequested: string | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopper …`);
  // Whatever happens, the launcher is gone within the bound, and takes every child with it.
  setTimeout(() => {
    for (const { pid } of stack?.pids() ?? []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    console.error(`Ikke stoppet etter ${seconds(STOP_BOUND_MS)}: avbrutt.`);
    process.exit(1);
  }, STOP_BOUND_MS).unref();
  await stack?.stop();
  console.log('Stoppet.');
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) console.log(`${signal}: stopper allerede (innen ${seconds(STOP_BOUND_MS)}) …`);
    else if (stack) void shutdown(signal);
    else if (!stopRequested) {
      stopRequested = signal;
      console.log(`\n${signal}: stopper når oppstarten er ferdig …`);
    }
  });
}

const dataDir = resolve(config.DATA_DIR);
console.log(`Starter Omsorgspakken (data: ${dataDir}) …`);
const pipe = await prettyOutput();
try {
  stack = await startStack({
    dataDir,
    apiPort: config.API_PORT,
    pgPort: config.EMBEDDED_PG_PORT,
    temporalPort: config.TEMPORAL_PORT,
    temporalUiPort: config.TEMPORAL_UI_PORT,
    persistent: true,
    databaseUrl: config.DATABASE_URL,
    temporalAddress: config.TEMPORAL_ADDRESS,
    logLevel: config.LOG_LEVEL,
    output: pipe ? { pipe } : 'inherit',
    // Notification e-mails go to a local sink unless a real SMTP server is configured.
    mailSinkPort: config.SMTP_URL ? undefined : config.MAIL_SINK_PORT,
    restart: true,
    onEvent: report,
    temporal: config.TOPOLOGY,
    replicas: config.TOPOLOGY === 'cluster' ? 2 : 1,
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error('Omsorgspakken startet ikke.');
  process.exit(1);
}
if (stopRequested) await shutdown(stopRequested);

const line = (label: string, value: string) => console.log(`  ${label.padEnd(14)} ${value}`);
console.log('\nOmsorgspakken kjører:');
line('Nettleser', `${stack.apiUrl}/  (webappen)`);
line('API', `${stack.apiUrl}/api`);
// The cluster's APIs are equal: any of them serves any user (rate limits and sessions live in
// PostgreSQL); a load balancer in front of them is the deployment's, not the launcher's.
for (const url of stack.apiUrls.slice(1)) line('API (nr. 2)', `${url}/api  (samme system, egen prosess)`);
line('OpenAPI-docs', `${stack.apiUrl}/docs`);
line('Helse', stack.apiUrls.map((url) => `${url}/health/ready`).join('  '));
if (stack.temporalCluster) {
  line('Temporal', `${stack.temporalAddress}  (frontend; history, matching og worker som egne prosesser)`);
  line('Temporal UI', `(ingen i klyngen) temporal workflow list --address ${stack.temporalAddress}`);
  for (const [service, url] of Object.entries(stack.temporalCluster.metrics)) line(`  ${service}`, url);
  line('Temporal-logg', `${stack.temporalCluster.logDir}/temporal-*.log`);
  const running = stack;
  const counts = (name: AppName) => running.replicas(name).length;
  line('Prosesser', `${counts('worker')} workere (én projektor om gangen), ${counts('api')} API-er`);
} else {
  line('Temporal UI', stack.temporalUiUrl ?? `(ekstern Temporal på ${stack.temporalAddress})`);
  line('Temporal', stack.temporalAddress);
}
line('PostgreSQL', stack.databaseUrl.replace(/:[^:@/]+@/, ':***@'));
line('Data', dataDir);
line(
  'E-post',
  stack.mailDir
    ? `${stack.mailDir}/*.eml (utviklings-SMTP på 127.0.0.1:${config.MAIL_SINK_PORT})`
    : `via ${(config.SMTP_URL ?? '').replace(/\/\/[^@/]*@/, '//***@')}`,
);
// Demo users of the built-in local issuer (real signed tokens; off in production).
const users = await fetch(`${stack.apiUrl}/api/dev/users`)
  .then((r) => (r.ok ? (r.json() as Promise<{ userId: string; roles: string[]; name?: string }[]>) : []))
  .catch(() => []);
if (users.length > 0) {
  console.log('\nDemobrukere (lokal utsteder):');
  for (const u of users)
    console.log(`  ${u.userId.padEnd(30)} ${(u.name ?? '').padEnd(16)} ${u.roles.join(', ')}`);
  console.log(
    `  Token:         curl -s -X POST ${stack.apiUrl}/api/dev/tokens -H 'content-type: application/json' -d '{"userId":"demo-leder"}'`,
  );
}
console.log('\nTrykk Ctrl-C for å stoppe.\n');
// Demo data goes in the background: the system is usable at once, and the log says how far it got.
startDemoData({ enabled: config.DEMO_DATA, count: config.DEMO_PLACEMENTS, dataDir, stack });
