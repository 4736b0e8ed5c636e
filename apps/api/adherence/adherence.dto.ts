import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsIsoDate } from '../common/dates.js';

/** An instant from the year 1000 on (the calendar of libs/domain counts years 1000–9999). */
const INSTANT = /^[1-9]\d{3}-/;

/** An optional `asOf` query parameter: an ISO 8601 instant. */
const AsOfQuery = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ format: 'date-time', pattern: '^[1-9][0-9]{3}-', description }),
    IsOptional(),
    IsISO8601({ strict: true }),
    Matches(INSTANT, { message: 'må være et tidspunkt fra år 1000 til 9999' }),
  );

/** The optional `format` query parameter of a report: JSON (default) or CSV. */
const CsvFormat = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }),
    IsOptional(),
    IsIn(['json', 'csv']),
  );

/** The instant a report's facts are as of, in its answer. */
const AsOfAnswer = () =>
  ApiPropertyOptional({
    format: 'date-time',
    description:
      'The instant of the facts: the one asked for, or for a learning-network lead the instant the ' +
      'period was published (its figures stay as recorded then).',
  });

export const BREAKDOWNS = [
  'total',
  'network',
  'service',
  'municipality',
  'track',
  'step',
  'placementType',
  'month',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export class AdherenceQueryDto {
  @ApiProperty({ format: 'date', description: 'First due date of the period.' })
  @IsIsoDate()
  from!: string;

  @ApiProperty({ format: 'date', description: 'Last due date of the period.' })
  @IsIsoDate()
  to!: string;

  @ApiPropertyOptional({ enum: BREAKDOWNS, default: 'service' })
  @IsOptional()
  @IsIn(BREAKDOWNS)
  by?: Breakdown;

  @AsOfQuery(
    'Reproduce the report as it stood at this instant (from the events recorded up to then). A ' +
      'learning-network lead sees a quarter as published: asOf finds the publication as it stood then.',
  )
  asOf?: string;

  @CsvFormat()
  format?: 'json' | 'csv';
}

export class AdherenceCellDto {
  @ApiProperty({ description: 'The breakdown value (an id, a code or a month); "total" for the total.' })
  key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'True when hidden to protect small groups (fewer than 5 placements).' })
  suppressed!: boolean;
  @ApiPropertyOptional() placements?: number;
  @ApiPropertyOptional({ description: 'Tasks due in the period, up to the day before the report date.' })
  due?: number;
  @ApiPropertyOptional() waived?: number;
  @ApiPropertyOptional() completed?: number;
  @ApiPropertyOptional() onTime?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'onTime ÷ (due − waived).' })
  onTimeRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'completed ÷ (due − waived).' })
  completionRate?: number | null;
  @ApiPropertyOptional({ description: 'Open and past due at the report date.' }) overdue?: number;
  @ApiPropertyOptional() overdue1to7?: number;
  @ApiPropertyOptional() overdue8to30?: number;
  @ApiPropertyOptional() overdueOver30?: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Days late, median over late completions.',
  })
  latenessMedianDays?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) latenessP90Days?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'waived ÷ due.' }) waiverRate?:
    number | null;
}

export class AdherenceReportDto {
  @ApiProperty({ enum: ['network', 'service'] }) scope!: 'network' | 'service';
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ format: 'date', description: 'Tasks count once due before this date.' }) reportDate!: string;
  @AsOfAnswer() asOf?: string;
  @ApiProperty({ enum: BREAKDOWNS }) by!: Breakdown;
  @ApiProperty({ description: 'Whether small-cell suppression (k = 5 placements) applies.' })
  suppression!: boolean;
  @ApiProperty({ type: AdherenceCellDto }) total!: AdherenceCellDto;
  @ApiProperty({ type: [AdherenceCellDto] }) rows!: AdherenceCellDto[];
}

export class StatutoryRiskQueryDto {
  @ApiPropertyOptional({
    description: 'Calendar year (default: the year of the report date).',
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

  @AsOfQuery(
    'Reproduce the list as it stood at this instant (from the events recorded up to then; the report ' +
      'date is its date in Oslo).',
  )
  asOf?: string;

  @CsvFormat()
  format?: 'json' | 'csv';
}

export class StatutoryRiskDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiPropertyOptional({
    description:
      'The service’s own case number of the placement, when one was entered (JSON only: the CSV export ' +
      'carries no personal data). Its showing is logged in the access log.',
  })
  caseNumber?: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: ['oppfolgingsbesok', 'tilsynsbesok'] }) kind!: string;
  @ApiProperty() required!: number;
  @ApiProperty() completed!: number;
  @ApiProperty({
    description:
      'Visits due this year that were waived (a leader co-signed). They do not count as visits: only a ' +
      'recorded reduction lowers `required`.',
  })
  waived!: number;
  @ApiProperty({ description: 'Visits still needed this year.' }) remaining!: number;
  @ApiProperty({ description: 'Open visits due from the report date to the end of the year.' })
  plannedAhead!: number;
  @ApiProperty({ description: 'Open visits due before the report date (any year).' }) overdue!: number;
  @ApiProperty({ format: 'date', description: 'The last day to start doing the remaining visits.' })
  saveBy!: string;
  @ApiProperty({ enum: ['kritisk', 'risiko', 'brutt'] }) level!: 'kritisk' | 'risiko' | 'brutt';
}

