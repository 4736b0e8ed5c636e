export * from './mail-sink.js';
export * from './postgres.js';
export * from './temporal.js';
export * from './ports.js';
export * from './stack.js';
export * from './local-issuer-key.js';
export * from './processes.js';
export * from './supervisor.js';
