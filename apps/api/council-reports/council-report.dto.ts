import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsUUID, Max, Min } from 'class-validator';
import { AdherenceCellDto, StatutoryComplianceCellDto } from '../adherence/adherence.dto.js';

export class CouncilReportQueryDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The municipality the report is to (its id in reference data).',
  })
  @IsUUID()
  municipality!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 2000,
    maximum: 2099,
    example: 2025,
    description: 'Calendar year.',
  })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2099)
  year!: number;
}

export class CouncilSignOffDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  municipality!: string;

  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2099, example: 2025 })
  @IsInt()
  @Min(2000)
  @Max(2099)
  year!: number;

  @ApiProperty({
    format: 'date-time',
    description: 'The `asOf` of the draft the leader reviewed: the signed report has exactly its figures.',
  })
  @IsISO8601({ strict: true })
  asOf!: string;
}

export class CouncilPlaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: 'Official municipality number (kommunenummer).' }) number?: string;
}

export class CouncilYearDto {
  @ApiProperty() year!: number;
  @ApiProperty({
    type: StatutoryComplianceCellDto,
    description: 'Statutory follow-up and supervision visits.',
  })
  statutory!: StatutoryComplianceCellDto;
  @ApiProperty({ type: AdherenceCellDto, description: 'The package, every track together.' })
  adherence!: AdherenceCellDto;
  @ApiProperty({ type: [AdherenceCellDto], description: 'The package by track.' })
  tracks!: AdherenceCellDto[];
}

export class KompetansebaseMeasureDto {
  @ApiProperty() label!: string;
  @ApiProperty({ type: 'integer', nullable: true }) current!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) previous!: number | null;
}

export class CouncilSignOffInfoDto {
  @ApiProperty() by!: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CouncilReportDto {
  @ApiProperty({ enum: ['utkast', 'godkjent'] }) status!: 'utkast' | 'godkjent';
  @ApiProperty({ type: CouncilPlaceDto }) municipality!: CouncilPlaceDto;
  @ApiProperty({ type: CouncilPlaceDto }) service!: CouncilPlaceDto;
  @ApiProperty() year!: number;
  @ApiProperty({ format: 'date-time', description: 'The figures as recorded at this instant.' })
  asOf!: string;
  @ApiProperty({ format: 'date', description: 'Tasks count once due before this date.' }) reportDate!: string;
  @ApiProperty({ description: 'Cells of fewer than 5 placements are hidden (always true).' })
  suppression!: boolean;
  @ApiProperty({ type: CouncilYearDto }) current!: CouncilYearDto;
  @ApiProperty({ type: CouncilYearDto, description: 'The year before, for the trend.' })
  previous!: CouncilYearDto;
  @ApiProperty({
    type: [KompetansebaseMeasureDto],
    nullable: true,
    description: 'Use of the kompetansebase; null when none is registered.',
  })
  kompetansebase!: KompetansebaseMeasureDto[] | null;
  @ApiPropertyOptional({ type: CouncilSignOffInfoDto }) signedOff?: CouncilSignOffInfoDto;
}
