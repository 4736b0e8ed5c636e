import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { todayInOslo } from '../../lib/dates.js';
import { END_REASON_LABEL, formatDate, PAUSE_REASON_LABEL, placementName } from '../../lib/labels.js';
import { textOf } from '../../lib/form.js';
import type { Placement } from '../../lib/types.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { LabelSelect } from '../Field.js';
import { Problem } from '../Problem.js';

/** A command the user has filled in and must confirm before it is sent (pause and end). */
interface Pending {
  readonly kind: 'pause' | 'end';
  readonly data: Record<string, string>;
}

/** Pause, resume or end a placement's package; pausing and ending ask first, naming what follows. */
export function PauseResumeEnd({
  base,
  placement,
  onDone,
}: {
  base: string;
  placement: Placement;
  onDone: (m: string) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const send = async (path: string, data: Record<string, string>, message: string) => {
    setError(null);
    try {
      await api(`${base}/${path}`, { method: 'POST', idempotencyKey: crypto.randomUUID(), body: data });
      onDone(message);
    } catch (e) {
      setError(e);
    }
  };
  const fields = (event: Event, names: readonly string[]) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    return Object.fromEntries(names.map((n) => [n, textOf(form, n)]));
  };
  const confirm = () => {
    if (!pending) return;
    setPending(null);
    if (pending.kind === 'pause') void send('pause', pending.data, 'Omsorgspakken er satt på pause.');
    else void send('end', pending.data, 'Plasseringen er avsluttet.');
  };
  const name = placementName(placement.placementId);
  const today = todayInOslo();
  return (
    <section class="ds-card" aria-labelledby="status-title">
      <h2 id="status-title">Pause, gjenoppta eller avslutt</h2>
      {placement.status === 'active' ? (
        <form onSubmit={(e) => setPending({ kind: 'pause', data: fields(e, ['reason', 'from']) })}>
          <h3>Sett på pause</h3>
          <div class="field-row">
            <LabelSelect
              id="pause-reason"
              label="Årsak til pause"
              name="reason"
              labels={PAUSE_REASON_LABEL}
            />
            <div class="ds-field">
              <label class="ds-label" for="pause-from">
                Pause fra
              </label>
              <input class="ds-input" id="pause-from" name="from" type="date" required defaultValue={today} />
            </div>
          </div>
          <button class="ds-button" data-variant="primary" type="submit">
            Sett på pause
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void send('resume', fields(e, ['on']), 'Omsorgspakken er gjenopptatt.')}>
          <h3>Gjenoppta</h3>
          <div class="ds-field">
            <label class="ds-label" for="resume-on">
              Gjenoppta fra
            </label>
            <input class="ds-input" id="resume-on" name="on" type="date" required defaultValue={today} />
          </div>
          <button class="ds-button" data-variant="primary" type="submit">
            Gjenoppta
          </button>
        </form>
      )}
      <form onSubmit={(e) => setPending({ kind: 'end', data: fields(e, ['reason', 'endedOn']) })}>
        <h3>Avslutt plasseringen</h3>
        <div class="field-row">
          <LabelSelect id="end-reason" label="Årsak til avslutning" name="reason" labels={END_REASON_LABEL} />
          <div class="ds-field">
            <label class="ds-label" for="end-on">
              Avsluttet dato
            </label>
            <input class="ds-input" id="end-on" name="endedOn" type="date" required defaultValue={today} />
          </div>
        </div>
        <button type="submit" class="ds-button" data-variant="primary" data-color="danger">
          Avslutt plasseringen
        </button>
      </form>
      <Problem error={error} />

      <ConfirmDialog
        id="confirm-pause"
        open={pending?.kind === 'pause'}
        title={`Sette ${name} på pause?`}
        confirmLabel="Sett på pause"
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>Årsak: {PAUSE_REASON_LABEL[pending?.data.reason ?? ''] ?? '–'}.</p>
        <p>
          Omsorgspakken står stille fra {formatDate(pending?.data.from)}: ingen frister, påminnelser eller
          eskaleringer før den gjenopptas. Dagene på pause regnes ikke med i kravet til lovpålagte besøk, og
          åpne steg flyttes like mange dager når pakken gjenopptas.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        id="confirm-end"
        open={pending?.kind === 'end'}
        title={`Avslutte ${name}?`}
        confirmLabel="Avslutt plasseringen"
        danger
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>Årsak: {END_REASON_LABEL[pending?.data.reason ?? ''] ?? '–'}.</p>
        <p>
          Plasseringen avsluttes {formatDate(pending?.data.endedOn)}. Alle åpne steg i omsorgspakken faller
          bort, og pakken kan ikke gjenopptas. Dette kan ikke angres.
        </p>
      </ConfirmDialog>
    </section>
  );
}
