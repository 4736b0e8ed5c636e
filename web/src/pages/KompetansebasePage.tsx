import { useState } from 'preact/hooks';
import { ErrorSummary, Field, LabelSelect } from '../components/Field.js';
import { Loading, Problem } from '../components/Problem.js';
import { StatusMessage, useStatus } from '../components/StatusMessage.js';
import { api } from '../lib/api.js';
import { todayInOslo } from '../lib/dates.js';
import { textOf, useCheckedForm } from '../lib/form.js';
import { formatDate, REQUEST_TYPE_LABEL } from '../lib/labels.js';
import { hasRole, type Session } from '../lib/session.js';
import { afterCommand, useLoad } from '../lib/use-load.js';

/*
 * Kompetansebase orders and assignments (issue 17): the ordering service's form and its orders, the
 * base's queue (accept, decline, wait; waiting time and capacity) and one assignment with its steps.
 */

const URGENCY_LABEL: Record<string, string> = { vanlig: 'Vanlig', haster: 'Haster' };
const STATUS_LABEL: Record<string, string> = {
  bestilt: 'Bestilt',
  venter: 'Venter',
  aktiv: 'Aktiv',
  avsluttet: 'Avsluttet',
  avslatt: 'Avslått',
};
const STATUS_COLOR: Record<string, string> = {
  bestilt: 'info',
  venter: 'warning',
  aktiv: 'success',
  avsluttet: 'neutral',
  avslatt: 'danger',
};
const DECLINE_LABEL: Record<string, string> = {
  kapasitet: 'Ikke kapasitet',
  'utenfor-mandat': 'Utenfor mandatet',
  'mangelfull-bestilling': 'Mangelfull bestilling',
  annet: 'Annet',
};
const WAIT_LABEL: Record<string, string> = {
  kapasitet: 'Venter på kapasitet',
  avklaring: 'Venter på avklaring',
  annet: 'Annet',
};
const TASK_STATUS_LABEL: Record<string, string> = { open: 'Åpen', completed: 'Utført', cancelled: 'Avlyst' };

interface Summary {
  assignmentId: string;
  serviceName: string;
  requestType: string;
  urgency: string;
  status: string;
  orderedOn: string;
  acceptedOn?: string;
  declineReason?: string;
  waitReason?: string;
  waitingDays: number;
}
interface Queue {
  base: { name: string; capacity: number; active: number };
  queue: Summary[];
}
interface AssignmentTask {
  taskId: string;
  stepId: string;
  title: string;
  dueOn: string;
  status: string;
  overdue: boolean;
  escalated: boolean;
  completedOn?: string;
  late?: boolean;
}
interface Detail extends Summary {
  familyRefs: string[];
  evaluationOn?: string;
  closedOn?: string;
  tasks: AssignmentTask[];
  caseNumber?: string;
  goal?: string;
  planReference?: string;
}

const newKey = () => crypto.randomUUID();

