// The worker's heap snapshots (WORKER_HEAP_SNAPSHOT_DIR: apps/worker/worker.service.ts): asking
// for them at a quiet checkpoint and reading a snapshot's live size. A snapshot is taken after a full GC,
// so its size is live memory, whatever the machine's load.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './stats.mjs';

/** Total self size (bytes) and node count of a V8 heap snapshot file. */
export function heapSnapshotSize(path) {
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const selfSize = fields.indexOf('self_size');
  let bytes = 0;
  for (let i = selfSize; i < snapshot.nodes.length; i += fields.length) bytes += snapshot.nodes[i];
  return { bytes, nodes: snapshot.nodes.length / fields.length };
}

/**
 * Asks the worker to write its heap snapshots number `n` into `dir`, waits until its log says they
 * are written (or `timeoutMs`), and returns the live heap (MB) of its main and workflow threads.
 */
export async function workerHeapSnapshots({ dir, logDir, n, timeoutMs = 120_000 }) {
  writeFileSync(join(dir, 'request'), '');
  const deadline = Date.now() + timeoutMs;
  const written = () =>
    readFileSync(join(logDir, 'worker.log'), 'utf8')
      .split('\n')
      .some((l) => l.includes('"heap snapshots written"') && l.includes(`"snapshot":${n},`));
  while (!written()) {
    if (Date.now() > deadline) throw new Error(`the worker wrote no heap snapshot ${n} in ${timeoutMs} ms`);
    await sleep(250);
  }
  const MB = 1e6;
  const size = (name) => {
    const path = join(dir, name);
    return existsSync(path) ? Math.round((heapSnapshotSize(path).bytes / MB) * 10) / 10 : undefined;
  };
  return { mainHeapMB: size(`main-${n}.heapsnapshot`), workflowHeapMB: size(`workflows-${n}.heapsnapshot`) };
}
