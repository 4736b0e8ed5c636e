import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import { useCheckedForm } from '../lib/form.js';
import { formatDate } from '../lib/labels.js';
import { ErrorSummary, Field } from './Field.js';
import { Problem } from './Problem.js';

/*
 * The child's and the family's identifying details (the API's personal-data store, encrypted with the
 * child's own key). Shown only when asked for, because every read is logged in the child's access log;
 * never kept after the card is closed, and never put in the address bar or the page title.
 */

interface Contact {
  name: string;
  relation?: string;
  phone?: string;
  email?: string;
  address?: string;
}

interface PersonalDetails {
  child: { name: string; birthDate?: string; nationalId?: string };
  parents: Contact[];
  fosterFamily: Contact[];
}

type Loaded = { kind: 'details'; details: PersonalDetails } | { kind: 'none' } | { kind: 'purged' };

const MAX_CONTACTS = 6;
const GROUPS = [
  ['parents', 'Foreldre', 'forelder'],
  ['fosterFamily', 'Fosterfamilien', 'person i fosterfamilien'],
] as const;
type Group = (typeof GROUPS)[number][0];

/** The element id of a field of the form, from the API's field path (`parents[1].phone` → `pd-parents-1-phone`). */
const fieldId = (apiField: string) => `pd-${apiField.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;

/** A national id number is shown as its date part until the user asks for all of it. */
const masked = (nationalId: string) => `${nationalId.slice(0, 6)} *****`;

export function PersonalData({
  base,
  canPurge,
  onDone,
}: {
  base: string;
  /** A leader, on an ended placement: may purge the details once the retention period is over. */
  canPurge: boolean;
  onDone: (message: string) => void;
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The button just used is gone once the section changes: focus goes to the section's heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const focusHeading = () => requestAnimationFrame(() => heading.current?.focus());

  const show = async () => {
    setError(null);
    try {
      const details = await api<PersonalDetails>(`${base}/personal-data`);
      setLoaded({ kind: 'details', details });
      focusHeading();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setLoaded({ kind: 'none' });
      else if (e instanceof ApiError && e.status === 410) setLoaded({ kind: 'purged' });
      else setError(e);
      focusHeading();
    }
  };
  const hide = () => {
    setLoaded(null);
    setEditing(false);
    focusHeading();
  };
  const edit = (on: boolean) => {
    setEditing(on);
    focusHeading();
  };

  return (
    <section class="ds-card" aria-labelledby="personal-title">
      <h2 id="personal-title" tabIndex={-1} ref={heading}>
        Barnet og familien
      </h2>
      {!loaded && (
        <>
          <p>
            Navn, fødselsnummer og kontaktopplysninger vises bare når du ber om det. Hver visning og endring
            loggføres i barnets tilgangslogg.
          </p>
          <button class="ds-button" data-variant="primary" type="button" onClick={() => void show()}>
            Vis opplysninger om barnet og familien
          </button>
        </>
      )}
      <Problem error={error} />
      {loaded?.kind === 'purged' && <p>Personopplysningene er slettet etter utløpt oppbevaringstid.</p>}
      {loaded?.kind === 'none' && !editing && <p>Ingen opplysninger er registrert ennå.</p>}
      {loaded?.kind === 'details' && !editing && <Details details={loaded.details} />}
      {editing && loaded?.kind !== 'purged' && (
        <DetailsForm
          base={base}
          initial={loaded?.kind === 'details' ? loaded.details : undefined}
          onCancel={() => edit(false)}
          onSaved={(details) => {
            setLoaded({ kind: 'details', details });
            setEditing(false);
            onDone('Opplysningene om barnet og familien er lagret.');
          }}
        />
      )}
      {loaded && !editing && (
        <div class="button-row">
          {loaded.kind !== 'purged' && (
            <button class="ds-button" data-variant="primary" type="button" onClick={() => edit(true)}>
              {loaded.kind === 'none' ? 'Registrer opplysninger' : 'Endre opplysninger'}
            </button>
          )}
          <button type="button" class="ds-button" data-variant="secondary" onClick={hide}>
            Skjul opplysningene
          </button>
        </div>
      )}
      {canPurge && loaded?.kind === 'details' && !editing && (
        <Purge
          base={base}
          onPurged={() => {
            setLoaded({ kind: 'purged' });
            focusHeading();
          }}
        />
      )}
    </section>
  );
}

function Details({ details }: { details: PersonalDetails }) {
  const [fullId, setFullId] = useState(false);
  const { child } = details;
  return (
    <>
      <dl class="facts">
        <div>
          <dt>Barnets navn</dt>
          <dd>{child.name}</dd>
        </div>
        <div>
          <dt>Fødselsdato</dt>
          <dd>{child.birthDate ? formatDate(child.birthDate) : '–'}</dd>
        </div>
        <div>
          <dt>Fødselsnummer</dt>
          <dd>
            {child.nationalId ? (fullId ? child.nationalId : masked(child.nationalId)) : '–'}
            {child.nationalId && ' '}
            {child.nationalId && (
              <button type="button" class="ds-link" aria-pressed={fullId} onClick={() => setFullId(!fullId)}>
                {fullId ? 'Skjul' : 'Vis hele'}
              </button>
            )}
          </dd>
        </div>
      </dl>
      {GROUPS.map(([group, title]) => (
        <div key={group}>
          <h3>{title}</h3>
          {details[group].length === 0 ? (
            <p>Ingen registrert.</p>
          ) : (
            <ul class="contacts">
              {details[group].map((c, i) => (
                <li key={i}>
                  <strong>{c.name}</strong>
                  {c.relation ? ` (${c.relation})` : ''}
                  {c.phone && <> · tlf. {c.phone}</>}
                  {c.email && (
                    <>
                      {' · '}
                      <a href={`mailto:${c.email}`}>{c.email}</a>
                    </>
                  )}
                  {c.address && <> · {c.address}</>}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  );
}

const CONTACT_FIELDS = [
  ['name', 'Navn'],
  ['relation', 'Relasjon'],
  ['phone', 'Telefon'],
  ['email', 'E-post'],
  ['address', 'Adresse'],
] as const;

/** Empty optional fields are left out: the API refuses an empty string where a value is optional. */
function cleaned(details: PersonalDetails): PersonalDetails {
  const trim = <T extends object>(o: T): T => {
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      const value: unknown = typeof v === 'string' ? v.trim() : v;
      if (value !== '') kept[k] = value;
    }
    return kept as T;
  };
  return {
    child: trim(details.child),
    parents: details.parents.map(trim),
    fosterFamily: details.fosterFamily.map(trim),
  };
}

function validate(details: PersonalDetails): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!details.child.name) errors[fieldId('child.name')] = 'Skriv barnets navn.';
  if (details.child.nationalId && !/^\d{11}$/.test(details.child.nationalId))
    errors[fieldId('child.nationalId')] = 'Fødselsnummeret har 11 sifre.';
  for (const [group] of GROUPS)
    details[group].forEach((c, i) => {
      if (!c.name) errors[fieldId(`${group}[${i}].name`)] = 'Skriv navnet, eller fjern raden.';
    });
  return errors;
}

function DetailsForm({
  base,
  initial,
  onCancel,
  onSaved,
}: {
  base: string;
  initial: PersonalDetails | undefined;
  onCancel: () => void;
  onSaved: (details: PersonalDetails) => void;
}) {
  const [draft, setDraft] = useState<PersonalDetails>(
    () => initial ?? { child: { name: '' }, parents: [], fosterFamily: [] },
  );
  const { errors, problem, busy, submit: check } = useCheckedForm(fieldId);

  const labels: Record<string, string> = {
    [fieldId('child.name')]: 'Barnets navn',
    [fieldId('child.birthDate')]: 'Fødselsdato',
    [fieldId('child.nationalId')]: 'Fødselsnummer',
  };
  for (const [group, title] of GROUPS)
    draft[group].forEach((_, i) => {
      for (const [field, label] of CONTACT_FIELDS)
        labels[fieldId(`${group}[${i}].${field}`)] = `${title} ${i + 1}: ${label.toLowerCase()}`;
    });

  const setChild = (field: keyof PersonalDetails['child'], value: string) =>
    setDraft({ ...draft, child: { ...draft.child, [field]: value } });
  const setContact = (group: Group, index: number, field: keyof Contact, value: string) =>
    setDraft({
      ...draft,
      [group]: draft[group].map((c, i) => (i === index ? { ...c, [field]: value } : c)),
    });
  const submit = (event: Event) => {
    event.preventDefault();
    const details = cleaned(draft);
    void check(validate(details), async () => {
      await api(`${base}/personal-data`, { method: 'PUT', body: details });
      onSaved(details);
    });
  };

  const input = (
    id: string,
    value: string | undefined,
    onInput: (v: string) => void,
    type: 'text' | 'date' | 'tel' | 'email' = 'text',
  ) => (
    <Field key={id} id={id} label={labels[id] ?? id} error={errors[id]}>
      {(a) => {
        const props = {
          ...a,
          value: value ?? '',
          autoComplete: 'off',
          onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
        };
        // One element per type: Preact types each input type's attributes apart.
        if (type === 'date') return <input {...props} type="date" />;
        if (type === 'tel') return <input {...props} type="tel" />;
        if (type === 'email') return <input {...props} type="email" />;
        return <input {...props} type="text" />;
      }}
    </Field>
  );

  return (
    <form noValidate onSubmit={submit}>
      <ErrorSummary errors={errors} labels={labels} />
      {input(fieldId('child.name'), draft.child.name, (v) => setChild('name', v))}
      <div class="field-row">
        {input(fieldId('child.birthDate'), draft.child.birthDate, (v) => setChild('birthDate', v), 'date')}
        {input(fieldId('child.nationalId'), draft.child.nationalId, (v) => setChild('nationalId', v))}
      </div>
      {GROUPS.map(([group, title, one]) => (
        <fieldset key={group} class="ds-fieldset contacts">
          <legend class="ds-label">{title}</legend>
          {draft[group].map((c, i) => (
            <div class="field-row" key={i}>
              {CONTACT_FIELDS.map(([field]) =>
                input(
                  fieldId(`${group}[${i}].${field}`),
                  c[field],
                  (v) => setContact(group, i, field, v),
                  field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text',
                ),
              )}
              <button
                type="button"
                class="ds-button"
                data-variant="secondary"
                onClick={() => setDraft({ ...draft, [group]: draft[group].filter((_, j) => j !== i) })}
              >
                Fjern {one} {i + 1}
              </button>
            </div>
          ))}
          {draft[group].length < MAX_CONTACTS && (
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() => setDraft({ ...draft, [group]: [...draft[group], { name: '' }] })}
            >
              Legg til {one}
            </button>
          )}
        </fieldset>
      ))}
      <div class="button-row">
        <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
          Lagre opplysningene
        </button>
        <button type="button" class="ds-button" data-variant="secondary" onClick={onCancel}>
          Avbryt
        </button>
      </div>
      <Problem error={problem} />
    </form>
  );
}

function Purge({ base, onPurged }: { base: string; onPurged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirm = (on: boolean) => {
    setConfirming(on);
    requestAnimationFrame(() => heading.current?.focus());
  };
  const purge = async () => {
    setError(null);
    try {
      await api(`${base}/personal-data/purge`, { method: 'POST' });
      onPurged();
    } catch (e) {
      setError(e);
      confirm(false);
    }
  };
  return (
    <div class="purge">
      <h3 tabIndex={-1} ref={heading}>
        Sletting etter oppbevaringstiden
      </h3>
      {confirming ? (
        <div class="button-row">
          <button
            type="button"
            class="ds-button"
            data-variant="primary"
            data-color="danger"
            onClick={() => void purge()}
          >
            Bekreft: slett opplysningene for godt
          </button>
          <button type="button" class="ds-button" data-variant="secondary" onClick={() => confirm(false)}>
            Avbryt
          </button>
        </div>
      ) : (
        <button
          type="button"
          class="ds-button"
          data-variant="primary"
          data-color="danger"
          onClick={() => confirm(true)}
        >
          Slett personopplysningene
        </button>
      )}
      <Problem error={error} />
    </div>
  );
}
