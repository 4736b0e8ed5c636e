#!/usr/bin/env bash
# The project's two commands (see README):
#   npm start   -> bash scripts/run.sh start   run the whole system on its embedded defaults
#   npm test    -> bash scripts/run.sh test    lint, types and every test tier against real servers
#   npm run start:cluster -> bash scripts/run.sh start-cluster   the production-shaped topology: the
#               Temporal server's four services as processes of their own on PostgreSQL, 2 workers, 2 APIs
# Each obtains what it needs first (Node 24, npm dependencies, both Temporal servers), all cached.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

cmd="${1:-}"
shift || true
ensure_node
ensure_deps
eval "$(bash "$ROOT/scripts/tools.sh")"

case "$cmd" in
  start)
    log "building"
    npm run -s build
    WORKFLOW_BUNDLE_PATH="$ROOT/dist/workflow-bundle.js" exec node dist/apps/launcher/main.js "$@"
    ;;
  start-cluster)
    [ -n "${TEMPORAL_SERVER_DIR:-}" ] || die "the Temporal server could not be built (Go is needed): see the lines above"
    log "building"
    npm run -s build
    DATA_DIR="${DATA_DIR:-.data-cluster}" TOPOLOGY=cluster WORKFLOW_BUNDLE_PATH="$ROOT/dist/workflow-bundle.js" \
      exec node dist/apps/launcher/main.js "$@"
    ;;
  test)
    start=$SECONDS
    log "lint: types, eslint, prettier, dependency rules"
    npm run --silent lint
    log "tests: unit, integration (PostgreSQL), workflows (time-skipping server), e2e (dev server + API + worker), browser (web app in Chromium), cluster (Temporal server services on PostgreSQL, 2 workers, 2 APIs)"
    mkdir -p test-results
    status=0
    node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile=test-results/jest.json "$@" || status=$?
    # One plain closing line that any reader of the log understands.
    node -e 'const r=require("./test-results/jest.json"); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`)' || true
    [ "$status" = 0 ] || die "tests failed (after $((SECONDS - start)) s)"
    bash "$ROOT/scripts/pinned-clock.sh"
    log "all checks passed in $((SECONDS - start)) s"
    ;;
  chaos)
    log "building"
    npm run -s build
    exec node dist/apps/chaos/main.js "$@"
    ;;
  *)
    die "usage: scripts/run.sh start|start-cluster|test|chaos"
    ;;
esac
