export * from './checkpointed-batch.js';
export * from './entities.js';
export * from './projector.js';
export * from './read-models.js';
export * from './rebuild.js';
