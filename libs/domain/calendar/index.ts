export * from './dates.js';
export * from './oslo-time.js';
export * from './working-days.js';
