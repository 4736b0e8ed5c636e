import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MaxLength } from '../common/text-length.js';
import {
  END_REASONS,
  LEGAL_BASES,
  PAUSE_REASONS,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  TASK_OUTCOMES,
  TASK_ROLES,
  WAIVER_REASONS,
} from '../../../libs/domain/vocabulary.js';
import { CHANGE_REASONS } from '../../../libs/domain/package/decide/explain-change.js';
import { MAX_COMPLETED_BEFORE } from '../../../libs/domain/package/decide/placement.js';
import {
  FOLLOW_UP_MODES,
  MAX_DONE_THIS_YEAR,
  ORDINARY_REGISTRATION_MIN_DAYS,
  type FollowUpMode,
} from '../../../libs/domain/package/decide/ordinary.js';
import { CHILD_VIEWS, type ChildView } from '../../../libs/domain/plan.js';
import { EARLIEST_BEFORE_PLACEMENT_DAYS } from '../../../libs/domain/package/decide/guards.js';
import {
  AtMostDaysAhead,
  AtMostYearsBack,
  IsIsoDate,
  PLACEMENT_DATE_MAX_DAYS_AHEAD,
  PLACEMENT_DATE_MAX_YEARS_BACK,
} from '../common/dates.js';
import { OptionalField } from '../common/fields.js';
import {
  CASE_NUMBER_DESCRIPTION,
  CASE_NUMBER_PATTERN,
  CASE_NUMBER_REASON,
} from '../case-numbers/case-number.dto.js';

export class PlacementFactsDto {
  @ApiProperty({ enum: PLACEMENT_TYPES })
  @IsIn(PLACEMENT_TYPES)
  placementType!: (typeof PLACEMENT_TYPES)[number];
  @ApiProperty({ enum: LEGAL_BASES }) @IsIn(LEGAL_BASES) legalBasis!: (typeof LEGAL_BASES)[number];
  @ApiProperty({
    format: 'date',
    description: `At most ${PLACEMENT_DATE_MAX_DAYS_AHEAD} days ahead, at most ${PLACEMENT_DATE_MAX_YEARS_BACK} years back.`,
  })
  @IsIsoDate()
  @AtMostDaysAhead(PLACEMENT_DATE_MAX_DAYS_AHEAD)
  @AtMostYearsBack(PLACEMENT_DATE_MAX_YEARS_BACK)
  placementDate!: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 17 }) @IsInt() @Min(0) @Max(17) childAgeYears!: number;
  @ApiProperty() @IsBoolean() samvaer!: boolean;
  @ApiProperty() @IsBoolean() parentsReachable!: boolean;
  @ApiProperty() @IsBoolean() inSchoolOrKindergarten!: boolean;
  @ApiProperty() @IsBoolean() bufetatHelp!: boolean;
  @ApiProperty() @IsBoolean() beredskapshjem!: boolean;
}

export class CompletedBeforeDto {
  @ApiPropertyOptional({
    description:
      'A step of the catalog: its earliest occurrence in the plan not named by an earlier entry. Give stepId or taskId, not both.',
    example: 'kontakt-dag1',
  })
  @OptionalField()
  @IsString()
  @MaxLength(80)
  stepId?: string;

  @ApiPropertyOptional({
    description: 'A task of the plan (`stepId#occurrence`). Give stepId or taskId, not both.',
    example: 'oppfolgingsbesok#2',
  })
  @OptionalField()
  @IsString()
  @MaxLength(120)
  taskId?: string;

  @ApiProperty({
    format: 'date',
    description: `The day the work was done: not after the registration day, at most ${EARLIEST_BEFORE_PLACEMENT_DAYS} days before the placement date.`,
  })
  @IsIsoDate()
  completedOn!: string;
}

export class DoneThisYearDto {
  @ApiProperty({ enum: STATUTORY_KINDS, description: 'The kind of statutory visit.' })
  @IsIn(STATUTORY_KINDS)
  kind!: (typeof STATUTORY_KINDS)[number];

  @ApiProperty({
    format: 'date',
    description:
      'The day of the visit: in this calendar year, not after today, not before the placement date.',
  })
  @IsIsoDate()
  on!: string;
}

