import { Injectable } from '@nestjs/common';
import type { Scoped } from '../../../libs/security/index.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ProblemException } from '../common/problem.js';
import type { TaskRow } from '../tasks/inbox-query.js';
import { TasksService } from '../tasks/tasks.service.js';
import { actor, CommandSender } from './command-sender.js';
import type { CommandResultDto, CompleteTaskDto, ReassignTaskDto, WaiveTaskDto } from './commands.dto.js';

/**
 * Commands on one task. Each gets the task AuthGuard loaded and checked for its route's action
 * (libs/security/policy.ts), and sends one command to the placement's workflow (CommandSender).
 */
@Injectable()
export class TaskCommandsService {
  constructor(
    private readonly sender: CommandSender,
    private readonly tasks: TasksService,
  ) {}

  complete(p: Scoped, task: TaskRow, body: CompleteTaskDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'completeTask', (commandId) => ({
      commandId,
      actor: actor(p, task.role),
      taskId: task.task_id,
      outcome: body.outcome,
      completedOn: body.completedOn,
    }));
  }

  waive(p: Scoped, task: TaskRow, body: WaiveTaskDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'waiveTask', (commandId) => ({
      commandId,
      actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
      taskId: task.task_id,
      reason: body.reason,
    }));
  }

  async reassign(
    p: Scoped,
    task: TaskRow,
    body: ReassignTaskDto,
    key: string,
    req: AuthenticatedRequest,
  ): Promise<CommandResultDto> {
    await this.tasks.requireRoleChange(p, task, body.role ?? task.role, req);
    // To a person: only someone who may take it (else 400, and the workflow is never asked); null: the pool.
    if (body.assigneeId !== null && body.assigneeId !== undefined)
      await this.tasks.requireCandidate(task, body.role ?? task.role, body.assigneeId);
    return this.sender.command(p, req, key, 'reassignTask', (commandId) => ({
      commandId,
      actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
      taskId: task.task_id,
      assigneeId: body.assigneeId ?? null,
      ...(body.role ? { role: body.role } : {}),
    }));
  }

  /** Take a task from one's role pool. */
  claim(p: Scoped, task: TaskRow, key: string, req: AuthenticatedRequest) {
    if (task.assignee_id !== null && task.assignee_id !== p.userId)
      throw new ProblemException(409, 'Oppgaven er allerede tatt av en annen.');
    return this.sender.command(p, req, key, 'reassignTask', (commandId) => ({
      commandId,
      actor: actor(p, task.role),
      taskId: task.task_id,
      assigneeId: p.userId,
    }));
  }

  /** Give a claimed task back to the role pool. */
  unclaim(p: Scoped, task: TaskRow, key: string, req: AuthenticatedRequest) {
    if (task.assignee_id !== p.userId) throw new ProblemException(409, 'Oppgaven er ikke tatt av deg.');
    return this.sender.command(p, req, key, 'reassignTask', (commandId) => ({
      commandId,
      actor: actor(p, task.role),
      taskId: task.task_id,
      assigneeId: null,
    }));
  }
}
