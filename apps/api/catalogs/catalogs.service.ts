import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CatalogStore,
  CatalogValidationError,
  CatalogVersionTakenError,
  UnknownCatalogVersionError,
} from '../../../libs/catalogs/index.js';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { publishCatalog } from '../../../libs/domain/catalog/publish.js';
import type { Catalog } from '../../../libs/domain/catalog/types.js';
import { diffPlan } from '../../../libs/domain/package/decide.js';
import type { PackageState } from '../../../libs/domain/package/state.js';
import { planPackage } from '../../../libs/domain/planner/plan-package.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import type {
  CatalogImpactDto,
  CatalogSummaryDto,
  PublishedCatalogDto,
  StepImpactDto,
} from './catalogs.dto.js';

const IMPACT_BATCH = 500;

/** A catalog that fails validation: 400 naming every offending field under `catalog.`. */
export function catalogProblem(error: unknown, prefix = 'catalog'): never {
  if (error instanceof CatalogValidationError)
    throw new ProblemException(
      400,
      'Katalogen er ugyldig.',
      error.issues.map((i) => ({ field: i.path ? `${prefix}.${i.path}` : prefix, reason: i.message })),
    );
  throw error;
}

/** Catalog versions: list, read, publish (validated, immutable) and a dry run of a version's impact. */
@Injectable()
export class CatalogsService {
  readonly store: CatalogStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: ServiceCalendars,
  ) {
    this.store = new CatalogStore(dataSource);
  }

  list(): Promise<CatalogSummaryDto[]> {
    return this.store.list();
  }

  /** Whether a catalog of this version exists (built in or published). */
  async exists(version: string): Promise<boolean> {
    try {
      await this.store.get(version);
      return true;
    } catch (error) {
      if (error instanceof UnknownCatalogVersionError) return false;
      throw error;
    }
  }

  async get(version: string): Promise<Catalog> {
    try {
      return await this.store.get(version);
    } catch (error) {
      if (error instanceof UnknownCatalogVersionError)
        throw new ProblemException(404, `Katalogversjon ${version} finnes ikke.`);
      throw error;
    }
  }

  async publish(principal: Scoped, body: Record<string, unknown>): Promise<PublishedCatalogDto> {
    try {
      const { catalog, created } = await this.store.publish(body, {
        userId: principal.userId,
        role: 'admin',
      });
      return { version: catalog.version, created };
    } catch (error) {
      if (error instanceof CatalogVersionTakenError)
        throw new ProblemException(
          409,
          `Katalogversjon ${error.version} finnes allerede. Publiser en ny versjon.`,
          [{ field: 'catalog.version', reason: 'versjonen finnes allerede' }],
        );
      return catalogProblem(error);
    }
  }

  /**
   * What publishing `body` and moving the open placements onto it would change: every active or paused
   * placement re-planned with the new version, compared with its open tasks (closed tasks never move).
   * Counts only: no placement, child or person is named.
   */
  async impact(body: Record<string, unknown>): Promise<CatalogImpactDto> {
    let catalog: Catalog;
    try {
      catalog = publishCatalog(body as unknown as Catalog);
    } catch (error) {
      return catalogProblem(error);
    }
    const perStep = new Map<string, StepImpactDto>();
    const titleOf = new Map(catalog.steps.map((s) => [s.id, s.title]));
    const bump = (taskId: string, title: string, field: 'moved' | 'added' | 'cancelled') => {
      const stepId = taskId.split('#')[0] ?? taskId;
      const entry = perStep.get(stepId) ?? {
        stepId,
        title: titleOf.get(stepId) ?? title,
        moved: 0,
        added: 0,
        cancelled: 0,
      };
      entry[field]++;
      perStep.set(stepId, entry);
    };
    let placements = 0;
    let affected = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.dataSource.query<{ placement_id: string; state: PackageState }[]>(
        `SELECT placement_id, state->'package' AS state FROM projection_placement_state
          WHERE placement_id > $1 AND state->'package'->>'status' IN ('active', 'paused')
          ORDER BY placement_id LIMIT $2`,
        [after, IMPACT_BATCH],
      );
      for (const { state } of rows) {
        placements++;
        const proposed = planPackage(
          catalog,
          { facts: state.facts, reductions: state.reductions },
          await this.calendars.forService(state.organisation.serviceId),
        );
        const change = diffPlan(state, proposed);
        for (const m of change.moved) bump(m.taskId, m.title, 'moved');
        for (const a of change.added) bump(a.taskId, a.title, 'added');
        for (const c of change.cancelled) bump(c.taskId, c.title, 'cancelled');
        if (change.moved.length + change.added.length + change.cancelled.length > 0) affected++;
      }
      const last = rows.at(-1);
      if (!last || rows.length < IMPACT_BATCH) break;
      after = last.placement_id;
    }
    const steps = [...perStep.values()].sort((a, b) => a.stepId.localeCompare(b.stepId));
    const sum = (f: 'moved' | 'added' | 'cancelled') => steps.reduce((n, s) => n + s[f], 0);
    return {
      version: catalog.version,
      placements,
      affectedPlacements: affected,
      moved: sum('moved'),
      added: sum('added'),
      cancelled: sum('cancelled'),
      steps,
    };
  }
}
