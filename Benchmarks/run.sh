#!/usr/bin/env bash
# optoutd benchmarks: check and plan on large account inventories, compared with
# Remind on an equivalent reminder file.
#
#   Benchmarks/run.sh BINARY [OUTDIR]
#
# BINARY  the optoutd executable to measure (make bench builds the static release binary)
# OUTDIR  where the generated inventories go (default Benchmarks/data, git-ignored)
#
# Environment:
#   BENCH_SIZES  account counts to generate, smallest first (default "10000 100000");
#                the first is the "small" size, the last the "large" one
#   BENCH_RUNS   runs per command (default 5); the table shows the median wall
#                time and the largest peak RSS over the runs
#
# As root, the daemon benchmarks follow (Benchmarks/daemon_bench.py, with a private
# journald from scripts/test-sandbox); see that file for their settings
# (BENCH_DAEMON_ACCOUNTS, BENCH_BURST, BENCH_IDLE_SECONDS; BENCH_RUNS defaults to 3 there).
set -euo pipefail

usage() { echo "usage: $0 BINARY [OUTDIR]" >&2; exit 64; }
[[ $# -ge 1 && $# -le 2 ]] || usage

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
binary="$1"
outdir="${2:-$repo/Benchmarks/data}"
sizes=(${BENCH_SIZES:-10000 100000})
runs="${BENCH_RUNS:-5}"
now="2027-01-15T12:00:00+01:00"
remind_date="2027-01-15"

[[ ${#sizes[@]} -ge 1 ]] || { echo "BENCH_SIZES is empty" >&2; exit 64; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_RUNS must be a positive integer" >&2; exit 64; }
for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_SIZES: not a number: $n" >&2; exit 64; }
done
small="${sizes[0]}"
large="${sizes[${#sizes[@]}-1]}"

# The binary may be replaced by a concurrent rebuild: wait briefly for it, then
# measure a private copy so that every run uses the same executable.
for _ in $(seq 1 30); do [[ -x "$binary" ]] && break; sleep 2; done
[[ -x "$binary" ]] || { echo "$0: not an executable: $binary" >&2; exit 66; }
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
mkdir -p "$outdir/.bin"
cp "$binary" "$outdir/.bin/optoutd"
optoutd="$outdir/.bin/optoutd"

# /usr/bin/time (GNU time) gives the peak RSS; bash's time keyword does not.
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (/usr/bin/time missing)..." >&2
    apt-get install -y time >/dev/null 2>&1 || true
fi
[[ -x /usr/bin/time ]] || { echo "$0: /usr/bin/time is needed (Debian package 'time')" >&2; exit 69; }

have_remind=1
if ! command -v remind >/dev/null 2>&1; then
    echo "installing remind..." >&2
    apt-get install -y remind >/dev/null 2>&1 || true
    command -v remind >/dev/null 2>&1 || have_remind=0
fi

echo "machine: $(uname -n)"
echo "nproc:   $(nproc)"
echo "commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "binary:  $binary ($("$optoutd" --version 2>/dev/null || echo '?'))"
echo "runs:    $runs per command (median wall time, max peak RSS)"
echo

# --- inventories -----------------------------------------------------------
for n in "${sizes[@]}"; do
    if [[ -f "$outdir/accounts-$n.csv" && -f "$outdir/optoutd-csv-$n.yaml" \
          && -f "$outdir/optoutd-yaml-$n.yaml" && -f "$outdir/remind-$n.rem" ]]; then
        echo "inventory $n: present, not regenerated"
    else
        echo "inventory $n: generating..."
        python3 "$here/generate.py" "$outdir" --accounts "$n"
    fi
done
echo

# --- measuring ---------------------------------------------------------------
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

declare -a labels=() medians=() rsss=()

# bench LABEL CMD...: runs CMD $runs times (stdout to /dev/null) and records the
# median wall time (s) and the max peak RSS (MB). A failing run aborts the suite.
bench() {
    local label="$1"; shift
    local i rc times="" maxkb=0 e kb t0 t1
    for ((i = 1; i <= runs; i++)); do
        rc=0
        t0="${EPOCHREALTIME:-}"
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
        t1="${EPOCHREALTIME:-}"
        if [[ $rc -ne 0 ]]; then
            echo "$label: exit status $rc: $*" >&2
            tail -n 20 "$tmp/stderr" >&2
            exit 1
        fi
        read -r e kb < <(tail -n 1 "$tmp/time")
        # %e has a 0.01 s resolution, too coarse for Remind; bash 5's
        # EPOCHREALTIME gives microseconds (it includes time's own ~1 ms).
        if [[ -n "$t0" && -n "$t1" ]]; then
            e="$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.3f", b - a }')"
        fi
        times+="$e"$'\n'
        (( kb > maxkb )) && maxkb=$kb
    done
    labels+=("$label")
    medians+=("$(printf '%s' "$times" | sort -g | awk '{v[NR] = $1}
        END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
              else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')")
    rsss+=("$(awk -v kb="$maxkb" 'BEGIN { printf "%.1f", kb / 1024 }')")
    printf '  %-40s done\n' "$label" >&2
}

echo "running (this takes a while)..." >&2
bench "optoutd check   CSV  $small"  "$optoutd" check --config "$outdir/optoutd-csv-$small.yaml"
[[ "$large" != "$small" ]] && \
bench "optoutd check   CSV  $large"  "$optoutd" check --config "$outdir/optoutd-csv-$large.yaml"
bench "optoutd check   YAML $small"  "$optoutd" check --config "$outdir/optoutd-yaml-$small.yaml"
[[ "$large" != "$small" ]] && \
bench "optoutd check   YAML $large"  "$optoutd" check --config "$outdir/optoutd-yaml-$large.yaml"
bench "optoutd plan    CSV  $small"  "$optoutd" plan --config "$outdir/optoutd-csv-$small.yaml" --days 90 --now "$now"
[[ "$large" != "$small" ]] && \
bench "optoutd plan    CSV  $large"  "$optoutd" plan --config "$outdir/optoutd-csv-$large.yaml" --days 90 --now "$now"
plan_large="${medians[${#medians[@]}-1]}"   # the plan CSV $large row
# One day ahead: the same question as one day of Remind (what is due now).
bench "optoutd plan -d1 CSV  $large"  "$optoutd" plan --config "$outdir/optoutd-csv-$large.yaml" --days 1 --now "$now"
plan_day="${medians[${#medians[@]}-1]}"
bench "optoutd plan    YAML $small"  "$optoutd" plan --config "$outdir/optoutd-yaml-$small.yaml" --days 90 --now "$now"
[[ "$large" != "$small" ]] && \
bench "optoutd plan    YAML $large"  "$optoutd" plan --config "$outdir/optoutd-yaml-$large.yaml" --days 90 --now "$now"
bench "optoutd plan -d1 YAML $large"  "$optoutd" plan --config "$outdir/optoutd-yaml-$large.yaml" --days 1 --now "$now"

# report over the large CSV inventory, with a store that has an acknowledgement of the
# training switch for every other account, made once: the real schema from `ack --create`,
# then the records written straight into it (one `ack` run per account would take hours).
# A store an older build made is made again: this build reads only its own schema.
report_store="$outdir/report-$large.sqlite"
if [[ -f "$report_store" ]] && ! "$optoutd" report --format prometheus --config "$outdir/optoutd-csv-$large.yaml" \
        --state "$report_store" >/dev/null 2>&1; then
    rm -f "$report_store" "$report_store-wal" "$report_store-shm"
fi
if [[ ! -f "$report_store" ]]; then
    first_account="$(awk -F, 'NR == 2 { print $1 }' "$outdir/accounts-$large.csv")"
    "$optoutd" ack "$first_account" ai-improvement-toggle --create \
        --config "$outdir/optoutd-csv-$large.yaml" --state "$report_store.new" >/dev/null
    /usr/bin/python3 - "$outdir/accounts-$large.csv" "$report_store.new" <<'PY'
import csv, sqlite3, sys
ids = [row["id"] for row in csv.DictReader(open(sys.argv[1]))][2::2]
db = sqlite3.connect(sys.argv[2])
db.executemany(
    "INSERT INTO acknowledgement (account, policy, action, at, note, source, undone) VALUES (?, '', ?, ?, ?, ?, 0)",
    [(id, "ai-improvement-toggle", 1767225600 + n * 60, "bench", "cli:bench") for n, id in enumerate(ids)])
db.commit()
db.close()
PY
    mv "$report_store.new" "$report_store"
fi
for format in table csv json html prometheus; do
    bench "optoutd report $(printf '%-10s' "$format") $large" "$optoutd" report --format "$format" \
        --config "$outdir/optoutd-csv-$large.yaml" --state "$report_store" --at "$now"
done

remind_day="" remind_cal=""
if [[ $have_remind -eq 1 ]]; then
    # One day, as a cron job would run it: parse everything, trigger what is due.
    bench "remind -q (1 day)        $large" remind -q "$outdir/remind-$large.rem" "$remind_date"
    remind_day="${medians[${#medians[@]}-1]}"
    # 13 weeks in simple-calendar format: the closest match to plan --days 90.
    bench "remind -q -s+13 (13 wk)  $large" remind -q -s+13 "$outdir/remind-$large.rem" "$remind_date"
    remind_cal="${medians[${#medians[@]}-1]}"
fi
echo >&2

# --- report -------------------------------------------------------------------
printf '%-40s %12s %14s\n' "command" "median s" "max RSS MB"
printf '%-40s %12s %14s\n' "----------------------------------------" "--------" "----------"
for i in "${!labels[@]}"; do
    printf '%-40s %12s %14s\n' "${labels[$i]}" "${medians[$i]}" "${rsss[$i]}"
done
echo
echo "plan --days 90 (-d1: --days 1) from $now; inventories in $outdir"

ratio() {  # ratio NUM DEN
    awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b;
        else printf "n/a (remind took no measurable time)" }'
}
if [[ $have_remind -eq 1 ]]; then
    echo "ratio optoutd plan --days 1 CSV $large / remind -q (1 day):        $(ratio "$plan_day" "$remind_day")"
    echo "ratio optoutd plan --days 90 CSV $large / remind -q -s+13 (13 wk): $(ratio "$plan_large" "$remind_cal")"
else
    echo "remind: not installed"
fi

# --- the daemon -----------------------------------------------------------------
echo
if [[ $(id -u) -eq 0 ]]; then
    (cd "$repo" && scripts/test-sandbox /usr/bin/python3 Benchmarks/daemon_bench.py "$optoutd" "$outdir") \
        || echo "daemon benchmarks: failed" >&2
else
    echo "daemon benchmarks: need root (a private journald)"
fi

# --- the confirmation pages -----------------------------------------------------
echo
command -v wrk >/dev/null || { [[ $(id -u) -eq 0 ]] && apt-get install -y wrk >/dev/null 2>&1; } || true
(cd "$repo" && /usr/bin/python3 Benchmarks/web_bench.py "$optoutd" "$outdir") || echo "web benchmarks: failed" >&2
exit 0
