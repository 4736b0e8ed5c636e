#!/usr/bin/env bash
# Obtains the tools the project runs against (the two Temporal servers, Schemathesis) and prints their
# paths as shell exports:
#   TEMPORAL_CLI_PATH          - Temporal CLI dev server (Go module, built with `go install`)
#   TEMPORAL_TEST_SERVER_PATH  - time-skipping test server (Java, resolved from Maven Central)
#   SCHEMATHESIS_PATH          - Schemathesis CLI (PyPI, in a virtual environment) for contract fuzzing
#   TEMPORAL_SERVER_DIR        - the Temporal server itself (Go module go.temporal.io/server, built with
#                                `go install`): bin/temporal-server, bin/temporal-sql-tool, and the module's
#                                config/ and schema/postgresql/v12 (npm run start:cluster, the cluster tier)
# Each is built once into $OMSORG_CACHE and reused. An already-set variable is honoured as an override.
# Without Go or Maven nothing is exported and the TypeScript resolver (libs/temporal-servers) falls back
# to the Temporal SDK's own download, failing with a clear message if that cannot work either.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_temporal_cli() {
  if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
    [ -x "$TEMPORAL_CLI_PATH" ] || die "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
    return 0
  fi
  local dir="$OMSORG_CACHE/temporal-cli/$TEMPORAL_CLI_VERSION"
  if [ ! -x "$dir/temporal" ]; then
    if ! command -v go >/dev/null; then
      log "go not found: cannot build the Temporal CLI; the SDK's own download will be tried instead"
      return 0
    fi
    log "building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time only, a few minutes)"
    local start=$SECONDS
    # v1.5.1 is the newest tag whose go.mod has no replace directive (go install pkg@version refuses those).
    GOBIN="$dir.partial" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    log "Temporal CLI built in $((SECONDS - start)) s"
  fi
  TEMPORAL_CLI_PATH="$dir/temporal"
}

# The production engine for the cluster topology (scripts/run.sh start-cluster, test/cluster): the server
# with its services as separate processes on PostgreSQL, and its schema tool. Both are built from the same
# module version; the module's config/ and schema/ are copied next to them. bin/temporal-server, written
# last, marks the directory complete. Without Go nothing is exported and the cluster cannot start.
ensure_temporal_server() {
  if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then
    [ -x "$TEMPORAL_SERVER_DIR/bin/temporal-server" ] && [ -x "$TEMPORAL_SERVER_DIR/bin/temporal-sql-tool" ] \
      || die "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR has no bin/temporal-server and bin/temporal-sql-tool"
    return 0
  fi
  local dir="$OMSORG_CACHE/temporal-server/$TEMPORAL_SERVER_VERSION"
  if [ ! -x "$dir/bin/temporal-server" ]; then
    if ! command -v go >/dev/null; then
      log "go not found: cannot build the Temporal server $TEMPORAL_SERVER_VERSION; the cluster topology is unavailable"
      return 0
    fi
    log "building the Temporal server $TEMPORAL_SERVER_VERSION and its sql schema tool with go install (first time only, a few minutes)"
    local start=$SECONDS
    rm -rf "$dir.partial" && mkdir -p "$dir.partial/bin"
    # v1.29.1 is the server inside the CLI above; its go.mod has no replace directive.
    GOBIN="$dir.partial/gobin" GOFLAGS=-buildvcs=false go install \
      "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2
    local module
    module="$(GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" 2>/dev/null || true)"
    [ -n "$module" ] && [ -d "$module/schema/postgresql/v12" ] \
      || module="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
    [ -d "$module/schema/postgresql/v12" ] || die "the module go.temporal.io/server@$TEMPORAL_SERVER_VERSION was not found in the Go module cache"
    mkdir -p "$dir.partial/schema/postgresql"
    cp -r "$module/config" "$dir.partial/config"
    cp -r "$module/schema/postgresql/v12" "$dir.partial/schema/postgresql/v12"
    chmod -R u+w "$dir.partial"
    mv "$dir.partial/gobin/sql" "$dir.partial/bin/temporal-sql-tool"
    mv "$dir.partial/gobin/server" "$dir.partial/bin/temporal-server"
    rm -rf "$dir.partial/gobin" "$dir" && mv "$dir.partial" "$dir"
    log "Temporal server built in $((SECONDS - start)) s"
  fi
  TEMPORAL_SERVER_DIR="$dir"
}