export class RegisterPlacementDto {
  @ApiProperty({ format: 'uuid', description: 'The municipality the service acts for.' })
  @IsUUID()
  municipalityId!: string;

  @ApiProperty({ type: PlacementFactsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PlacementFactsDto)
  facts!: PlacementFactsDto;

  @ApiPropertyOptional({
    example: '2026.1',
    description:
      "The catalog version to plan with; absent: the version the service's region chose (400 when it chose none).",
  })
  @OptionalField()
  @IsString()
  @MaxLength(40)
  catalogVersion?: string;

  @ApiPropertyOptional({
    description: `${CASE_NUMBER_DESCRIPTION} Optional here (placements registered by other clients can get it later with PUT …/case-number); the web form requires it.`,
    pattern: CASE_NUMBER_PATTERN,
    minLength: 1,
    maxLength: 30,
    example: '2026/1234',
  })
  @OptionalField()
  @IsString()
  @Matches(new RegExp(CASE_NUMBER_PATTERN), { message: CASE_NUMBER_REASON })
  caseNumber?: string;

  @ApiPropertyOptional({
    type: [CompletedBeforeDto],
    maxItems: MAX_COMPLETED_BEFORE,
    description:
      'Work already done when the placement is registered (a registration made late): each becomes a completed task (outcome gjennomfort) in the registration. An unknown step or task, or a date out of range, is refused (400, naming completedBefore.<i>.<field>).',
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(MAX_COMPLETED_BEFORE)
  @ValidateNested({ each: true })
  @Type(() => CompletedBeforeDto)
  completedBefore?: CompletedBeforeDto[];

  @ApiPropertyOptional({
    enum: FOLLOW_UP_MODES,
    default: 'package',
    description: `'package' (default): a new placement gets the care package, then ordinary follow-up. 'ordinary': a child already in a foster home (placement date at least ${ORDINARY_REGISTRATION_MIN_DAYS} days back) starts straight in this year's ordinary follow-up, without the package's backlog.`,
  })
  @OptionalField()
  @IsIn(FOLLOW_UP_MODES)
  followUp?: FollowUpMode;

  @ApiPropertyOptional({
    type: [DoneThisYearDto],
    maxItems: MAX_DONE_THIS_YEAR,
    description:
      "Only with followUp 'ordinary': the statutory visits already made this calendar year; they count toward this year's minimum.",
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(MAX_DONE_THIS_YEAR)
  @ValidateNested({ each: true })
  @Type(() => DoneThisYearDto)
  doneThisYear?: DoneThisYearDto[];

  @ApiPropertyOptional({
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
    example: '2031-05',
    description:
      'The month supervision ends (the month the child turns 18), YYYY-MM. Never the birth date; the API may derive it from the personal-data store instead.',
  })
  @OptionalField()
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'må være en måned (ÅÅÅÅ-MM)' })
  supervisionEndsMonth?: string;
}

export class CommandResultDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The command (from the Idempotency-Key, caller and resource): recorded with its events.',
  })
  commandId!: string;
  @ApiProperty({ type: 'integer', description: 'The package version after the command.' }) version!: number;
  @ApiProperty({
    description: 'The command took effect: by this request, or by an earlier one with its key.',
  })
  applied!: boolean;
  @ApiProperty({
    description:
      'This request repeated one already carried out (same Idempotency-Key): nothing happened again.',
  })
  repeated!: boolean;
}

export class RegisteredDto extends CommandResultDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiProperty({ format: 'uuid' }) childRef!: string;
}

/** 202: the command reached the engine, its outcome is not known yet (see Location). */
export class CommandPendingDto {
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiProperty() detail!: string;
}

/** 202 on a kompetansebase assignment: as CommandPendingDto, naming the assignment (see Location). */
export class AssignmentCommandPendingDto {
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty() detail!: string;
}

export class CommandFieldErrorDto {
  @ApiProperty() field!: string;
  @ApiProperty() reason!: string;
}

