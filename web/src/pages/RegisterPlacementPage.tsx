import { useRef, useState } from 'preact/hooks';
import { CompletedBefore, doneBeforeId } from '../components/CompletedBefore.js';
import { DoneThisYear, doneThisYearId, type DoneVisit } from '../components/DoneThisYear.js';
import { ErrorSummary, Field } from '../components/Field.js';
import { Loading, Problem } from '../components/Problem.js';
import { api } from '../lib/api.js';
import { addDays, todayInOslo } from '../lib/dates.js';
import { textOf, useCheckedForm } from '../lib/form.js';
import {
  CASE_NUMBER_HINT,
  CASE_NUMBER_PATTERN,
  LEGAL_BASES,
  LEGAL_BASIS_LABEL,
  legalBasisOf,
  PLACEMENT_TYPE_LABEL,
  PLACEMENT_TYPES,
} from '../lib/labels.js';
import { navigate } from '../lib/router.js';
import type { Session } from '../lib/session.js';
import type { CatalogSummary, Municipality } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

const FLAGS = [
  ['samvaer', 'Samvær med foreldrene er fastsatt'],
  ['parentsReachable', 'Foreldrene kan nås'],
  ['inSchoolOrKindergarten', 'Barnet går i barnehage eller skole'],
  ['bufetatHelp', 'Tjenesten har bedt Bufetat om bistand'],
  ['beredskapshjem', 'Beredskapshjem'],
] as const;

/** How a child is followed up from the registration (the API's `followUp`). */
type FollowUp = 'package' | 'ordinary';
const FOLLOW_UP_LABEL: Record<FollowUp, string> = {
  package: 'Ny plassering (omsorgspakken)',
  ordinary: 'Bor allerede i fosterhjemmet (ordinær oppfølging)',
};
/** How long a child must have lived in the home for ordinary follow-up (the API's ORDINARY_REGISTRATION_MIN_DAYS). */
const ORDINARY_MIN_DAYS = 365;

const LABELS: Record<string, string> = {
  followUp: 'Oppfølging',
  caseNumber: 'Saksnummer',
  municipalityId: 'Kommune',
  placementType: 'Type plassering',
  legalBasis: 'Rettslig grunnlag',
  placementDate: 'Innflyttingsdato',
  childAgeYears: 'Barnets alder',
  catalogVersion: 'Katalogversjon',
};

/**
 * The API's field path → the form's field id: `facts.placementDate` → `placementDate`,
 * `completedBefore.<i>.<field>` → the date field of the i-th step sent, and `doneThisYear.<i>.on` (or
 * `.kind`) → the i-th visit's date (or kind) field.
 */
const fieldOf = (sent: readonly string[]) => (apiField: string) => {
  const done = /^completedBefore\.(\d+)\./.exec(apiField);
  if (done && sent[Number(done[1])]) return doneBeforeId(sent[Number(done[1])]);
  const visit = /^doneThisYear\.(\d+)\.(on|kind)$/.exec(apiField);
  if (visit) return `${doneThisYearId(Number(visit[1]))}${visit[2] === 'kind' ? '-kind' : ''}`;
  return apiField.replace(/^facts\./, '');
};

function validate(
  data: FormData,
  doneBefore: Readonly<Record<string, string>>,
  followUp: FollowUp,
  visits: readonly DoneVisit[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  const today = todayInOslo();
  const caseNumber = textOf(data, 'caseNumber').trim();
  if (!caseNumber) errors.caseNumber = 'Skriv saksnummeret fra fagsystemet.';
  else if (!CASE_NUMBER_PATTERN.test(caseNumber))
    errors.caseNumber = 'Saksnummeret kan ha 1–30 tegn: bokstaver, sifre, /, -, . og mellomrom.';
  if (!data.get('municipalityId')) errors.municipalityId = 'Velg kommunen plasseringen gjelder.';
  if (!data.get('placementType')) errors.placementType = 'Velg type plassering.';
  if (!data.get('legalBasis')) errors.legalBasis = 'Velg rettslig grunnlag.';
  const date = textOf(data, 'placementDate');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    errors.placementDate = 'Skriv datoen barnet flytter inn (dd.mm.åååå).';
  else if (followUp === 'ordinary' && date > addDays(today, -ORDINARY_MIN_DAYS))
    errors.placementDate = `Ordinær oppfølging krever at barnet har bodd i fosterhjemmet i minst ${ORDINARY_MIN_DAYS} dager; en nyere plassering får omsorgspakken.`;
  const age = textOf(data, 'childAgeYears');
  if (!/^\d{1,2}$/.test(age) || Number(age) > 17)
    errors.childAgeYears = 'Skriv alder i hele år, fra 0 til 17.';
  if (!data.get('catalogVersion')) errors.catalogVersion = 'Velg katalogversjon.';
  if (followUp === 'ordinary')
    visits.forEach(({ on }, i) => {
      const id = doneThisYearId(i);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) errors[id] = 'Skriv datoen besøket ble gjort.';
      else if (on.slice(0, 4) !== today.slice(0, 4)) errors[id] = 'Datoen må være i år.';
      else if (on > today) errors[id] = 'Datoen kan ikke være etter i dag.';
      else if (/^\d{4}-\d{2}-\d{2}$/.test(date) && on < date)
        errors[id] = 'Datoen kan ikke være før innflyttingsdatoen.';
    });
  for (const [stepId, on] of Object.entries(doneBefore)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) errors[doneBeforeId(stepId)] = 'Skriv datoen steget ble gjort.';
    else if (on > todayInOslo()) errors[doneBeforeId(stepId)] = 'Datoen kan ikke være etter i dag.';
  }
  return errors;
}

