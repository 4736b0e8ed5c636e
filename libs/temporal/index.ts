export * from './temporal-client.module.js';
export * from './temporal.health.js';
