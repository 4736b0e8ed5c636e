/** Layer rules (see README "Layout"): executable architecture, run by `npm run lint:deps`. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is pure TypeScript: no other lib, no I/O packages, no Node builtins.',
      severity: 'error',
      from: { path: '^libs/domain', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: ['^libs/domain', '^node_modules/(date-holidays|@date-fns/tz|date-fns)'] },
    },
    {
      name: 'workflows-only-domain',
      comment: 'Workflow code may import @temporalio/workflow, libs/domain and (types of) activities only.',
      severity: 'error',
      from: { path: '^workflows' },
      to: {
        pathNot: [
          '^workflows',
          '^libs/domain',
          '^activities/.*',
          '^node_modules/@temporalio/(workflow|common)',
          '^node_modules/(date-holidays|@date-fns/tz|date-fns)',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-activities-types-only',
      severity: 'error',
      from: { path: '^workflows' },
      to: { path: '^activities', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-builtins-in-workflows',
      severity: 'error',
      from: { path: '^(workflows|libs/domain)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'apps-are-independent',
      comment: 'An app never imports another app (test support may drive them).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^(libs|activities|workflows)' },
      to: { path: '^apps' },
    },
    {
      name: 'only-contracts-leave-workflows',
      comment:
        'Outside workflows/ only the *-contracts.ts files (names, ids, payload and message types) are imported; workflow code is loaded by the worker from the bundle.',
      severity: 'error',
      from: { pathNot: '^workflows' },
      to: { path: '^workflows/(?!.*-contracts\\.ts$)' },
    },
    {
      name: 'fixtures-are-not-production-code',
      comment:
        'libs/fixtures builds test data (for the tests, and compiled for the benchmarks and scripts): no production code imports it.',
      severity: 'error',
      from: { path: '^(apps|libs|activities|workflows)', pathNot: ['^libs/fixtures', '\\.spec\\.ts$'] },
      to: { path: '^libs/fixtures' },
    },
    {
      name: 'web-is-browser-code',
      comment:
        'The web app (web/) runs in the browser: it talks to the server over HTTP only, never by importing it. ' +
        'The one exception are the words of the domain: its vocabulary and their labels in bokmål ' +
        '(libs/domain/vocabulary.ts, labels.ts), declared once for the screens and the API’s reports alike.',
      severity: 'error',
      from: { path: '^web/', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: [
          '^web/',
          '^node_modules/(preact|oauth4webapi)(/|$)',
          '^libs/domain/(vocabulary|labels)\\.ts$',
        ],
      },
    },
    {
      name: 'words-shared-with-the-web-stand-alone',
      comment:
        'What the web app imports from libs/domain imports nothing else: anything it imported would go into the browser bundle.',
      severity: 'error',
      from: { path: '^libs/domain/(vocabulary|labels)\\.ts$' },
      to: { pathNot: '^libs/domain/(vocabulary|labels)\\.ts$' },
    },
    {
      name: 'server-does-not-import-web',
      severity: 'error',
      from: { path: '^(apps|libs|activities|workflows)' },
      to: { path: '^web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // A git worktree may share node_modules through a symlink: keep the path as imported
    // (node_modules/…), or the rules above see ../<other checkout>/node_modules/… instead.
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
