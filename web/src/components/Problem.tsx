import { ApiError } from '../lib/api.js';

/**
 * An error from the API (problem+json) or the network, said in words, announced to screen readers:
 * Designsystemet's alert in the danger colour.
 */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  let text = 'Noe gikk galt. Prøv igjen.';
  if (error instanceof ApiError) {
    text = error.status === 404 ? 'Finnes ikke, eller du har ikke tilgang.' : (error.detail ?? error.title);
  } else if (error instanceof TypeError) {
    // fetch() rejects with a TypeError when the request never got an answer (network, server down).
    text = 'Fikk ikke kontakt med tjenesten. Sjekk nettforbindelsen, og prøv igjen.';
  } else if (error instanceof Error && error.message) text = error.message;
  return (
    <div class="ds-alert" data-color="danger" role="alert">
      <p>{text}</p>
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul class="ds-list">
          {error.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Henter {what} …
    </p>
  );
}
