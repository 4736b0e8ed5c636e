import { DefaultLogger, Runtime } from '@temporalio/worker';

// Temporal's worker logs (webpack stats, state changes) at WARN and above only, so test output stays readable.
Runtime.install({ logger: new DefaultLogger('WARN') });
