import { Injectable, Logger } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { Scoped } from '../../../libs/security/index.js';
import { CatalogsService } from '../catalogs/catalogs.service.js';
import { CommandPending } from '../commands/command-pending.js';
import { RegisterPlacementDto } from '../commands/commands.dto.js';
import { PlacementCommandsService } from '../commands/placement-commands.service.js';
import { ProblemException, type FieldError } from '../common/problem.js';
import { validationPipe } from '../common/validation.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { ImportReportDto, ImportRowDto, RowStatus } from './imports.dto.js';
import {
  parsePlacementCsv,
  reportCsv,
  rowErrors,
  toRegistration,
  type CsvRow,
  type ParsedFile,
  type ReportLine,
} from './placement-csv.js';

/** Namespace of the command ids of imported rows (fixed, arbitrary). */
const IMPORT_NAMESPACE = '3f8e2a61-9c4b-4d7e-8a15-6b0c2d9e7f41';
/** The route, as the access log names it. */
export const IMPORT_ROUTE = 'POST /api/imports/placements';
/** Rows registered at the same time: small, so that a crash leaves few in flight. */
const CONCURRENCY = 4;
const MAX_KEY_LENGTH = 100;

const OUTCOME_TEXT: Readonly<Record<RowStatus, string>> = {
  applied: 'registrert',
  repeated: 'allerede registrert',
  rejected: 'avvist',
  pending: 'venter',
  'not-tried': 'ikke sendt',
};

/**
 * The bulk import of a service's existing placements: each row of the file becomes one registration,
 * through PlacementCommandsService.registerCommand, the same path as POST /api/placements (the same
 * validation pipe, the municipality and catalog checks, the case number's reservation and access log
 * row, the engine). A row's command id comes from the caller's service and the row's radnøkkel, so the
 * same row uploaded again (by anyone in the service) finds the placement it made: `repeated`.
 */
@Injectable()
export class PlacementImportService {
  private readonly logger = new Logger('PlacementImport');

  constructor(
    private readonly commands: PlacementCommandsService,
    private readonly reference: ReferenceService,
    private readonly catalogs: CatalogsService,
  ) {}

  /** The command id of a row: the service's and the row key's, whoever uploads it. */
  static commandId(serviceId: string, rowKey: string): string {
    return uuidv5(`import|${serviceId}|${rowKey}`, IMPORT_NAMESPACE);
  }

