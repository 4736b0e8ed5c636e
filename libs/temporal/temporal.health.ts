import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from '@temporalio/client';

/** Readiness of the Temporal frontend, through its standard gRPC health service. */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly connection: Connection,
  ) {}

  async isHealthy(key = 'temporal', timeoutMs = 2000) {
    const indicator = this.health.check(key);
    try {
      await this.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' }),
      );
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}