ensure_test_server() {
  if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
    [ -x "$TEMPORAL_TEST_SERVER_PATH" ] || die "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
    return 0
  fi
  local dir="$OMSORG_CACHE/temporal-test-server/$TEMPORAL_TEST_SERVER_VERSION"
  if [ ! -x "$dir/temporal-test-server" ]; then
    if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
      log "mvn/java not found: cannot resolve the time-skipping test server; the SDK's own download will be tried instead"
      return 0
    fi
    log "resolving io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION from Maven Central (first time only)"
    # Resolved in place (the class-data archive records the class path); the wrapper, written last,
    # marks the directory complete.
    rm -rf "$dir" && mkdir -p "$dir"
    mvn -B -q -f "$ROOT/tools/temporal-test-server/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$dir/lib" >&2
    local java_bin
    java_bin="$(command -v java)"
    # The SDK gives the server 5 s to listen. A class-data-sharing archive, written by one training run,
    # cuts the JVM's start-up roughly in half so that a busy 2-core machine still makes it.
    local port=$((20000 + RANDOM % 20000))
    "$java_bin" -XX:ArchiveClassesAtExit="$dir/app.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
      -cp "$dir/lib/*" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local cds=""
    [ -f "$dir/app.jsa" ] && cds="-XX:SharedArchiveFile=$dir/app.jsa -Xshare:auto"
    # The wrapper must exec: on teardown the SDK kills only its direct child.
    cat >"$dir/temporal-test-server.tmp" <<WRAPPER
#!/bin/sh
exec "$java_bin" $cds -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp "$dir/lib/*" io.temporal.testserver.TestServer "\$@"
WRAPPER
    chmod +x "$dir/temporal-test-server.tmp"
    mv "$dir/temporal-test-server.tmp" "$dir/temporal-test-server"
  fi
  TEMPORAL_TEST_SERVER_PATH="$dir/temporal-test-server"
}

# Debian's docker-compose validates docker-compose.yml in the tests (there is no Docker engine to run it).
ensure_compose() {
  command -v docker-compose >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's docker-compose (validates docker-compose.yml in the tests)"
    (apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq docker-compose; }) >&2 \
      || log "could not install docker-compose; its test will fail"
  else
    log "docker-compose not found: install it (Debian: apt-get install docker-compose) for the compose test"
  fi
}

# The browser tests (test/browser) drive Debian's Chromium with playwright-core: never a browser download.
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0
  if [ -z "${CHROMIUM_PATH:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium (the browser tests run in it; first time only)"
    (apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }) >&2 \
      || log "could not install chromium; the browser tests will fail"
  else
    log "chromium not found at $path: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; the browser tests will fail"
  fi
}

# The pinned-clock check (scripts/pinned-clock.sh) runs test tiers under Debian's libfaketime.
ensure_faketime() {
  command -v faketime >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's faketime (the pinned-clock check runs the tests on fixed dates; first time only)"
    (apt-get install -y -qq faketime >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq faketime; }) >&2 \
      || log "could not install faketime; the pinned-clock check will fail"
  else
    log "faketime not found: install Debian's faketime (apt-get install faketime); the pinned-clock check will fail"
  fi
}

# Contract fuzzing (test/e2e/contract-fuzz.spec.ts) runs Schemathesis from PyPI in a virtual environment in
# the cache, never inside the repository: one directory per pinned version, complete once `st` runs.
ensure_schemathesis() {
  if [ -n "${SCHEMATHESIS_PATH:-}" ]; then
    [ -x "$SCHEMATHESIS_PATH" ] || die "SCHEMATHESIS_PATH=$SCHEMATHESIS_PATH is not an executable file"
    return 0
  fi
  local dir="$OMSORG_CACHE/schemathesis/$SCHEMATHESIS_VERSION"
  if ! "$dir/bin/st" --version >/dev/null 2>&1; then
    local python
    python="$(command -v python3 || true)"
    if [ -z "$python" ] || ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      log "python3 >= 3.10 with venv not found: cannot install Schemathesis; the contract fuzzing test will fail"
      return 0
    fi
    log "installing Schemathesis $SCHEMATHESIS_VERSION from PyPI into $dir (first time only)"
    rm -rf "$dir" && "$python" -m venv "$dir" >&2
    "$dir/bin/python" -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2 \
      || { rm -rf "$dir"; log "could not install Schemathesis; the contract fuzzing test will fail"; return 0; }
  fi
  SCHEMATHESIS_PATH="$dir/bin/st"
}

ensure_temporal_cli
ensure_temporal_server
ensure_test_server
ensure_compose
ensure_chromium
ensure_faketime
ensure_schemathesis
[ -n "${TEMPORAL_CLI_PATH:-}" ] && echo "export TEMPORAL_CLI_PATH='$TEMPORAL_CLI_PATH'"
[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] && echo "export TEMPORAL_TEST_SERVER_PATH='$TEMPORAL_TEST_SERVER_PATH'"
[ -n "${TEMPORAL_SERVER_DIR:-}" ] && echo "export TEMPORAL_SERVER_DIR='$TEMPORAL_SERVER_DIR'"
[ -n "${SCHEMATHESIS_PATH:-}" ] && echo "export SCHEMATHESIS_PATH='$SCHEMATHESIS_PATH'"
exit 0
