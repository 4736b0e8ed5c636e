import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MaxLength, MinLength } from '../common/text-length.js';

export class PlacementDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The service’s own case number (saksnummer); null when none was entered.',
  })
  caseNumber!: string | null;
  @ApiProperty({ format: 'uuid', description: 'Opaque reference to the child (no identifying data).' })
  childRef!: string;
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty({ format: 'uuid' }) municipalityId!: string;
  @ApiProperty() placementType!: string;
  @ApiProperty({
    type: String,
    enum: ['omsorgsovertakelse', 'frivillig'],
    nullable: true,
    description: 'The legal basis the placement is made on (null only before its first projection).',
  })
  legalBasis!: string | null;
  @ApiProperty({ format: 'date' }) placementDate!: string;
  @ApiProperty() catalogVersion!: string;
  @ApiProperty({ enum: ['active', 'paused', 'ended', 'completed'] }) status!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) pausedFrom!: string | null;
  @ApiProperty({ description: 'Package version: send as expectedVersion when changing.' }) version!: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) endReason!: string | null;
  @ApiProperty() bufetatHelp!: boolean;
}

export class TimelineEntryDto {
  @ApiProperty() streamVersion!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) taskId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class LedgerEntryDto {
  @ApiProperty() year!: number;
  @ApiProperty({ enum: ['oppfolgingsbesok', 'tilsynsbesok'] }) kind!: string;
  @ApiProperty() activeDays!: number;
  @ApiProperty() required!: number;
  @ApiProperty() planned!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() waived!: number;
}

export class AccessLogEntryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiPropertyOptional({ description: 'Display name of the user, when known.' }) name?: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: String, nullable: true }) organisation!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: ['allowed', 'forbidden', 'hidden', 'unauthenticated'] }) outcome!: string;
}

export const DEFAULT_ACCESS_LOG_LIMIT = 100;

export class AccessLogQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: DEFAULT_ACCESS_LOG_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Opaque cursor from the previous page.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  cursor?: string;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items!: AccessLogEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page.' })
  nextCursor!: string | null;
}
