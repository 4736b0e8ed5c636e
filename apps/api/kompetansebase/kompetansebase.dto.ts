import { OptionalField } from '../common/fields.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, Matches } from 'class-validator';
import {
  DECLINE_REASONS,
  REQUEST_TYPES,
  URGENCIES,
  WAIT_REASONS,
  type AssignmentStatus,
  type DeclineReason,
  type RequestType,
  type Urgency,
  type WaitReason,
} from '../../../libs/domain/kompetansebase/vocabulary.js';
import { NOT_BLANK_TEXT_PATTERN } from '../common/input-text.js';
import { Length } from '../common/text-length.js';

const NOT_BLANK = /\S/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES: readonly AssignmentStatus[] = ['bestilt', 'venter', 'aktiv', 'avsluttet', 'avslatt'];

/** An order from a child-welfare service to its learning network's kompetansebase. */
export class OrderDto {
  @ApiProperty({ enum: REQUEST_TYPES, description: 'What is ordered.' })
  @IsIn(REQUEST_TYPES)
  requestType!: RequestType;

  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiProperty({
    minLength: 1,
    maxLength: 40,
    pattern: NOT_BLANK_TEXT_PATTERN,
    description: "The service's case number: stored encrypted, never in events, logs or Temporal.",
  })
  @IsString()
  @Length(1, 40)
  @Matches(NOT_BLANK, { message: 'kan ikke være bare mellomrom' })
  caseNumber!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    pattern: NOT_BLANK_TEXT_PATTERN,
    description: 'What the measure should achieve: stored encrypted like the case number.',
  })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK, { message: 'kan ikke være bare mellomrom' })
  goal!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    pattern: NOT_BLANK_TEXT_PATTERN,
    description: 'Reference to the measures plan (tiltaksplan): stored encrypted like the case number.',
  })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'kan ikke være bare mellomrom' })
  planReference!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 12,
    description: 'Group guidance only: 2–12 families as short opaque labels (`familie-1`), never names.',
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  families?: string[];
}

export class OrderedDto {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() applied!: boolean;
  @ApiProperty({ description: 'A repeat of an order already taken in (same Idempotency-Key).' })
  repeated!: boolean;
}

export class AssignmentCommandResultDto {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() applied!: boolean;
  @ApiProperty() repeated!: boolean;
}

export class DeclineDto {
  @ApiProperty({ enum: DECLINE_REASONS, description: 'Coded (counted in the base figures): no free text.' })
  @IsIn(DECLINE_REASONS)
  reason!: DeclineReason;
}

export class WaitDto {
  @ApiProperty({ enum: WAIT_REASONS })
  @IsIn(WAIT_REASONS)
  reason!: WaitReason;
}

export class CompleteStepDto {
  @ApiProperty({ format: 'date', description: 'The day the step was done (not in the future).' })
  @IsString()
  @Matches(ISO_DATE, { message: 'må være en dato (ÅÅÅÅ-MM-DD)' })
  completedOn!: string;

  @ApiPropertyOptional({ format: 'date', description: 'The start talk: the evaluation date agreed.' })
  @OptionalField()
  @IsString()
  @Matches(ISO_DATE, { message: 'må være en dato (ÅÅÅÅ-MM-DD)' })
  evaluationOn?: string;

  @ApiPropertyOptional({ description: 'A session held by two counsellors.' })
  @OptionalField()
  @IsBoolean()
  twoCounsellors?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    description: 'A group session: for each family of the group whether it came.',
  })
  @OptionalField()
  @IsObject()
  attendance?: Record<string, boolean>;

  @ApiPropertyOptional({ description: 'The closing: a family group conference (familieråd) was held.' })
  @OptionalField()
  @IsBoolean()
  familyGroupConference?: boolean;
}

export class AssignmentTaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() stepId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer' }) occurrence!: number;
  @ApiProperty() role!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() escalated!: boolean;
  @ApiPropertyOptional({ format: 'date' }) completedOn?: string;
  @ApiPropertyOptional() late?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'boolean' } })
  attendance?: Record<string, boolean>;
}

export class AssignmentSummaryDto {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty({ description: 'The ordering service.' }) serviceName!: string;
  @ApiProperty({ enum: REQUEST_TYPES }) requestType!: string;
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ format: 'date' }) orderedOn!: string;
  @ApiPropertyOptional({ format: 'date' }) acceptedOn?: string;
  @ApiPropertyOptional({ enum: DECLINE_REASONS }) declineReason?: string;
  @ApiPropertyOptional({ enum: WAIT_REASONS }) waitReason?: string;
  @ApiProperty({ type: 'integer', description: 'Days since the order (in the queue: its waiting time).' })
  waitingDays!: number;
  @ApiProperty({ type: 'integer' }) families!: number;
}

export class AssignmentDetailDto extends AssignmentSummaryDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [String] }) familyRefs!: string[];
  @ApiPropertyOptional({ format: 'date' }) evaluationOn?: string;
  @ApiPropertyOptional({ format: 'date' }) closedOn?: string;
  @ApiProperty({ type: [AssignmentTaskDto] }) tasks!: AssignmentTaskDto[];
  @ApiPropertyOptional({ description: 'The order texts (decrypted for this read, which is logged).' })
  caseNumber?: string;
  @ApiPropertyOptional() goal?: string;
  @ApiPropertyOptional() planReference?: string;
}

export class BaseDto {
  @ApiProperty({ format: 'uuid' }) baseId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', description: 'Configured capacity: concurrent active assignments.' })
  capacity!: number;
  @ApiProperty({ type: 'integer', description: 'Active assignments now.' }) active!: number;
}

export class QueueDto {
  @ApiProperty({ type: BaseDto }) base!: BaseDto;
  @ApiProperty({
    type: [AssignmentSummaryDto],
    description: 'Orders not yet accepted or declined (bestilt, venter): urgent first, then oldest first.',
  })
  queue!: AssignmentSummaryDto[];
}
