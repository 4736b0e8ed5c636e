import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { idnr } from '@navikt/fnrvalidator';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsString,
  Matches,
  ValidateNested,
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Length } from '../common/text-length.js';
import { IsBirthYearMonth, IsIsoDate, NotInFuture } from '../common/dates.js';
import { OptionalField } from '../common/fields.js';

/** Fødselsnummer or D-nummer with valid check digits. The message never repeats the value. */
@ValidatorConstraint({ name: 'nationalId' })
class NationalIdConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && idnr(value).status === 'valid';
  }
  defaultMessage(): string {
    return 'må være et gyldig fødselsnummer eller D-nummer (11 siffer)';
  }
}

export class ChildDetailsDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ format: 'date' })
  @OptionalField()
  @IsIsoDate()
  @NotInFuture()
  birthDate?: string;
  @ApiPropertyOptional({
    description:
      'Birth year and month (YYYY-MM): not after this month, at most 20 years back. Saving it sets the ' +
      'month supervision ends (the month the child turns 18) on the placement; the birth month itself ' +
      'stays in the personal-data store.',
    pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
    example: '2012-05',
  })
  @OptionalField()
  @IsBirthYearMonth()
  birthYearMonth?: string;
  @ApiPropertyOptional({
    description: 'Fødselsnummer or D-nummer (11 digits with valid check digits).',
    pattern: '^[0-9]{11}$',
  })
  @OptionalField()
  @Validate(NationalIdConstraint)
  nationalId?: string;
}

export class ContactDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 60, example: 'mor' })
  @OptionalField()
  @IsString()
  @Length(1, 60)
  relation?: string;
  @ApiPropertyOptional({ example: '+47 900 00 000', pattern: '^\\+?[0-9 ]{8,20}$' })
  @OptionalField()
  @Matches(/^\+?[0-9 ]{8,20}$/, { message: 'må være et telefonnummer (8–20 siffer, gjerne med +landskode)' })
  phone?: string;
  @ApiPropertyOptional({ format: 'email' }) @OptionalField() @IsEmail() email?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Storgata 1, 9901 Nordby' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  address?: string;
}

/** The foster family's names and contact details, and nothing else of the child's data. */
export class FosterFamilyDto {
  @ApiProperty({ type: [ContactDto] }) fosterFamily!: ContactDto[];
}

/** The identifying details of a placement: stored encrypted with the child's own key. */
export class PersonalDetailsDto {
  @ApiProperty({ type: ChildDetailsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ChildDetailsDto)
  child!: ChildDetailsDto;

  @ApiProperty({ type: [ContactDto], maxItems: 6 })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  parents!: ContactDto[];

  @ApiProperty({ type: [ContactDto], maxItems: 6 })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  fosterFamily!: ContactDto[];
}

export class NoteBodyDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 4000,
    description: 'Free text: stored encrypted with the child’s key.',
  })
  @IsString()
  @Length(1, 4000)
  text!: string;
}

export class TaskNoteDto {
  @ApiProperty({ format: 'uuid' }) noteId!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty() authorId!: string;
  @ApiPropertyOptional({ description: 'Display name of the author, when known.' }) authorName?: string;
  @ApiProperty() authorRole!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() text!: string;
}

export class PurgedDto {
  @ApiProperty({ description: 'False when there was nothing (left) to purge.' }) purged!: boolean;
}
