import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starting and stopping the local servers' processes (PostgreSQL, the Temporal dev server, the apps),
 * with a bound on every stop. Linux: processes left behind by an earlier run are recognised in /proc.
 */

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process we started: its exit as a promise, and a stop that always ends within a bound. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<Exit>;
  /** True once it has exited. */
  hasExited(): boolean;
  /**
   * Asks it to stop with `signal`; after `graceMs` (or at once if it has exited already) it is killed
   * with SIGKILL. Resolves when it has exited.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

export interface ManageOptions {
  /** The signal that asks this program to stop cleanly (PostgreSQL: SIGINT, "fast shutdown"). */
  readonly stopSignal?: NodeJS.Signals;
  /** How long it may take to stop cleanly before SIGKILL. */
  readonly stopGraceMs?: number;
}

export function manage(name: string, child: ChildProcess, options: ManageOptions = {}): ManagedProcess {
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  // A failure to spawn (ENOENT) also ends in 'exit'; the error itself must not crash the process.
  child.on('error', () => undefined);
  let stopping: Promise<Exit> | undefined;
  return {
    name,
    child,
    pid: child.pid,
    exited,
    hasExited: () => exit !== undefined,
    stop(signal = options.stopSignal ?? 'SIGTERM', graceMs = options.stopGraceMs ?? 10_000) {
      stopping ??= (async () => {
        if (exit) return exit;
        child.kill(signal);
        const grace = new AbortController(); // no timer left behind once it has exited
        const timer = sleep(graceMs, 'timeout' as const, { signal: grace.signal }).catch(() => 'cancelled');
        const first = await Promise.race([exited, timer]);
        grace.abort();
        if (first === 'timeout') child.kill('SIGKILL');
        return exited;
      })();
      return stopping;
    },
  };
}

/** The command line of a running process, or undefined when there is none with that pid. */
export function commandLine(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return undefined; // exited, not reaped
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/**
 * Stops a process that is not our child (one left behind by a launcher that was killed), but only if
 * its command line shows it is the one we mean: a pid from a file may belong to anyone after a crash.
 * Returns true if such a process was found (and is now gone).
 */
export async function stopLeftover(
  pid: number,
  isOurs: (argv: readonly string[]) => boolean,
  { signal = 'SIGTERM', graceMs = 10_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<boolean> {
  const argv = commandLine(pid);
  if (!argv || !isOurs(argv)) return false;
  const gone = () => commandLine(pid) === undefined;
  const send = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // exited meanwhile
    }
  };
  send(signal);
  for (const deadline = Date.now() + graceMs; Date.now() < deadline && !gone();) await sleep(100);
  if (!gone()) send('SIGKILL');
  for (const deadline = Date.now() + 5_000; Date.now() < deadline && !gone();) await sleep(50);
  return true;
}

/** A child's output, line by line (node:readline), into `write`. */
export function eachLine(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', write);
}
