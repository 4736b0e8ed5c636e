import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ROUTE_POLICIES,
  type Action,
  type PlacementResource,
  type Scoped,
  type TaskResource,
} from '../../../libs/security/index.js';
import { TASK_COLUMNS, TASK_FROM, type AnyTaskRow, type TaskRow } from '../tasks/inbox-query.js';
import { AccessService } from './access.service.js';
import { requestId, type AuthenticatedRequest } from './principal.decorator.js';

/** A placement as access decisions and the placement routes see it (the `placements` read model). */
export interface PlacementRow {
  placement_id: string;
  child_ref: string;
  service_id: string;
  municipality_id: string;
  placement_type: string;
  placement_date: string;
  catalog_version: string;
  status: string;
  paused_from: string | null;
  version: number;
  ended_on: string | null;
  end_reason: string | null;
  bufetat_help: boolean;
  legal_basis: string | null;
}

export const taskResource = (r: AnyTaskRow): TaskResource => ({
  kind: 'task',
  serviceId: r.service_id,
  // An assignment's task names no child (the reference only labels access-log lines).
  childRef: r.child_ref ?? '',
  bufetatHelp: r.bufetat_help,
  role: r.role,
  assigneeId: r.assignee_id,
  ...(r.case_kind === 'kompetansebase' && r.network_id ? { baseNetwork: r.network_id } : {}),
});

/**
 * The resources routes act on (a placement, a task), loaded and checked with the access function
 * (libs/security/access.ts) for the action the route's policy declares (libs/security/policy.ts), and
 * logged (AccessService): `placementOf(request)`, `taskOf(request)`, in the handler's transaction when it
 * writes (a write and its access log row commit together).
 */
@Injectable()
export class ResourceAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  /** Loads the placement and checks `action` on it (404 when missing or hidden, 403 when forbidden). */
  async placement(
    principal: Scoped,
    placementId: string,
    action: Action,
    route: string,
    requestId?: string,
    manager?: EntityManager,
  ): Promise<PlacementRow> {
    const [row] = await (manager ?? this.dataSource).query<PlacementRow[]>(
      `SELECT p.placement_id, p.child_ref, p.service_id, p.municipality_id, p.placement_type,
              p.placement_date::text AS placement_date, p.catalog_version, p.status,
              p.paused_from::text AS paused_from, p.version, p.ended_on::text AS ended_on, p.end_reason,
              COALESCE((ps.state->'package'->'facts'->>'bufetatHelp')::boolean, false) AS bufetat_help,
              ps.state->'package'->'facts'->>'legalBasis' AS legal_basis
         FROM placements p LEFT JOIN projection_placement_state ps USING (placement_id)
        WHERE p.placement_id = $1`,
      [placementId],
    );
    const resource: PlacementResource | undefined = row && {
      kind: 'placement',
      serviceId: row.service_id,
      childRef: row.child_ref,
      bufetatHelp: row.bufetat_help,
    };
    await this.access.authorize(principal, action, resource, { route, placementId, requestId }, manager);
    return row;
  }

  /** Loads a task and checks `action` on it (logged; 404 when missing or hidden, 403 when forbidden). */
  async task(
    principal: Scoped,
    placementId: string,
    taskId: string,
    action: Action,
    route: string,
    requestId?: string,
    manager?: EntityManager,
  ): Promise<TaskRow> {
    const [row] = await (manager ?? this.dataSource).query<(TaskRow | undefined)[]>(
      `SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE t.placement_id = $1 AND t.task_id = $2`,
      [placementId, taskId],
    );
    await this.access.authorize(
      principal,
      action,
      row && taskResource(row),
      { route, placementId, requestId },
      manager,
    );
    return row!;
  }

  /** The placement the request's route acts on, checked for the action its policy declares. */
  placementOf(request: AuthenticatedRequest, manager?: EntityManager): Promise<PlacementRow> {
    const { key, principal, action } = this.policyOf(request, 'placement');
    const { placementId } = request.params as { placementId: string };
    return this.placement(principal, placementId, action, key, requestId(request), manager);
  }

  /** The task the request's route acts on, checked for the action its policy declares. */
  taskOf(request: AuthenticatedRequest, manager?: EntityManager): Promise<TaskRow> {
    const { key, principal, action } = this.policyOf(request, 'task');
    const { placementId, taskId } = request.params as { placementId: string; taskId: string };
    return this.task(principal, placementId, taskId, action, key, requestId(request), manager);
  }

  private policyOf(
    request: AuthenticatedRequest,
    resource: 'placement' | 'task',
  ): { key: string; principal: Scoped; action: Action } {
    const key = request.routeKey;
    const policy = key ? ROUTE_POLICIES[key] : undefined;
    const principal = request.principal;
    if (!key || !principal || !policy || policy.public || !policy.action || policy.resource !== resource)
      throw new Error(`route ${key ?? '(unknown)'} does not act on a ${resource} in its policy`);
    return { key, principal, action: policy.action };
  }
}
