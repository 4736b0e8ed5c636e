// The only entry of the workflow bundle. Export every workflow function here.
export { systemProbe } from './system-probe.workflow.js';
export { placementPackage } from './placement-package.workflow.js';
export { notificationDigests } from './notification-digest.workflow.js';
export { kompetansebaseAssignment } from './kompetansebase-assignment.workflow.js';
