export * from './data-source.js';
export * from './database.module.js';
export * from './group-commit.js';
export * from './prepared.js';
