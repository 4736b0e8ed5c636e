import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ProblemException } from '../common/problem.js';
import { ImportReportDto } from './imports.dto.js';
import { MAX_FILE_BYTES, MAX_ROWS } from './placement-csv.js';
import { PlacementImportService } from './placement-import.service.js';

@ApiTags('placements')
@ApiBearerAuth()
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: PlacementImportService) {}

  @Post('placements')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register existing placements of my service from a CSV file (one registration a row).',
    description:
      `UTF-8 CSV (a byte-order mark is fine), \`;\` or \`,\` between fields, a header of the columns in ` +
      `the README («Import of existing placements»), at most ${MAX_ROWS} rows and ${MAX_FILE_BYTES / 1024 / 1024} MB. ` +
      'Each row is a registration as POST /api/placements makes it, with its own command id from the ' +
      'service and the row’s radnøkkel: the same file again registers nothing twice (`repeated`), and a ' +
      'file cut short by a crash finishes when it is uploaded again. A refused row changes nothing and ' +
      'is in the report with its columns and reasons. 413/415/422: the file as a whole (too many rows, ' +
      'not CSV, unknown or missing columns). Accept: text/csv answers the report as CSV.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'radnøkkel;kommunenummer;saksnummer;…' } })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ImportReportDto })
  async placements(
    @CurrentPrincipal() principal: Scoped,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReportDto | string> {
    const body: unknown = req.body;
    if (typeof body !== 'string' || !req.is('text/csv'))
      throw new ProblemException(415, 'Send filen som text/csv (UTF-8).');
    const { report, csv } = await this.imports.import(principal, body, requestId(req));
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', 'attachment; filename="importrapport-plasseringer.csv"');
      return csv;
    }
    return report;
  }
}
