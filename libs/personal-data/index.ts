export * from './envelope.js';
export * from './personal-data-store.js';
export * from './types.js';
export * from './order-texts.js';