export class MilestoneCellDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() suppressed!: boolean;
  @ApiPropertyOptional({ description: 'Placements that began in the period.' }) placements?: number;
  @ApiPropertyOptional({ description: 'Of them, 90 days old by the report date.' }) reached90?: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Share of those with every task due by day 90 done or waived.',
  })
  completeRate90?: number | null;
  @ApiPropertyOptional() reached182?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) completeRate182?: number | null;
  @ApiPropertyOptional() reached365?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) completeRate365?: number | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Median days to the first contact by the foster-home resource.',
  })
  firstContactMedianDays?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Median days to the first home visit.' })
  firstVisitMedianDays?: number | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Share of first home visits within 7 days.',
  })
  firstVisitWithin7Rate?: number | null;
}

export class MilestoneReportDto {
  @ApiProperty({ enum: ['network', 'service'] }) scope!: 'network' | 'service';
  @ApiProperty({ format: 'date', description: 'First placement date of the period.' }) from!: string;
  @ApiProperty({ format: 'date', description: 'Last placement date of the period.' }) to!: string;
  @ApiProperty({ format: 'date' }) reportDate!: string;
  @AsOfAnswer() asOf?: string;
  @ApiProperty({ enum: BREAKDOWNS }) by!: Breakdown;
  @ApiProperty() suppression!: boolean;
  @ApiProperty({ type: MilestoneCellDto }) total!: MilestoneCellDto;
  @ApiProperty({ type: [MilestoneCellDto] }) rows!: MilestoneCellDto[];
}

export class StatutoryComplianceQueryDto {
  @ApiPropertyOptional({
    description:
      'Calendar year (default: the year of the report date; for a learning-network lead the year before).',
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

  @ApiPropertyOptional({ enum: ['total', 'network', 'service', 'municipality'], default: 'service' })
  @IsOptional()
  @IsIn(['total', 'network', 'service', 'municipality'])
  by?: 'total' | 'network' | 'service' | 'municipality';

  @AsOfQuery(
    'Reproduce the report as it stood at this instant (from the events recorded up to then). A ' +
      'learning-network lead sees a year as published: asOf finds the publication as it stood then.',
  )
  asOf?: string;

  @CsvFormat()
  format?: 'json' | 'csv';
}

export class StatutoryComplianceCellDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() suppressed!: boolean;
  @ApiPropertyOptional({ description: 'Placements active in the year.' }) placements?: number;
  @ApiPropertyOptional({ description: 'With at least the required follow-up visits.' })
  followUpCompliant?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) followUpRate?: number | null;
  @ApiPropertyOptional({ description: 'With at least the required supervision visits.' })
  supervisionCompliant?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) supervisionRate?: number | null;
}

export class StatutoryComplianceDto {
  @ApiProperty({ enum: ['network', 'service'] }) scope!: 'network' | 'service';
  @ApiProperty() year!: number;
  @AsOfAnswer() asOf?: string;
  @ApiProperty({ enum: ['total', 'network', 'service', 'municipality'] }) by!: string;
  @ApiProperty() suppression!: boolean;
  @ApiProperty({ type: StatutoryComplianceCellDto }) total!: StatutoryComplianceCellDto;
  @ApiProperty({ type: [StatutoryComplianceCellDto] }) rows!: StatutoryComplianceCellDto[];
}

const met = (what: string) => `Of them, ${what}.`;

/**
 * The follow-up metrics of §7 for the placements that began in the period; each ratio is met ÷ due,
 * waived tasks left out of `due` and counted apart. See README.md, Adherence.
 */
