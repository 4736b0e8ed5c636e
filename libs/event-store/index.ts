export * from './event-record.entity.js';
export * from './event-store.js';
export * from './ids.js';
