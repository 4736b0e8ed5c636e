import { DefaultLogger, Runtime } from '@temporalio/worker';

// Temporal's worker logs (webpack stats, state changes) at WARN and above only, so test output stays readable.
// No shutdown signals: by default the runtime takes SIGTERM to shut its workers down and keeps the
// process alive, so Jest could not end a worker process that ran a workflow test when it replaces it
// above `workerIdleMemoryLimit` (it waited for it forever: a pinned-clock run hung that way).
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
