import { ApiProperty } from '@nestjs/swagger';

export class SystemProbeDto {
  @ApiProperty({ format: 'uuid' })
  probeId!: string;

  @ApiProperty({ description: 'Version of the probe stream in the event store (1 after one round trip).' })
  streamVersion!: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}
