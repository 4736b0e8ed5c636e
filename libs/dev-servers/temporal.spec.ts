import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServer, startTimeSkippingServer } from './temporal.js';

describe('resolveServer', () => {
  const emptyCache = () => mkdtempSync(join(tmpdir(), 'omsorg-cache-'));

  it('honours an override and rejects one that is not executable', () => {
    expect(() => resolveServer('cli', { TEMPORAL_CLI_PATH: '/nonexistent/temporal' })).toThrow(
      /TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable file/,
    );
    expect(resolveServer('cli', { TEMPORAL_CLI_PATH: '/bin/sh' })).toEqual({
      type: 'existing-path',
      path: '/bin/sh',
    });
  });

  it('finds the newest build in the cache', () => {
    const cache = emptyCache();
    for (const v of ['v1.4.0', 'v1.5.1']) {
      mkdirSync(join(cache, 'temporal-cli', v), { recursive: true });
      writeFileSync(join(cache, 'temporal-cli', v, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    }
    expect(resolveServer('cli', { OMSORG_CACHE: cache })).toEqual({
      type: 'existing-path',
      path: join(cache, 'temporal-cli', 'v1.5.1', 'temporal'),
    });
  });

  it("falls back to the SDK's own download when nothing was built", () => {
    const cache = emptyCache();
    expect(resolveServer('test-server', { OMSORG_CACHE: cache })).toEqual({
      type: 'cached-download',
      downloadDir: join(cache, 'sdk-download'),
    });
  });

  it('fails with a message that says what to install when no server can be had', async () => {
    // A "server" that exits at once: the SDK's readiness check fails, and we say how to fix it.
    const cache = emptyCache();
    const fake = join(cache, 'fake-server');
    writeFileSync(fake, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    await expect(
      startTimeSkippingServer({ TEMPORAL_TEST_SERVER_PATH: fake }, { attempts: 1 }),
    ).rejects.toThrow(/Could not start the Temporal time-skipping test server[\s\S]*install Java and Maven/);
  });
});
