import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { placementName } from '../../lib/labels.js';
import type { Placement } from '../../lib/types.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { Problem } from '../Problem.js';

/**
 * A leader annuls a placement registered by mistake («registrert ved feil»): asked first, naming what
 * follows (the package stops and the placement leaves the adherence figures; it stays in the list).
 */
export function AnnulPlacement({
  base,
  placement,
  onDone,
}: {
  base: string;
  placement: Placement;
  onDone: (m: string) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const name = placementName(placement.placementId);
  const annul = async () => {
    setAsking(false);
    setError(null);
    try {
      await api(`${base}/annul`, { method: 'POST', idempotencyKey: crypto.randomUUID(), body: {} });
      onDone('Plasseringen er annullert.');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="ds-card" aria-labelledby="annul-title">
      <h2 id="annul-title">Registrert ved feil?</h2>
      <p>Bare leder kan annullere en plassering som ble registrert ved feil.</p>
      <button
        type="button"
        class="ds-button"
        data-variant="primary"
        data-color="danger"
        onClick={() => setAsking(true)}
      >
        Annuller plasseringen
      </button>
      <Problem error={error} />
      <ConfirmDialog
        id="confirm-annul"
        open={asking}
        title={`Annullere ${name}?`}
        confirmLabel="Annuller plasseringen"
        danger
        onConfirm={() => void annul()}
        onCancel={() => setAsking(false)}
      >
        <p>
          Plasseringen ble registrert ved feil. Alle åpne steg faller bort, og plasseringen tas ut av tallene
          for etterlevelse. Den blir stående i listen som «Annullert». Dette kan ikke angres.
        </p>
      </ConfirmDialog>
    </section>
  );
}
