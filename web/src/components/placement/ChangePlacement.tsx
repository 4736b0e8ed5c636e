import { useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { formatDate, LEGAL_BASIS_LABEL, legalBasisOf, PLACEMENT_TYPE_LABEL } from '../../lib/labels.js';
import type { LegalBasis, Placement, PlanChange, PreviewStep } from '../../lib/types.js';
import { LabelSelect } from '../Field.js';
import { Problem } from '../Problem.js';

/** Change a placement's date, type or legal basis: a preview of what moves first, then confirm. */
export function ChangePlacement({
  base,
  placement,
  onDone,
}: {
  base: string;
  placement: Placement;
  onDone: (m: string) => void;
}) {
  const [date, setDate] = useState(placement.placementDate);
  const [type, setType] = useState<string>(placement.placementType);
  const [chosenBasis, setChosenBasis] = useState<string>(placement.legalBasis ?? '');
  const [preview, setPreview] = useState<{
    expectedVersion: number;
    legalBasis: LegalBasis;
    change: PlanChange;
    steps: readonly PreviewStep[];
    /** What was asked for, to say why each step moves. */
    asked: Asked;
  } | null>(null);
  // A care-order or voluntary type dictates the basis; an emergency or kinship placement may have either.
  const dictated = legalBasisOf(type);
  const basisChanged = !dictated && chosenBasis !== '' && chosenBasis !== placement.legalBasis;
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  // Cancelling removes the preview and its buttons: focus goes back to the button that asked for it.
  const previewButton = useRef<HTMLButtonElement>(null);

  const body = () => ({
    ...(date !== placement.placementDate ? { placementDate: date } : {}),
    ...(type !== placement.placementType || basisChanged ? { placementType: type } : {}),
    ...(basisChanged ? { legalBasis: chosenBasis } : {}),
  });
  const show = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setPreview(null);
    try {
      const answer = await api<{
        expectedVersion: number;
        legalBasis: LegalBasis;
        change: PlanChange;
        steps: readonly PreviewStep[];
      }>(`${base}/change/preview`, { method: 'POST', body: body() });
      setPreview({ ...answer, asked: { placementDate: date, placementType: type } });
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setError(null);
    try {
      await api(`${base}/change`, {
        method: 'POST',
        idempotencyKey: key,
        body: { ...body(), expectedVersion: preview.expectedVersion },
      });
      setPreview(null);
      setKey(crypto.randomUUID());
      onDone('Endringen er lagret, og åpne steg er planlagt på nytt.');
    } catch (e) {
      setError(e);
    }
  };
  const c = preview?.change;
  return (
    <section class="ds-card" aria-labelledby="change-title">
      <h2 id="change-title">Endre dato eller type</h2>
      <form onSubmit={(e) => void show(e)}>
        <div class="field-row">
          <div class="ds-field">
            <label class="ds-label" for="change-date">
              Innflyttingsdato
            </label>
            <input
              class="ds-input"
              id="change-date"
              type="date"
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          </div>
          <LabelSelect
            id="change-type"
            label="Type plassering"
            labels={PLACEMENT_TYPE_LABEL}
            value={type}
            onChange={setType}
          />
          {dictated ? (
            <p class="muted">Rettslig grunnlag: {LEGAL_BASIS_LABEL[dictated]}.</p>
          ) : (
            <LabelSelect
              id="change-basis"
              label="Rettslig grunnlag"
              labels={LEGAL_BASIS_LABEL}
              value={chosenBasis}
              onChange={setChosenBasis}
            />
          )}
        </div>
        <button class="ds-button" data-variant="primary" type="submit" ref={previewButton}>
          Forhåndsvis endringen
        </button>
      </form>
      {c && (
        <div class="preview" aria-live="polite">
          <h3>Dette skjer hvis du bekrefter</h3>
          <p>
            {c.moved.length + c.replaced.length} steg flyttes, {c.added.length} kommer til,{' '}
            {c.cancelled.length} faller bort. {c.kept} utførte eller frafalte steg beholdes som de er.
          </p>
          {preview.legalBasis !== placement.legalBasis && (
            <p>Rettslig grunnlag blir {LEGAL_BASIS_LABEL[preview.legalBasis].toLowerCase()}.</p>
          )}
          <PreviewSteps
            steps={preview.steps}
            placement={placement}
            asked={preview.asked}
            basis={preview.legalBasis}
          />
          <div class="button-row">
            <button class="ds-button" data-variant="primary" type="button" onClick={() => void confirm()}>
              Bekreft endringen
            </button>
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              onClick={() => {
                setPreview(null);
                previewButton.current?.focus();
              }}
            >
              Avbryt
            </button>
          </div>
        </div>
      )}
      <Problem error={error} />
    </section>
  );
}

interface Asked {
  readonly placementDate: string;
  readonly placementType: string;
}

const VERB: Record<PreviewStep['kind'], string> = {
  moved: 'Flyttes',
  replaced: 'Får en annen plass i planen',
  added: 'Kommer til',
  cancelled: 'Faller bort',
};

/** Why a step moves, appears or lapses, in a sentence: «Flyttes fordi innflyttingsdatoen endres fra … til …». */
export function reasonText(step: PreviewStep, placement: Placement, asked: Asked, basis: LegalBasis): string {
  const typeLabel = (t: string) => (PLACEMENT_TYPE_LABEL as Record<string, string>)[t]?.toLowerCase() ?? t;
  const why = step.reasons.flatMap((r) => {
    switch (r) {
      case 'placement-date':
        return [
          `innflyttingsdatoen endres fra ${formatDate(placement.placementDate)} til ${formatDate(asked.placementDate)}`,
        ];
      case 'placement-type':
        return [
          `plasseringstypen endres fra ${typeLabel(placement.placementType)} til ${typeLabel(asked.placementType)}`,
        ];
      case 'legal-basis':
        return [`det rettslige grunnlaget blir ${LEGAL_BASIS_LABEL[basis].toLowerCase()}`];
      case 'working-day':
        return ['fristen faller på en fridag og legges til nærmeste virkedag før'];
      case 'statutory-rule':
        return [];
    }
  });
  const law = step.reasons.includes('statutory-rule')
    ? 'Fast frist etter lov: lovpålagte besøk følger en fast takt regnet fra innflytting.'
    : '';
  const sentence = why.length > 0 ? `${VERB[step.kind]} fordi ${why.join(' og ')}.` : `${VERB[step.kind]}.`;
  return law ? `${sentence} ${law}` : sentence;
}

/** Every step the change touches, in date order, each with why and whether it would be overdue at once. */
function PreviewSteps({
  steps,
  placement,
  asked,
  basis,
}: {
  steps: readonly PreviewStep[];
  placement: Placement;
  asked: Asked;
  basis: LegalBasis;
}) {
  if (steps.length === 0) return <p>Ingen åpne steg endres.</p>;
  const overdue = steps.filter((s) => s.becomesOverdue).length;
  return (
    <>
      {overdue > 0 && (
        <p class="becomes-overdue-summary">
          <strong>
            {overdue === 1 ? 'Ett steg blir forfalt' : `${overdue} steg blir forfalt`} med endringen
          </strong>{' '}
          (fristen er passert allerede).
        </p>
      )}
      <table class="ds-table stack-narrow preview-steps">
        <caption>Stegene som endres, sortert etter dato</caption>
        <thead>
          <tr>
            <th scope="col">Steg</th>
            <th scope="col">Frist nå</th>
            <th scope="col">Ny frist</th>
            <th scope="col">Hvorfor</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.taskId} data-task={s.taskId} data-kind={s.kind}>
              <th scope="row">{s.title}</th>
              <td data-label="Frist nå">{formatDate(s.fromDueOn)}</td>
              <td data-label="Ny frist">
                {s.toDueOn ? formatDate(s.toDueOn) : 'faller bort'}
                {s.becomesOverdue && (
                  <>
                    {' '}
                    <strong class="becomes-overdue">Blir forfalt</strong>
                  </>
                )}
              </td>
              <td data-label="Hvorfor">{reasonText(s, placement, asked, basis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
