import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import type { TaskTextKind } from '../../../libs/personal-data/index.js';
import { PersonalDataShreddedError, type PersonalDataStore } from '../../../libs/personal-data/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { PeopleNames } from '../auth/people-names.service.js';
import { requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess } from '../auth/resource-access.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import { keyReused } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';
import { personalDataStore, purged } from '../personal-data/personal-data.service.js';
import { INBOX_COLUMNS, type PlacementInboxRow } from '../tasks/inbox-query.js';
import { toDto, waiverDto } from '../tasks/tasks.service.js';
import type { TaskDto } from '../tasks/tasks.dto.js';
import { actor, CommandSender } from './command-sender.js';
import type { CommandResultDto } from './commands.dto.js';
import type {
  WaiverCosignDto,
  WaiverDeclineDto,
  WaiverDetailDto,
  WaiverRequestDto,
  WaiverRequestsQueryDto,
} from './waivers.dto.js';

const shredded = <T>(promise: Promise<T>): Promise<T> =>
  promise.catch((error: unknown) => {
    throw error instanceof PersonalDataShreddedError ? purged() : error;
  });

/**
 * Waivers of steps that need a leader's co-signature (LAW, or counting toward a statutory minimum): the
 * service's caseworker or leader asks (coded reason + justification), another leader of the service
 * co-signs or declines. The free text (justification, a decline's reason) is case text about the child:
 * stored like a task note, encrypted with the child's key, under the command's id, which the event
 * names; it never reaches the workflow. Each command goes through CommandSender like every other one.
 */
@Injectable()
export class WaiversService {
  private readonly store: PersonalDataStore;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sender: CommandSender,
    private readonly resources: ResourceAccess,
    private readonly accessLog: AccessLogService,
    private readonly names: PeopleNames,
    private readonly caseNumbers: CaseNumbers,
  ) {
    this.store = personalDataStore(dataSource, config);
  }

  async request(p: Scoped, body: WaiverRequestDto, key: string, req: AuthenticatedRequest) {
    const task = await this.storeText(p, req, key, body.justification, 'waiver-justification');
    return this.sendDroppingText(CommandSender.commandId(p, req, key), () =>
      this.sender.command(p, req, key, 'requestWaiver', (commandId) => ({
        commandId,
        actor: actor(p, p.roles.includes('leder') ? 'leder' : 'kontaktperson'),
        taskId: task.task_id,
        reason: body.reason,
        requestId: commandId,
      })),
    );
  }

  async cosign(p: Scoped, body: WaiverCosignDto, key: string, req: AuthenticatedRequest) {
    const task = await this.resources.taskOf(req);
    return this.sender.command(p, req, key, 'cosignWaiver', (commandId) => ({
      commandId,
      actor: actor(p, 'leder'),
      taskId: task.task_id,
      requestId: body.requestId,
    }));
  }

  async decline(p: Scoped, body: WaiverDeclineDto, key: string, req: AuthenticatedRequest) {
    const task = await this.storeText(p, req, key, body.reason, 'waiver-decline');
    return this.sendDroppingText(CommandSender.commandId(p, req, key), () =>
      this.sender.command(p, req, key, 'declineWaiver', (commandId) => ({
        commandId,
        actor: actor(p, 'leder'),
        taskId: task.task_id,
        requestId: body.requestId,
        declineRef: commandId,
      })),
    );
  }

  /** The task's last waiver request with its texts (the read is logged with the task's access check). */
  async detail(req: AuthenticatedRequest): Promise<WaiverDetailDto> {
    const task = await this.resources.taskOf(req);
    if (!task.waiver) throw new ProblemException(404, 'Det er ikke bedt om frafall av steget.');
    const texts = await shredded(this.store.waiverTexts(task.child_ref, task.placement_id, task.task_id));
    const w = task.waiver;
    const justification = texts.get(w.requestId)?.text;
    const declineReason = w.declineRef ? texts.get(w.declineRef)?.text : undefined;
    return {
      ...waiverDto(w, await this.names.current()),
      ...(justification !== undefined ? { justification } : {}),
      ...(declineReason !== undefined ? { declineReason } : {}),
    };
  }

  /**
   * The open requests of the caller's service (optionally one placement's), soonest due first: one
   * listing row in the access log names every child shown.
   */
  async open(p: Scoped, query: WaiverRequestsQueryDto, req: AuthenticatedRequest): Promise<TaskDto[]> {
    const params: unknown[] = [p.organisation];
    const onePlacement = query.placementId ? `AND t.placement_id = $${params.push(query.placementId)}` : '';
    const rows = await this.dataSource.query<PlacementInboxRow[]>(
      `SELECT ${INBOX_COLUMNS} FROM inbox_tasks t
        WHERE t.service_id = $1::uuid AND t.waiver->>'status' = 'requested'
          AND t.status IN ('planned', 'open', 'due-soon', 'overdue') ${onePlacement}
        ORDER BY t.due_on, t.placement_id, t.task_id LIMIT 500`,
      params,
    );
    await this.accessLog.recordListing(p, 'GET /api/waiver-requests', rows, requestId(req));
    const names = await this.names.current();
    const caseNumbers = await this.caseNumbers.forPlacements(
      rows.map((r) => r.placement_id),
      p,
    );
    return rows.map((r) => toDto(r, names, caseNumbers));
  }

  /**
   * Stores a waiver text under the command's id, with the task's access check logged in the same
   * transaction. A repeat (same key) finds the text stored first; the same key with another text: 422.
   */
  private async storeText(
    p: Scoped,
    req: AuthenticatedRequest,
    key: string,
    text: string,
    kind: TaskTextKind,
  ) {
    const noteId = CommandSender.commandId(p, req, key);
    const { task, note } = await shredded(
      this.dataSource.transaction(async (m) => {
        const task = await this.resources.taskOf(req, m);
        const note = await this.store.addNote(
          m,
          {
            noteId,
            childRef: task.child_ref,
            serviceId: task.service_id,
            placementId: task.placement_id,
            taskId: task.task_id,
            text: text.trim(),
            kind,
          },
          { userId: p.userId, role: p.roles.includes('leder') ? 'leder' : (p.roles[0] ?? 'ukjent') },
        );
        return { task, note };
      }),
    );
    if (note.repeat && note.text !== text.trim()) throw keyReused('en annen tekst');
    return task;
  }

  /** A command the package refused (4xx) leaves no text behind that no event names. */
  private async sendDroppingText(
    textId: string,
    send: () => Promise<CommandResultDto>,
  ): Promise<CommandResultDto> {
    try {
      return await send();
    } catch (error) {
      const status = error instanceof ProblemException ? error.getStatus() : 0;
      if (status >= 400 && status < 500) await this.store.dropWaiverText(textId);
      throw error;
    }
  }
}
