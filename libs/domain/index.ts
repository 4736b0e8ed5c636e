export * from './vocabulary.js';
export * from './plan.js';
export * from './catalog/index.js';
export * from './calendar/index.js';
export * from './planner/index.js';
export * from './statutory/index.js';
