import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import {
  configureDigestsSignal,
  DIGEST_WORKFLOW_ID,
  DIGEST_WORKFLOW_TYPE,
  type DigestSchedule,
} from '../../workflows/notification-contracts.js';

/**
 * Makes sure the daily digest workflow runs (one for the whole system, fixed id) and follows this
 * worker's DIGEST_HOUR/DIGEST_MINUTE: signalWithStart starts it if it is not running and signals the
 * time either way, so any number of workers may do this at start-up. Without SMTP_URL nothing is sent
 * and nothing is started (a digest workflow left from an earlier configuration waits for its activities).
 */
@Injectable()
export class DigestScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DigestScheduleService.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SMTP_URL) {
      this.logger.warn('SMTP_URL is not set: no e-mail notifications are sent');
      return;
    }
    const schedule: DigestSchedule = { hour: this.config.DIGEST_HOUR, minute: this.config.DIGEST_MINUTE };
    try {
      await this.ensureRunning(schedule);
    } catch (error) {
      // The worker is still useful without the digest; the next start tries again.
      this.logger.error({ err: error }, 'could not start the daily digest workflow');
    }
  }

  private async ensureRunning(schedule: DigestSchedule): Promise<void> {
    const connection = await Connection.connect({ address: this.config.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE });
      await client.workflow.signalWithStart(DIGEST_WORKFLOW_TYPE, {
        workflowId: DIGEST_WORKFLOW_ID,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [schedule],
        signal: configureDigestsSignal,
        signalArgs: [schedule],
      });
      this.logger.log(
        `daily digest at ${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute).padStart(2, '0')} Europe/Oslo`,
      );
    } finally {
      await connection.close();
    }
  }
}
