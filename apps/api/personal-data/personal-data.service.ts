import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ConfigError, type AppConfig } from '../../../libs/config/index.js';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../../libs/domain/calendar/oslo-time.js';
import { supervisionEndsMonthOf } from '../../../libs/domain/package/decide.js';
import {
  DEVELOPMENT_KEY,
  PersonalDataShreddedError,
  PersonalDataStore,
  type PersonalDetails,
  type TaskNote,
} from '../../../libs/personal-data/index.js';
import { namesOf } from '../../../libs/notifications/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { idempotentId, keyReused } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess } from '../auth/resource-access.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import { actor, CommandSender } from '../commands/command-sender.js';
import type { PersonalDetailsDto } from './personal-data.dto.js';

/** The personal-data store under the configured key (the public development key outside production). */
export function personalDataStore(dataSource: DataSource, config: AppConfig): PersonalDataStore {
  if (!config.PERSONAL_DATA_KEY && config.NODE_ENV === 'production')
    throw new ConfigError([{ variable: 'PERSONAL_DATA_KEY', reason: 'required in production' }]);
  const key = config.PERSONAL_DATA_KEY ? Buffer.from(config.PERSONAL_DATA_KEY, 'base64') : DEVELOPMENT_KEY;
  return new PersonalDataStore(dataSource, key);
}

export const purged = () =>
  new ProblemException(410, 'Personopplysningene er slettet etter utløpt oppbevaringstid.');

/**
 * Identifying details and task notes. Every read and write is authorised on the placement or task
 * (by role and owning service) and logged in access_log; a write and its log row commit together.
 */
