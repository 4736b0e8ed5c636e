import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema } from '../../libs/config/config.js';

/**
 * There is no Docker engine on our machines, so docker-compose.yml cannot be run here. What can be
 * checked is checked: a real Compose implementation (Debian's docker-compose, installed by
 * scripts/tools.sh) parses and validates it, and the apps' configuration accepts the environment it gives.
 */
/** A required secret (`${NAME:?message}`) as an operator would set it. */
const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

describe('docker-compose.yml', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));

  it('is valid for Compose', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PERSONAL_DATA_KEY: TEST_KEY },
    });
    if (result.error)
      throw new Error(
        `docker-compose is not installed (scripts/tools.sh installs it): ${result.error.message}`,
      );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('gives the api and the worker a configuration that passes validation', () => {
    const compose = parse(readFileSync(`${root}/docker-compose.yml`, 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; build?: { target: string } }>;
    };
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      expect(service.build?.target).toBe(name);
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [
          k,
          v.replace(/\$\{[^}:]+:-([^}]*)\}/g, '$1').replace(/\$\{[^}:]+:\?[^}]*\}/g, TEST_KEY),
        ]),
      );
      expect(configSchema.safeParse(env).error?.issues ?? []).toEqual([]);
    }
    const dockerfile = readFileSync(`${root}/Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(/^FROM runtime AS api$/m);
    expect(dockerfile).toMatch(/^FROM runtime AS worker$/m);
  });
});
