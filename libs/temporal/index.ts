export * from './temporal-client.module.js';
export * from './temporal.health.js';
export * from './placement-commands.js';