  async import(
    principal: Scoped,
    text: string,
    requestId?: string,
  ): Promise<{ report: ImportReportDto; csv: string }> {
    const file = parsePlacementCsv(text);
    const municipalities = new Map((await this.reference.municipalities()).map((m) => [m.number, m.id]));
    const newest = (await this.catalogs.list()).at(-1)?.version ?? '';
    const results: ImportRowDto[] = new Array<ImportRowDto>(file.rows.length);
    const firstLineOfKey = new Map<string, number>();
    const firstLineOfCase = new Map<string, number>();
    let unavailable = false;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < file.rows.length; i = next++) {
        const row = file.rows[i];
        const key = (row.cells['radnøkkel'] ?? '').trim();
        const seen = firstLineOfKey.get(key);
        if (key !== '' && seen === undefined) firstLineOfKey.set(key, row.line);
        const caseNumber = (row.cells.saksnummer ?? '').trim();
        const caseSeen = firstLineOfCase.get(caseNumber);
        if (caseNumber !== '' && caseSeen === undefined) firstLineOfCase.set(caseNumber, row.line);
        if (unavailable) {
          results[i] = { line: row.line, key, status: 'not-tried' };
          continue;
        }
        // Decided in file order, not by which of the concurrent registrations comes first.
        const duplicate: FieldError[] = [
          ...(seen !== undefined && key !== ''
            ? [{ field: 'radnøkkel', reason: `er brukt på linje ${seen} i filen` }]
            : []),
          ...(caseSeen !== undefined && caseNumber !== ''
            ? [{ field: 'saksnummer', reason: `er brukt på linje ${caseSeen} i filen` }]
            : []),
        ];
        results[i] = await this.row(principal, row, key, duplicate, municipalities, newest, requestId);
        if (results[i].status === 'not-tried') unavailable = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, file.rows.length) }, worker));
    const counts = {
      rows: results.length,
      applied: results.filter((r) => r.status === 'applied').length,
      repeated: results.filter((r) => r.status === 'repeated').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      pending: results.filter((r) => r.status === 'pending').length,
      notTried: results.filter((r) => r.status === 'not-tried').length,
    };
    // Counts only: a row's cells are the child's case data and never go into a log.
    this.logger.log({ requestId, ...counts }, 'placement import');
    const lines = reportLines(file, results);
    const notRegistered = lines.filter((_, i) => !['applied', 'repeated'].includes(results[i].status));
    return {
      report: { counts, rows: results, rejectedCsv: reportCsv(file.header, notRegistered) },
      csv: reportCsv(file.header, lines),
    };
  }

  private async row(
    principal: Scoped,
    row: CsvRow,
    key: string,
    duplicate: FieldError[],
    municipalities: ReadonlyMap<string, string>,
    defaultCatalog: string,
    requestId?: string,
  ): Promise<ImportRowDto> {
    const rejected = (errors: readonly FieldError[], detail?: string): ImportRowDto => ({
      line: row.line,
      key,
      status: 'rejected',
      errors: [...errors],
      ...(detail ? { detail } : {}),
    });
    if (row.cellCountError) return rejected([row.cellCountError], 'Raden har feil antall celler.');
    const mapping = toRegistration(row.cells, municipalities, defaultCatalog);
    const own: FieldError[] = [
      ...(key === ''
        ? [{ field: 'radnøkkel', reason: 'mangler' }]
        : key.length > MAX_KEY_LENGTH
          ? [{ field: 'radnøkkel', reason: `kan ha høyst ${MAX_KEY_LENGTH} tegn` }]
          : []),
      ...duplicate,
      ...mapping.errors,
    ];
    // The registration route's own validation of its body (ValidationPipe, RegisterPlacementDto).
    let body: RegisterPlacementDto | undefined;
    let invalid: readonly FieldError[] = [];
    try {
      body = (await validationPipe.transform(mapping.body, {
        type: 'body',
        metatype: RegisterPlacementDto,
      })) as RegisterPlacementDto;
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      invalid = error.errors ?? [];
    }
    if (own.length > 0 || !body)
      return rejected(rowErrors(own, invalid, mapping.visitSources), 'Ett eller flere felt er ugyldige.');
    try {
      const result = await this.commands.registerCommand(principal, body, {
        commandId: PlacementImportService.commandId(principal.organisation, key),
        action: IMPORT_ROUTE,
        requestId,
      });
      return {
        line: row.line,
        key,
        status: result.repeated ? 'repeated' : 'applied',
        placementId: result.placementId,
      };
    } catch (error) {
      if (error instanceof CommandPending)
        return { line: row.line, key, status: 'pending', placementId: error.subject.id };
      if (!(error instanceof ProblemException)) throw error;
      if (error.getStatus() >= 500)
        return { line: row.line, key, status: 'not-tried', detail: error.message };
      const errors = error.errors?.length
        ? rowErrors([], error.errors, mapping.visitSources)
        : [{ field: 'rad', reason: error.message }];
      return rejected(errors, error.message);
    }
  }
}

function reportLines(file: ParsedFile, results: readonly ImportRowDto[]): ReportLine[] {
  return file.rows.map((row, i) => {
    const r = results[i];
    return {
      raw: row.raw,
      outcome: OUTCOME_TEXT[r.status],
      ...(r.placementId ? { placementId: r.placementId } : {}),
      errors: r.errors ?? (r.detail ? [{ field: 'rad', reason: r.detail }] : []),
    };
  });
}
