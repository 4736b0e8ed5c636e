import type { AppConfig } from '../../../libs/config/index.js';

/** The local issuer (demo users): as AUTH_LOCAL_ISSUER says, else on everywhere but in production. */
export const localIssuerEnabled = (config: AppConfig) =>
  config.AUTH_LOCAL_ISSUER ? config.AUTH_LOCAL_ISSUER === 'on' : config.NODE_ENV !== 'production';
