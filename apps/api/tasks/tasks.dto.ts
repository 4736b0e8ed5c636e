import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { MaxLength, MinLength } from '../common/text-length.js';
import { ROLES, TASK_ROLES, TRACKS, WAIVER_REASONS } from '../../../libs/domain/vocabulary.js';

import { ASSIGNMENT_ROLES, REQUEST_TYPES } from '../../../libs/domain/kompetansebase/vocabulary.js';
import { INBOX_STATUSES } from '../../../libs/projections/read-models/task-inbox.js';
import { IsIsoDate } from '../common/dates.js';
import { INBOX_SORTS, INBOX_VIEWS, type InboxView } from './inbox-options.js';

export const CASE_KINDS = ['placement', 'kompetansebase'] as const;

export class InboxQueryDto {
  @ApiPropertyOptional({
    enum: INBOX_VIEWS,
    default: 'all',
    description:
      '`mine`: open tasks assigned to me, or in my role’s pool in a placement I work with (one where I hold ' +
      'or held a task), or in my role’s pool at my kompetansebase (and its escalated tasks for its leader); `pool`: open tasks in my roles’ pools; `done`: completed in the last 30 days; ' +
      '`open`: every task I may see that is not closed; `all`: every task I may see.',
  })
  @IsOptional()
  @IsIn(INBOX_VIEWS)
  view?: InboxView;

  @ApiPropertyOptional({
    enum: INBOX_SORTS,
    default: 'dueOn',
    description:
      'Sort by due date, case number (placements without one the caller may see last), step title or ' +
      'completion date; `-` for descending. Ties go by due date, then the task. A cursor holds its sort.',
  })
  @IsOptional()
  @IsIn(INBOX_SORTS)
  sort?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description: 'Search: part of the step’s title or of the case number (the owning service’s staff only).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: INBOX_STATUSES })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status?: (typeof INBOX_STATUSES)[number];

  @ApiPropertyOptional({ format: 'date', description: 'Due on or after (YYYY-MM-DD).' })
  @IsOptional()
  @IsIsoDate()
  dueFrom?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Due on or before (YYYY-MM-DD); not before `dueFrom`.',
  })
  @IsOptional()
  @IsIsoDate()
  dueTo?: string;

  @ApiPropertyOptional({ enum: TRACKS })
  @IsOptional()
  @IsIn(TRACKS)
  track?: string;

  @ApiPropertyOptional({ enum: TASK_ROLES })
  @IsOptional()
  @IsIn(TASK_ROLES)
  role?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'A user id, `me`, or `none` (the shared pool).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  assignee?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  placementId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
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

/** Someone who asked for or decided on a waiver. */
export class WaiverActorDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ description: 'Their display name, when known.' }) name?: string;
}

/** The last request to waive a task and what became of it (no free text: see GET …/waiver). */
export class WaiverRecordDto {
  @ApiProperty({
    enum: ['requested', 'cosigned', 'declined'],
    description: 'requested: waiting for a leader; cosigned: the task is waived; declined: it goes on.',
  })
  status!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The request: pass it to …/waiver-request/cosign or /decline.',
  })
  requestId!: string;
  @ApiProperty({ enum: WAIVER_REASONS }) reason!: string;
  @ApiProperty({ type: WaiverActorDto }) requestedBy!: WaiverActorDto;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiPropertyOptional({ type: WaiverActorDto, description: 'The leader who co-signed or declined.' })
  decidedBy?: WaiverActorDto;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
}

/** The kompetansebase assignment a task belongs to: codes and reference data, never a child's data. */
export class TaskAssignmentDto {
  @ApiProperty({ format: 'uuid', description: 'Open it at /kompetansebase/oppdrag/{assignmentId}.' })
  assignmentId!: string;
  @ApiProperty({ enum: REQUEST_TYPES }) requestType!: string;
  @ApiProperty({ description: 'The request type in bokmål.' }) requestTypeLabel!: string;
  @ApiProperty({ format: 'uuid', description: 'The child-welfare service that ordered it.' })
  orderingServiceId!: string;
  @ApiPropertyOptional({ description: 'The ordering service’s name (reference data), when known.' })
  orderingServiceName?: string;
}

export class TaskDto {
  @ApiProperty({
    enum: CASE_KINDS,
    description:
      'What the task belongs to: a placement’s care package, or a kompetansebase assignment (`assignment`).',
  })
  caseKind!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A placement’s task only.' }) placementId?: string;
  @ApiPropertyOptional({
    type: TaskAssignmentDto,
    description: 'A kompetansebase assignment’s task only: what it belongs to.',
  })
  assignment?: TaskAssignmentDto;
  @ApiPropertyOptional({
    description:
      'The service’s own case number (saksnummer) of the placement: only for staff of the owning ' +
      'service, and only when one was entered.',
  })
  caseNumber?: string;
  @ApiProperty() taskId!: string;
  @ApiProperty() stepId!: string;
  @ApiProperty() occurrence!: number;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ enum: TRACKS, description: 'A placement’s task only.' }) track?: string;
  @ApiProperty({ enum: [...TASK_ROLES, ...ASSIGNMENT_ROLES] }) role!: string;
  @ApiProperty() origin!: string;
  @ApiProperty({ type: String, nullable: true }) assigneeId!: string | null;
  @ApiPropertyOptional({ description: "The assignee's display name, when known." }) assigneeName?: string;
  @ApiPropertyOptional({ format: 'date', description: 'A placement’s task only.' }) opensOn?: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ enum: INBOX_STATUSES }) status!: string;
  @ApiProperty() escalated!: boolean;
  @ApiProperty({
    description:
      'Already overdue when the placement was registered (a late registration): it escalates to the leader only after the registration grace (five working days).',
  })
  overdueAtRegistration!: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) completedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome!: string | null;
  @ApiProperty({ type: String, nullable: true }) statutory!: string | null;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Opaque reference to the child (no identifying data); a placement’s task only.',
  })
  childRef?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The owning service; a placement’s task only.' })
  serviceId?: string;
  @ApiPropertyOptional({
    type: WaiverRecordDto,
    description: 'A step that needs a leader’s co-signature: its last waiver request, when one was made.',
  })
  waiver?: WaiverRecordDto;
}

export class InboxPageDto {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor!: string | null;
}

/** How many tasks each view of the inbox holds. */
export class InboxCountsDto {
  @ApiProperty({ description: 'Open tasks assigned to me, or in my role’s pool in placements I work with.' })
  mine!: number;
  @ApiProperty({ description: 'Open tasks in my roles’ pools.' }) pool!: number;
  @ApiProperty({ description: 'Tasks completed in the last 30 days.' }) done!: number;
}

export class AssigneesQueryDto {
  @ApiPropertyOptional({
    enum: TASK_ROLES,
    description: 'Who could take the task in this role (when it is moved to another role); default: its own.',
  })
  @IsOptional()
  @IsIn(TASK_ROLES)
  role?: (typeof TASK_ROLES)[number];
}

/** Someone a task can be given to. */
export class AssigneeDto {
  @ApiProperty({ description: 'The user id to pass as `assigneeId` when reassigning.' })
  userId!: string;
  @ApiPropertyOptional({ description: 'Display name (the `name` claim of their tokens), when known.' })
  name?: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
}
