export * from './rule.js';
export * from './ledger.js';
export * from './risk.js';
