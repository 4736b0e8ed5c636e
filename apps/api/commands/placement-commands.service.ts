import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import {
  changedFacts,
  dateShift,
  diffPlan,
  explainChange,
  resolveCompletedBefore,
  validateChange,
  validateFollowUp,
} from '../../../libs/domain/package/decide.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import { planPackage } from '../../../libs/domain/planner/plan-package.js';
import { legalBasisOf } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import type { PlacementRow } from '../auth/resource-access.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import { CatalogsService } from '../catalogs/catalogs.service.js';
import { ProblemException } from '../common/problem.js';
import { ReferenceService } from '../reference/reference.service.js';
import { RegionsService } from '../reference/regions.service.js';
import { toProblem } from './command-errors.js';
import { actor, CommandSender, planChangeDto } from './command-sender.js';
import type {
  AdHocTaskDto,
  ChangePlacementDto,
  ChangePreviewDto,
  ChangeResultDto,
  EndDto,
  PauseDto,
  PreviewChangeDto,
  ReductionDto,
  RegisteredDto,
  RegisterPlacementDto,
  ResumeDto,
} from './commands.dto.js';

/** Namespace for ids derived from an Idempotency-Key (fixed, arbitrary). */
const IDEMPOTENCY_NAMESPACE = '6b2d0c8e-4f1a-4e7b-9c3d-2a1b0c9d8e7f';

/**
 * Commands on a placement as a whole: registration, pause, resume, end, a change of date or type (and
 * its preview), a reduction, an ad-hoc task. Routes on an existing placement get it from AuthGuard,
 * checked for their route's action (libs/security/policy.ts).
 */
