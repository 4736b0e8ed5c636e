/**
 * Prebuilds the workflow bundle for production (`node dist/apps/worker/bundle.js <out.js>`), so that
 * workers start without webpack and every worker of a release runs byte-identical workflow code.
 * Point WORKFLOW_BUNDLE_PATH at the file.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { workflowsEntry } from './workflows-entry.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node dist/apps/worker/bundle.js <out.js>\n');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntry() });
writeFileSync(out, code);
process.stdout.write(`workflow bundle written to ${out} (${(code.length / 1024).toFixed(0)} KiB)\n`);
