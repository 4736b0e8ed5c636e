import { inboxStatus } from './task-inbox.js';

describe('inboxStatus', () => {
  it.each([
    [{ status: 'planned', overdue: false, dueSoon: false }, 'planned'],
    [{ status: 'open', overdue: false, dueSoon: false }, 'open'],
    [{ status: 'open', overdue: false, dueSoon: true }, 'due-soon'],
    [{ status: 'open', overdue: true, dueSoon: true }, 'overdue'],
    [{ status: 'completed', overdue: true, dueSoon: true }, 'completed'],
    [{ status: 'waived', overdue: false, dueSoon: false }, 'waived'],
    [{ status: 'cancelled', overdue: true, dueSoon: false }, 'cancelled'],
  ] as const)('%j → %s', (task, status) => expect(inboxStatus(task)).toBe(status));
});
