import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class CatalogSummaryDto {
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ description: 'Number of steps.' }) steps!: number;
  @ApiProperty({ enum: ['built-in', 'published'] }) source!: 'built-in' | 'published';
  @ApiPropertyOptional({ format: 'date-time' }) publishedAt?: string;
  @ApiPropertyOptional({ description: 'User id of the administrator who published it.' })
  publishedBy?: string;
}

const CATALOG_DESCRIPTION =
  'A step catalog: { version: "YYYY.N", description?, escalationDelayDays?, reminderDaysBefore?, steps: [...] }. ' +
  'The format is that of GET /api/catalogs/{version}; every field is validated and unknown fields are refused.';

export class CatalogBodyDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: CATALOG_DESCRIPTION })
  @IsObject()
  catalog!: Record<string, unknown>;
}

export class PublishedCatalogDto {
  @ApiProperty() version!: string;
  @ApiProperty({ description: 'False when exactly this catalog had been published before (a repeat).' })
  created!: boolean;
}

export class StepImpactDto {
  @ApiProperty() stepId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Open or planned tasks whose due date would move.' }) moved!: number;
  @ApiProperty({ description: 'Tasks the new version would add.' }) added!: number;
  @ApiProperty({ description: 'Open or planned tasks that would no longer apply.' }) cancelled!: number;
}

export class CatalogImpactDto {
  @ApiProperty() version!: string;
  @ApiProperty({ description: 'Active and paused placements examined.' }) placements!: number;
  @ApiProperty({ description: 'Placements with at least one open task that would change.' })
  affectedPlacements!: number;
  @ApiProperty() moved!: number;
  @ApiProperty() added!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty({ type: [StepImpactDto], description: 'Per step, steps with no change left out.' })
  steps!: StepImpactDto[];
}
