import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startProjector, type ProjectorHandle } from '../../libs/projections/index.js';

/**
 * Keeps the read models (inbox, timeline, statutory ledger) up to date from the event store for the
 * lifetime of the worker. Several workers may run it: the checkpoint row lock lets one batch through at
 * a time, so no event is applied twice.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorService.name);
  private handle?: ProjectorHandle;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.handle = startProjector(this.dataSource, {
      intervalMs: 100,
      onError: (error) => this.logger.error({ err: error }, 'projector batch failed; retrying'),
    });
    this.logger.log('projector running');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.handle?.stop();
  }
}
