import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDate } from '../common/dates.js';

export const KOMPETANSEBASE_BREAKDOWNS = ['total', 'requestType', 'service'] as const;
export type KompetansebaseBreakdown = (typeof KOMPETANSEBASE_BREAKDOWNS)[number];

export class KompetansebaseAdherenceQueryDto {
  @ApiProperty({
    format: 'date',
    description: 'First order date of the period (a learning-network lead: the first day of a quarter).',
  })
  @IsIsoDate()
  from!: string;

  @ApiProperty({
    format: 'date',
    description: 'Last order date of the period (a learning-network lead: the last day of that quarter).',
  })
  @IsIsoDate()
  to!: string;

  @ApiPropertyOptional({ enum: KOMPETANSEBASE_BREAKDOWNS, default: 'requestType' })
  @IsOptional()
  @IsIn(KOMPETANSEBASE_BREAKDOWNS)
  by?: KompetansebaseBreakdown;
}

export class KompetansebaseShareDto {
  @ApiProperty({ description: 'Steps of this kind completed.' }) of!: number;
  @ApiProperty({ description: 'Of them, completed by their due date.' }) onTime!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'onTime ÷ of, to three decimals; null: none.' })
  rate!: number | null;
}

export class KompetansebaseAdherenceCellDto {
  @ApiProperty({ description: 'A request type code or a service id; "total" for the total.' })
  key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'True when hidden to protect small groups (fewer than 5 orders).' })
  suppressed!: boolean;
  @ApiPropertyOptional({ description: 'Orders made in the period.' }) orders?: number;
  @ApiPropertyOptional({ description: 'Of them, accepted by the base.' }) accepted?: number;
  @ApiPropertyOptional({ description: 'Declined because the base had no capacity.' })
  declinedForCapacity?: number;
  @ApiPropertyOptional({ description: 'Declined for another reason.' }) declinedOther?: number;
  @ApiPropertyOptional({ description: 'Still in the queue (ordered or waiting) today.' }) waiting?: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Median days from order to start talk (null: no start talk yet).',
  })
  medianDaysToStart?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '80th percentile of the same.' })
  p80DaysToStart?: number | null;
  @ApiPropertyOptional({ type: KompetansebaseShareDto, description: 'Call-backs made in time.' })
  callBacks?: KompetansebaseShareDto;
  @ApiPropertyOptional({
    type: KompetansebaseShareDto,
    description: 'Evaluations held on (by) the date agreed at the start talk.',
  })
  evaluationsOnAgreedDate?: KompetansebaseShareDto;
  @ApiPropertyOptional({ type: KompetansebaseShareDto, description: 'Reports handed over in time.' })
  reportsOnTime?: KompetansebaseShareDto;
}

export class KompetansebaseAdherenceBaseDto {
  @ApiProperty({ format: 'uuid' }) baseId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Concurrent active assignments the base has room for.' }) capacity!: number;
}

export class KompetansebaseAdherenceDto {
  @ApiProperty({
    enum: ['base', 'network'],
    description: "base: the base's leader, exact; network: the network's lead, small cells suppressed.",
  })
  scope!: 'base' | 'network';
  @ApiProperty({ type: KompetansebaseAdherenceBaseDto }) base!: KompetansebaseAdherenceBaseDto;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ format: 'date', description: 'Today in Oslo: what "waiting" is counted at.' })
  reportDate!: string;
  @ApiProperty({ enum: KOMPETANSEBASE_BREAKDOWNS }) by!: KompetansebaseBreakdown;
  @ApiProperty({ description: 'True when small cells are hidden (a learning-network lead).' })
  suppression!: boolean;
  @ApiProperty({ type: KompetansebaseAdherenceCellDto }) total!: KompetansebaseAdherenceCellDto;
  @ApiProperty({ type: [KompetansebaseAdherenceCellDto] }) rows!: KompetansebaseAdherenceCellDto[];
}
