import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalIssuer, localIssuerOn } from '../security/local-issuer.js';

/** The local issuer's key in a data directory of `npm start` (development only). */
export const LOCAL_ISSUER_KEY_FILE = 'local-issuer-key.json';

/**
 * The key the local issuer signs demo tokens with, for the API processes of one local system: kept in
 * `<dataDir>/local-issuer-key.json` (readable by its owner only) when the data is kept, so that tokens,
 * and with them open browser sessions, survive a restart; otherwise made once, in memory. None when
 * the local issuer is off, as it always is in production: then nothing is written.
 */
export async function localIssuerKey(
  dataDir: string,
  persistent: boolean,
  env: { readonly NODE_ENV?: string; readonly AUTH_LOCAL_ISSUER?: string },
): Promise<string | undefined> {
  if (!localIssuerOn(env)) return undefined;
  if (!persistent) return LocalIssuer.newKey();
  const file = join(dataDir, LOCAL_ISSUER_KEY_FILE);
  try {
    const stored = readFileSync(file, 'utf8');
    await LocalIssuer.create('check', stored); // a key that cannot be read is replaced below
    return stored;
  } catch {
    // none yet (or unusable): make one
  }
  const key = await LocalIssuer.newKey();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600); // also when an unusable file was there before
  return key;
}
