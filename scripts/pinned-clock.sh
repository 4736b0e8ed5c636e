#!/usr/bin/env bash
# The pinned-clock check: the unit and workflow tiers once per date below, with the clock of every
# process of the run (Jest, its workers, the time-skipping test server, PostgreSQL) set to 09:00 UTC
# of that date by Debian's libfaketime. A test that reads "today" from the real clock and holds only on
# some days fails here, not on the day it happens to run in CI. The dates are a year's end, its last
# day before a leap day, Easter week and the week after Christmas: where the working-day and
# statutory rules have their edges. Called by `npm test` (scripts/run.sh); alone: `npm run test:pinned`.
#
# The clock is shifted by a fixed offset (not started at the date), so that every process agrees on
# the time and it runs on normally. Monotonic clocks get the same offset: a shift does not change a
# duration, and a JVM whose monotonic clock was left real busy-waited at 90% CPU in its timed waits.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_node
ensure_deps
eval "$(bash "$ROOT/scripts/tools.sh")"

DATES=(${PINNED_DATES:-2026-12-05 2026-12-31 2027-03-24 2028-02-29 2028-12-30})
command -v faketime >/dev/null || die "faketime is needed for the pinned-clock check (Debian: apt-get install faketime)"

mkdir -p test-results
failed=()
for day in "${DATES[@]}"; do
  offset=$(($(date -ud "$day 09:00" +%s) - $(date +%s)))
  [ "$offset" -ge 0 ] && offset="+$offset"
  log "clock pinned to $day 09:00 UTC: unit and workflow tiers"
  if faketime -f "$offset" \
    node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --selectProjects unit workflows \
    --json --outputFile="test-results/jest-pinned-$day.json" "$@"; then
    node -e 'const r=require(process.argv[1]); console.log(`pinned ${process.argv[2]}: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`)' \
      "./test-results/jest-pinned-$day.json" "$day"
  else
    failed+=("$day")
  fi
done
[ ${#failed[@]} = 0 ] || die "tests failed with the clock pinned to: ${failed[*]}"
log "the unit and workflow tiers pass on ${DATES[*]}"
