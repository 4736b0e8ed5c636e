export * from './calendar.js';
export * from './digest.js';
export * from './digest-sender.js';
export * from './directory.js';
export * from './mailer.js';
export * from './outbox.js';
export * from './people.js';
export * from './recipients.js';
