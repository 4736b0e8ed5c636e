import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { electLeader, type Leadership } from '../../libs/database/advisory-leader.js';
import { READ_MODELS_PROJECTOR, startProjector } from '../../libs/projections/index.js';

/**
 * Keeps the read models (inbox, timeline, statutory ledger) up to date from the event store for the
 * lifetime of the worker, woken by each committed append (LISTEN/NOTIFY, polling as the fallback). Of
 * several workers one runs it at a time: the holder of a PostgreSQL advisory lock (libs/database/advisory-leader.ts); when its process dies another takes over within about
 * PROJECTOR_TAKEOVER_MS. Should two ever overlap (a holder cut off from PostgreSQL finishing its last
 * batch), the checkpoint row lock still lets one batch through at a time, so no event is applied twice.
 */
export const PROJECTOR_TAKEOVER_MS = 1_000;

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorService.name);
  private leadership?: Leadership;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const { url } = this.dataSource.options as { url?: string };
    if (!url) throw new Error('the projector needs the database URL for its lock connection');
    this.leadership = electLeader({
      connectionString: url,
      name: `projector:${READ_MODELS_PROJECTOR}`,
      retryMs: PROJECTOR_TAKEOVER_MS,
      lead: (signal) =>
        startProjector(this.dataSource, {
          // Woken by each committed append (LISTEN/NOTIFY); polling every second as a safety net, and
          // every 100 ms while the listening connection is down.
          intervalMs: 100,
          listen: {
            connectionString: url,
            intervalMs: 1_000,
            // Under a load of appends, one run folds the commits of 20 ms: less CPU per event.
            coalesceMs: 20,
            onListening: (listening) =>
              listening
                ? this.logger.log('projector listening for appended events')
                : this.logger.warn('projector listener down: polling every 100 ms until it is back'),
          },
          signal,
          // At debug level, each run: what it folded and how long it took (where projection lag goes).
          onBatch: (result, durationMs) =>
            this.logger.debug(
              { events: result.events, placements: result.placements, durationMs: Math.round(durationMs) },
              'projector run',
            ),
          onError: (error) => this.logger.error({ err: error }, 'projector batch failed; retrying'),
        }).done,
      onChange: (leading) =>
        this.logger.log(leading ? 'projector running (this process holds the lock)' : 'projector stopped'),
      onError: (error) => this.logger.warn({ err: error }, 'projector lock connection failed; trying again'),
    });
    this.logger.log('projector waiting for its lock');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.leadership?.stop();
  }
}