@Injectable()
export class PersonalDataService {
  private readonly store: PersonalDataStore;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resources: ResourceAccess,
    private readonly caseNumbers: CaseNumbers,
    private readonly sender: CommandSender,
  ) {
    this.store = personalDataStore(dataSource, config);
  }

  private static readonly shredded = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      throw error instanceof PersonalDataShreddedError ? purged() : error;
    });

  async get(request: AuthenticatedRequest): Promise<PersonalDetails> {
    const row = await this.resources.placementOf(request);
    const details = await PersonalDataService.shredded(this.store.details(row.child_ref));
    if (!details)
      throw new ProblemException(404, 'Det er ikke registrert personopplysninger for plasseringen.');
    return details;
  }

  /**
   * Writes the details; the access check (`placement:write`) is logged in the write's transaction. With a
   * birth month, the placement's workflow then gets the month supervision ends (`setSupervisionEnd`: the
   * same month again changes nothing, so a repeated PUT is harmless); the birth month never leaves the store.
   * An ended placement has no supervision left to stop: it gets the details only.
   */
  async put(p: Scoped, request: AuthenticatedRequest, body: PersonalDetailsDto): Promise<void> {
    const child = body.child;
    if (child.birthDate && child.birthYearMonth && child.birthDate.slice(0, 7) !== child.birthYearMonth)
      throw new ProblemException(400, 'Ugyldig forespørsel.', [
        { field: 'child.birthYearMonth', reason: 'må være samme måned som fødselsdatoen' },
      ]);
    const row = await PersonalDataService.shredded(
      this.dataSource.transaction(async (m) => {
        const row = await this.resources.placementOf(request, m);
        await this.store.putDetails(
          m,
          row.child_ref,
          row.service_id,
          toDetails(body),
          author(p, 'kontaktperson'),
        );
        return row;
      }),
    );
    if (!child.birthYearMonth || row.status === 'ended' || row.status === 'completed') return;
    const month = supervisionEndsMonthOf(child.birthYearMonth);
    const commandId = randomUUID();
    await this.sender.send(row.placement_id, commandId, () =>
      this.sender.engine.send(row.placement_id, 'setSupervisionEnd', {
        commandId,
        actor: actor(p, 'kontaktperson'),
        month,
      }),
    );
  }

  /**
   * Crypto-shreds the child's details and notes once the retention period after the placement ended
   * has passed (PERSONAL_DATA_RETENTION_DAYS); before that, 409.
   */
  async purge(p: Scoped, request: AuthenticatedRequest): Promise<{ purged: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.resources.placementOf(request, m);
      const endedOn = row.ended_on;
      const purgeableFrom = endedOn ? addDays(endedOn, this.config.PERSONAL_DATA_RETENTION_DAYS) : undefined;
      if (!purgeableFrom || osloWallClock(new Date().toISOString()).date < purgeableFrom)
        throw new ProblemException(
          409,
          purgeableFrom
            ? `Personopplysningene kan slettes fra ${purgeableFrom}.`
            : 'Personopplysningene kan slettes først når plasseringen er avsluttet og oppbevaringstiden er ute.',
        );
      const purged = await this.store.shred(m, row.child_ref, author(p, 'leder'));
      await this.caseNumbers.purge(m, row.child_ref);
      return { purged };
    });
  }

  /**
   * The foster family's names and contact details, for those who work with the family on one of the
   * placement's tasks (the task is checked and the read logged): nothing else of the child's data.
   * An empty list when none are registered.
   */
  async fosterFamily(
    request: AuthenticatedRequest,
  ): Promise<{ fosterFamily: PersonalDetails['fosterFamily'] }> {
    const task = await this.resources.taskOf(request);
    const details = await PersonalDataService.shredded(this.store.details(task.child_ref));
    return { fosterFamily: details?.fosterFamily ?? [] };
  }

  async notes(request: AuthenticatedRequest): Promise<(TaskNote & { authorName?: string })[]> {
    const task = await this.resources.taskOf(request);
    const notes = await PersonalDataService.shredded(
      this.store.notes(task.child_ref, task.placement_id, task.task_id),
    );
    const names = await namesOf(
      this.dataSource,
      notes.map((n) => n.authorId),
    );
    return notes.map((n) => (names.has(n.authorId) ? { ...n, authorName: names.get(n.authorId) } : n));
  }

  /**
   * Adds a note, once per Idempotency-Key: a repeat answers the note the first request stored (the same
   * answer); the same key with another text is refused (422) and stores nothing.
   */
  async addNote(
    p: Scoped,
    request: AuthenticatedRequest,
    text: string,
    idempotencyKey: string | undefined,
  ): Promise<TaskNote> {
    const { placementId, taskId } = request.params as { placementId: string; taskId: string };
    const noteId = idempotentId(p, idempotencyKey, `${request.routeKey}|${placementId}|${taskId}`);
    const { repeat, ...note } = await PersonalDataService.shredded(
      this.dataSource.transaction(async (m) => {
        const task = await this.resources.taskOf(request, m);
        return this.store.addNote(
          m,
          { noteId, childRef: task.child_ref, serviceId: task.service_id, placementId, taskId, text },
          author(p, task.role),
        );
      }),
    );
    if (repeat && note.text !== text) throw keyReused('et annet notat');
    return note;
  }
}

function author(p: Scoped, preferred: string) {
  return { userId: p.userId, role: p.roles.find((r) => r === preferred) ?? p.roles[0] ?? 'ukjent' };
}

/** Only the validated fields, in a fixed shape (class instances and undefined left out). */
function toDetails(body: PersonalDetailsDto): PersonalDetails {
  const contact = (c: PersonalDetailsDto['parents'][number]) => ({
    name: c.name,
    ...(c.relation ? { relation: c.relation } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.email ? { email: c.email } : {}),
    ...(c.address ? { address: c.address } : {}),
  });
  return {
    child: {
      name: body.child.name,
      ...(body.child.birthDate ? { birthDate: body.child.birthDate } : {}),
      ...(body.child.birthYearMonth ? { birthYearMonth: body.child.birthYearMonth } : {}),
      ...(body.child.nationalId ? { nationalId: body.child.nationalId } : {}),
    },
    parents: body.parents.map(contact),
    fosterFamily: body.fosterFamily.map(contact),
  };
}
