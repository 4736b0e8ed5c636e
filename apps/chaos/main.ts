/**
 * `npm run chaos`: the chaos run of apps/chaos/chaos.ts on this machine's loopback, bounded (10 minutes
 * by default) and stopping by itself. Prints each kill and the final counts; exits 1 when anything
 * acknowledged was lost or duplicated, something was applied without a record, a placement could not
 * take a command, or a read model or workflow differs from its events.
 *
 *   npm run chaos -- [--minutes 10] [--clients 3] [--kill-every 20-40] [--keep DIR]
 */
import { parseArgs } from 'node:util';
import { failures, runChaos } from './chaos.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '3' },
    'kill-every': { type: 'string', default: '20-40' },
    keep: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const clients = Number(values.clients);
const [min, max] = values['kill-every'].split('-').map(Number);
if (!(minutes > 0 && minutes <= 120) || !(clients >= 1 && clients <= 20) || !(min > 0 && max >= min)) {
  process.stderr.write(
    'usage: npm run chaos -- [--minutes 1-120] [--clients 1-20] [--kill-every MIN-MAX seconds]\n',
  );
  process.exit(2);
}

const report = await runChaos({
  durationMs: minutes * 60_000,
  clients,
  killEveryMs: [min * 1000, max * 1000],
  log: (line) => process.stdout.write(`${line}\n`),
  ...(values.keep ? { dataDir: values.keep } : {}),
});
const problems = failures(report);
process.stdout.write(
  problems.length === 0 ? 'chaos: all checks passed\n' : `chaos: ${problems.join('; ')}\n`,
);
process.exit(problems.length === 0 ? 0 : 1);
