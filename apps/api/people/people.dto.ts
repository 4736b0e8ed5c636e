import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  ValidateIf,
} from 'class-validator';
import { Length } from '../common/text-length.js';
import { ROLES, type Role } from '../../../libs/domain/vocabulary.js';
import { OptionalField } from '../common/fields.js';
import { Name, NAME_PATTERN } from '../reference/reference.dto.js';

/** Control and invisible format characters (as in the reference data's NAME_PATTERN). */
const INVISIBLE =
  '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
/** A login name: 1–254 characters, no spaces or invisible ones (often the e-mail address or a UPN). */
const USER_NAME_PATTERN = `^[^\\s${INVISIBLE}]{1,254}$`;
const USER_NAME = new RegExp(USER_NAME_PATTERN, 'u');
/** A plain mailbox address (the same rule in the document and in the check). */
const EMAIL_PATTERN = `^[^\\s${INVISIBLE}@<>()\\[\\]\\\\,;:"]+@[^\\s${INVISIBLE}@<>()\\[\\]\\\\,;:"]+\\.[^\\s${INVISIBLE}@<>()\\[\\]\\\\,;:".]{2,63}$`;
const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
const trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class PersonGroupDto {
  @ApiProperty({ format: 'uuid' }) groupId!: string;
  @ApiProperty() displayName!: string;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid', description: 'The person (also their SCIM id).' }) personId!: string;
  @ApiProperty({ description: 'The id tasks are given to (assigneeId).' }) userId!: string;
  @ApiProperty({ format: 'uuid', description: 'The service (organisation) they work for.' })
  serviceId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Display name (staff data; never logged).' })
  name!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Login name (SCIM userName).' })
  userName!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ description: 'False: deprovisioned or deactivated; never given a task.' }) active!: boolean;
  @ApiProperty({
    enum: ['login', 'manual', 'scim'],
    description: 'Known from their logins only, added by an administrator, or provisioned with SCIM.',
  })
  source!: 'login' | 'manual' | 'scim';
  @ApiProperty({ description: 'Whether they have logged in.' }) loggedIn!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSeen!: string | null;
  @ApiProperty({
    description:
      'Whether tasks of their roles can be given to them now (active, in the directory or seen lately).',
  })
  assignable!: boolean;
  @ApiProperty({ type: [PersonGroupDto], description: 'SCIM groups they are a member of.' })
  groups!: PersonGroupDto[];
}

export class PeopleQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the people of this service.' })
  @OptionalField()
  @IsUUID('all', { message: 'må være en UUID' })
  serviceId?: string;
}

class PersonFieldsDto {
  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Kari Nordmann' })
  @Name()
  name!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 254,
    pattern: USER_NAME_PATTERN,
    example: 'kari.nordmann@nordby.kommune.no',
    description: 'Their login name at the service’s identity provider (often the e-mail address).',
  })
  @trimmed()
  @IsString({ message: 'må være tekst' })
  @Matches(USER_NAME, { message: 'må være 1–254 tegn uten mellomrom' })
  userName!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    minLength: 5,
    maxLength: 254,
    pattern: EMAIL_PATTERN,
    description: 'Where notifications go; null: none (required: send null explicitly).',
  })
  @ValidateIf((_, value) => value !== null)
  @trimmed()
  @IsString({ message: 'må være tekst eller null' })
  @Length(5, 254, { message: 'må være en e-postadresse' })
  @Matches(EMAIL, { message: 'må være en e-postadresse' })
  email!: string | null;

  @ApiProperty({ enum: ROLES, isArray: true, maxItems: ROLES.length, uniqueItems: true })
  @IsArray({ message: 'må være en liste' })
  @ArrayMaxSize(ROLES.length, { message: 'har for mange roller' })
  @ArrayUnique({ message: 'kan ikke ha samme rolle to ganger' })
  @IsIn(ROLES, { each: true, message: 'må være kjente roller' })
  roles!: Role[];
}

export class NewPersonDto extends PersonFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'The service they work for.' })
  @IsUUID('all', { message: 'må være en UUID' })
  serviceId!: string;
}

export class PersonBodyDto extends PersonFieldsDto {
  @ApiProperty({ description: 'False: can no longer be given tasks or notified.' })
  @IsBoolean({ message: 'må være true eller false' })
  active!: boolean;
}
