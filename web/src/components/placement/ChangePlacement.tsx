import { useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { formatDate, LEGAL_BASIS_LABEL, legalBasisOf, PLACEMENT_TYPE_LABEL } from '../../lib/labels.js';
import type { LegalBasis, Placement, PlanChange } from '../../lib/types.js';
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
      setPreview(await api(`${base}/change/preview`, { method: 'POST', body: body() }));
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
            {c.moved.length} steg flyttes, {c.added.length} kommer til, {c.cancelled.length} faller bort.{' '}
            {c.kept} utførte eller frafalte steg beholdes som de er.
          </p>
          {preview.legalBasis !== placement.legalBasis && (
            <p>Rettslig grunnlag blir {LEGAL_BASIS_LABEL[preview.legalBasis].toLowerCase()}.</p>
          )}
          {c.moved.length > 0 && (
            <table class="ds-table">
              <caption>Steg som flyttes</caption>
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  <th scope="col">Fra</th>
                  <th scope="col">Til</th>
                </tr>
              </thead>
              <tbody>
                {c.moved.map((m) => (
                  <tr key={m.taskId}>
                    <th scope="row">{m.title}</th>
                    <td>{formatDate(m.fromDueOn)}</td>
                    <td>{formatDate(m.toDueOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(
            [
              ['Steg som kommer til', c.added],
              ['Steg som faller bort', c.cancelled],
            ] as const
          ).map(
            ([title, list]) =>
              list.length > 0 && (
                <div key={title}>
                  <h4>{title}</h4>
                  <ul>
                    {list.map((t) => (
                      <li key={t.taskId}>
                        {t.title} (frist {formatDate(t.dueOn)})
                      </li>
                    ))}
                  </ul>
                </div>
              ),
          )}
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
