#!/bin/sh
# Reproduces the table "Engine against the exact optimum" in docs/performance.md:
# builds its inputs (the ONS scenario from ../shared/data or $ONS_DATA, three generated
# calendars) and runs scripts/compare_with_exact.sh on each, one at a time.
#
# usage: scripts/exact_table.sh [WORKDIR]   (default /tmp/exact-table; run from the repository root
#        after `cargo build --release`; needs python3 with highspy)
# Environment: EXACT_TIME_LIMIT (seconds per HiGHS stage, default 120 here), ONS_DATA,
#              SWEEP=1 (also 45 small generated calendars).
# Prints one markdown row per calendar; WORKDIR/NAME/ keeps every file of a row.
set -eu
work=${1:-/tmp/exact-table}
# The shared data sit beside the checkout (/work/main -> /work/shared/data) or two
# levels up from a worktree (/work/wt/NAME).
if [ -n "${ONS_DATA:-}" ]; then
    ons=$ONS_DATA
elif [ -d ../shared/data ]; then
    ons=../shared/data
else
    ons=../../shared/data
fi
bin=${STAGGER:-./target/release/stagger}
export EXACT_TIME_LIMIT=${EXACT_TIME_LIMIT:-120}
mkdir -p "$work"

# The ONS scenario: the 2026 calendar with every release movable as a release team
# planning the year on 1 December 2025 would see it: cancelled releases stay cancelled,
# 07:00 releases (market-sensitive, fixed) are confirmed, the rest provisional.
python3 - "$ons" "$work/ons-scenario.csv" <<'EOF'
import csv, sys
rows = []
for kind in ["published", "upcoming", "cancelled"]:
    with open(f"{sys.argv[1]}/ons-release-calendar-2026-{kind}.csv", newline="", encoding="utf-8") as f:
        rows += list(csv.DictReader(f))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "title", "date", "time", "status"])
    for r in sorted(rows, key=lambda r: (r["date"], r["id"])):
        status = "cancelled" if r["status"] == "cancelled" else \
            "confirmed" if r["time"] == "07:00" else "provisional"
        w.writerow([r["id"], r["title"], r["date"], r["time"], status])
EOF
for n in 500 800 1458; do
    "$bin" generate --quiet --releases $n --seed 12 --out "$work/g$n"
done

run() {
    name=$1
    shift
    echo "$name: $(uptime)" >&2
    rc=0
    scripts/compare_with_exact.sh "$work/$name" "$@" >"$work/$name.log" 2>&1 || rc=$?
    echo "$name: exit code $rc" >&2
    tail -n 1 "$work/$name.log"
}
EX="--releases data/example/releases.csv --infrastructure data/example/infrastructure.csv
    --closures data/example/closures.csv --region northern-ireland --today 2026-11-30"
ONS="--releases $work/ons-scenario.csv --infrastructure tests/data/ons-infrastructure.csv
    --default-depends-on ons-website --max-shift 5 --keep-month --today 2025-12-01"
# shellcheck disable=SC2086 # the option lists split on purpose
{
    run example-none $EX --series none
    run example-series $EX
    run example-series-mm20 $EX --max-moves 20
    run ons-series $ONS
    run ons-none $ONS --series none
    run ons-series-mm100 $ONS --max-moves 100
    run ons-none-mm100 $ONS --series none --max-moves 100
    for n in 500 800 1458; do
        G="--releases $work/g$n/releases.csv --infrastructure $work/g$n/infrastructure.csv --today 2026-11-30"
        run g$n-series $G
        run g$n-none $G --series none
    done
    # SWEEP=1: 45 small calendars that HiGHS proves in seconds.
    if [ "${SWEEP:-0}" = 1 ]; then
        for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
            n=$((30 + seed * 7))
            "$bin" generate --quiet --releases $n --seed $seed --max-window 4 --out "$work/s$seed"
            G="--releases $work/s$seed/releases.csv --infrastructure $work/s$seed/infrastructure.csv --today 2026-11-30"
            run s$seed-series $G
            run s$seed-none $G --series none
            run s$seed-mm $G --max-moves $((n / 5))
        done
    fi
}