function StatusTag({ status }: { status: string }) {
  return (
    <span class="ds-tag" data-color={STATUS_COLOR[status] ?? 'neutral'}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

const reasonOf = (a: Summary) =>
  a.declineReason ? DECLINE_LABEL[a.declineReason] : a.waitReason ? WAIT_LABEL[a.waitReason] : '';

function AssignmentsTable({ caption, rows }: { caption: string; rows: Summary[] }) {
  return (
    <table class="ds-table kb-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Bestilling</th>
          <th scope="col">Tjeneste</th>
          <th scope="col">Hastegrad</th>
          <th scope="col">Bestilt</th>
          <th scope="col">Status</th>
          <th scope="col">Grunn</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.assignmentId}>
            <th scope="row">
              <a href={`/kompetansebase/oppdrag/${a.assignmentId}`}>{REQUEST_TYPE_LABEL[a.requestType]}</a>
            </th>
            <td>{a.serviceName}</td>
            <td>{URGENCY_LABEL[a.urgency]}</td>
            <td>{formatDate(a.orderedOn)}</td>
            <td>
              <StatusTag status={a.status} />
            </td>
            <td>{reasonOf(a)}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={6}>Ingen bestillinger.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

const ORDER_LABELS: Record<string, string> = {
  'kb-request-type': 'Hva bestilles',
  'kb-urgency': 'Hastegrad',
  'kb-case-number': 'Saksnummer',
  'kb-goal': 'Hva tiltaket skal oppnå',
  'kb-plan': 'Tiltaksplan',
  'kb-families': 'Familier i gruppen',
};
const ORDER_FIELDS: Record<string, string> = {
  requestType: 'kb-request-type',
  urgency: 'kb-urgency',
  caseNumber: 'kb-case-number',
  goal: 'kb-goal',
  planReference: 'kb-plan',
  families: 'kb-families',
};

/** The ordering service: the order form and the service's orders. */
export function KompetansebaseOrderPage() {
  const status = useStatus();
  const orders = useLoad(() => api<Summary[]>('/api/kompetansebase/assignments'), []);
  const [requestType, setRequestType] = useState('veiledning-fosterforeldre');
  const [key, setKey] = useState(newKey);
  const form = useCheckedForm((f) => ORDER_FIELDS[f] ?? 'kb-request-type');

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const el = e.currentTarget as HTMLFormElement;
    const data = new FormData(el);
    const found: Record<string, string> = {};
    const caseNumber = textOf(data, 'caseNumber').trim();
    const goal = textOf(data, 'goal').trim();
    const planReference = textOf(data, 'planReference').trim();
    if (!caseNumber) found['kb-case-number'] = 'Skriv saksnummeret.';
    if (!goal) found['kb-goal'] = 'Skriv hva tiltaket skal oppnå.';
    if (!planReference) found['kb-plan'] = 'Skriv hvilken tiltaksplan bestillingen hører til.';
    const families = textOf(data, 'families')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (requestType === 'gruppeveiledning-fosterforeldre' && families.length < 2)
      found['kb-families'] = 'En gruppe har minst to familier.';
    void form.submit(found, async () => {
      await api('/api/kompetansebase/orders', {
        method: 'POST',
        idempotencyKey: key,
        body: {
          requestType,
          urgency: textOf(data, 'urgency'),
          caseNumber,
          goal,
          planReference,
          ...(requestType === 'gruppeveiledning-fosterforeldre' ? { families } : {}),
        },
      });
      el.reset();
      setKey(newKey());
      status.show('Bestillingen er sendt til kompetansebasen.');
      afterCommand(orders.reload);
    });
  };

  return (
    <section aria-labelledby="kb-order-title">
      <h1 id="kb-order-title" tabIndex={-1}>
        Bestill fra kompetansebasen
      </h1>
      <StatusMessage status={status} />
      <form class="ds-card kb-form" onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} labels={ORDER_LABELS} />
        <Problem error={form.problem} />
        <LabelSelect
          id="kb-request-type"
          label={ORDER_LABELS['kb-request-type']}
          labels={REQUEST_TYPE_LABEL}
          value={requestType}
          onChange={setRequestType}
        />
        <LabelSelect
          id="kb-urgency"
          label={ORDER_LABELS['kb-urgency']}
          labels={URGENCY_LABEL}
          name="urgency"
        />
        <Field
          id="kb-case-number"
          label={ORDER_LABELS['kb-case-number']}
          error={form.errors['kb-case-number']}
        >
          {(c) => <input {...c} name="caseNumber" maxLength={40} autocomplete="off" />}
        </Field>
        <Field
          id="kb-goal"
          label={ORDER_LABELS['kb-goal']}
          hint="Lagres kryptert og vises bare for tjenesten og basen."
          error={form.errors['kb-goal']}
        >
          {(c) => <textarea {...c} class="ds-input" name="goal" rows={3} maxLength={2000} />}
        </Field>
        <Field id="kb-plan" label={ORDER_LABELS['kb-plan']} error={form.errors['kb-plan']}>
          {(c) => <input {...c} name="planReference" maxLength={200} autocomplete="off" />}
        </Field>
        {requestType === 'gruppeveiledning-fosterforeldre' && (
          <Field
            id="kb-families"
            label={ORDER_LABELS['kb-families']}
            hint="Korte koder skilt med komma, for eksempel familie-1, familie-2. Ikke navn."
            error={form.errors['kb-families']}
          >
            {(c) => <input {...c} name="families" autocomplete="off" />}
          </Field>
        )}
        <button class="ds-button" data-variant="primary" type="submit" disabled={form.busy}>
          Send bestilling
        </button>
      </form>

      <section aria-labelledby="kb-orders-title">
        <h2 id="kb-orders-title">Tjenestens bestillinger</h2>
        {orders.loading && !orders.data && <Loading what="bestillingene" />}
        <Problem error={orders.error} />
        {orders.data && (
          <AssignmentsTable caption="Bestillinger fra tjenesten, nyeste først" rows={orders.data} />
        )}
      </section>
    </section>
  );
}

function Decide({ a, onDone }: { a: Summary; onDone: (text: string) => void }) {
  const [reason, setReason] = useState('kapasitet');
  const [waitReason, setWaitReason] = useState('kapasitet');
  const [error, setError] = useState<unknown>(null);
  // A key per decision until it is answered; a new one after, so that a later decision (another reason
  // to wait) is a new command and not a reuse of the key with another body (422).
  const [keys, setKeys] = useState(() => ({ accept: newKey(), decline: newKey(), wait: newKey() }));
  const send = async (what: 'accept' | 'decline' | 'wait', text: string) => {
    setError(null);
    try {
      await api(`/api/kompetansebase/assignments/${a.assignmentId}/${what}`, {
        method: 'POST',
        idempotencyKey: keys[what],
        body: what === 'accept' ? {} : { reason: what === 'wait' ? waitReason : reason },
      });
      setKeys((k) => ({ ...k, [what]: newKey() }));
      onDone(text);
    } catch (e) {
      setError(e);
    }
  };
  const id = `kb-reason-${a.assignmentId}`;
  return (
    <div class="kb-decide">
      <Problem error={error} />
      <button
        class="ds-button"
        data-variant="primary"
        type="button"
        onClick={() => void send('accept', 'Bestillingen er tatt imot.')}
      >
        Ta imot
      </button>
      <LabelSelect
        id={`${id}-wait`}
        label="Grunn til å vente"
        labels={WAIT_LABEL}
        value={waitReason}
        onChange={setWaitReason}
      />
      <button
        class="ds-button"
        data-variant="secondary"
        type="button"
        onClick={() => void send('wait', 'Bestillingen er satt på vent.')}
      >
        Sett på vent
      </button>
      <LabelSelect
        id={id}
        label="Grunn til avslag"
        labels={DECLINE_LABEL}
        value={reason}
        onChange={setReason}
      />
      <button
        class="ds-button"
        data-variant="secondary"
        data-color="danger"
        type="button"
        onClick={() => void send('decline', 'Bestillingen er avslått.')}
      >
        Avslå
      </button>
    </div>
  );
}

/** The base's staff: its queue with waiting time and capacity; the leader decides. */
export function KompetansebaseQueuePage({ session }: { session: Session }) {
  const status = useStatus();
  const queue = useLoad(() => api<Queue>('/api/kompetansebase/queue'), []);
  const all = useLoad(() => api<Summary[]>('/api/kompetansebase/assignments'), []);
  const leader = hasRole(session, 'kompetansebase-leder');
  const done = (text: string) => {
    status.show(text);
    afterCommand(() => {
      queue.reload();
      all.reload();
    });
  };
  const q = queue.data;
  return (
    <section aria-labelledby="kb-queue-title">
      <h1 id="kb-queue-title" tabIndex={-1}>
        Kompetansebasens kø
      </h1>
      <StatusMessage status={status} />
      {queue.loading && !q && <Loading what="køen" />}
      <Problem error={queue.error} />
      {q && (
        <>
          <p class="kb-capacity">
            {q.base.name}: <strong>{q.base.active}</strong> aktive oppdrag av kapasitet{' '}
            <strong>{q.base.capacity}</strong>
            {q.base.active >= q.base.capacity ? ' (full)' : ''}.
          </p>
          <table class="ds-table kb-table">
            <caption>Bestillinger som venter på vurdering, de som haster først, så eldste først</caption>
            <thead>
              <tr>
                <th scope="col">Bestilling</th>
                <th scope="col">Tjeneste</th>
                <th scope="col">Hastegrad</th>
                <th scope="col">Ventetid</th>
                <th scope="col">Status</th>
                {leader && <th scope="col">Vurdering</th>}
              </tr>
            </thead>
            <tbody>
              {q.queue.map((a) => (
                <tr key={a.assignmentId}>
                  <th scope="row">
                    <a href={`/kompetansebase/oppdrag/${a.assignmentId}`}>
                      {REQUEST_TYPE_LABEL[a.requestType]}
                    </a>
                  </th>
                  <td>{a.serviceName}</td>
                  <td>{URGENCY_LABEL[a.urgency]}</td>
                  <td>{a.waitingDays === 1 ? '1 dag' : `${a.waitingDays} dager`}</td>
                  <td>
                    <StatusTag status={a.status} /> {reasonOf(a)}
                  </td>
                  {leader && (
                    <td>
                      <Decide a={a} onDone={done} />
                    </td>
                  )}
                </tr>
              ))}
              {q.queue.length === 0 && (
                <tr>
                  <td colSpan={leader ? 6 : 5}>Køen er tom.</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      <section aria-labelledby="kb-all-title">
        <h2 id="kb-all-title">Alle oppdrag</h2>
        <Problem error={all.error} />
        {all.data && <AssignmentsTable caption="Basens oppdrag, nyeste først" rows={all.data} />}
      </section>
    </section>
  );
}

function CompleteStep({
  a,
  task,
  onDone,
}: {
  a: Detail;
  task: AssignmentTask;
  onDone: (text: string) => void;
}) {
  const [key] = useState(newKey);
  const today = todayInOslo();
  const prefix = `kb-${task.taskId.replace('#', '-')}`;
  const form = useCheckedForm((f) => `${prefix}-${f}`);
  const group = task.stepId === 'veiledning' && a.familyRefs.length > 0;
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const completedOn = textOf(data, 'completedOn');
    const evaluationOn = textOf(data, 'evaluationOn');
    const found: Record<string, string> = {};
    if (!completedOn) found[`${prefix}-completedOn`] = 'Velg datoen steget ble gjort.';
    if (task.stepId === 'oppstartssamtale' && !evaluationOn)
      found[`${prefix}-evaluationOn`] = 'Velg evalueringsdatoen dere ble enige om.';
    void form.submit(found, async () => {
      await api(
        `/api/kompetansebase/assignments/${a.assignmentId}/tasks/${encodeURIComponent(task.taskId)}/complete`,
        {
          method: 'POST',
          idempotencyKey: key,
          body: {
            completedOn,
            ...(task.stepId === 'oppstartssamtale' ? { evaluationOn } : {}),
            ...(group
              ? {
                  attendance: Object.fromEntries(
                    a.familyRefs.map((f) => [f, data.get(`attended-${f}`) === 'on']),
                  ),
                }
              : {}),
            ...(task.stepId === 'avslutning'
              ? { familyGroupConference: data.get('familyGroupConference') === 'on' }
              : {}),
          },
        },
      );
      onDone(`${task.title}: utført.`);
    });
  };
  const labels = {
    [`${prefix}-completedOn`]: 'Utført dato',
    [`${prefix}-evaluationOn`]: 'Avtalt evalueringsdato',
    [`${prefix}-attendance`]: 'Oppmøte',
  };
  return (
    <form class="kb-complete" onSubmit={onSubmit} noValidate aria-label={`Fullfør: ${task.title}`}>
      <ErrorSummary errors={form.errors} labels={labels} />
      <Problem error={form.problem} />
      <Field id={`${prefix}-completedOn`} label="Utført dato" error={form.errors[`${prefix}-completedOn`]}>
        {(c) => <input {...c} type="date" name="completedOn" max={today} defaultValue={today} />}
      </Field>
      {task.stepId === 'oppstartssamtale' && (
        <Field
          id={`${prefix}-evaluationOn`}
          label="Avtalt evalueringsdato"
          error={form.errors[`${prefix}-evaluationOn`]}
        >
          {(c) => <input {...c} type="date" name="evaluationOn" />}
        </Field>
      )}
      {group && (
        <fieldset class="ds-fieldset" id={`${prefix}-attendance`}>
          <legend class="ds-label">Oppmøte</legend>
          {a.familyRefs.map((f) => (
            <div class="ds-field" key={f}>
              <input class="ds-input" type="checkbox" id={`${prefix}-${f}`} name={`attended-${f}`} />
              <label class="ds-label" for={`${prefix}-${f}`}>
                {f}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {task.stepId === 'avslutning' && (
        <div class="ds-field">
          <input class="ds-input" type="checkbox" id={`${prefix}-fgc`} name="familyGroupConference" />
          <label class="ds-label" for={`${prefix}-fgc`}>
            Familieråd ble holdt
          </label>
        </div>
      )}
      <button class="ds-button" data-variant="primary" type="submit" disabled={form.busy}>
        Fullfør steget
      </button>
    </form>
  );
}

/** One assignment: the order, its texts and its steps; the base's staff complete the open steps. */
export function KompetansebaseAssignmentPage({
  session,
  assignmentId,
}: {
  session: Session;
  assignmentId: string;
}) {
  const status = useStatus();
  const detail = useLoad(
    () => api<Detail>(`/api/kompetansebase/assignments/${assignmentId}`),
    [assignmentId],
  );
  const staff = hasRole(session, 'kompetansebase-veileder', 'kompetansebase-leder');
  const a = detail.data;
  const done = (text: string) => {
    status.show(text);
    afterCommand(detail.reload);
  };
  return (
    <section aria-labelledby="kb-assignment-title">
      <h1 id="kb-assignment-title" tabIndex={-1}>
        {a ? REQUEST_TYPE_LABEL[a.requestType] : 'Oppdrag'}
      </h1>
      <StatusMessage status={status} />
      {detail.loading && !a && <Loading what="oppdraget" />}
      <Problem error={detail.error} />
      {a && (
        <>
          <dl class="kb-facts">
            <dt>Status</dt>
            <dd>
              <StatusTag status={a.status} /> {reasonOf(a)}
            </dd>
            <dt>Tjeneste</dt>
            <dd>{a.serviceName}</dd>
            <dt>Saksnummer</dt>
            <dd>{a.caseNumber ?? '–'}</dd>
            <dt>Hva tiltaket skal oppnå</dt>
            <dd>{a.goal ?? '–'}</dd>
            <dt>Tiltaksplan</dt>
            <dd>{a.planReference ?? '–'}</dd>
            <dt>Bestilt</dt>
            <dd>{formatDate(a.orderedOn)}</dd>
            {a.evaluationOn && (
              <>
                <dt>Avtalt evaluering</dt>
                <dd>{formatDate(a.evaluationOn)}</dd>
              </>
            )}
          </dl>
          <table class="ds-table kb-table">
            <caption>Steg i oppdraget</caption>
            <thead>
              <tr>
                <th scope="col">Steg</th>
                <th scope="col">Frist</th>
                <th scope="col">Status</th>
                <th scope="col">Utført</th>
              </tr>
            </thead>
            <tbody>
              {a.tasks.map((t) => (
                <tr key={t.taskId}>
                  <th scope="row">
                    {t.title}
                    {staff && t.status === 'open' && t.stepId !== 'vurdering' && (
                      <CompleteStep a={a} task={t} onDone={done} />
                    )}
                  </th>
                  <td>{formatDate(t.dueOn)}</td>
                  <td>
                    {TASK_STATUS_LABEL[t.status]}
                    {t.overdue && t.status === 'open' ? ', forsinket' : ''}
                    {t.escalated && t.status === 'open' ? ', eskalert' : ''}
                  </td>
                  <td>
                    {t.completedOn ? formatDate(t.completedOn) : ''}
                    {t.late ? ' (for sent)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
