import { useEffect, useState } from 'preact/hooks';
import { Loading, Problem } from '../../components/Problem.js';
import { StatusMessage, useStatus, type Status } from '../../components/StatusMessage.js';
import type { ClosureDay, Municipality, Network, Region, Service } from '../../lib/admin.js';
import { Regions } from './Regions.js';
import { api, ApiError } from '../../lib/api.js';
import { formatDate } from '../../lib/labels.js';
import { useLoad } from '../../lib/use-load.js';
import { TextField } from './PeoplePage.js';

/**
 * Reference data (administrators): learning networks (add, rename), child-welfare services (rename,
 * move to another network), municipalities (which service each belongs to) and each service's closure
 * days. Every change goes through the API, which audits it.
 */
export function ReferenceDataPage() {
  // The region shown ('' : every region's data).
  const [region, setRegion] = useState('');
  const only = region ? `?region=${encodeURIComponent(region)}` : '';
  const regions = useLoad(() => api<Region[]>('/api/reference/regions'), []);
  const networks = useLoad(() => api<Network[]>(`/api/reference/networks${only}`), [only]);
  const services = useLoad(() => api<Service[]>(`/api/reference/services${only}`), [only]);
  const municipalities = useLoad(() => api<Municipality[]>(`/api/reference/municipalities${only}`), [only]);
  const status = useStatus();
  const reload = () => {
    regions.reload();
    networks.reload();
    services.reload();
    municipalities.reload();
  };
  const municipalityName = (id: string) => municipalities.data?.find((m) => m.id === id)?.name ?? id;
  const networkName = (id: string | null) =>
    id ? (networks.data?.find((n) => n.id === id)?.name ?? id) : 'Ingen';
  const serviceName = (id: string | null) =>
    id ? (services.data?.find((s) => s.id === id)?.name ?? id) : 'Ingen';

  return (
    <section class="admin-page">
      <h1 tabIndex={-1}>Referansedata</h1>
      <StatusMessage status={status} />
      {(networks.loading || services.loading) && !services.data && <Loading what="referansedata" />}
      <Problem error={networks.error ?? services.error ?? municipalities.error} />

      <h2>Regioner</h2>
      {regions.data && (
        <Regions regions={regions.data} shown={region} show={setRegion} status={status} reload={reload} />
      )}

      <h2>Læringsnettverk</h2>
      {networks.data && services.data && (
        <Networks networks={networks.data} serviceName={serviceName} status={status} reload={reload} />
      )}

      <h2>Barneverntjenester</h2>
      {services.data && networks.data && (
        <Services
          services={services.data}
          networks={networks.data}
          municipalityName={municipalityName}
          networkName={networkName}
          status={status}
          reload={reload}
        />
      )}

      <h2>Stengte dager</h2>
      {services.data && <ClosureDays services={services.data} status={status} />}

      <h2>Kommuner</h2>
      {municipalities.data && (
        <details class="ds-details">
          <summary>Vis alle kommuner ({municipalities.data.length})</summary>
          <div class="table-scroll">
            <table class="ds-table" data-border>
              <caption>Kommuner etter kommunenummer</caption>
              <thead>
                <tr>
                  <th scope="col">Nummer</th>
                  <th scope="col">Kommune</th>
                  <th scope="col">Barneverntjeneste</th>
                </tr>
              </thead>
              <tbody>
                {municipalities.data.map((m) => (
                  <tr key={m.id}>
                    <td>{m.number}</td>
                    <th scope="row">{m.name}</th>
                    <td>{serviceName(m.serviceId)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>En kommune flyttes til en annen tjeneste ved å endre tjenestens kommuner i API-et.</p>
        </details>
      )}
    </section>
  );
}

function fieldError(e: unknown, field: string): string | undefined {
  return e instanceof ApiError ? e.fieldReason(field) : undefined;
}

function Networks({
  networks,
  serviceName,
  status,
  reload,
}: {
  networks: readonly Network[];
  serviceName: (id: string) => string;
  status: Status;
  reload: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [newName, setNewName] = useState('');
  const [newError, setNewError] = useState<unknown>(null);

  const save = async (network: Network) => {
    setError(null);
    try {
      await api(`/api/reference/networks/${network.id}`, { method: 'PUT', body: { name } });
      setEditing(null);
      reload();
      status.show(`Læringsnettverket heter nå «${name.trim()}».`);
    } catch (e) {
      setError(e);
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setNewError(null);
    try {
      await api('/api/reference/networks', { method: 'POST', body: { name: newName } });
      reload();
      status.show(`Læringsnettverket «${newName.trim()}» er opprettet.`);
      setNewName('');
    } catch (err) {
      setNewError(err);
    }
  };

  return (
    <>
      <div class="table-scroll">
        <table class="ds-table" data-border>
          <caption>Læringsnettverk og tjenestene i dem</caption>
          <thead>
            <tr>
              <th scope="col">Navn</th>
              <th scope="col">Tjenester</th>
              <th scope="col">Handling</th>
            </tr>
          </thead>
          <tbody>
            {networks.map((n) => (
              <tr key={n.id}>
                <th scope="row">
                  {editing === n.id ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void save(n);
                      }}
                      class="inline-form"
                    >
                      <TextField
                        id={`network-name-${n.id}`}
                        label={`Nytt navn på ${n.name}`}
                        value={name}
                        onInput={setName}
                        error={fieldError(error, 'name')}
                      />
                      <button type="submit" class="ds-button" data-variant="primary" data-size="sm">
                        Lagre
                      </button>
                      <button
                        type="button"
                        class="ds-button"
                        data-variant="tertiary"
                        data-size="sm"
                        onClick={() => setEditing(null)}
                      >
                        Avbryt
                      </button>
                    </form>
                  ) : (
                    n.name
                  )}
                </th>
                <td>{n.serviceIds.map(serviceName).join(', ') || '–'}</td>
                <td>
                  {editing !== n.id && (
                    <button
                      type="button"
                      class="ds-button"
                      data-variant="secondary"
                      data-size="sm"
                      onClick={() => {
                        setEditing(n.id);
                        setName(n.name);
                        setError(null);
                      }}
                    >
                      Endre navn<span class="ds-sr-only"> på {n.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && !fieldError(error, 'name') ? <Problem error={error} /> : null}
      <form class="admin-form inline-form" onSubmit={(e) => void create(e)} noValidate>
        <TextField
          id="new-network-name"
          label="Nytt læringsnettverk"
          value={newName}
          onInput={setNewName}
          error={fieldError(newError, 'name')}
        />
        <button type="submit" class="ds-button" data-variant="secondary">
          Opprett læringsnettverk
        </button>
      </form>
      {newError && !fieldError(newError, 'name') ? <Problem error={newError} /> : null}
    </>
  );
}

function Services({
  services,
  networks,
  municipalityName,
  networkName,
  status,
  reload,
}: {
  services: readonly Service[];
  networks: readonly Network[];
  municipalityName: (id: string) => string;
  networkName: (id: string | null) => string;
  status: Status;
  reload: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ name: string; networkId: string }>({ name: '', networkId: '' });
  const [error, setError] = useState<unknown>(null);

  const save = async (service: Service) => {
    setError(null);
    try {
      await api(`/api/reference/services/${service.id}`, {
        method: 'PUT',
        body: {
          name: draft.name,
          hostMunicipalityId: service.hostMunicipalityId,
          memberMunicipalityIds: service.memberMunicipalityIds,
          networkId: draft.networkId || null,
        },
      });
      setEditing(null);
      reload();
      status.show(`«${draft.name.trim()}» er lagret.`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="table-scroll">
      <table class="ds-table" data-border>
        <caption>Barneverntjenester, vertskommune og kommuner</caption>
        <thead>
          <tr>
            <th scope="col">Navn</th>
            <th scope="col">Vertskommune</th>
            <th scope="col">Kommuner</th>
            <th scope="col">Læringsnettverk</th>
            <th scope="col">Handling</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) =>
            editing === s.id ? (
              <tr key={s.id}>
                <td colSpan={5}>
                  <form
                    class="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void save(s);
                    }}
                  >
                    <TextField
                      id={`service-name-${s.id}`}
                      label="Navn på tjenesten"
                      value={draft.name}
                      onInput={(name) => setDraft((d) => ({ ...d, name }))}
                      error={fieldError(error, 'name')}
                    />
                    <div class="ds-field">
                      <label class="ds-label" for={`service-network-${s.id}`}>
                        Læringsnettverk
                      </label>
                      <select
                        class="ds-input"
                        id={`service-network-${s.id}`}
                        value={draft.networkId}
                        onChange={(e) => setDraft((d) => ({ ...d, networkId: e.currentTarget.value }))}
                      >
                        <option value="">Ingen</option>
                        {networks.map((n) => (
                          <option key={n.id} value={n.id}>
                            {n.name}
                          </option>
                        ))}
                      </select>
                    </div>
                    <button type="submit" class="ds-button" data-variant="primary" data-size="sm">
                      Lagre
                    </button>
                    <button
                      type="button"
                      class="ds-button"
                      data-variant="tertiary"
                      data-size="sm"
                      onClick={() => setEditing(null)}
                    >
                      Avbryt
                    </button>
                    {error && !fieldError(error, 'name') ? <Problem error={error} /> : null}
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{municipalityName(s.hostMunicipalityId)}</td>
                <td>{s.memberMunicipalityIds.map(municipalityName).join(', ')}</td>
                <td>{networkName(s.networkId)}</td>
                <td>
                  <button
                    type="button"
                    class="ds-button"
                    data-variant="secondary"
                    data-size="sm"
                    onClick={() => {
                      setEditing(s.id);
                      setDraft({ name: s.name, networkId: s.networkId ?? '' });
                      setError(null);
                    }}
                  >
                    Endre<span class="ds-sr-only"> {s.name}</span>
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function ClosureDays({ services, status }: { services: readonly Service[]; status: Status }) {
  const [serviceId, setServiceId] = useState(services[0]?.id ?? '');
  const [days, setDays] = useState<ClosureDay[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!serviceId) return;
    let live = true;
    setDays(null);
    setLoadError(null);
    api<{ days: ClosureDay[] }>(`/api/reference/services/${serviceId}/closure-days`).then(
      (r) => live && setDays(r.days),
      (e: unknown) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [serviceId]);

  const name = services.find((s) => s.id === serviceId)?.name ?? '';
  const add = (e: Event) => {
    e.preventDefault();
    setLocalError(undefined);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setLocalError('velg en dato');
    if (days?.some((d) => d.date === date)) return setLocalError('datoen står allerede i listen');
    setDays((list) =>
      [...(list ?? []), { date, ...(reason.trim() ? { reason: reason.trim() } : {}) }].sort((a, b) =>
        a.date.localeCompare(b.date),
      ),
    );
    setDate('');
    setReason('');
  };
  const save = async () => {
    if (!days) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api<{ days: ClosureDay[] }>(`/api/reference/services/${serviceId}/closure-days`, {
        method: 'PUT',
        body: { days },
      });
      setDays(saved.days);
      status.show(`Stengte dager for ${name} er lagret (${saved.days.length}).`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="closure-days">
      <p>
        Helligdager, helger, julaften og nyttårsaften er stengt allerede. Nye planer og omplanlegginger tar
        hensyn til dagene; planer som er laget, beholder datoene sine.
      </p>
      <div class="ds-field">
        <label class="ds-label" for="closure-service">
          Tjeneste
        </label>
        <select
          class="ds-input"
          id="closure-service"
          value={serviceId}
          onChange={(e) => setServiceId(e.currentTarget.value)}
        >
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <Problem error={loadError} />
      {days === null && !loadError && <Loading what="stengte dager" />}
      {days && (
        <>
          {days.length === 0 ? (
            <p>Ingen egne stengte dager for {name}.</p>
          ) : (
            <table class="ds-table" data-border>
              <caption>Stengte dager for {name}</caption>
              <thead>
                <tr>
                  <th scope="col">Dato</th>
                  <th scope="col">Begrunnelse</th>
                  <th scope="col">Handling</th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{formatDate(d.date)}</th>
                    <td>{d.reason ?? '–'}</td>
                    <td>
                      <button
                        type="button"
                        class="ds-button"
                        data-variant="tertiary"
                        data-size="sm"
                        onClick={() => setDays((list) => (list ?? []).filter((x) => x.date !== d.date))}
                      >
                        Fjern<span class="ds-sr-only"> {formatDate(d.date)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form class="admin-form inline-form" onSubmit={add} noValidate>
            <TextField
              id="closure-date"
              label="Dato"
              type="date"
              value={date}
              onInput={setDate}
              error={localError}
            />
            <TextField
              id="closure-reason"
              label="Begrunnelse (valgfritt)"
              value={reason}
              onInput={setReason}
            />
            <button type="submit" class="ds-button" data-variant="secondary">
              Legg til dag
            </button>
          </form>
          <Problem error={error} />
          <button
            type="button"
            class="ds-button"
            data-variant="primary"
            disabled={busy}
            onClick={() => void save()}
          >
            Lagre stengte dager
          </button>
        </>
      )}
    </div>
  );
}
