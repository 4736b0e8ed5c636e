import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Letters (also æøå), digits, '/', '-', '.' and space; 1–30 characters, first and last a letter or digit. */
export const CASE_NUMBER_PATTERN = '^[A-Za-z0-9ÆØÅæøå](?:[A-Za-z0-9ÆØÅæøå/. -]{0,28}[A-Za-z0-9ÆØÅæøå])?$';
export const CASE_NUMBER_REASON =
  'må ha 1–30 tegn: bokstaver, sifre, /, -, . og mellomrom, og begynne og slutte med en bokstav eller et siffer';

export const CASE_NUMBER_DESCRIPTION =
  'The service’s own case number (saksnummer in its case system), unique in the service (409 when ' +
  'another placement has it). Personal data: kept apart from the package and never sent to Temporal; ' +
  'shown only to staff of the service.';

/** `PUT /api/placements/{placementId}/case-number`: correct (or enter) the case number. */
export class CaseNumberDto {
  @ApiProperty({
    description: CASE_NUMBER_DESCRIPTION,
    pattern: CASE_NUMBER_PATTERN,
    minLength: 1,
    maxLength: 30,
    example: '2026/1234',
  })
  @IsString()
  @Matches(new RegExp(CASE_NUMBER_PATTERN), { message: CASE_NUMBER_REASON })
  caseNumber!: string;
}
