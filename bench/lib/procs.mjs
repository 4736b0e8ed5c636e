// What the processes of the benchmark cost, read from /proc (Linux only).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number.parseInt(out.stdout ?? '', 10);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** VmRSS and VmHWM (peak RSS since the process started) of a process, in bytes. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const bytes = (field) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024; // proc(5): "kB" means KiB
  };
  return { rssBytes: bytes('VmRSS'), peakRssBytes: bytes('VmHWM') };
}

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // Field numbers of proc(5) minus 3: ppid is field 4, utime 14, stime 15.
    return {
      pid,
      comm,
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every process below (and including) `root`. */
function tree(root) {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter(Boolean);
  const children = new Map();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const self = all.find((p) => p.pid === root);
  const result = self ? [self] : [];
  for (let i = 0; i < result.length; i++) result.push(...(children.get(result[i].pid) ?? []));
  return result;
}

/** CPU seconds the whole machine has spent busy (all cores, every process) since boot. */
function machineBusySeconds() {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  // user nice system idle iowait irq softirq steal ...
  const ticks = cpu.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4];
  return busy / CLOCK_TICKS;
}

/**
 * CPU seconds used so far by the benchmark's process tree, grouped by role, and by the whole machine.
 * `labels` maps known pids (worker, api) to names, which their child processes share (the API's cluster
 * processes); the rest are named by executable. Processes that exited are not counted.
 */
export function cpuSnapshot(labels) {
  const roles = {};
  const pids = {};
  for (const p of tree(process.pid)) {
    const role =
      labels[p.pid] ??
      labels[p.ppid] ??
      (p.pid === process.pid
        ? 'bench (client + no-op worker)'
        : p.comm.startsWith('postgres')
          ? 'postgresql'
          : p.comm === 'temporal'
            ? 'temporal dev server'
            : p.comm.startsWith('temporal-test') || p.comm === 'java'
              ? 'temporal test server'
              : p.comm);
    roles[role] = (roles[role] ?? 0) + p.cpuSeconds;
    pids[p.pid] = { role, cpuSeconds: p.cpuSeconds };
  }
  return { roles, pids, machine: machineBusySeconds() };
}

/**
 * CPU used between two snapshots, per role and by everything else on the machine (other users'
 * processes compete for the same cores), in seconds and in cores (seconds per wall-clock second).
 */
export function cpuDelta(before, after, wallMs) {
  const result = {};
  let ours = 0;
  const add = (role, used) => {
    if (used > 0.05) result[role] = { cpuSeconds: used, cores: used / (wallMs / 1000) };
  };
  // By process where both snapshots have them: a process that ended in between (a PostgreSQL parallel
  // or autovacuum worker) then does not take its earlier CPU out of its role's sum.
  const used = {};
  if (before.pids && after.pids) {
    for (const [pid, p] of Object.entries(after.pids))
      used[p.role] = (used[p.role] ?? 0) + Math.max(0, p.cpuSeconds - (before.pids[pid]?.cpuSeconds ?? 0));
  } else {
    for (const [role, seconds] of Object.entries(after.roles))
      used[role] = seconds - (before.roles[role] ?? 0);
  }
  for (const [role, seconds] of Object.entries(used)) {
    ours += Math.max(seconds, 0);
    add(role, seconds);
  }
  add('other processes on the machine', after.machine - before.machine - ours);
  return result;
}
