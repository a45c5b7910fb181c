#!/bin/sh
# Plans a calendar with the engine and checks the plan, its stage values and the
# engine's "proven" claims against the exact HiGHS reference (scripts/exact_reference.py).
#
# usage: scripts/compare_with_exact.sh OUTDIR [stagger plan options...]
#   e.g. scripts/compare_with_exact.sh /tmp/cmp/example --releases data/example/releases.csv \
#          --infrastructure data/example/infrastructure.csv --today 2026-11-30
# The options go unchanged to `stagger model` (the instance the reference solves) and to
# `stagger plan` (the engine's plan), so both see the same problem.
#
# Environment: STAGGER (binary, default ./target/release/stagger),
#              EXACT_TIME_LIMIT (seconds per HiGHS stage, default 300),
#              EXACT_THREADS (HiGHS threads, default 1).
# Writes OUTDIR/{model.json,plan.json,schedule.csv,exact.json,row.md,command.txt}.
#
# Exit code: 0 when the engine's plan meets every rule of the reference model, its stage
# values are the ones the reference evaluates for that plan, no stage value is below a
# HiGHS-proven optimum or bound and no "proven" claim or lower bound is contradicted by
# HiGHS; 1 when any of these fails (the lines tagged INFEASIBLE PLAN, VALUE MISMATCH,
# BELOW PROVEN, FALSE CLAIM or INVALID BOUND say which); 2 when the engine or the model
# command failed. Where the engine is merely worse than HiGHS (WORSE) or unproven at an
# optimum (UNPROVEN OPTIMUM), the lines say so and the exit code stays 0.
set -eu
if [ $# -lt 1 ]; then
    sed -n '2,22p' "$0" >&2
    exit 2
fi
out=$1
shift
here=$(dirname "$0")
bin=${STAGGER:-./target/release/stagger}
limit=${EXACT_TIME_LIMIT:-300}
threads=${EXACT_THREADS:-1}
mkdir -p "$out"
printf '%s\n' "scripts/compare_with_exact.sh OUTDIR $*" >"$out/command.txt"

if ! "$bin" model --quiet "$@" --out "$out/model.json"; then
    echo "error: 'stagger model' failed with the options above" >&2
    exit 2
fi

start=$(date +%s.%N)
rc=0
"$bin" plan --quiet "$@" --json --out "$out/schedule.csv" >"$out/plan.json" || rc=$?
end=$(date +%s.%N)
engine_s=$(echo "$end - $start" | bc)
echo "engine: exit code $rc, $engine_s s wall ($(uptime | sed 's/.*load average/load average/'))"
if [ "$rc" -ne 0 ]; then
    echo "error: 'stagger plan' exited with code $rc (see docs/cli.md); nothing to compare" >&2
    exit 2
fi

ref_rc=0
python3 "$here/exact_reference.py" "$out/model.json" --time-limit "$limit" --threads "$threads" \
    --check-plan "$out/schedule.csv" --engine-json "$out/plan.json" \
    --json-out "$out/exact.json" || ref_rc=$?
if [ ! -s "$out/exact.json" ]; then
    echo "error: the reference did not finish (exit code $ref_rc)" >&2
    exit 2
fi

# One markdown row for docs/performance.md: engine values (✓ proven, (≥ b) its bound)
# and wall time, HiGHS values and its time over every stage, the gap per stage.
python3 - "$out/exact.json" "$engine_s" <<'EOF' | tee "$out/row.md"
import json, sys
d = json.load(open(sys.argv[1]))
engine_s = float(sys.argv[2])
def cell(v, b, proven, scale=1):
    if v is None:
        return "—"
    s = f"{v // scale:,}" if v % scale == 0 else f"{v / scale:,}"
    if proven:
        return s + " ✓"
    if b is None:
        return s
    return s + f" (≥ {b // scale:,})" if b % scale == 0 else s + f" (≥ {b / scale:,})"
rows = {r["stage"]: r for r in d["comparison"]}
scale = {"peak": 1000}
eng = " / ".join(cell(rows[s].get("engine"), rows[s].get("engine_bound"), rows[s].get("engine_proven"),
                      scale.get(s, 1)) for s in ["peak", "clash_pairs", "moves", "total_shift"])
hig = " / ".join(cell(rows[s].get("highs"), rows[s].get("highs_bound"), rows[s].get("highs_proven"),
                      scale.get(s, 1)) for s in ["peak", "clash_pairs", "moves", "total_shift"])
gaps = " / ".join("—" if rows[s].get("gap_percent") is None else f"{rows[s]['gap_percent']:.1f}"
                  for s in ["peak", "clash_pairs", "moves", "total_shift"])
hs = d.get("highs_seconds", 0.0)
per = "+".join(f"{r.get('highs_seconds') or 0:.0f}" for r in d["comparison"] if r.get("highs_seconds") is not None)
flags = [v.split(":")[0] for v in d["verdicts"] if v.startswith(("INFEASIBLE", "VALUE", "BELOW", "FALSE", "INVALID"))]
print(f"| {d['items']} items, {d['components']} failure points, {d['links']} links | {eng} | {engine_s:.1f} s "
      f"| {hig} | {hs:.0f} s ({per}) | {gaps} | {', '.join(sorted(set(flags))) or 'none'} |")
EOF
exit "$ref_rc"
