import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { idnr } from '@navikt/fnrvalidator';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { IsIsoDate, NotInFuture } from '../common/dates.js';

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
  @ApiProperty({ maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  @NotInFuture()
  birthDate?: string;
  @ApiPropertyOptional({ description: 'Fødselsnummer or D-nummer.', example: '(11 digits)' })
  @IsOptional()
  @Validate(NationalIdConstraint)
  nationalId?: string;
}

export class ContactDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ maxLength: 60, example: 'mor' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  relation?: string;
  @ApiPropertyOptional({ example: '+47 900 00 000' })
  @IsOptional()
  @Matches(/^\+?[0-9 ]{8,20}$/, { message: 'må være et telefonnummer (8–20 siffer, gjerne med +landskode)' })
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
}

/** The identifying details of a placement: stored encrypted with the child's own key. */
export class PersonalDetailsDto {
  @ApiProperty({ type: ChildDetailsDto })
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
