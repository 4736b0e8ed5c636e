export * from './vocabulary.js';
export * from './catalog.js';
export * from './plan.js';
export * from './events.js';
export * from './state.js';
export * from './decide.js';
