import { useEffect, useState } from 'preact/hooks';
import { Loading, Problem } from '../components/Problem.js';
import { api } from '../lib/api.js';
import { ROLE_LABEL } from '../lib/labels.js';
import { navigate } from '../lib/router.js';
import {
  authConfig,
  completeOidcLogin,
  loginAsDemoUser,
  loginWithOidc,
  sessionExpired,
} from '../lib/session.js';
import type { Role } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

interface DemoUser {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly name?: string;
}

export function LoginPage() {
  const config = useLoad(authConfig, []);
  const demo = useLoad(
    () => (config.data?.localIssuer ? api<DemoUser[]>('/api/dev/users') : Promise.resolve([])),
    [config.data?.localIssuer],
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [expired] = useState(sessionExpired);

  const demoLogin = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const userId = new FormData(form).get('demoUser');
    if (typeof userId !== 'string' || !userId) return;
    setBusy(true);
    setError(null);
    try {
      await loginAsDemoUser(userId);
      navigate('/', true);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const oidc = config.data?.oidc;
  return (
    <section aria-labelledby="login-title" class="narrow">
      <h1 id="login-title" tabIndex={-1}>
        Logg inn
      </h1>
      {expired && (
        <p class="ds-alert" data-color="warning" role="status">
          Økten din er utløpt. Logg inn igjen for å fortsette der du var.
        </p>
      )}
      {config.loading && <Loading what="innloggingsvalg" />}
      <Problem error={config.error ?? error} />
      {oidc && (
        <div class="ds-card">
          <h2>Med virksomhetens innlogging</h2>
          <p>Du sendes til innloggingstjenesten og kommer tilbake hit når du er logget inn.</p>
          <button
            class="ds-button"
            data-variant="primary"
            type="button"
            onClick={() => void loginWithOidc(oidc).catch((e: unknown) => setError(e))}
            disabled={busy}
          >
            Logg inn
          </button>
        </div>
      )}
      {config.data?.localIssuer && (
        <form class="ds-card" onSubmit={(e) => void demoLogin(e)}>
          <h2>Demobruker (kun utvikling)</h2>
          <p>
            Den lokale utstederen lager ekte, signerte tokener for demobrukerne. Den er aldri på i produksjon.
          </p>
          {demo.loading && <Loading what="demobrukere" />}
          <fieldset class="ds-fieldset">
            <legend class="ds-label">Velg demobruker</legend>
            {(demo.data ?? []).map((u) => (
              <div class="ds-field" key={u.userId}>
                <input
                  class="ds-input"
                  type="radio"
                  name="demoUser"
                  id={`demo-${u.userId}`}
                  value={u.userId}
                  required
                />
                <label class="ds-label" for={`demo-${u.userId}`}>
                  {u.name ?? u.userId}{' '}
                  <span class="muted">
                    ({[u.userId, ...u.roles.map((r) => ROLE_LABEL[r] ?? r)].join(', ')})
                  </span>
                </label>
              </div>
            ))}
          </fieldset>
          <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
            Logg inn som demobruker
          </button>
        </form>
      )}
      {config.data && !oidc && !config.data.localIssuer && (
        <p role="alert">Ingen innlogging er satt opp. Kontakt driftsansvarlig.</p>
      )}
    </section>
  );
}

/** Back from the OIDC issuer: `?code=…&state=…`. */
export function OidcCallbackPage() {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    authConfig()
      .then((c) => {
        if (!c.oidc) throw new Error('OIDC-innlogging er ikke satt opp.');
        return completeOidcLogin(c.oidc);
      })
      .then(() => navigate('/', true))
      .catch((e: unknown) => setError(e));
  }, []);
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>Logger inn …</h1>
      {error ? (
        <>
          <Problem error={error} />
          <p>
            <a href="/logg-inn">Prøv igjen</a>
          </p>
        </>
      ) : (
        <Loading what="innlogging" />
      )}
    </section>
  );
}
