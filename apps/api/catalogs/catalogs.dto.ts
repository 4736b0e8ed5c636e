import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { BASIS_KINDS, STATUTORY_KINDS, TASK_ROLES, TRACKS } from '../../../libs/domain/vocabulary.js';

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

const OBJECT = { type: 'object', additionalProperties: true } as const;

/** Why a step exists and how its timing is grounded (LAW / REC / ASSUMPTION, with the source). */
export class StepBasisDto {
  @ApiProperty({ enum: BASIS_KINDS, description: 'Why the step exists: law, recommendation or assumption.' })
  kind!: (typeof BASIS_KINDS)[number];
  @ApiProperty({ description: 'The statute, regulation or guidance, e.g. "Forskrift om fosterhjem § 10".' })
  source!: string;
  @ApiPropertyOptional({ enum: BASIS_KINDS, description: 'How the timing (offset, cadence) is grounded.' })
  timingKind?: (typeof BASIS_KINDS)[number];
  @ApiPropertyOptional({ description: 'A note in bokmål.' }) note?: string;
}

/** One step of a catalog (libs/domain/catalog/types.ts). */
export class CatalogStepDto {
  @ApiProperty({ example: 'barnesamtale' }) id!: string;
  @ApiProperty({ description: 'Title in bokmål.' }) title!: string;
  @ApiPropertyOptional({ description: 'Why the step is done, a sentence in bokmål (descriptive only).' })
  purpose?: string;
  @ApiProperty({ enum: TRACKS }) track!: (typeof TRACKS)[number];
  @ApiProperty({ enum: TASK_ROLES }) role!: (typeof TASK_ROLES)[number];
  @ApiPropertyOptional({ enum: TASK_ROLES, isArray: true }) coRoles?: (typeof TASK_ROLES)[number][];
  @ApiProperty({
    ...OBJECT,
    description: '{ kind: "placement" } or { kind: "step-completion", stepId, alsoAfter? }.',
  })
  anchor!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) offsetDays!: number;
  @ApiProperty({ type: 'integer' }) windowDays!: number;
  @ApiPropertyOptional({ ...OBJECT, description: 'Per placement type: { offsetDays } or { skip: true }.' })
  overrides?: Record<string, unknown>;
  @ApiPropertyOptional({ ...OBJECT, description: '{ intervalDays, untilDay?, count?, phases? }.' })
  recurrence?: Record<string, unknown>;
  @ApiPropertyOptional({
    ...OBJECT,
    description: 'Placement types, legal bases, ages and flags it applies to.',
  })
  conditions?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: STATUTORY_KINDS }) statutory?: (typeof STATUTORY_KINDS)[number];
  @ApiPropertyOptional() dueAfterStep?: string;
  @ApiProperty({ type: StepBasisDto }) basis!: StepBasisDto;
}

/** A catalog version with its steps, as GET /api/catalogs/{version} answers (and POST takes). */
export class CatalogDto {
  @ApiProperty({ example: '2026.2' }) version!: string;
  @ApiPropertyOptional({ format: 'date' }) publishedOn?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ type: 'integer' }) escalationDelayDays?: number;
  @ApiPropertyOptional({ type: 'integer' }) reminderDaysBefore?: number;
  @ApiProperty({ type: [CatalogStepDto] }) steps!: CatalogStepDto[];
}
