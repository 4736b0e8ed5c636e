import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalField } from '../common/fields.js';
import { Length } from '../common/text-length.js';
import { NAME_PATTERN, Name, PRINTABLE, PRINTABLE_PATTERN } from './reference.dto.js';

export const REGION_CODE = '^[a-z][a-z0-9-]{1,39}$';
const MUNICIPALITY_NUMBER = '^[0-9]{4}$';
const BASES = ['SOURCE', 'ASSUMPTION'] as const;

/** Where a fact comes from: documentation in the data file, checked for shape and not stored. */
class Provenance {
  @ApiPropertyOptional({
    enum: BASES,
    description: 'SOURCE: the fact has a named source; ASSUMPTION: it has none yet (explained in `note`).',
  })
  @OptionalField()
  @IsIn(BASES)
  basis?: (typeof BASES)[number];

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 500,
    pattern: PRINTABLE_PATTERN,
    description: 'The source (a publication, a register, a URL).',
  })
  @OptionalField()
  @IsString({ message: 'må være tekst' })
  @Length(1, 500, { message: 'må ha mellom 1 og 500 tegn' })
  @Matches(PRINTABLE, { message: 'kan ikke inneholde kontrolltegn' })
  source?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 1000, pattern: PRINTABLE_PATTERN })
  @OptionalField()
  @IsString({ message: 'må være tekst' })
  @Length(1, 1000, { message: 'må ha mellom 1 og 1000 tegn' })
  @Matches(PRINTABLE, { message: 'kan ikke inneholde kontrolltegn' })
  note?: string;
}

export class RegionMunicipalityDto extends Provenance {
  @ApiProperty({
    pattern: MUNICIPALITY_NUMBER,
    description: 'Kommunenummer (SSB), 4 digits.',
    example: '5601',
  })
  @IsString({ message: 'må være tekst' })
  @Matches(new RegExp(MUNICIPALITY_NUMBER), { message: 'må være et kommunenummer med fire siffer' })
  number!: string;

  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Alta' })
  @Name()
  name!: string;
}

export class RegionNetworkDto extends Provenance {
  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Vest-Finnmark' })
  @Name()
  name!: string;
}

export class RegionServiceDto extends Provenance {
  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Alta barneverntjeneste' })
  @Name()
  name!: string;

  @ApiProperty({ pattern: MUNICIPALITY_NUMBER, description: 'The host municipality: one of `members`.' })
  @IsString({ message: 'må være tekst' })
  @Matches(new RegExp(MUNICIPALITY_NUMBER), { message: 'må være et kommunenummer med fire siffer' })
  host!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: MUNICIPALITY_NUMBER },
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Kommunenummer of every municipality the service acts for, the host included.',
  })
  @IsArray({ message: 'må være en liste' })
  @ArrayMinSize(1, { message: 'må ha minst én kommune' })
  @ArrayMaxSize(100, { message: 'kan ha høyst 100 kommuner' })
  @ArrayUnique({ message: 'kan ikke ha samme kommune to ganger' })
  @Matches(new RegExp(MUNICIPALITY_NUMBER), { each: true, message: 'må være kommunenumre med fire siffer' })
  members!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The learning network's name (one of the file's `networks`), or null for none.",
  })
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'må være tekst eller null' })
  network!: string | null;
}

/** A region's whole reference data, as in data/regions/<code>.json (README: "Regions"). */
export class RegionFileDto {
  @ApiProperty({ pattern: REGION_CODE, example: 'finnmark', description: 'Must equal the path’s code.' })
  @IsString({ message: 'må være tekst' })
  @Matches(new RegExp(REGION_CODE), { message: 'må være små bokstaver, siffer og bindestrek (2–40 tegn)' })
  code!: string;

  @ApiProperty({ minLength: 1, maxLength: 120, pattern: NAME_PATTERN, example: 'Finnmark' })
  @Name()
  name!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: 40,
    example: '2026.1',
    description:
      "The catalog version the region's services register with when a registration names none; must be " +
      'published (GET /api/catalogs). null: every registration names its version.',
  })
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'må være tekst eller null' })
  @Length(1, 40, { message: 'må ha mellom 1 og 40 tegn' })
  catalogVersion!: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The Bufetat region office that serves the region: the organisation id its issuer is mapped to ' +
      '(AUTH_ISSUERS). Its `bufetat` staff see the tasks of the placements where a service of the region ' +
      'asked Bufetat for help; no other Bufetat office does. null: none; absent: left as it is.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'må være en UUID eller null' })
  bufetatOffice?: string | null;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2000,
    pattern: PRINTABLE_PATTERN,
    description: 'Documentation of the file (sources); not stored.',
  })
  @OptionalField()
  @IsString({ message: 'må være tekst' })
  @Length(1, 2000, { message: 'må ha mellom 1 og 2000 tegn' })
  @Matches(PRINTABLE, { message: 'kan ikke inneholde kontrolltegn' })
  about?: string;

  @ApiProperty({ type: [RegionMunicipalityDto], minItems: 1, maxItems: 500 })
  @IsArray({ message: 'må være en liste' })
  @ArrayMinSize(1, { message: 'må ha minst én kommune' })
  @ArrayMaxSize(500, { message: 'kan ha høyst 500 kommuner' })
  @ValidateNested({ each: true })
  @Type(() => RegionMunicipalityDto)
  municipalities!: RegionMunicipalityDto[];

  @ApiProperty({ type: [RegionNetworkDto], maxItems: 100 })
  @IsArray({ message: 'må være en liste' })
  @ArrayMaxSize(100, { message: 'kan ha høyst 100 nettverk' })
  @ValidateNested({ each: true })
  @Type(() => RegionNetworkDto)
  networks!: RegionNetworkDto[];

  @ApiProperty({ type: [RegionServiceDto], maxItems: 500 })
  @IsArray({ message: 'må være en liste' })
  @ArrayMaxSize(500, { message: 'kan ha høyst 500 tjenester' })
  @ValidateNested({ each: true })
  @Type(() => RegionServiceDto)
  services!: RegionServiceDto[];
}

export class RegionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'finnmark' }) code!: string;
  @ApiProperty({ example: 'Finnmark' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026.1' }) catalogVersion!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Bufetat region office serving it.',
  })
  bufetatOffice!: string | null;
  @ApiProperty() municipalities!: number;
  @ApiProperty() services!: number;
  @ApiProperty() networks!: number;
}

export class RegionChangeDto {
  @ApiProperty({
    enum: [
      'region.created',
      'region.updated',
      'municipality.created',
      'municipality.updated',
      'network.created',
      'network.updated',
      'service.created',
      'service.updated',
    ],
  })
  action!: string;
  @ApiProperty({ format: 'uuid' }) entityId!: string;
  @ApiProperty() name!: string;
}

export class RegionLoadDto {
  @ApiProperty({ type: RegionDto }) region!: RegionDto;
  @ApiProperty({ description: 'false: the stored data equalled the file already, nothing was written.' })
  changed!: boolean;
  @ApiProperty({ type: [RegionChangeDto], description: 'What was created or changed (each one audited).' })
  changes!: RegionChangeDto[];
}