/**
 * What became of a command: `GET /api/placements/{placementId}/commands/{commandId}`, or
 * `GET /api/kompetansebase/assignments/{assignmentId}/commands/{commandId}`.
 */
export class CommandStatusDto {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({
    enum: ['applied', 'rejected', 'pending'],
    description:
      'applied: it took effect (at `version`); rejected: the package or assignment refused it (`detail`, ' +
      '`errors`); ' +
      'pending: not decided yet, ask again.',
  })
  status!: 'applied' | 'rejected' | 'pending';
  @ApiPropertyOptional({ type: 'integer' }) version?: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ type: [CommandFieldErrorDto] }) errors?: CommandFieldErrorDto[];
}

export class MovedTaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) fromDueOn!: string;
  @ApiProperty({ format: 'date' }) toDueOn!: string;
}

export class ChangedTaskDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
}

/** What a change of placement date or type does to the plan. */
export class PlanChangeDto {
  @ApiProperty({ type: [MovedTaskDto], description: 'Open or planned tasks whose due date moves.' })
  moved!: MovedTaskDto[];
  @ApiProperty({
    type: [MovedTaskDto],
    description:
      'Statutory visits given another place in the plan, against the direction of a date change ' +
      '(a year split that moves pulls a different cadence visit into a year): never shown as moved.',
  })
  replaced!: MovedTaskDto[];
  @ApiProperty({ type: [ChangedTaskDto], description: 'Tasks the change adds.' }) added!: ChangedTaskDto[];
  @ApiProperty({ type: [ChangedTaskDto], description: 'Open or planned tasks that no longer apply.' })
  cancelled!: ChangedTaskDto[];
  @ApiProperty({ description: 'Completed, waived, follow-up and ad-hoc tasks, kept as they are.' })
  kept!: number;
}

export class PreviewStepDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['moved', 'replaced', 'added', 'cancelled'] })
  kind!: 'moved' | 'replaced' | 'added' | 'cancelled';
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Due date now; null if added.' })
  fromDueOn!: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Due date after the change; null if cancelled.',
  })
  toDueOn!: string | null;
  @ApiProperty({
    enum: CHANGE_REASONS,
    isArray: true,
    description:
      'Why, most specific first: placement-date (counts from the placement date, which moves), ' +
      'placement-type (the new type gives it another deadline, or makes it apply or lapse), legal-basis ' +
      '(the new legal basis makes it apply or lapse), statutory-rule (a statutory visit, on the fixed ' +
      'cadence of the law from move-in), working-day (moved to the nearest earlier working day).',
  })
  reasons!: readonly (typeof CHANGE_REASONS)[number][];
  @ApiProperty({ description: 'Not overdue today, but overdue at once after the change.' })
  becomesOverdue!: boolean;
}

export class ChangePreviewDto {
  @ApiProperty({
    description:
      'Send this as expectedVersion when applying: the change is refused (409) if the package moved on.',
  })
  expectedVersion!: number;
  @ApiProperty({
    enum: LEGAL_BASES,
    description: 'The legal basis the placement will have after the change.',
  })
  legalBasis!: (typeof LEGAL_BASES)[number];
  @ApiProperty({ type: PlanChangeDto }) change!: PlanChangeDto;
  @ApiProperty({
    type: [PreviewStepDto],
    description:
      'Every step of `change`, sorted by its date after the change, with why and whether it becomes overdue.',
  })
  steps!: PreviewStepDto[];
}

export class ChangeResultDto extends CommandResultDto {
  @ApiPropertyOptional({ type: PlanChangeDto, description: 'Absent on a repeat.' }) change?: PlanChangeDto;
}

export class CompleteTaskDto {
  @ApiProperty({ enum: TASK_OUTCOMES }) @IsIn(TASK_OUTCOMES) outcome!: (typeof TASK_OUTCOMES)[number];
  @ApiProperty({ format: 'date' }) @IsIsoDate() completedOn!: string;
}

export class WaiveTaskDto {
  @ApiProperty({ enum: WAIVER_REASONS }) @IsIn(WAIVER_REASONS) reason!: (typeof WAIVER_REASONS)[number];
}

