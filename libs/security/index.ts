export * from './access.js';
export * from './local-issuer.js';
export * from './policy.js';
export * from './principal.js';
export * from './token-verifier.js';
