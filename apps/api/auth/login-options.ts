import type { AppConfig } from '../../../libs/config/config.js';
import { localIssuerOn } from '../../../libs/security/local-issuer.js';

/** The local issuer (demo users): as AUTH_LOCAL_ISSUER says, else on everywhere but in production. */
export const localIssuerEnabled = (config: AppConfig) => localIssuerOn(config);

export interface LoginOptions {
  readonly localIssuer: boolean;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly scope: string } | null;
}

/** How the web app may log people in (GET /api/auth/config): no secrets, only what a browser needs. */
export function loginOptions(config: AppConfig): LoginOptions {
  const { WEB_OIDC_ISSUER: issuer, WEB_OIDC_CLIENT_ID: clientId, WEB_OIDC_SCOPE: scope } = config;
  return {
    localIssuer: localIssuerEnabled(config),
    oidc: issuer && clientId ? { issuer, clientId, scope } : null,
  };
}
