import { useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api.js';
import { textOf } from '../../lib/form.js';
import { formatDate, placementName, ROLE_LABEL, WAIVE_REASON_LABEL } from '../../lib/labels.js';
import { formatLogInstant } from '../../lib/log-sentences.js';
import { hasRole, type Session } from '../../lib/session.js';
import type { Task, WaiverActor, WaiverDetail, WaiverRecord as Record_ } from '../../lib/types.js';
import { afterCommand, useLoad } from '../../lib/use-load.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { Loading, Problem } from '../Problem.js';

/*
 * Waivers of steps that need a leader's co-signature (LAW, or counting toward a statutory minimum): the
 * caseworker asks with a coded reason and a written justification (WaiverRequestForm), a leader other
 * than the requester reads both and co-signs in a confirm dialog, or declines with a reason (WaiverDecision),
 * and the step shows who asked, who signed, when and why (WaiverRecord). The written texts are case text
 * about the child: fetched only when asked for, and every read is logged by the API.
 */

const JUSTIFICATION_MIN = 10;
const JUSTIFICATION_MAX = 2000;

const taskPath = (t: Pick<Task, 'placementId' | 'taskId'>) =>
  `/api/tasks/${encodeURIComponent(t.placementId)}/${encodeURIComponent(t.taskId)}`;

/** "Kari Nordmann (kontaktperson)", by user id when the name is not known. */
const person = (a: WaiverActor) => `${a.name ?? a.userId} (${ROLE_LABEL[a.role]?.toLowerCase() ?? a.role})`;
const reasonLabel = (code: string) => WAIVE_REASON_LABEL[code] ?? code;

/** The form a caseworker (or leader) asks with: no reason chosen in advance, a justification required. */
export function WaiverRequestForm({
  task,
  session,
  onDone,
}: {
  task: Task;
  session: Session;
  onDone: (message: string) => void;
}) {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const id = `waiver-${task.placementId}-${task.taskId}`.replace(/[^\w-]/g, '_');

  if (!hasRole(session, 'kontaktperson', 'leder'))
    return (
      <p class="ds-alert" data-color="info">
        Steget er lovpålagt. Kontaktpersonen ber om frafall med begrunnelse, og en leder medsignerer.
      </p>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const reason = textOf(data, 'reason');
    const justification = textOf(data, 'justification').trim();
    const errors: Record<string, string> = {};
    if (!reason) errors.reason = 'Velg en begrunnelse.';
    if (justification.length < JUSTIFICATION_MIN)
      errors.justification = `Skriv hvorfor steget bør frafalles (minst ${JUSTIFICATION_MIN} tegn).`;
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      document.getElementById(`${id}-${Object.keys(errors)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api(`${taskPath(task)}/waiver-request`, {
        method: 'POST',
        idempotencyKey: key,
        body: { reason, justification },
      });
      setKey(crypto.randomUUID());
      onDone(`Du har bedt om frafall av «${task.title}». En leder må medsignere.`);
    } catch (e) {
      // The API names the fields it refuses: show them at the fields, as the page's own checks do.
      if (e instanceof ApiError) setFieldErrors(Object.fromEntries(e.errors.map((f) => [f.field, f.reason])));
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => fieldErrors[field];
  return (
    <form id={id} class="panel waiver-form" onSubmit={(e) => void submit(e)} noValidate>
      <p class="ds-paragraph" data-size="sm">
        Steget er lovpålagt: du ber om frafall, og en leder leser begrunnelsen og medsignerer. Steget gjelder,
        og eskaleres som vanlig, til det er medsignert.
      </p>
      <div class="ds-field">
        <label class="ds-label" for={`${id}-reason`}>
          Begrunnelse (kode)
        </label>
        {err('reason') && (
          <p class="ds-validation-message" data-color="danger" id={`${id}-reason-error`}>
            {err('reason')}
          </p>
        )}
        <select
          class="ds-input"
          id={`${id}-reason`}
          name="reason"
          required
          aria-invalid={err('reason') ? true : undefined}
          aria-describedby={err('reason') ? `${id}-reason-error` : undefined}
        >
          <option value="">Velg begrunnelse</option>
          {Object.entries(WAIVE_REASON_LABEL).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="ds-field">
        <label class="ds-label" for={`${id}-justification`}>
          Skriftlig begrunnelse til leder
        </label>
        <p class="ds-paragraph" data-size="sm" id={`${id}-justification-hint`}>
          {JUSTIFICATION_MIN}–{JUSTIFICATION_MAX} tegn. Lagres kryptert; bare saksbehandlere og ledere i
          tjenesten kan lese den, og hver lesing logges.
        </p>
        {err('justification') && (
          <p class="ds-validation-message" data-color="danger" id={`${id}-justification-error`}>
            {err('justification')}
          </p>
        )}
        <textarea
          class="ds-input"
          id={`${id}-justification`}
          name="justification"
          rows={4}
          maxLength={JUSTIFICATION_MAX}
          required
          aria-invalid={err('justification') ? true : undefined}
          aria-describedby={[
            `${id}-justification-hint`,
            err('justification') ? `${id}-justification-error` : '',
          ]
            .filter(Boolean)
            .join(' ')}
        />
      </div>
      <button type="submit" class="ds-button" data-variant="primary" disabled={busy}>
        Be om frafall<span class="ds-sr-only"> «{task.title}»</span>
      </button>
      <Problem error={error} />
    </form>
  );
}

/**
 * What became of a step's waiver: asked for (by whom, when, the coded reason), co-signed or declined
 * (by whom, when), and on demand the written justification (and a decline's reason). A leader who did
 * not ask decides on an open request here.
 */
export function WaiverRecord({
  task,
  session,
  onDone,
}: {
  task: Task;
  session: Session;
  onDone: (message: string) => void;
}) {
  const w = task.waiver;
  if (!w) return null;
  return (
    <section class="waiver-record" aria-label={`Frafall av ${task.title}`}>
      <h4 class="ds-heading" data-size="2xs">
        {w.status === 'requested'
          ? 'Frafall er bedt om – venter på medsignatur fra leder'
          : w.status === 'cosigned'
            ? 'Frafalt med medsignatur fra leder'
            : 'Anmodning om frafall ble avslått'}
      </h4>
      <dl class="waiver-facts">
        <div>
          <dt>Bedt om av</dt>
          <dd>
            {person(w.requestedBy)}, {formatLogInstant(w.requestedAt)}
          </dd>
        </div>
        <div>
          <dt>Begrunnelse</dt>
          <dd>{reasonLabel(w.reason)}</dd>
        </div>
        {w.decidedBy && w.decidedAt && (
          <div>
            <dt>{w.status === 'cosigned' ? 'Medsignert av' : 'Avslått av'}</dt>
            <dd>
              {person(w.decidedBy)}, {formatLogInstant(w.decidedAt)}
            </dd>
          </div>
        )}
      </dl>
      <WaiverDecision task={task} record={w} session={session} onDone={onDone} />
    </section>
  );
}

/** The written texts, fetched when asked for (each read logged), and a leader's decision on an open request. */
function WaiverDecision({
  task,
  record,
  session,
  onDone,
}: {
  task: Task;
  record: Record_;
  session: Session;
  onDone: (message: string) => void;
}) {
  const [detail, setDetail] = useState<WaiverDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const id = `waiver-${task.placementId}-${task.taskId}`.replace(/[^\w-]/g, '_');
  const mayDecide =
    record.status === 'requested' &&
    hasRole(session, 'leder') &&
    record.requestedBy.userId !== session.me.userId;

  const read = async () => {
    setError(null);
    try {
      const d = await api<WaiverDetail>(`${taskPath(task)}/waiver`);
      setDetail(d);
      return d;
    } catch (e) {
      setError(e);
      return null;
    }
  };

  const run = async (path: string, body: object, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await api(`${taskPath(task)}/${path}`, { method: 'POST', idempotencyKey: key, body });
      setKey(crypto.randomUUID());
      setConfirming(false);
      setDeclining(false);
      onDone(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const decline = (event: Event) => {
    event.preventDefault();
    const reason = textOf(new FormData(event.currentTarget as HTMLFormElement), 'declineReason').trim();
    if (!reason) {
      setError(new Error('Skriv hvorfor anmodningen avslås.'));
      document.getElementById(`${id}-decline`)?.focus();
      return;
    }
    void run(
      'waiver-request/decline',
      { requestId: record.requestId, reason },
      `Anmodningen om frafall av «${task.title}» er avslått. Steget gjelder fortsatt.`,
    );
  };

  return (
    <div class="waiver-decision">
      {detail ? (
        <div class="waiver-texts">
          <p class="ds-paragraph">
            <strong>Skriftlig begrunnelse:</strong> {detail.justification ?? '(ikke tilgjengelig)'}
          </p>
          {detail.declineReason && (
            <p class="ds-paragraph">
              <strong>Begrunnelse for avslaget:</strong> {detail.declineReason}
            </p>
          )}
        </div>
      ) : (
        <button type="button" class="ds-button" data-variant="tertiary" onClick={() => void read()}>
          Vis skriftlig begrunnelse<span class="ds-sr-only"> for frafall av «{task.title}»</span>
        </button>
      )}
      {record.status === 'requested' && hasRole(session, 'leder') && !mayDecide && (
        <p class="ds-paragraph" data-size="sm">
          Du ba om frafallet selv: en annen leder må medsignere.
        </p>
      )}
      {mayDecide && (
        <div class="button-row">
          <button
            type="button"
            class="ds-button"
            data-variant="primary"
            disabled={busy}
            onClick={() => void read().then((d) => d && setConfirming(true))}
          >
            Medsigner frafall<span class="ds-sr-only"> av «{task.title}»</span>
          </button>
          <button
            type="button"
            class="ds-button"
            data-variant="secondary"
            aria-expanded={declining}
            aria-controls={`${id}-decline-form`}
            onClick={() => setDeclining(!declining)}
          >
            Avslå<span class="ds-sr-only"> anmodningen om frafall av «{task.title}»</span>
          </button>
        </div>
      )}
      {mayDecide && declining && (
        <form id={`${id}-decline-form`} class="panel" onSubmit={decline}>
          <div class="ds-field">
            <label class="ds-label" for={`${id}-decline`}>
              Hvorfor avslås anmodningen?
            </label>
            <textarea
              class="ds-input"
              id={`${id}-decline`}
              name="declineReason"
              rows={3}
              maxLength={JUSTIFICATION_MAX}
              required
            />
          </div>
          <button type="submit" class="ds-button" data-variant="primary" disabled={busy}>
            Avslå anmodningen<span class="ds-sr-only"> om frafall av «{task.title}»</span>
          </button>
        </form>
      )}
      {mayDecide && (
        <ConfirmDialog
          id={`${id}-confirm`}
          open={confirming}
          title={`Medsigner frafall av «${task.title}»?`}
          confirmLabel="Medsigner frafallet"
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(
              'waiver-request/cosign',
              { requestId: record.requestId },
              `«${task.title}» er frafalt med din medsignatur.`,
            )
          }
        >
          <p>
            {person(record.requestedBy)} ba om frafall {formatLogInstant(record.requestedAt)}. Steget (frist{' '}
            {formatDate(task.dueOn)}) lukkes som frafalt, og lovkravet om besøk senkes ikke: et frafalt besøk
            teller ikke som besøk.
          </p>
          <p>
            <strong>Begrunnelse:</strong> {reasonLabel(record.reason)}
          </p>
          <p>
            <strong>Skriftlig begrunnelse:</strong> {detail?.justification ?? '(ikke tilgjengelig)'}
          </p>
        </ConfirmDialog>
      )}
      <Problem error={error} />
    </div>
  );
}

/**
 * Open waiver requests of the leader's service (or of one placement), soonest due first, each with the
 * record and, for a leader who did not ask, the decision.
 */
export function WaiverRequests({
  session,
  placementId,
  onDone,
}: {
  session: Session;
  placementId?: string;
  onDone: (message: string) => void;
}) {
  const list = useLoad(
    () => api<Task[]>('/api/waiver-requests', { query: placementId ? { placementId } : {} }),
    [placementId],
  );
  const done = (message: string) => {
    onDone(message);
    afterCommand(list.reload);
  };
  if (placementId && list.data?.length === 0) return null;
  return (
    <section
      aria-labelledby={`waiver-requests-title${placementId ? '-placement' : ''}`}
      class="waiver-requests"
    >
      <h2 id={`waiver-requests-title${placementId ? '-placement' : ''}`}>Anmodninger om frafall</h2>
      <p class="ds-paragraph" data-size="sm">
        Lovpålagte steg som kontaktpersonen ber om å få frafalt. Les begrunnelsen og medsigner, eller avslå
        med begrunnelse. Du kan ikke medsignere din egen anmodning.
      </p>
      {list.loading && !list.data && <Loading what="anmodninger om frafall" />}
      <Problem error={list.error} />
      {list.data && list.data.length === 0 && <p class="ds-paragraph">Ingen åpne anmodninger om frafall.</p>}
      {list.data && list.data.length > 0 && (
        <ul class="waiver-request-list">
          {list.data.map((t) => (
            <li key={`${t.placementId}/${t.taskId}`} class="ds-card" data-task={t.taskId}>
              <h3 class="ds-heading" data-size="xs">
                {t.title}
                {!placementId && (
                  <>
                    {' – '}
                    <a href={`/plasseringer/${t.placementId}`}>
                      {placementName(t.placementId, t.caseNumber)}
                    </a>
                  </>
                )}
              </h3>
              <p class="ds-paragraph" data-size="sm">
                Frist {formatDate(t.dueOn)}
                {t.status === 'overdue' ? ' (forsinket)' : ''}
                {t.escalated ? ', eskalert til leder' : ''}
              </p>
              <WaiverRecord task={t} session={session} onDone={done} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
