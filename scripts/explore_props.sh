#!/usr/bin/env bash
# Runs the property tests on fresh random seeds, looking for new failures.
# `cargo test` runs them on one fixed seed (the same cases on every machine);
# this script is how new cases are explored.
#
#   scripts/explore_props.sh [RUNS] [FILTER]     (default: 50 runs, filter "props")
#
# Each run uses a new seed from /dev/urandom; a failure prints its seed, so
# `PROPTEST_RNG_SEED=<seed> cargo test --release --lib <FILTER>` reproduces it, and
# proptest adds the shrunk case to proptest-regressions/ (commit that file).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
filter="${2:-props}"
cargo test --release --lib --no-run >/dev/null 2>&1
failed=0
for i in $(seq 1 "$runs"); do
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  if ! PROPTEST_RNG_SEED="$seed" cargo test --release --lib -q "$filter" >/tmp/explore_props.$$.log 2>&1; then
    echo "run $i: FAILED with PROPTEST_RNG_SEED=$seed"
    grep -E "minimal failing input|Test failed" -A2 /tmp/explore_props.$$.log | head -20
    failed=$((failed + 1))
  fi
done
rm -f /tmp/explore_props.$$.log
echo "$runs runs, $failed failed"
[ "$failed" -eq 0 ]