export class FollowupCellDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() suppressed!: boolean;
  @ApiPropertyOptional({ description: 'Placements that began in the period.' }) placements?: number;

  @ApiPropertyOptional({
    description: 'Completed statutory follow-up visits after which a private talk with the child applies.',
  })
  childVoiceVisits?: number;
  @ApiPropertyOptional({ description: met('visits with the private talk documented') })
  childVoiceTalks?: number;
  @ApiPropertyOptional({ description: 'Private talks waived (left out of childVoiceVisits).' })
  childVoiceWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) childVoiceRate?: number | null;

  @ApiPropertyOptional({ description: 'Placements past day 0 (emergency: 42) with a care or measures plan.' })
  carePlanDue?: number;
  @ApiPropertyOptional({ description: met('the plan done by day 0 (emergency: 42)') }) carePlanMet?: number;
  @ApiPropertyOptional() carePlanWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) carePlanRate?: number | null;

  @ApiPropertyOptional({ description: 'Placements past day 42.' }) fosterFamilyPlanDue?: number;
  @ApiPropertyOptional({ description: met('the foster-family plan done by day 42') })
  fosterFamilyPlanMet?: number;
  @ApiPropertyOptional() fosterFamilyPlanWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) fosterFamilyPlanRate?: number | null;

  @ApiPropertyOptional({ description: 'Placements past day 0 (emergency: 14).' }) agreementDue?: number;
  @ApiPropertyOptional({ description: met('the agreement signed by day 0 (emergency: 14)') })
  agreementMet?: number;
  @ApiPropertyOptional() agreementWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) agreementRate?: number | null;

  @ApiPropertyOptional({ description: 'Care-order placements past day 7.' }) parentOfferDue?: number;
  @ApiPropertyOptional({ description: met('follow-up offered to the parents by day 7') })
  parentOfferMet?: number;
  @ApiPropertyOptional() parentOfferWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) parentOfferRate?: number | null;

  @ApiPropertyOptional({ description: 'Care-order placements past day 30 with a parent plan step.' })
  parentPlanDue?: number;
  @ApiPropertyOptional({ description: met('the parent follow-up plan done by day 30') })
  parentPlanMet?: number;
  @ApiPropertyOptional() parentPlanWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) parentPlanRate?: number | null;

  @ApiPropertyOptional({ description: 'Placements past day 21.' }) supervisorDue?: number;
  @ApiPropertyOptional({ description: met('a supervisor appointed by day 21') }) supervisorMet?: number;
  @ApiPropertyOptional() supervisorWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) supervisorRate?: number | null;

  @ApiPropertyOptional({ description: 'Supervision reports of completed visits, 14 days after the visit.' })
  supervisionReportsDue?: number;
  @ApiPropertyOptional({ description: met('assessed within 14 days of the visit') })
  supervisionReportsMet?: number;
  @ApiPropertyOptional() supervisionReportsWaived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) supervisionReportsRate?: number | null;

  @ApiPropertyOptional({ description: 'Guidance sessions due by day 90, placements past day 90.' })
  guidance90Scheduled?: number;
  @ApiPropertyOptional({ description: met('held by day 90') }) guidance90Held?: number;
  @ApiPropertyOptional() guidance90Waived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) guidance90Dose?: number | null;
  @ApiPropertyOptional({ description: 'Guidance sessions due by day 365, placements past day 365.' })
  guidance365Scheduled?: number;
  @ApiPropertyOptional({ description: met('held by day 365') }) guidance365Held?: number;
  @ApiPropertyOptional() guidance365Waived?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) guidance365Dose?: number | null;

  @ApiPropertyOptional({ description: 'Context: placements past day 365.' }) reached365?: number;
  @ApiPropertyOptional({ description: met('ended by an unplanned breakdown by day 365') })
  breakdowns?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) breakdownRate?: number | null;
  @ApiPropertyOptional({ description: 'Context: placements past day 182.' }) reached182?: number;
  @ApiPropertyOptional({ description: met('with a change of caseworker on days 0–182') })
  caseworkerChanged?: number;
  @ApiPropertyOptional({ description: 'Changes of caseworker on days 0–182, all of them.' })
  caseworkerChanges?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) caseworkerChangeRate?: number | null;
}

export class FollowupReportDto {
  @ApiProperty({ enum: ['network', 'service'] }) scope!: 'network' | 'service';
  @ApiProperty({ format: 'date', description: 'First placement date of the period.' }) from!: string;
  @ApiProperty({ format: 'date', description: 'Last placement date of the period.' }) to!: string;
  @ApiProperty({ format: 'date' }) reportDate!: string;
  @AsOfAnswer() asOf?: string;
  @ApiProperty({ enum: ['total', 'network', 'service', 'municipality', 'placementType', 'month'] })
  by!: string;
  @ApiProperty() suppression!: boolean;
  @ApiProperty({ type: FollowupCellDto }) total!: FollowupCellDto;
  @ApiProperty({ type: [FollowupCellDto] }) rows!: FollowupCellDto[];
}
