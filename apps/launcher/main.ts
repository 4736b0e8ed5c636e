/**
 * `npm start`: the whole system on its embedded defaults. Starts (or reuses, via DATABASE_URL and
 * TEMPORAL_ADDRESS) PostgreSQL and the Temporal dev server, then the worker and the API, and prints
 * where to look. Ctrl-C stops everything; the data directory keeps the data for the next start.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../../libs/config/config.js';
import { parseLauncherConfig } from '../../libs/config/launcher-config.js';
import { startStack } from '../../libs/dev-servers/index.js';

let config;
try {
  config = parseLauncherConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const dataDir = resolve(config.DATA_DIR);
console.log(`Starter Omsorgspakken (data: ${dataDir}) …`);
const stack = await startStack({
  dataDir,
  apiPort: config.API_PORT,
  pgPort: config.EMBEDDED_PG_PORT,
  temporalPort: config.TEMPORAL_PORT,
  temporalUiPort: config.TEMPORAL_UI_PORT,
  persistent: true,
  databaseUrl: config.DATABASE_URL,
  temporalAddress: config.TEMPORAL_ADDRESS,
  logLevel: config.LOG_LEVEL,
  output: 'inherit',
  // Notification e-mails go to a local sink unless a real SMTP server is configured.
  mailSinkPort: config.SMTP_URL ? undefined : config.MAIL_SINK_PORT,
});

const line = (label: string, value: string) => console.log(`  ${label.padEnd(14)} ${value}`);
console.log('\nOmsorgspakken kjører:');
line('Nettleser', `${stack.apiUrl}/  (webappen)`);
line('API', `${stack.apiUrl}/api`);
line('OpenAPI-docs', `${stack.apiUrl}/docs`);
line('Helse', `${stack.apiUrl}/health/ready`);
line('Temporal UI', stack.temporalUiUrl ?? `(ekstern Temporal på ${stack.temporalAddress})`);
line('Temporal', stack.temporalAddress);
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

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopper …`);
  await stack.stop();
  console.log('Stoppet.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// If an app dies on its own, stop everything rather than run half a system.
for (const app of [stack.api, stack.worker]) {
  void app.exited.then(async (code) => {
    if (stopping) return;
    console.error(`${app.name} stoppet uventet (kode ${code}); stopper resten.`);
    await shutdown('exit');
  });
}
