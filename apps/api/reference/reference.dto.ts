import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Length } from '../common/text-length.js';
import { IsIsoDate } from '../common/dates.js';
import { OptionalField } from '../common/fields.js';

/** No control or invisible format characters in a name. */
export const PRINTABLE = /^[^\p{Cc}\p{Cf}]*$/u;
/** The control and invisible format characters, for the OpenAPI document (no \p{…} there). */
const INVISIBLE =
  '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
/** PRINTABLE in the OpenAPI document. */
export const PRINTABLE_PATTERN = `^[^${INVISIBLE}]*$`;
/** The same, with something besides blanks once trimmed. */
export const NAME_PATTERN = `^[^${INVISIBLE}]*[^\\s${INVISIBLE}][^${INVISIBLE}]*$`;
const trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A name as an administrator types it (trimmed; 1–120 printable characters). */
export function Name(): PropertyDecorator {
  return (target, key) => {
    trimmed()(target, key);
    IsString({ message: 'må være tekst' })(target, key);
    Length(1, 120, { message: 'må ha mellom 1 og 120 tegn' })(target, key);
    Matches(PRINTABLE, { message: 'kan ikke inneholde kontrolltegn' })(target, key);
  };
}

export class MunicipalityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Official municipality number (kommunenummer), 4 digits.', example: '5001' })
  number!: string;
  @ApiProperty({ example: 'Trondheim' }) name!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The child-welfare service the municipality belongs to.',
  })
  serviceId!: string | null;
}

export class ServiceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Værnesregionen barneverntjeneste' }) name!: string;
  @ApiProperty({ format: 'uuid' }) hostMunicipalityId!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Every municipality the service acts for, the host included (by municipality number).',
  })
  memberMunicipalityIds!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) networkId!: string | null;
}

export class NetworkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Namdalen' }) name!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The services in the network.' })
  serviceIds!: string[];
}

export class NetworkBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Namdalen' })
  @Name()
  name!: string;
}

export class ServiceBodyDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 120,
    pattern: NAME_PATTERN,
    example: 'Værnesregionen barneverntjeneste',
  })
  @Name()
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'One of memberMunicipalityIds.' })
  @IsUUID('all', { message: 'må være en UUID' })
  hostMunicipalityId!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description:
      'Every municipality the service acts for, the host included. A municipality belongs to one service.',
  })
  @IsArray({ message: 'må være en liste' })
  @ArrayMinSize(1, { message: 'må ha minst én kommune' })
  @ArrayMaxSize(100, { message: 'kan ha høyst 100 kommuner' })
  @ArrayUnique({ message: 'kan ikke ha samme kommune to ganger' })
  @IsUUID('all', { each: true, message: 'må være en liste av UUID-er' })
  memberMunicipalityIds!: string[];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The learning network, or null for none (required: send null explicitly).',
  })
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'må være en UUID eller null' })
  networkId!: string | null;
}

export class ClosureDayDto {
  @ApiProperty({ format: 'date', example: '2026-12-28' })
  @IsIsoDate()
  date!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Romjul: tjenesten holder stengt' })
  @OptionalField()
  @trimmed()
  @IsString({ message: 'må være tekst' })
  @Length(1, 200, { message: 'må ha mellom 1 og 200 tegn' })
  @Matches(PRINTABLE, { message: 'kan ikke inneholde kontrolltegn' })
  reason?: string;
}

export class ClosureDaysBodyDto {
  @ApiProperty({
    type: [ClosureDayDto],
    maxItems: 400,
    description:
      "The service's closure days (all of them: the list replaces the stored one). Christmas Eve, New " +
      "Year's Eve, weekends and public holidays are closed already and need not be listed.",
  })
  @IsArray({ message: 'må være en liste' })
  @ArrayMaxSize(400, { message: 'kan ha høyst 400 dager' })
  @ValidateNested({ each: true })
  @Type(() => ClosureDayDto)
  @ArrayUnique((day: ClosureDayDto) => day?.date, { message: 'hver dato kan stå bare én gang' })
  days!: ClosureDayDto[];
}

export class ClosureDaysDto {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty({ type: [ClosureDayDto], description: 'In date order.' }) days!: ClosureDayDto[];
}
