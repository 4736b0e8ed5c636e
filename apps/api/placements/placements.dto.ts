import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
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

/** A placement's status in the list: the package's, with an annulment (registered by mistake) apart. */
export const PLACEMENT_LIST_STATUSES = ['active', 'paused', 'ended', 'annulled', 'completed'] as const;
export type PlacementListStatus = (typeof PLACEMENT_LIST_STATUSES)[number];

export const DEFAULT_PLACEMENT_LIST_LIMIT = 50;

/** `a,b` and `?status=a&status=b` alike: a list of trimmed, non-empty values. */
const commaList = ({ value }: { value: unknown }): unknown => {
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  return values.flatMap((v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : [v],
  );
};

export class PlacementListQueryDto {
  @ApiPropertyOptional({
    type: [String],
    enum: PLACEMENT_LIST_STATUSES,
    description:
      'Only placements with one of these statuses (repeat the parameter or separate by commas); ' +
      '`annulled`: ended as registered by mistake, `ended`: every other end. Default: all.',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PLACEMENT_LIST_STATUSES.length)
  @IsIn(PLACEMENT_LIST_STATUSES, { each: true })
  status?: PlacementListStatus[];

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 30,
    description: 'The start of the case number (the owning service’s own numbers; case-insensitive).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  q?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 200,
    default: DEFAULT_PLACEMENT_LIST_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 300, description: 'Opaque cursor from the previous page.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  cursor?: string;
}

export class PlacementListItemDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The service’s own case number (saksnummer); null when none was entered.',
  })
  caseNumber!: string | null;
  @ApiProperty({ enum: PLACEMENT_LIST_STATUSES }) status!: PlacementListStatus;
  @ApiProperty({ format: 'date' }) placementDate!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) pausedFrom!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'The phase: null in the package (Omsorgspakken), else the year of ordinary follow-up begun last.',
  })
  ordinaryYear!: number | null;
  @ApiProperty({ description: 'Tasks open now (open, due soon or overdue).' }) openTasks!: number;
  @ApiProperty({ description: 'Of those, overdue.' }) overdueTasks!: number;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The earliest due date of the open tasks.',
  })
  nextDueOn!: string | null;
}

export class PlacementListPageDto {
  @ApiProperty({ type: [PlacementListItemDto] }) items!: PlacementListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor!: string | null;
}
