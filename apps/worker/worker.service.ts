import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DefaultLogger, type LogLevel, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Worker as WorkerThread } from 'node:worker_threads';
import { writeHeapSnapshot } from 'node:v8';
import { DataSource } from 'typeorm';
import { storedCatalogs } from '../../activities/catalogs.js';
import { faultAfterAppend } from '../../activities/package-store.js';
import { ServiceCalendars } from '../../libs/calendars/index.js';
import { createActivities } from '../../activities/index.js';
import { CatalogStore } from '../../libs/catalogs/index.js';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { SmtpMailer } from '../../libs/notifications/index.js';
import { workflowsEntry } from './workflows-entry.js';

function temporalLogLevel(level: AppConfig['LOG_LEVEL']): LogLevel {
  switch (level) {
    case 'trace':
      return 'TRACE';
    case 'debug':
      return 'DEBUG';
    case 'info':
      return 'INFO';
    case 'warn':
      return 'WARN';
    case 'error':
    case 'fatal':
    case 'silent':
      return 'ERROR';
  }
}

/**
 * Runs the Temporal Worker for the lifetime of the Nest application context: created once the
 * database is ready, drained on shutdown (in-flight activities get shutdownGraceTime to finish).
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private running?: Promise<void>;
  private memoryLog?: NodeJS.Timeout;
  private snapshots = 0;
  private snapshotWatch?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Nest owns the shutdown signals; the Temporal runtime must not stop the worker behind its back.
    Runtime.install({
      logger: new DefaultLogger(temporalLogLevel(this.config.LOG_LEVEL)),
      shutdownSignals: [],
    });
    const connection = await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
    const eventStore = new EventStore(this.dataSource);
    this.worker = await Worker.create({
      connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      ...(this.config.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: this.config.WORKFLOW_BUNDLE_PATH } }
        : { workflowsPath: workflowsEntry() }),
      activities: createActivities({
        eventStore,
        catalogs: storedCatalogs(new CatalogStore(this.dataSource)),
        calendars: new ServiceCalendars(this.dataSource),
        ...(this.config.FAULT_KILL_AFTER_APPEND
          ? { afterAppend: faultAfterAppend(this.config.FAULT_KILL_AFTER_APPEND) }
          : {}),
        // E-mail notifications (the daily digest) only with an SMTP server: see DigestScheduleService.
        ...(this.config.SMTP_URL
          ? {
              notifications: {
                dataSource: this.dataSource,
                mailer: new SmtpMailer(this.config.SMTP_URL),
                from: this.config.MAIL_FROM,
                baseUrl: this.config.PUBLIC_BASE_URL,
              },
            }
          : {}),
      }),
      shutdownGraceTime: '10 seconds',
      maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    this.running = this.worker.run().finally(() => connection.close());
    this.running.catch((error: unknown) => {
      // A worker that no longer polls must not live on as a process that looks healthy: stop the
      // process (as on SIGTERM), for whoever runs it (npm start, a container) to start a new one.
      this.logger.error({ err: error }, 'worker stopped with an error: stopping the process');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(`worker polling task queue ${this.config.TEMPORAL_TASK_QUEUE}`);
    if (this.config.WORKER_MEMORY_LOG_MS > 0) {
      this.memoryLog = setInterval(() => this.logMemory(), this.config.WORKER_MEMORY_LOG_MS);
      this.memoryLog.unref();
    }
    const snapshotDir = this.config.WORKER_HEAP_SNAPSHOT_DIR;
    if (snapshotDir) {
      // Asked for by a file, not a signal: Nest's shutdown hooks take SIGUSR2, Node's inspector SIGUSR1.
      let writing = false;
      this.snapshotWatch = setInterval(() => {
        const request = join(snapshotDir, 'request');
        if (writing || !existsSync(request)) return;
        rmSync(request, { force: true });
        writing = true;
        void this.writeHeapSnapshots(snapshotDir).finally(() => (writing = false));
      }, 500);
      this.snapshotWatch.unref();
    }
  }

  /**
   * Heap snapshots of the main thread and of the workflow thread (diagnosis, WORKER_HEAP_SNAPSHOT_DIR,
   * asked for by creating the file `request` there): `main-<n>.heapsnapshot` and
   * `workflows-<n>.heapsnapshot`. The SDK has no API for its workflow thread, so this reaches into its
   * internals (@temporalio/worker 1.24: workflowCreator.workerThreadClients) and logs when they are not
   * there.
   */
  private async writeHeapSnapshots(dir: string): Promise<void> {
    const n = this.snapshots++;
    try {
      writeHeapSnapshot(join(dir, `main-${n}.heapsnapshot`));
      const internals = this.worker as unknown as {
        workflowCreator?: { workerThreadClients?: { workerThread: WorkerThread }[] };
      };
      const threads = internals.workflowCreator?.workerThreadClients ?? [];
      if (threads.length === 0) this.logger.warn('no workflow thread found for a heap snapshot');
      for (const [i, { workerThread }] of threads.entries()) {
        const out = join(dir, `workflows-${n}${i ? `-${i}` : ''}.heapsnapshot`);
        await pipeline(await workerThread.getHeapSnapshot(), createWriteStream(out));
      }
      this.logger.log({ snapshot: n, dir }, 'heap snapshots written');
    } catch (error) {
      this.logger.error({ err: error }, 'heap snapshots failed');
    }
  }

  /** Where the worker's memory is (MB): what bench:engine reads to attribute it. */
  private logMemory(): void {
    const MB = 2 ** 20;
    // With --expose-gc (a diagnosis, e.g. bench:engine --app-node-options --expose-gc): live memory only.
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const status = this.worker?.getStatus();
    this.logger.log(
      {
        memory: {
          rssMB: Math.round(m.rss / MB),
          heapTotalMB: Math.round(m.heapTotal / MB),
          heapUsedMB: Math.round(m.heapUsed / MB),
          externalMB: Math.round(m.external / MB),
          arrayBuffersMB: Math.round(m.arrayBuffers / MB),
          cachedWorkflows: status?.numCachedWorkflows,
        },
      },
      'worker memory',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.memoryLog);
    clearInterval(this.snapshotWatch);
    if (!this.worker) return;
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
  }
}
