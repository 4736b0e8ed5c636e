export * from './occurrences.js';

export * from './statutory-plan.js';
export * from './timers.js';
export * from './task.js';
export { timerSettings } from './inputs.js';
export * from './plan-package.js';
export * from './plan-follow-ups.js';
export * from './adjust.js';
export * from './plan-ordinary.js';
