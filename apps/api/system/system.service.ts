import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { EventStore } from '../../../libs/event-store/index.js';
import {
  systemProbeWorkflowId,
  WORKFLOW_TYPES,
  type SystemProbeResult,
} from '../../../workflows/system-probe-contracts.js';
import { ProblemException } from '../common/problem.js';
import type { SystemProbeDto } from './system.dto.js';

/**
 * Self-test through every moving part: API -> Temporal -> worker -> activity -> PostgreSQL -> API.
 */
@Injectable()
export class SystemService {
  private readonly eventStore: EventStore;

  constructor(
    private readonly temporal: Client,
    dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.eventStore = new EventStore(dataSource);
  }

  async runProbe(): Promise<SystemProbeDto> {
    const probeId = randomUUID();
    await this.temporal.workflow.execute<(input: { probeId: string }) => Promise<SystemProbeResult>>(
      WORKFLOW_TYPES.systemProbe,
      {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowId: systemProbeWorkflowId(probeId),
        args: [{ probeId }],
        workflowExecutionTimeout: '1 minute',
      },
    );
    return this.readProbe(probeId);
  }

  async readProbe(probeId: string): Promise<SystemProbeDto> {
    const [event] = await this.eventStore.readStream({ streamType: 'system-probe', streamId: probeId });
    if (!event) throw new ProblemException(404, 'Fant ingen slik systemtest.');
    return { probeId, streamVersion: event.streamVersion, recordedAt: event.recordedAt.toISOString() };
  }
}