@Injectable()
export class PlacementCommandsService {
  constructor(
    private readonly sender: CommandSender,
    private readonly catalogs: CatalogsService,
    private readonly calendars: ServiceCalendars,
    private readonly reference: ReferenceService,
    private readonly regions: RegionsService,
    private readonly caseNumbers: CaseNumbers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(
    principal: Scoped,
    body: RegisterPlacementDto,
    key: string,
    req: AuthenticatedRequest,
  ): Promise<RegisteredDto> {
    return this.registerCommand(principal, body, {
      commandId: CommandSender.commandId(principal, req, key),
      action: 'POST /api/placements',
      requestId: requestId(req),
    });
  }

  /**
   * A registration whose command id the caller derived (the route: from its Idempotency-Key; the bulk
   * import: from the service and the row's key), with the body already validated as RegisterPlacementDto.
   * `action` names the route in the access log row of the case number's write.
   */
  async registerCommand(
    principal: Scoped,
    body: RegisterPlacementDto,
    command: { readonly commandId: string; readonly action: string; readonly requestId?: string | undefined },
  ): Promise<RegisteredDto> {
    const { commandId } = command;
    const { placementType, legalBasis } = body.facts;
    const dictated = legalBasisOf(placementType);
    if (dictated !== null && legalBasis !== dictated) {
      throw new ProblemException(400, 'Rettsgrunnlaget må stemme med plasseringstypen.', [
        { field: 'facts.legalBasis', reason: `må være ${dictated} for plasseringstypen ${placementType}` },
      ]);
    }
    if (!(await this.reference.serves(principal.organisation, body.municipalityId)))
      throw new ProblemException(400, 'Kommunen hører ikke til tjenesten din.', [
        { field: 'municipalityId', reason: 'er ikke en kommune tjenesten din handler for' },
      ]);
    // None named: the version the service's region chose (reference data, PUT /api/reference/regions).
    const catalogVersion =
      body.catalogVersion ??
      (principal.region ? await this.regions.catalogVersionOf(principal.region) : null);
    if (catalogVersion === null)
      throw new ProblemException(400, 'Katalogversjonen mangler.', [
        { field: 'catalogVersion', reason: 'mangler: regionen din har ikke valgt en katalogversjon' },
      ]);
    // Checked here, before any workflow starts: the workflow would fail on it (and stay Failed).
    if (!(await this.catalogs.exists(catalogVersion)))
      throw new ProblemException(400, 'Katalogversjonen finnes ikke.', [
        { field: 'catalogVersion', reason: 'ingen katalog har denne versjonen (se GET /api/catalogs)' },
      ]);
    // Work done before registration must name tasks of the plan the workflow will make: planned here as
    // the workflow's planner will (same catalog, the service's calendar) and refused before any start.
    const completedBefore = body.completedBefore?.map(({ stepId, taskId, completedOn }) => ({
      ...(stepId !== undefined ? { stepId } : {}),
      ...(taskId !== undefined ? { taskId } : {}),
      completedOn,
    }));
    if (completedBefore?.length) {
      const catalog = await this.catalogs.get(catalogVersion);
      const calendar = await this.calendars.forService(principal.organisation);
      const facts = { ...body.facts };
      try {
        resolveCompletedBefore(
          completedBefore,
          planPackage(catalog, { facts, reductions: [] }, calendar),
          facts,
          new Date().toISOString(),
        );
      } catch (error) {
        throw toProblem(error);
      }
    }
    // Ordinary follow-up (a child already in a foster home): refused here, naming the field, before any start.
    const followUp = {
      ...(body.followUp === 'ordinary' ? { followUp: body.followUp } : {}),
      ...(body.doneThisYear !== undefined
        ? { doneThisYear: body.doneThisYear.map(({ kind, on }) => ({ kind, on })) }
        : {}),
      ...(body.supervisionEndsMonth !== undefined ? { supervisionEndsMonth: body.supervisionEndsMonth } : {}),
    };
    try {
      validateFollowUp({ ...followUp, facts: body.facts }, new Date().toISOString());
    } catch (error) {
      throw toProblem(error);
    }
    if (followUp.followUp === 'ordinary' && completedBefore?.length)
      throw new ProblemException(
        400,
        'Gjort før registrering gjelder omsorgspakken, ikke ordinær oppfølging.',
        [{ field: 'completedBefore', reason: "brukes ikke med followUp 'ordinary' (bruk doneThisYear)" }],
      );
    // Same key, same placement: a retried registration finds the workflow it started.
    const placementId = uuidv5(`placement|${commandId}`, IDEMPOTENCY_NAMESPACE);
    const childRef = uuidv5(`child|${commandId}`, IDEMPOTENCY_NAMESPACE);
    // The case number is reserved in PostgreSQL before the workflow starts (409 when the service uses it
    // already); it never goes to the engine. A registration that certainly did not happen gives it back.
    const owner = { placementId, serviceId: principal.organisation, childRef };
    // The key is claimed for this body first: the same key with another registration is 422, before
    // its case number is reserved or anything is sent.
    const registration = { body, what: 'en annen registrering' };
    const result = await this.sender.claimed(commandId, registration, async () => {
      if (body.caseNumber !== undefined)
        await this.caseNumbers.reserve(owner, body.caseNumber, principal, command.action, command.requestId);
      try {
        return await this.sender.send(placementId, commandId, () =>
          this.sender.engine.register({
            commandId,
            actor: actor(principal, 'kontaktperson'),
            placementId,
            childRef,
            organisation: { serviceId: principal.organisation, municipalityId: body.municipalityId },
            facts: { ...body.facts },
            catalogVersion,
            ...(completedBefore?.length ? { completedBefore } : {}),
            ...followUp,
            graceWorkingDays: this.config.REGISTRATION_GRACE_WORKING_DAYS,
          }),
        );
      } catch (error) {
        // Refused by the engine, or not sent (503): nothing was registered. Pending (202): keep it.
        if (body.caseNumber !== undefined && error instanceof ProblemException)
          await this.caseNumbers.release(placementId);
        throw error;
      }
    });
    return {
      commandId,
      placementId,
      childRef,
      version: result.version,
      applied: result.applied,
      repeated: result.repeated ?? false,
    };
  }

  pause(p: Scoped, body: PauseDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'pause', (commandId) => ({
      commandId,
      actor: actor(p, 'kontaktperson'),
      reason: body.reason,
      from: body.from,
    }));
  }

