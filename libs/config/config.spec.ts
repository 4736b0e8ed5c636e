import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

  it('applies the embedded defaults', () => {
    const config = parseConfig(valid);
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.TEMPORAL_TASK_QUEUE).toBe('omsorgspakken');
  });

  it('names a missing variable', () => {
    expect(() => parseConfig({})).toThrow(/DATABASE_URL: is required/);
  });

  it('names every bad variable at once', () => {
    try {
      parseConfig({ ...valid, API_PORT: 'eighty', TEMPORAL_ADDRESS: 'no-port' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
      expect(variables).toEqual(['API_PORT', 'TEMPORAL_ADDRESS']);
    }
  });

  it('rejects a non-postgres database URL', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
  });

  it('takes the OIDC issuer and client id of the web app together or not at all', () => {
    const both = { ...valid, WEB_OIDC_ISSUER: 'https://idp.example/realm', WEB_OIDC_CLIENT_ID: 'omsorg-web' };
    expect(parseConfig(both)).toMatchObject({ WEB_OIDC_CLIENT_ID: 'omsorg-web', WEB_OIDC_SCOPE: 'openid' });
    expect(() => parseConfig({ ...valid, WEB_OIDC_ISSUER: 'https://idp.example' })).toThrow(
      /WEB_OIDC_CLIENT_ID: is required/,
    );
  });
});
