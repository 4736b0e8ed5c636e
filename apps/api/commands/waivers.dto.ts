import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { NOT_BLANK_TEXT_PATTERN } from '../common/input-text.js';
import { Length } from '../common/text-length.js';
import { WAIVER_REASONS } from '../../../libs/domain/vocabulary.js';
import { WaiverRecordDto } from '../tasks/tasks.dto.js';

/** A justification's length: enough to say why, short enough to read in a dialog. */
export const JUSTIFICATION_MIN = 10;
export const JUSTIFICATION_MAX = 2000;
const NOT_BLANK = /\S/;

export class WaiverRequestDto {
  @ApiProperty({ enum: WAIVER_REASONS, description: 'The coded reason (counted in the adherence reports).' })
  @IsIn(WAIVER_REASONS)
  reason!: (typeof WAIVER_REASONS)[number];

  @ApiProperty({
    minLength: JUSTIFICATION_MIN,
    maxLength: JUSTIFICATION_MAX,
    pattern: NOT_BLANK_TEXT_PATTERN,
    description:
      'Why the step should be waived, for the leader who co-signs: free text about the child, stored ' +
      'encrypted with the child’s key (like a task note), never in events, logs or Temporal.',
  })
  @IsString()
  @Length(JUSTIFICATION_MIN, JUSTIFICATION_MAX)
  @Matches(NOT_BLANK, { message: 'kan ikke være bare mellomrom' })
  justification!: string;
}

export class WaiverCosignDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The request the leader read (`waiver.requestId`): another one since answers 409.',
  })
  @IsUUID()
  requestId!: string;
}

export class WaiverDeclineDto extends WaiverCosignDto {
  @ApiProperty({
    minLength: 1,
    maxLength: JUSTIFICATION_MAX,
    pattern: NOT_BLANK_TEXT_PATTERN,
    description: 'Why the request is declined: free text, stored encrypted like the justification.',
  })
  @IsString()
  @Length(1, JUSTIFICATION_MAX)
  @Matches(NOT_BLANK, { message: 'kan ikke være bare mellomrom' })
  reason!: string;
}

/** A task's last waiver request with its texts, read on demand (logged). */
export class WaiverDetailDto extends WaiverRecordDto {
  @ApiPropertyOptional({ description: 'The requester’s justification (absent once purged or lost).' })
  justification?: string;
  @ApiPropertyOptional({ description: 'A declined request: the leader’s reason.' })
  declineReason?: string;
}

export class WaiverRequestsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this placement’s open requests.' })
  @IsOptional()
  @IsUUID()
  placementId?: string;
}
