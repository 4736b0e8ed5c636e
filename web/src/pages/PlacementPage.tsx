import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { AnnulPlacement } from '../components/placement/AnnulPlacement.js';
import { ChangePlacement } from '../components/placement/ChangePlacement.js';
import { PauseResumeEnd } from '../components/placement/PauseResumeEnd.js';
import { AccessLog, History, Ledger } from '../components/placement/PlacementRecords.js';
import { PlanView } from '../components/placement/PlanView.js';
import { WaiverRequests } from '../components/placement/WaiverRecord.js';
import { CaseNumber } from '../components/CaseNumber.js';
import { PersonalData } from '../components/PersonalData.js';
import { Loading, Problem } from '../components/Problem.js';
import { StatusMessage, useStatus } from '../components/StatusMessage.js';
import { allPages, api, ApiError } from '../lib/api.js';
import {
  ANNULLED,
  formatDate,
  LEGAL_BASIS_LABEL,
  PLACEMENT_STATUS_LABEL,
  PLACEMENT_TYPE_LABEL,
  placementName,
} from '../lib/labels.js';
import { ordinaryYearOf, phaseLabel } from '../lib/phase.js';
import { hasRole, type Session } from '../lib/session.js';
import type { Placement, Task, TimelineEntry } from '../lib/types.js';
import { afterCommand, useLoad } from '../lib/use-load.js';

/** One placement: its package on three tracks plus administrative steps, and what can be done with it. */
export function PlacementPage({ session, placementId }: { session: Session; placementId: string }) {
  const base = `/api/placements/${encodeURIComponent(placementId)}`;
  const justRegistered = new URLSearchParams(location.search).has('ny');
  // Right after a registration the read model may not have the placement yet: ask again for a while.
  // Otherwise a placement the API does not know (or hides from this user) says so at once.
  const placement = useLoad(() => api<Placement>(base), [base], { retryNotFound: justRegistered ? 15 : 0 });
  const p = placement.data;
  const tasks = useLoad(
    () => (p ? allPages<Task>('/api/tasks', { placementId, limit: 200 }, 5) : Promise.resolve(undefined)),
    [placementId, Boolean(p)],
  );
  // `?ny=ordinaer`: a child already in a foster home, registered straight into ordinary follow-up.
  const startedIn =
    new URLSearchParams(location.search).get('ny') === 'ordinaer' ? 'ordinær oppfølging' : 'omsorgspakken';
  // The phase (package or ordinary follow-up), for the summary and the plan's heading.
  const timeline = useLoad(
    () => (p ? api<TimelineEntry[]>(`${base}/timeline`) : Promise.resolve(undefined)),
    [base, p?.version],
  );
  const ordinaryYear = timeline.data ? ordinaryYearOf(timeline.data) : undefined;
  const status = useStatus(justRegistered ? `Plasseringen er registrert, og ${startedIn} er startet.` : '');
  const done = (text: string) => {
    status.show(text);
    afterCommand(() => {
      placement.reload();
      tasks.reload();
    });
  };

  // A placement that is not there (unknown, hidden from this user, or not an id at all) or that could
  // not be fetched: the heading says so, and focus goes to it, since it replaces "Henter …".
  const missing = !p && placement.error instanceof ApiError && [400, 404].includes(placement.error.status);
  const failed = !p && !missing && Boolean(placement.error);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (missing || failed) heading.current?.focus();
  }, [missing, failed]);

  return (
    <section aria-labelledby="placement-title" class="placement-page">
      <h1 id="placement-title" tabIndex={-1} ref={heading}>
        {missing
          ? 'Fant ikke plasseringen'
          : failed
            ? 'Kunne ikke hente plasseringen'
            : placementName(placementId, p?.caseNumber)}
      </h1>
      <StatusMessage status={status} />
      {placement.loading && !p && <Loading what={justRegistered ? 'den nye plasseringen' : 'plasseringen'} />}
      {missing && <NotFound />}
      {failed && (
        <>
          <Problem error={placement.error} />
          <p>Plasseringen kunne ikke hentes nå. Prøv igjen, eller kom tilbake senere.</p>
          <div class="button-row">
            <button class="ds-button" data-variant="primary" type="button" onClick={placement.reload}>
              Prøv igjen
            </button>
            <a class="ds-button" data-variant="secondary" href="/plasseringer">
              Til plasseringene
            </a>
          </div>
        </>
      )}
      {p && (
        <>
          <Summary placement={p} phase={<Phase year={ordinaryYear} />} />
          <CaseNumber base={base} caseNumber={p.caseNumber} onDone={done} />
          <PersonalData
            base={base}
            canPurge={hasRole(session, 'leder') && p.status === 'ended'}
            onDone={done}
          />
          <WaiverRequests session={session} placementId={placementId} onDone={done} />
          <PlanView
            placement={p}
            tasks={tasks}
            session={session}
            onDone={done}
            ordinaryYear={ordinaryYear ?? null}
          />
          {(p.status === 'active' || p.status === 'paused') && (
            <>
              {/* Date and type belong to the package: the API refuses the change in ordinary follow-up. */}
              {ordinaryYear === null && <ChangePlacement base={base} placement={p} onDone={done} />}
              <PauseResumeEnd base={base} placement={p} onDone={done} />
              {hasRole(session, 'leder') && <AnnulPlacement base={base} placement={p} onDone={done} />}
            </>
          )}
          <Ledger base={base} />
          {hasRole(session, 'leder') && <AccessLog base={base} />}
          <History base={base} tasks={tasks.data} me={session.me} />
        </>
      )}
    </section>
  );
}

function NotFound() {
  return (
    <>
      <p>
        Plasseringen finnes ikke, eller du har ikke tilgang til den. Sjekk at lenken er riktig, eller finn
        plasseringen i listen.
      </p>
      <ul class="link-list">
        <li>
          <a href="/plasseringer">Til plasseringene</a>
        </li>
        <li>
          <a href="/oppgaver">Til Mine oppgaver</a>
        </li>
      </ul>
    </>
  );
}

function Summary({ placement: p, phase }: { placement: Placement; phase: ComponentChildren }) {
  return (
    <dl class="facts summary">
      {phase}
      <div>
        <dt>Status</dt>
        <dd>
          {p.endReason === ANNULLED ? 'Annullert' : (PLACEMENT_STATUS_LABEL[p.status] ?? p.status)}
          {p.pausedFrom ? ` fra ${formatDate(p.pausedFrom)}` : ''}
          {p.endedOn ? ` ${formatDate(p.endedOn)}` : ''}
        </dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>{PLACEMENT_TYPE_LABEL[p.placementType]}</dd>
      </div>
      {p.legalBasis && (
        <div>
          <dt>Rettslig grunnlag</dt>
          <dd>{LEGAL_BASIS_LABEL[p.legalBasis]}</dd>
        </div>
      )}
      <div>
        <dt>Innflytting</dt>
        <dd>{formatDate(p.placementDate)}</dd>
      </div>
      <div>
        <dt>Katalog</dt>
        <dd>{p.catalogVersion}</dd>
      </div>
      <div>
        <dt>Versjon</dt>
        <dd>{p.version}</dd>
      </div>
    </dl>
  );
}

/** The placement's phase (undefined: not known yet). */
function Phase({ year }: { year: number | null | undefined }) {
  if (year === undefined) return null;
  return (
    <div>
      <dt>Fase</dt>
      <dd>{phaseLabel(year)}</dd>
    </div>
  );
}
