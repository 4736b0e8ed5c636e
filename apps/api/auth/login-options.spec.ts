import { parseConfig } from '../../../libs/config/config.js';
import { loginOptions } from './login-options.js';
import { contentSecurityDirectives } from '../web/web-app.js';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };
const oidc = {
  WEB_OIDC_ISSUER: 'https://login.example/realms/omsorg',
  WEB_OIDC_CLIENT_ID: 'omsorgspakken-web',
};

describe('how the web app logs in', () => {
  it('offers the demo users in development, and no OIDC unless configured', () => {
    expect(loginOptions(parseConfig(base))).toEqual({ localIssuer: true, oidc: null });
  });

  it('offers only OIDC in production: the local issuer (demo users) is off', () => {
    const config = parseConfig({
      ...base,
      ...oidc,
      NODE_ENV: 'production',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(loginOptions(config)).toEqual({
      localIssuer: false,
      oidc: { issuer: oidc.WEB_OIDC_ISSUER, clientId: 'omsorgspakken-web', scope: 'openid' },
    });
  });

  it('lets the page talk to this origin, and to the OIDC issuer when there is one', () => {
    expect(contentSecurityDirectives(parseConfig(base))).toEqual({ connectSrc: ["'self'"] });
    expect(contentSecurityDirectives(parseConfig({ ...base, ...oidc }))).toEqual({
      connectSrc: ["'self'", 'https://login.example'],
    });
  });
});
