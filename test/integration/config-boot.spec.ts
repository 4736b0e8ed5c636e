import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A bad or missing variable must stop start-up with a message naming the variable. */
describe('boot with bad configuration', () => {
  const api = new URL('../../dist/apps/api/main.js', import.meta.url).pathname;

  beforeAll(() => {
    if (!existsSync(api)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  });

  it.each([
    [{}, /DATABASE_URL: is required/],
    [{ DATABASE_URL: 'postgres://x@127.0.0.1:1/db', API_PORT: '99999' }, /API_PORT/],
    [
      { DATABASE_URL: 'postgres://x@127.0.0.1:1/db', TEMPORAL_ADDRESS: 'nowhere' },
      /TEMPORAL_ADDRESS: must be host:port/,
    ],
  ])('refuses %j', (env, message) => {
    const result = spawnSync(process.execPath, [api], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
