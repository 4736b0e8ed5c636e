import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_ISSUER_KEY_FILE, localIssuerKey } from './local-issuer-key.js';

describe("the local issuer's key for npm start", () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'omsorg-key-'));

  it('is kept in the data directory, readable by its owner only, and the same at the next start', async () => {
    const dataDir = dir();
    const first = await localIssuerKey(dataDir, true, { NODE_ENV: 'development' });
    expect(statSync(join(dataDir, LOCAL_ISSUER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await localIssuerKey(dataDir, true, { NODE_ENV: 'development' })).toBe(first);
  });

  it('is never written in production, nor with the local issuer off', async () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'development', AUTH_LOCAL_ISSUER: 'off' }]) {
      const dataDir = dir();
      expect(await localIssuerKey(dataDir, true, env)).toBeUndefined();
      expect(existsSync(join(dataDir, LOCAL_ISSUER_KEY_FILE))).toBe(false);
    }
  });

  it('is made anew, and not stored, for a throwaway system', async () => {
    const dataDir = dir();
    expect(await localIssuerKey(dataDir, false, {})).not.toBe(await localIssuerKey(dataDir, false, {}));
    expect(existsSync(join(dataDir, LOCAL_ISSUER_KEY_FILE))).toBe(false);
  });
});
