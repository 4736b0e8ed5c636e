export * from './checkpointed-batch.js';
export * from './projector.js';
export * from './read-models/index.js';
export * from './rebuild.js';