  resume(p: Scoped, body: ResumeDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'resume', (commandId) => ({
      commandId,
      actor: actor(p, 'kontaktperson'),
      on: body.on,
    }));
  }

  end(p: Scoped, body: EndDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'endPlacement', (commandId) => ({
      commandId,
      actor: actor(p, 'kontaktperson'),
      reason: body.reason,
      endedOn: body.endedOn,
    }));
  }

  /**
   * What a change of placement date or type would do, computed as the workflow will compute it (the
   * same pure planner and diff over the package's current state), without changing anything. The
   * answer's `expectedVersion` makes the apply refuse (409) if the package moves on in between.
   */
  async previewChange(p: Scoped, placement: PlacementRow, body: PreviewChangeDto): Promise<ChangePreviewDto> {
    requireSomethingToChange(body);
    const placementId = placement.placement_id;
    const state = await this.sender.run(() => this.sender.engine.plan(placementId));
    if (!state) throw new ProblemException(404, 'Plasseringen finnes ikke.');
    const cmd = { commandId: 'preview', actor: actor(p, 'kontaktperson'), ...changeOf(body) };
    try {
      validateChange(state, cmd);
    } catch (error) {
      throw toProblem(error);
    }
    const catalog = await this.catalogs.get(state.catalogVersion);
    const facts = changedFacts(state.facts, cmd);
    const calendar = await this.calendars.forService(state.organisation.serviceId);
    const proposed = planPackage(catalog, { facts, reductions: state.reductions }, calendar);
    const change = diffPlan(state, proposed, { dateShiftDays: dateShift(state.facts, facts) });
    return {
      expectedVersion: state.version,
      legalBasis: facts.legalBasis,
      change: planChangeDto(change),
      steps: explainChange(state, proposed, change, facts, osloDateOf(Date.now())),
    };
  }

  /** Apply a change of placement date or type decided on `expectedVersion` (409 if it moved on). */
  change(
    p: Scoped,
    body: ChangePlacementDto,
    key: string,
    req: AuthenticatedRequest,
  ): Promise<ChangeResultDto> {
    requireSomethingToChange(body);
    return this.sender.command(p, req, key, 'changePlacement', (commandId) => ({
      commandId,
      actor: actor(p, 'kontaktperson'),
      expectedVersion: body.expectedVersion,
      ...changeOf(body),
    }));
  }

  annul(p: Scoped, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'annulPlacement', (commandId) => ({
      commandId,
      actor: actor(p, 'leder'),
    }));
  }

  recordReduction(p: Scoped, body: ReductionDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'recordReduction', (commandId) => ({
      commandId,
      actor: actor(p, 'leder'),
      decision: {
        kind: body.kind,
        minimumPerYear: body.minimumPerYear,
        effectiveFrom: body.effectiveFrom,
        ...(body.childView !== undefined ? { childView: body.childView } : {}),
        ...(body.childConsent !== undefined ? { childConsent: body.childConsent } : {}),
      },
    }));
  }

  addAdHoc(p: Scoped, body: AdHocTaskDto, key: string, req: AuthenticatedRequest) {
    return this.sender.command(p, req, key, 'addAdHocTask', (commandId) => ({
      commandId,
      actor: actor(p, 'kontaktperson'),
      stepId: body.stepId,
      dueOn: body.dueOn,
      ...(body.role ? { role: body.role } : {}),
    }));
  }
}

/** The change a request asks for: only the fields it gives. */
function changeOf(body: PreviewChangeDto) {
  return {
    ...(body.placementDate ? { placementDate: body.placementDate } : {}),
    ...(body.placementType ? { placementType: body.placementType } : {}),
    ...(body.legalBasis ? { legalBasis: body.legalBasis } : {}),
  };
}

function requireSomethingToChange(body: PreviewChangeDto): void {
  if (body.placementDate === undefined && body.placementType === undefined)
    throw new ProblemException(400, 'Ingenting å endre.', [
      { field: 'placementDate', reason: 'placementDate eller placementType må være med' },
    ]);
}
