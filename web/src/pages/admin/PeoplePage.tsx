import { useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/Field.js';
import { Loading, Problem } from '../../components/Problem.js';
import { StatusMessage, useStatus } from '../../components/StatusMessage.js';
import { SOURCE_LABEL, type Person, type Service } from '../../lib/admin.js';
import { api } from '../../lib/api.js';
import { textOf, useCheckedForm } from '../../lib/form.js';
import { ROLE_LABEL } from '../../lib/labels.js';
import { useLoad } from '../../lib/use-load.js';

const FIELD_LABELS: Record<string, string> = {
  'person-name': 'Navn',
  'person-userName': 'Brukernavn',
  'person-email': 'E-post',
  'person-serviceId': 'Tjeneste',
  'person-roles': 'Roller',
};

const byName = (a: Person, b: Person) =>
  (a.name ?? a.userName ?? a.userId).localeCompare(b.name ?? b.userName ?? b.userId, 'nb');

/**
 * People and roles (administrators): everyone the system knows, whether they have logged in and can be
 * given tasks; add a person by hand (they can be given tasks at once, and their first login is theirs);
 * deactivate or activate someone added by hand. People provisioned by the identity provider (SCIM) are
 * changed there.
 */
export function PeoplePage() {
  const people = useLoad(() => api<Person[]>('/api/people'), []);
  const services = useLoad(() => api<Service[]>('/api/reference/services'), []);
  const status = useStatus();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const serviceName = (id: string) => services.data?.find((s) => s.id === id)?.name ?? 'Annen organisasjon';

  const setActive = async (person: Person, active: boolean) => {
    setBusy(person.personId);
    setProblem(null);
    try {
      await api(`/api/people/${person.personId}`, {
        method: 'PUT',
        body: {
          name: person.name ?? person.userName ?? person.userId,
          userName: person.userName ?? person.email ?? person.userId,
          email: person.email,
          roles: person.roles,
          active,
        },
      });
      people.reload();
      status.show(`${person.name ?? person.userId} er ${active ? 'aktivert' : 'deaktivert'}.`);
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="admin-page">
      <h1 tabIndex={-1}>Personer og roller</h1>
      <p>
        Alle som kan få oppgaver: lagt inn her, levert av kommunens identitetsleverandør (SCIM), eller kjent
        fra innlogging. En person som er lagt inn kan få oppgaver før første innlogging; første innlogging
        kobles til personen (e-post eller brukernavn i samme tjeneste).
      </p>
      <StatusMessage status={status} />
      <Problem error={problem} />
      <AddPerson
        services={services.data ?? []}
        onAdded={(p) => {
          people.reload();
          status.show(`${p.name ?? p.userName} er lagt til. Personen kan få oppgaver før første innlogging.`);
        }}
      />
      <h2>Alle personer</h2>
      {people.loading && !people.data && <Loading what="personene" />}
      <Problem error={people.error} />
      {people.data && (
        <div class="table-scroll">
          <table class="ds-table" data-border>
            <caption>Personer, etter navn</caption>
            <thead>
              <tr>
                <th scope="col">Navn og brukernavn</th>
                <th scope="col">Tjeneste</th>
                <th scope="col">Roller</th>
                <th scope="col">Status</th>
                <th scope="col">Kan få oppgaver</th>
                <th scope="col">Handling</th>
              </tr>
            </thead>
            <tbody>
              {[...people.data].sort(byName).map((p) => (
                <tr key={p.personId}>
                  <th scope="row">
                    {p.name ?? <span class="muted">(uten navn)</span>}
                    <span class="person-login">{p.userName ?? p.email ?? p.userId}</span>
                  </th>
                  <td>{serviceName(p.serviceId)}</td>
                  <td>
                    {p.roles.map((r) => ROLE_LABEL[r as keyof typeof ROLE_LABEL] ?? r).join(', ') || '–'}
                  </td>
                  <td>
                    <PersonStatus person={p} />
                    <span class="person-source">{SOURCE_LABEL[p.source]}</span>
                  </td>
                  <td>{p.assignable ? 'Ja' : 'Nei'}</td>
                  <td>
                    {p.source === 'manual' && (
                      <button
                        type="button"
                        class="ds-button"
                        data-variant="secondary"
                        data-size="sm"
                        disabled={busy === p.personId}
                        onClick={() => void setActive(p, !p.active)}
                      >
                        {p.active ? 'Deaktiver' : 'Aktiver'}
                        <span class="ds-sr-only"> {p.name ?? p.userName}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PersonStatus({ person }: { person: Person }) {
  if (!person.active)
    return (
      <span class="ds-tag" data-color="danger">
        deaktivert
      </span>
    );
  if (!person.loggedIn)
    return (
      <span class="ds-tag" data-color="warning">
        ikke logget inn ennå
      </span>
    );
  return (
    <span class="ds-tag" data-color="success">
      logget inn
    </span>
  );
}

const ADDABLE_ROLES = Object.keys(ROLE_LABEL) as (keyof typeof ROLE_LABEL)[];

function AddPerson({ services, onAdded }: { services: readonly Service[]; onAdded: (p: Person) => void }) {
  const form = useCheckedForm((field) => `person-${field.split('.')[0]}`);
  const [key, setKey] = useState(0);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const el = e.currentTarget as HTMLFormElement;
    const data = new FormData(el);
    const name = textOf(data, 'name').trim();
    const userName = textOf(data, 'userName').trim();
    const email = textOf(data, 'email').trim();
    const serviceId = textOf(data, 'serviceId');
    const roles = data.getAll('roles').filter((r): r is string => typeof r === 'string');
    const found: Record<string, string> = {};
    if (!name) found['person-name'] = 'skriv inn navnet';
    if (!userName) found['person-userName'] = 'skriv inn brukernavnet';
    else if (/\s/.test(userName)) found['person-userName'] = 'kan ikke ha mellomrom';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email))
      found['person-email'] = 'må være en e-postadresse';
    if (!serviceId) found['person-serviceId'] = 'velg tjenesten';
    if (roles.length === 0) found['person-roles'] = 'velg minst én rolle';
    void form.submit(found, async () => {
      const person = await api<Person>('/api/people', {
        method: 'POST',
        body: { name, userName, email: email || null, serviceId, roles },
      });
      el.reset();
      setKey((k) => k + 1);
      onAdded(person);
    });
  };

  const err = (id: string) => form.errors[id];
  const described = (id: string) => (err(id) ? `${id}-error` : undefined);
  return (
    <form
      class="admin-form ds-card"
      onSubmit={onSubmit}
      noValidate
      key={key}
      aria-labelledby="add-person-title"
    >
      <h2 id="add-person-title">Legg til person</h2>
      <ErrorSummary errors={form.errors} labels={FIELD_LABELS} />
      <Problem error={form.problem} />
      <TextField id="person-name" name="name" label="Navn" error={err('person-name')} autoComplete="off" />
      <TextField
        id="person-userName"
        name="userName"
        label="Brukernavn (innlogging)"
        hint="Slik personen logger inn hos kommunens identitetsleverandør, ofte e-postadressen."
        error={err('person-userName')}
        autoComplete="off"
      />
      <TextField
        id="person-email"
        name="email"
        label="E-post (valgfritt)"
        hint="Hit går varsler om oppgaver."
        error={err('person-email')}
        type="email"
        autoComplete="off"
      />
      <div class="ds-field">
        <label class="ds-label" for="person-serviceId">
          Tjeneste
        </label>
        {err('person-serviceId') && (
          <p class="ds-validation-message" data-field="validation" id="person-serviceId-error">
            {err('person-serviceId')}
          </p>
        )}
        <select
          class="ds-input"
          id="person-serviceId"
          name="serviceId"
          aria-invalid={err('person-serviceId') ? true : undefined}
          aria-describedby={described('person-serviceId')}
        >
          <option value="">Velg tjeneste</option>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset
        class="ds-fieldset"
        id="person-roles"
        tabIndex={-1}
        aria-invalid={err('person-roles') ? true : undefined}
        aria-describedby={described('person-roles')}
      >
        <legend class="ds-label">Roller</legend>
        {err('person-roles') && (
          <p class="ds-validation-message" data-field="validation" id="person-roles-error">
            {err('person-roles')}
          </p>
        )}
        {ADDABLE_ROLES.map((role) => (
          <div class="ds-field" key={role}>
            <input class="ds-input" type="checkbox" id={`person-role-${role}`} name="roles" value={role} />
            <label class="ds-label" data-weight="regular" for={`person-role-${role}`}>
              {ROLE_LABEL[role]}
            </label>
          </div>
        ))}
      </fieldset>
      <button type="submit" class="ds-button" data-variant="primary" disabled={form.busy}>
        Legg til person
      </button>
    </form>
  );
}

export function TextField({
  id,
  name,
  label,
  hint,
  error,
  type = 'text',
  autoComplete,
  value,
  onInput,
}: {
  id: string;
  name?: string;
  label: string;
  hint?: string;
  error?: string;
  type?: 'text' | 'email' | 'date';
  autoComplete?: string;
  value?: string;
  onInput?: (value: string) => void;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    class: 'ds-input',
    id,
    name,
    autoComplete,
    value,
    onInput: onInput && ((e: Event) => onInput((e.currentTarget as HTMLInputElement).value)),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class="ds-field">
      <label class="ds-label" for={id}>
        {label}
      </label>
      {hint && (
        <p data-field="description" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="ds-validation-message" data-field="validation" id={`${id}-error`}>
          {error}
        </p>
      )}
      {type === 'date' ? (
        <input type="date" {...common} />
      ) : type === 'email' ? (
        <input type="email" {...common} />
      ) : (
        <input type="text" {...common} />
      )}
    </div>
  );
}
