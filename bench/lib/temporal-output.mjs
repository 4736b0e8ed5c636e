// The Temporal servers inherit the benchmark's stderr and warn there (the dev server logs a "Slow gRPC
// call" line for every slow Update, thousands under load). So the engine benchmark runs itself as a
// child, files the servers' lines under bench-results/logs/temporal-servers.log and counts them.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SERVER_LINE = /^(time=\S+ level=|SLF4J:)|temporal(io)?_sdk_core/;
const CHILD = 'BENCH_ENGINE_CHILD';

/**
 * In the benchmark's own process (not yet the child): runs `script` again as a child with the same
 * arguments, sorts its output (the servers' lines to the log, the rest through), adds the count to the
 * result JSON and exits with the child's status. In the child: returns at once.
 */
export async function fileTemporalOutput({ script, logDir, resultPath }) {
  if (process.env[CHILD]) return;
  rmSync(logDir, { recursive: true, force: true });
  rmSync(resultPath, { force: true });
  mkdirSync(logDir, { recursive: true });
  const serverLogPath = join(logDir, 'temporal-servers.log');
  const serverLog = createWriteStream(serverLogPath);
  const child = spawn(process.execPath, [script, ...process.argv.slice(2)], {
    env: { ...process.env, [CHILD]: '1' },
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  // A terminal's Ctrl-C reaches the child too; a signal sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const warnings = { lines: 0, slowGrpcCalls: 0 };
  const sort = (input, output) =>
    new Promise((resolve) =>
      createInterface({ input })
        .on('line', (line) => {
          if (!SERVER_LINE.test(line)) return void output.write(`${line}\n`);
          serverLog.write(`${line}\n`);
          warnings.lines++;
          if (line.includes('Slow gRPC call')) warnings.slowGrpcCalls++;
        })
        .once('close', resolve),
    );
  const sorted = Promise.all([sort(child.stdout, process.stdout), sort(child.stderr, process.stderr)]);
  const code = await new Promise((resolve) =>
    child.once('close', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
  );
  await sorted;
  await new Promise((resolve) => serverLog.end(resolve));
  if (existsSync(resultPath)) {
    const saved = JSON.parse(readFileSync(resultPath, 'utf8'));
    saved.temporalServerLog = { path: serverLogPath, ...warnings };
    writeFileSync(resultPath, JSON.stringify(saved, null, 2) + '\n');
  }
  process.stdout.write(
    `Temporal server output: ${warnings.lines} lines, ${warnings.slowGrpcCalls} "Slow gRPC call" warnings ` +
      `(${serverLogPath})\n`,
  );
  process.exit(code);
}
