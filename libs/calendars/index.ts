export * from './service-calendars.js';
