// The Nest module validates the environment when it is imported: import it only from apps.
export * from './config.js';
export * from './config.module.js';
