// Four tiers, each a Jest project with its own real dependencies (see README "Tests"):
//   unit         pure code, no servers
//   integration  real PostgreSQL (embedded, or TEST_DATABASE_URL)
//   workflows    real Temporal time-skipping test server
//   e2e          compiled API + worker processes on the Temporal dev server and PostgreSQL
//   browser      the web app in headless Chromium against that same real stack (one stack per run)
//   cluster      the production-shaped topology: the Temporal server's four services as processes of
//                their own on PostgreSQL, two workers, two APIs (npm run start:cluster)
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc },
  rootDir: import.meta.dirname,
};

export default {
  projects: [
    {
      ...base,
      displayName: 'unit',
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      testMatch: ['<rootDir>/{apps,libs,activities,workflows,web}/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/postgres.global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/postgres.global-teardown.mjs',
    },
    {
      ...base,
      displayName: 'workflows',
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      testMatch: ['<rootDir>/test/workflows/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/postgres.global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/postgres.global-teardown.mjs',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/e2e.global-setup.mjs',
    },
    {
      ...base,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/e2e.global-setup.mjs',
    },
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/browser.global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/browser.global-teardown.mjs',
    },
  ],
  testTimeout: 120_000,
  // Test files run in a worker process that is replaced once it holds more than this after a file. On a
  // 2-core machine Jest would otherwise run every file inside its own runner process (one worker: "in
  // band"), where the module registries of ~150 ESM test files grew past V8's 4 GB heap (2026-12-05).
  workerIdleMemoryLimit: '1GB',
};
