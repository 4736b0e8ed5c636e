import type { TaskStatus } from './types.js';

/**
 * A task status's Designsystemet colour (`data-color` on its `ds-tag`). The colour only supports the
 * status's words, which always stand in the tag: status is never told by colour alone.
 */
export const STATUS_COLOR: Readonly<
  Record<TaskStatus, 'danger' | 'warning' | 'success' | 'info' | 'neutral'>
> = {
  overdue: 'danger',
  'due-soon': 'warning',
  open: 'info',
  planned: 'neutral',
  completed: 'success',
  waived: 'neutral',
  cancelled: 'neutral',
};
