export * from './catalog-store.js';