export class ReassignTaskDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Someone who may take the task (a userId of GET /api/tasks/{placementId}/{taskId}/assignees, for ' +
      '`role` when given), or null for the role pool. Anyone else: 400.',
  })
  @ValidateIf((_: object, value: unknown) => value !== null)
  @IsString()
  @MaxLength(200)
  assigneeId!: string | null;

  @ApiPropertyOptional({ enum: TASK_ROLES })
  @OptionalField()
  @IsIn(TASK_ROLES)
  role?: (typeof TASK_ROLES)[number];
}

export class PauseDto {
  @ApiProperty({ enum: PAUSE_REASONS }) @IsIn(PAUSE_REASONS) reason!: (typeof PAUSE_REASONS)[number];
  @ApiProperty({ format: 'date' }) @IsIsoDate() from!: string;
}

export class ResumeDto {
  @ApiProperty({ format: 'date' }) @IsIsoDate() on!: string;
}

export class EndDto {
  @ApiProperty({ enum: END_REASONS }) @IsIn(END_REASONS) reason!: (typeof END_REASONS)[number];
  @ApiProperty({ format: 'date' }) @IsIsoDate() endedOn!: string;
}

export class PreviewChangeDto {
  @ApiPropertyOptional({
    format: 'date',
    description: `At most ${PLACEMENT_DATE_MAX_DAYS_AHEAD} days ahead, at most ${PLACEMENT_DATE_MAX_YEARS_BACK} years back.`,
  })
  @OptionalField()
  @IsIsoDate()
  @AtMostDaysAhead(PLACEMENT_DATE_MAX_DAYS_AHEAD)
  @AtMostYearsBack(PLACEMENT_DATE_MAX_YEARS_BACK)
  placementDate?: string;

  @ApiPropertyOptional({ enum: PLACEMENT_TYPES })
  @OptionalField()
  @IsIn(PLACEMENT_TYPES)
  placementType?: (typeof PLACEMENT_TYPES)[number];

  @ApiPropertyOptional({
    enum: LEGAL_BASES,
    description:
      'With placementType: the legal basis of the new type. omsorgsovertakelse and frivillig dictate their ' +
      'own basis; akutt and slekt-nettverk keep the current basis unless this is given.',
  })
  @OptionalField()
  @IsIn(LEGAL_BASES)
  legalBasis?: (typeof LEGAL_BASES)[number];
}

export class ChangePlacementDto extends PreviewChangeDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The package version the change was decided on (GET the placement): else 409.',
  })
  @IsInt()
  @Min(1)
  expectedVersion!: number;
}

export class ReductionDto {
  @ApiProperty({ enum: STATUTORY_KINDS }) @IsIn(STATUTORY_KINDS) kind!: (typeof STATUTORY_KINDS)[number];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, description: 'The reduced yearly minimum.' })
  @IsInt()
  @Min(1)
  @Max(3)
  minimumPerYear!: number;
  @ApiProperty({ format: 'date' }) @IsIsoDate() effectiveFrom!: string;

  @ApiPropertyOptional({
    enum: CHILD_VIEWS,
    description:
      "The child's view of the reduction (a code, no free text). Required: a reduction without it is refused (400, naming decision.childView).",
  })
  @OptionalField()
  @IsIn(CHILD_VIEWS)
  childView?: ChildView;

  @ApiPropertyOptional({
    description: 'Supervision only: the child consents. A reduction of supervision without it is refused.',
  })
  @OptionalField()
  @IsBoolean()
  childConsent?: boolean;
}

export class AdHocTaskDto {
  @ApiProperty({
    description: 'A catalog step to do once more.',
    example: 'oppfolgingsbesok',
    pattern: '^[a-z0-9-]{1,60}$',
  })
  @IsString()
  @Matches(/^[a-z0-9-]{1,60}$/, { message: 'må være id-en til et steg i katalogen' })
  stepId!: string;

  @ApiProperty({ format: 'date' }) @IsIsoDate() dueOn!: string;

  @ApiPropertyOptional({ enum: TASK_ROLES })
  @OptionalField()
  @IsIn(TASK_ROLES)
  role?: (typeof TASK_ROLES)[number];
}
