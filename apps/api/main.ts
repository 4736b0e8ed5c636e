import 'reflect-metadata';
import cluster from 'node:cluster';
import { pino } from 'pino';
import { APP_CONFIG, parseConfig, type AppConfig } from '../../libs/config/index.js';
import { LocalIssuer } from '../../libs/security/index.js';
import { localIssuerEnabled } from './auth/login-options.js';
import { createApiApp } from './bootstrap.js';

/**
 * One API process, or with API_PROCESSES > 1 a primary that starts that many (node:cluster: they share
 * the port) and stops them all on SIGINT/SIGTERM. When one ends unexpectedly, the primary stops the others
 * and exits with an error, for whoever runs the API (a container's restart policy, systemd) to restart it
 * whole: a half-dead API never goes on serving with fewer processes than asked.
 */
async function primary(config: AppConfig): Promise<void> {
  const log = pino({ level: config.LOG_LEVEL, base: { app: 'api-primary' } });
  // All processes sign and accept the same demo tokens (local issuer, never on in production): the key
  // handed to this process (by `npm start`, from its data directory), else a new one.
  const env = localIssuerEnabled(config)
    ? { LOCAL_ISSUER_KEY: config.LOCAL_ISSUER_KEY ?? (await LocalIssuer.newKey()) }
    : {};
  let exitCode: number | undefined;
  const stopAll = (code: number) => {
    exitCode ??= code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    if (exitCode === undefined) {
      log.error({ pid: worker.process.pid, code, signal }, 'an API process ended: stopping the API');
      stopAll(1);
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(0));
  for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork(env);
  log.info({ processes: config.API_PROCESSES, port: config.API_PORT }, 'API processes started');
}

async function single(): Promise<void> {
  const app = await createApiApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.API_PORT, config.API_HOST);
}

// Started with an IPC channel (by `npm start`): when the launcher is gone (killed), stop as on SIGTERM,
// so that no API is left behind on its port. Elsewhere (a container, systemd) there is no channel.
if (cluster.isPrimary && process.connected)
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

// A bad configuration is reported by createApiApp, in the usual way.
const config = (() => {
  try {
    return parseConfig(process.env);
  } catch {
    return undefined;
  }
})();
if (cluster.isPrimary && config && config.API_PROCESSES > 1) await primary(config);
else await single();
