#!/usr/bin/env bash
# The time-limit table of docs/performance.md: wall time of `stagger plan` against
# `--time-limit` on generated calendars (5,000 to 100,000 releases) and on the extreme
# shapes of issue 9. Needs bash, python3 and GNU time (/usr/bin/time).
#
#   cargo build --release
#   benches/time_limit.sh DIR [LIMITS] [CASES]
#
# DIR receives the calendars (about 150 MB); LIMITS defaults to "2 10"; CASES (default:
# all) is a space-separated list of case names from the list below. One Markdown row per
# run: case, limit, wall and processor seconds, peak memory, peak before → after (lower
# bound), clash pairs after, stopped_by, and the 1-minute load average at the start (the
# machine may be shared: a load above the number of cores slows every run).
set -euo pipefail
stagger=${STAGGER:-$(cd "$(dirname "$0")/.." && pwd)/target/release/stagger}
example=$(cd "$(dirname "$0")/.." && pwd)/data/example
dir=$1
limits=${2:-"2 10"}
cases=${3:-"g5000 g20000 g50000 g100000 onepoint chain1000 chain10000 oneday100k threeyear maxshift y2199"}
mkdir -p "$dir"
cd "$dir"

gen() { # gen NAME RELEASES [YEAR]
    [ -f "$1/releases.csv" ] || "$stagger" generate --releases "$2" --seed 1 --year "${3:-2027}" --out "$1" 2>/dev/null
}

# Rewrites a releases CSV ($1 → $2): python expression $3 sets fields of row `r` (a dict)
# for release number `i`.
rewrite() {
    python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
src, dst, expr = sys.argv[1:]
with open(src, newline="") as f, open(dst, "w", newline="") as g:
    rows = csv.DictReader(f)
    out = csv.DictWriter(g, rows.fieldnames, lineterminator="\n")
    out.writeheader()
    for i, r in enumerate(rows):
        exec(expr)
        out.writerow(r)
PY
}

chain() { # chain DEPTH: failure point p{k} relies on p{k+1}; releases on p0..p49
    local n=$1 d=chain$1
    [ -f "$d/releases.csv" ] && return
    mkdir -p "$d"
    awk -v n="$n" 'BEGIN{print "id,name,kind,depends_on"; for(k=0;k<n;k++) printf "p%d,Point %d,server,%s\n", k, k, (k+1<n ? "p" k+1 : "")}' > "$d/infrastructure.csv"
    rewrite g5000/releases.csv "$d/releases.csv" 'r.update(depends_on="p%d" % (i % 50), fallback="")'
}

prepare() {
    case $1 in
        g*[0-9]) gen "$1" "${1#g}" ;;
        onepoint) # 20,000 generated releases, all on one failure point
            gen g20000 20000
            mkdir -p onepoint
            printf 'id,name,kind,depends_on\nweb,The website,website,\n' > onepoint/infrastructure.csv
            [ -f onepoint/releases.csv ] || rewrite g20000/releases.csv onepoint/releases.csv 'r.update(depends_on="web", fallback="")' ;;
        chain1000 | chain10000) gen g5000 5000; chain "${1#chain}" ;;
        oneday100k) # 100,000 releases on Thursday 4 March 2027, on 20 websites (each its
            # own series, no links: one day cannot keep a series' order)
            gen g100000 100000
            mkdir -p oneday100k
            awk 'BEGIN{print "id,name,kind,depends_on"; for(k=0;k<20;k++) printf "web%d,Website %d,website,\n", k, k}' > oneday100k/infrastructure.csv
            [ -f oneday100k/releases.csv ] || rewrite g100000/releases.csv oneday100k/releases.csv \
                'r.update(date="2027-03-04", earliest="", latest="", depends_on="web%d" % (i % 20), fallback="", series="r%d" % i, together="", after="")' ;;
        threeyear) # three generated years of 5,000 releases each (2027 to 2029)
            for y in 2027 2028 2029; do gen y$y 5000 $y; done
            mkdir -p threeyear
            cp y2027/infrastructure.csv threeyear/
            { cat y2027/releases.csv; tail -n +2 y2028/releases.csv; tail -n +2 y2029/releases.csv; } > threeyear/releases.csv ;;
        maxshift) gen g20000 20000 ;;
        y2199) # the bundled example plus one release in 2199
            mkdir -p y2199
            cp "$example/infrastructure.csv" "$example/closures.csv" y2199/
            { cat "$example/releases.csv"; echo "far-away,A far release,2199-06-05,09:30,provisional,,,bso-website,,northern-ireland,,,"; } > y2199/releases.csv ;;
    esac
}

run() { # run CASE LIMIT
    local case=$1 limit=$2 d=$1 extra=()
    case $case in
        maxshift) d=g20000; extra=(--max-shift 250) ;;
        y2199) extra=(--region northern-ireland --closures y2199/closures.csv) ;;
    esac
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    set +e
    /usr/bin/time -o time.txt -f "%e %U %S %M" "$stagger" plan --releases "$d/releases.csv" \
        --infrastructure "$d/infrastructure.csv" "${extra[@]}" --time-limit "$limit" \
        --out schedule.csv --json > summary.json 2> stderr.txt
    local code=$?
    set -e
    python3 - "$case" "$limit" "$code" "$load" <<'PY'
import json, sys
case, limit, code, load = sys.argv[1:]
wall, user, system, kb = open("time.txt").read().split()[-4:]
try:
    v = json.load(open("summary.json"))
    s = (f"{v['peak_before']:g} → {v['peak_after']:g} (≥ {v['peak_lower_bound']:g}) | "
         f"{v['clash_pairs_after']} | {v['stopped_by']}")
except Exception:
    s = f"exit {code} | | "
cpu = float(user) + float(system)
print(f"| {case} | {limit} | {float(wall):.2f} | {cpu:.2f} | {int(kb) // 1024} | {s} | {load} |")
PY
}

for c in $cases; do prepare "$c"; done
for c in $cases; do
    for l in $limits; do run "$c" "$l"; done
done
