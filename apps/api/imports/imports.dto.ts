import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommandFieldErrorDto } from '../commands/commands.dto.js';

export const ROW_STATUSES = ['applied', 'repeated', 'rejected', 'pending', 'not-tried'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** What became of one row of an imported file. */
export class ImportRowDto {
  @ApiProperty({ type: 'integer', description: 'The line in the file where the row starts (header: 1).' })
  line!: number;
  @ApiProperty({ description: 'The row’s radnøkkel (empty when it had none).' }) key!: string;
  @ApiProperty({
    enum: ROW_STATUSES,
    description:
      'applied: registered by this upload; repeated: registered by an earlier upload of the row (nothing ' +
      'happened again); rejected: refused (`errors`), nothing changed; pending: sent, outcome not known ' +
      'yet (upload the file again to see it); not-tried: the engine could not be reached, the row was not ' +
      'sent (upload the file again).',
  })
  status!: RowStatus;
  @ApiPropertyOptional({ format: 'uuid' }) placementId?: string;
  @ApiPropertyOptional({
    type: [CommandFieldErrorDto],
    description: 'Why the row was refused: `field` is the column (or `rad`), `reason` in bokmål.',
  })
  errors?: CommandFieldErrorDto[];
  @ApiPropertyOptional({ description: 'The refusal as one sentence (the registration’s problem detail).' })
  detail?: string;
}

export class ImportCountsDto {
  @ApiProperty({ type: 'integer' }) rows!: number;
  @ApiProperty({ type: 'integer' }) applied!: number;
  @ApiProperty({ type: 'integer' }) repeated!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
  @ApiProperty({ type: 'integer' }) pending!: number;
  @ApiProperty({ type: 'integer' }) notTried!: number;
}

export class ImportReportDto {
  @ApiProperty({ type: ImportCountsDto }) counts!: ImportCountsDto;
  @ApiProperty({ type: [ImportRowDto] }) rows!: ImportRowDto[];
  @ApiProperty({
    description:
      'The rows not registered (rejected, pending, not-tried) as CSV to fix and upload again (the file’s ' +
      'columns, then resultat, plassering, feil; semicolons, UTF-8 with BOM); the header alone when none.',
  })
  rejectedCsv!: string;
}