/** Register a placement: the facts that decide the package (no names: those go in the personal-data store). */
export function RegisterPlacementPage({ session }: { session: Session }) {
  const options = useLoad(async () => {
    const [services, municipalities, catalogs] = await Promise.all([
      api<{ id: string; memberMunicipalityIds: string[] }[]>('/api/reference/services'),
      api<Municipality[]>('/api/reference/municipalities'),
      api<CatalogSummary[]>('/api/catalogs'),
    ]);
    const members = new Set(
      services.find((s) => s.id === session.me.organisation)?.memberMunicipalityIds ?? [],
    );
    return { municipalities: municipalities.filter((m) => members.has(m.id)), catalogs };
  }, [session.me.organisation]);
  const sent = useRef<string[]>([]);
  const { errors, problem, busy, submit: check } = useCheckedForm((f) => fieldOf(sent.current)(f));
  const [placementDate, setPlacementDate] = useState(todayInOslo());
  const [catalogVersion, setCatalogVersion] = useState('');
  const [doneBefore, setDoneBefore] = useState<Record<string, string>>({});
  const newest = options.data?.catalogs.at(-1)?.version ?? '';
  const [key] = useState(() => crypto.randomUUID());
  const [legalBasis, setLegalBasis] = useState('');
  const [followUp, setFollowUp] = useState<FollowUp>('package');
  const [visits, setVisits] = useState<DoneVisit[]>([]);
  const ordinary = followUp === 'ordinary';

  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const flag = (name: string) => data.get(name) === 'on';
    // Only what is still shown: a placement date moved to today hides the list, and sends none of it;
    // ordinary follow-up has no package, so nothing done before it either (its visits instead).
    const shownDone = !ordinary && placementDate < todayInOslo() ? doneBefore : {};
    sent.current = Object.keys(shownDone);
    void check(validate(data, shownDone, followUp, visits), async () => {
      const registered = await api<{ placementId: string }>('/api/placements', {
        method: 'POST',
        idempotencyKey: key,
        body: {
          caseNumber: textOf(data, 'caseNumber').trim(),
          municipalityId: data.get('municipalityId'),
          catalogVersion: data.get('catalogVersion'),
          facts: {
            placementType: data.get('placementType'),
            legalBasis: data.get('legalBasis'),
            placementDate: data.get('placementDate'),
            childAgeYears: Number(data.get('childAgeYears')),
            samvaer: flag('samvaer'),
            parentsReachable: flag('parentsReachable'),
            inSchoolOrKindergarten: flag('inSchoolOrKindergarten'),
            bufetatHelp: flag('bufetatHelp'),
            beredskapshjem: flag('beredskapshjem'),
          },
          ...(sent.current.length > 0
            ? {
                completedBefore: sent.current.map((stepId) => ({
                  stepId,
                  completedOn: shownDone[stepId],
                })),
              }
            : {}),
          ...(ordinary
            ? {
                followUp: 'ordinary',
                ...(visits.length > 0 ? { doneThisYear: visits.map(({ kind, on }) => ({ kind, on })) } : {}),
              }
            : {}),
        },
      });
      navigate(`/plasseringer/${registered.placementId}?ny=${ordinary ? 'ordinaer' : '1'}`);
    });
  };

  return (
    <section aria-labelledby="register-title" class="narrow">
      <h1 id="register-title" tabIndex={-1}>
        Registrer plassering
      </h1>
      <p>
        En ny plassering starter omsorgspakken: stegene for barnet, foreldrene og fosterfamilien planlegges ut
        fra opplysningene under. Et barn som allerede bor i fosterhjemmet, følges i stedet opp med årets
        lovpålagte besøk (ordinær oppfølging). Navn og fødselsnummer registreres ikke her; saksnummeret vises
        bare for ansatte i tjenesten.
      </p>
      {options.loading && <Loading what="skjemaet" />}
      <Problem error={options.error ?? problem} />
      {options.data && (
        <form noValidate onSubmit={submit}>
          <ErrorSummary
            errors={errors}
            labels={{
              ...LABELS,
              ...Object.fromEntries(
                Object.keys(doneBefore).map((id) => [doneBeforeId(id), 'Gjort før registreringen']),
              ),
              ...Object.fromEntries(visits.map((_, i) => [doneThisYearId(i), `Besøk ${i + 1} gjort i år`])),
            }}
          />
          <fieldset class="ds-fieldset follow-up-choice" aria-describedby="followUp-hint">
            <legend class="ds-label">{LABELS.followUp}</legend>
            <p data-field="description" id="followUp-hint">
              Ordinær oppfølging gjelder barn som har bodd i fosterhjemmet i minst {ORDINARY_MIN_DAYS} dager.
            </p>
            {(['package', 'ordinary'] as const).map((value, i) => (
              <div class="ds-field" key={value}>
                <input
                  class="ds-input"
                  type="radio"
                  name="followUp"
                  id={i === 0 ? 'followUp' : `followUp-${value}`}
                  value={value}
                  checked={followUp === value}
                  onChange={() => setFollowUp(value)}
                />
                <label class="ds-label" for={i === 0 ? 'followUp' : `followUp-${value}`}>
                  {FOLLOW_UP_LABEL[value]}
                </label>
              </div>
            ))}
          </fieldset>
          <Field id="caseNumber" label={LABELS.caseNumber} hint={CASE_NUMBER_HINT} error={errors.caseNumber}>
            {(a) => <input {...a} type="text" name="caseNumber" required maxLength={30} autoComplete="off" />}
          </Field>
          <Field id="municipalityId" label={LABELS.municipalityId} error={errors.municipalityId}>
            {(a) => (
              <select {...a} name="municipalityId" required>
                <option value="">Velg kommune</option>
                {options.data?.municipalities.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({m.number})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="placementType" label={LABELS.placementType} error={errors.placementType}>
            {(a) => (
              <select
                {...a}
                name="placementType"
                required
                onChange={(e) => {
                  const dictated = legalBasisOf(e.currentTarget.value);
                  if (dictated) setLegalBasis(dictated);
                }}
              >
                <option value="">Velg type</option>
                {PLACEMENT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {PLACEMENT_TYPE_LABEL[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset class="ds-fieldset" aria-describedby={errors.legalBasis ? 'legalBasis-error' : undefined}>
            <legend class="ds-label">{LABELS.legalBasis}</legend>
            {LEGAL_BASES.map((value, i) => (
              <div class="ds-field" key={value}>
                <input
                  class="ds-input"
                  type="radio"
                  name="legalBasis"
                  id={i === 0 ? 'legalBasis' : `legalBasis-${value}`}
                  value={value}
                  checked={legalBasis === value}
                  aria-invalid={errors.legalBasis ? true : undefined}
                  onChange={() => setLegalBasis(value)}
                />
                <label class="ds-label" for={i === 0 ? 'legalBasis' : `legalBasis-${value}`}>
                  {LEGAL_BASIS_LABEL[value]}
                </label>
              </div>
            ))}
            {errors.legalBasis && (
              <p class="ds-validation-message" data-field="validation" id="legalBasis-error">
                {errors.legalBasis}
              </p>
            )}
          </fieldset>
          <Field
            id="placementDate"
            label={LABELS.placementDate}
            hint="Dag 0: dagen barnet flytter inn."
            error={errors.placementDate}
          >
            {(a) => (
              <input
                {...a}
                type="date"
                name="placementDate"
                required
                value={placementDate}
                onInput={(e) => setPlacementDate(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field
            id="childAgeYears"
            label={LABELS.childAgeYears}
            hint="Hele år (0–17)."
            error={errors.childAgeYears}
          >
            {(a) => (
              <input
                {...a}
                type="number"
                name="childAgeYears"
                min={0}
                max={17}
                inputMode="numeric"
                required
              />
            )}
          </Field>
          <fieldset class="ds-fieldset">
            <legend class="ds-label">Forhold som avgjør hvilke steg som gjelder</legend>
            {FLAGS.map(([name, label]) => (
              <div class="ds-field" key={name}>
                <input class="ds-input" type="checkbox" id={name} name={name} />
                <label class="ds-label" for={name}>
                  {label}
                </label>
              </div>
            ))}
          </fieldset>
          <Field id="catalogVersion" label={LABELS.catalogVersion} error={errors.catalogVersion}>
            {(a) => (
              <select
                {...a}
                name="catalogVersion"
                required
                value={catalogVersion || newest}
                onChange={(e) => setCatalogVersion(e.currentTarget.value)}
              >
                {[...(options.data?.catalogs ?? [])].reverse().map((c) => (
                  <option key={c.version} value={c.version}>
                    {c.version}
                    {c.description ? ` – ${c.description}` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {ordinary ? (
            <DoneThisYear visits={visits} onChange={setVisits} errors={errors} />
          ) : (
            <CompletedBefore
              catalogVersion={catalogVersion || newest}
              placementDate={placementDate}
              chosen={doneBefore}
              onChange={setDoneBefore}
              errors={errors}
            />
          )}
          <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
            Registrer plasseringen
          </button>
        </form>
      )}
    </section>
  );
}
