import { useState } from 'preact/hooks';
import type { Status } from '../../components/StatusMessage.js';
import type { Region } from '../../lib/admin.js';
import { api, ApiError } from '../../lib/api.js';

interface RegionLoad {
  readonly region: Region;
  readonly changed: boolean;
  readonly changes: readonly { action: string; name: string }[];
}

/**
 * The regions (each owns its municipalities, services and learning networks, and chooses a catalog
 * version), a choice of whose data the page shows, and a region's data file (data/regions/<code>.json)
 * loaded through the API: idempotent, a file loaded before changes nothing.
 */
export function Regions(props: {
  regions: readonly Region[];
  shown: string;
  show: (code: string) => void;
  status: Status;
  reload: () => void;
}) {
  const [error, setError] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (input: HTMLInputElement) => {
    const picked = input.files?.[0];
    if (!picked) return;
    setError(null);
    setBusy(true);
    try {
      let file: { code?: unknown };
      try {
        file = JSON.parse(await picked.text()) as { code?: unknown };
      } catch {
        setError([`${picked.name} er ikke gyldig JSON.`]);
        return;
      }
      const code = typeof file.code === 'string' ? file.code : '';
      const loaded = await api<RegionLoad>(`/api/reference/regions/${encodeURIComponent(code || '-')}`, {
        method: 'PUT',
        body: file,
      });
      props.status.show(
        loaded.changed
          ? `${loaded.region.name} er lastet inn: ${loaded.changes.length} endringer.`
          : `${loaded.region.name}: ingen endringer, dataene var allerede slik filen sier.`,
      );
      props.reload();
    } catch (e) {
      if (e instanceof ApiError)
        setError([e.detail ?? e.title, ...e.errors.map((f) => `${f.field}: ${f.reason}`)]);
      else setError(['Noe gikk galt. Prøv igjen.']);
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  return (
    <div class="regions">
      <table class="ds-table" data-border>
        <caption>Regioner og katalogversjonen hver region har valgt</caption>
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col">Kode</th>
            <th scope="col">Katalogversjon</th>
            <th scope="col">Kommuner</th>
            <th scope="col">Tjenester</th>
            <th scope="col">Nettverk</th>
          </tr>
        </thead>
        <tbody>
          {props.regions.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              <td>{r.code}</td>
              <td>{r.catalogVersion ?? 'Ikke valgt'}</td>
              <td>{r.municipalities}</td>
              <td>{r.services}</td>
              <td>{r.networks}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="ds-field">
        <label class="ds-label" for="region-shown">
          Vis referansedata for
        </label>
        <select
          class="ds-input"
          id="region-shown"
          value={props.shown}
          onChange={(e) => props.show(e.currentTarget.value)}
        >
          <option value="">Alle regioner</option>
          {props.regions.map((r) => (
            <option key={r.id} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div class="ds-field">
        <label class="ds-label" for="region-file">
          Last inn en regionfil (JSON, se README: «Regions»)
        </label>
        <input
          class="ds-input"
          id="region-file"
          type="file"
          accept="application/json,.json"
          disabled={busy}
          onChange={(e) => void upload(e.currentTarget)}
        />
      </div>
      {error && (
        <div class="ds-alert" data-color="danger" role="alert">
          <ul>
            {error.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
