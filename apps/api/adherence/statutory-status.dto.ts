import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { STATUTORY_KINDS } from '../../../libs/domain/vocabulary.js';

/** Where a placement stands on one statutory duty for the year (see statutory-status.ts). */
export const STANDING_STATUSES = ['bak', 'i-fare', 'i-rute', 'fullfort'] as const;
export type StandingStatus = (typeof STANDING_STATUSES)[number];

export const STATUS_SORTS = ['risk', 'nextDue', 'municipality', 'placementDate'] as const;
export type StatusSort = (typeof STATUS_SORTS)[number];

export class StatutoryStatusQueryDto {
  @ApiPropertyOptional({
    description: 'Calendar year (default: this year in Europe/Oslo). A past year shows its history.',
    type: 'integer',
    minimum: 2000,
    maximum: 2099,
    example: 2026,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2099)
  year?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only placements in this municipality.' })
  @IsOptional()
  @IsUUID()
  municipality?: string;

  @ApiPropertyOptional({
    enum: STANDING_STATUSES,
    description:
      'Only placements with this status: on the duty given in `kind`, else on either duty (the worse ' +
      'of the two). `bak`: the year can no longer be met (the early warning’s `brutt`); `i-fare`: ' +
      '`kritisk` or `risiko`; `i-rute`: visits remain and are planned in time; `fullfort`: every required ' +
      'visit done.',
  })
  @IsOptional()
  @IsIn(STANDING_STATUSES)
  status?: StandingStatus;

  @ApiPropertyOptional({ enum: STATUTORY_KINDS, description: 'The duty the status filter looks at.' })
  @IsOptional()
  @IsIn(STATUTORY_KINDS)
  kind?: string;

  @ApiPropertyOptional({
    enum: STATUS_SORTS,
    default: 'risk',
    description:
      '`risk`: behind first, then at risk (critical first), on track, done; within each the earliest ' +
      'save-by day first. `nextDue`: the next visit due first (none last). `municipality`: by name, then ' +
      'risk. `placementDate`: oldest first. Ties go by the placement id, so pages are stable.',
  })
  @IsOptional()
  @IsIn(STATUS_SORTS)
  sort?: StatusSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100000)
  offset?: number;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv: every matching placement (no paging), one line per duty, without case numbers.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** One statutory duty of one placement for the year. */
export class DutyStatusDto {
  @ApiProperty({ enum: STATUTORY_KINDS }) kind!: string;
  @ApiProperty({ description: 'Required this year by the one statutory rule (pro rata, reductions).' })
  required!: number;
  @ApiProperty({ description: 'Visits done this year.' }) completed!: number;
  @ApiProperty({
    description: 'Visits due this year that are not cancelled (done and waived ones included).',
  })
  planned!: number;
  @ApiProperty({ description: 'Visits due this year that were waived (they do not count as visits).' })
  waived!: number;
  @ApiProperty({ description: 'Visits still needed this year.' }) remaining!: number;
  @ApiProperty({ description: 'Open visits due from the report date to the end of the year.' })
  plannedAhead!: number;
  @ApiProperty({ description: 'Open visits due before the report date (any year).' }) overdue!: number;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The earliest open visit (overdue ones included); null when none is planned.',
  })
  nextDue!: string | null;
  @ApiProperty({ format: 'date', description: 'The last day to start the remaining visits.' })
  saveBy!: string;
  @ApiPropertyOptional({
    enum: ['kritisk', 'risiko', 'brutt'],
    description: 'The early warning; absent: on track.',
  })
  level?: 'kritisk' | 'risiko' | 'brutt';
  @ApiProperty({ enum: STANDING_STATUSES }) status!: StandingStatus;
}

export class PlacementStatusDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiPropertyOptional({
    description:
      'The service’s own case number, when one was entered (JSON only; showing it is logged in the access log).',
  })
  caseNumber?: string;
  @ApiProperty({ format: 'uuid' }) municipalityId!: string;
  @ApiProperty({ type: String, nullable: true }) municipality!: string | null;
  @ApiProperty({ format: 'date' }) placementDate!: string;
  @ApiProperty({
    enum: ['pakke', 'ordinaer'],
    description:
      'pakke: within the care package (its first year); ordinaer: ordinary follow-up after it. As of the ' +
      'report date, or the end of a past year, or the placement’s end.',
  })
  phase!: 'pakke' | 'ordinaer';
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The last day of an ended placement.',
  })
  endedOn!: string | null;
  @ApiProperty({ enum: STANDING_STATUSES, description: 'The worse of the duties’ statuses.' })
  status!: StandingStatus;
  @ApiProperty({ type: [DutyStatusDto] }) duties!: DutyStatusDto[];
}

export class StatusCountsDto {
  @ApiProperty() bak!: number;
  @ApiProperty({ name: 'i-fare' }) 'i-fare'!: number;
  @ApiProperty({ name: 'i-rute' }) 'i-rute'!: number;
  @ApiProperty() fullfort!: number;
}

export class StatusTotalsDto {
  @ApiProperty({ description: 'Placements of the service active in the year.' }) placements!: number;
  @ApiProperty({ type: StatusCountsDto, description: 'Follow-up visits (oppfølgingsbesøk).' })
  oppfolgingsbesok!: StatusCountsDto;
  @ApiProperty({ type: StatusCountsDto, description: 'Supervision visits (tilsynsbesøk).' })
  tilsynsbesok!: StatusCountsDto;
  @ApiProperty({ type: StatusCountsDto, description: 'Placements by the worse of the two.' })
  overall!: StatusCountsDto;
}

export class StatutoryStatusPageDto {
  @ApiProperty() year!: number;
  @ApiProperty({ format: 'date', description: 'The day the status is counted at (today in Oslo).' })
  reportDate!: string;
  @ApiProperty({ type: StatusTotalsDto, description: 'The whole service, whatever the filters.' })
  totals!: StatusTotalsDto;
  @ApiProperty({ description: 'Placements matching the filters (all pages).' }) matching!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ type: [PlacementStatusDto] }) rows!: PlacementStatusDto[];
}
