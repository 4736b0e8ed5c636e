/**
 * Decisions: given the state, a command (with what the planner worked out for it) and the time, which
 * events happen, or why not. Pure: time comes in as `now` (the workflow's deterministic clock), so the
 * same inputs always decide the same. Every command maps to its events here; the workflow only waits,
 * asks the planner, calls a decider and appends.
 *
 * - decide/tasks.ts: complete, waive, reassign, ad-hoc task, follow-ups
 * - decide/placement.ts: register, change, reduction, pause, resume, end
 * - decide/replan.ts: the difference between a plan and a re-plan, and its events
 * - decide/time.ts: what the clock makes happen (open, remind, overdue, escalate) and when to wake up
 */
export * from './decide/tasks.js';
export * from './decide/placement.js';
export * from './decide/replan.js';
export * from './decide/explain-change.js';
export * from './decide/time.js';
export { PACKAGE_GRACE_DAYS } from './decide/time.js';
export * from './decide/ordinary.js';
