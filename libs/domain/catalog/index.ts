export * from './types.js';
export * from './applicability.js';
export * from './validate.js';
export * from './publish.js';
export * from './default-catalog.js';
