#!/usr/bin/env bash
# A huge run as shards, merged: the car-dealership case with TRIALS trials cut into SHARDS shards
# (`crmcase run --shard K/N`, one after the other, as a job array's tasks would run them), then
# `crmcase merge`. Prints each step's wall time and peak memory, the disk the shards take and the
# merged report's headline figures.
#
# Usage (from anywhere):   Benchmarks/sharded-run.sh [TRIALS] [SHARDS] [WORKDIR]
#   TRIALS  default 100000000 (10^8)      SHARDS  default 10      WORKDIR  default /tmp/crmcase-sharded
#   PHASE=shards   only compute the shards;  PHASE=merge   only merge the shards already in WORKDIR
#   NICE=N         run the steps under `nice -n N` (default 0)
#
# The steps use a copy of the release binary in WORKDIR, so rebuilding crmcase meanwhile does not
# touch a running step. The run leaves out the sensitivity analysis (--no-sensitivity), whose
# designs rerun the model and are not what a 10^8-trial run is for. Disk: the shards take about
# 200 bytes per trial of this three-segment case, and the merge writes the merged table once more
# (a scratch file beside the shards, deleted at the end), so 10^8 trials need about 40 GB free.
#
# Units: seconds are wall-clock seconds of the whole process (GNU time "Elapsed"); peak MB is GNU
# time's "Maximum resident set size" (kB) / 1024, which counts the pages of the merge's mapped
# scratch file that are in memory as well as the process's own memory; peak anon MB is the
# process's own memory alone (RssAnon, sampled every 0.2 s), what it cannot give back.
set -euo pipefail

TRIALS="${1:-100000000}"
SHARDS="${2:-10}"
WORKDIR="${3:-/tmp/crmcase-sharded}"
PHASE="${PHASE:-all}"
NICE="${NICE:-0}"
SEED=1
SCENARIO="Scenarios/car-dealership.yaml"

if ! [[ "$TRIALS" =~ ^[0-9]+$ && "$SHARDS" =~ ^[0-9]+$ ]] || [ "$TRIALS" -lt 1 ] || [ "$SHARDS" -lt 1 ]; then
    echo "usage: $0 [TRIALS] [SHARDS] [WORKDIR]   (positive whole numbers)" >&2
    exit 2
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$WORKDIR/logs"

source Benchmarks/gnu-time.sh
# Runs a step under GNU time, sampling its anonymous memory (RssAnon: the process's own, not the
# pages of a mapped file) every 0.2 s; logs/NAME.time and logs/NAME.anon (peak kB).
run_step() {
    local name="$1"; shift
    /usr/bin/time -v -o "$WORKDIR/logs/$name.time" nice -n "$NICE" "$@" &
    local timer=$! child="" peak=0 anon
    while kill -0 "$timer" 2>/dev/null; do
        [ -n "$child" ] || child="$(pgrep -P "$timer" | head -n 1 || true)"
        if [ -n "$child" ]; then
            anon="$(awk '/^RssAnon:/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)"
            if [ -n "$anon" ] && [ "$anon" -gt "$peak" ]; then peak="$anon"; fi
        fi
        sleep 0.2
    done
    wait "$timer"
    echo "$peak" > "$WORKDIR/logs/$name.anon"
}
anon_mb() { awk '{ printf "%.0f", $1 / 1024 }' "$1" 2>/dev/null || echo "?"; }

if [ "$PHASE" = all ] || [ "$PHASE" = shards ]; then
    echo "== building crmcase (release)" >&2
    swift build -c release --product crmcase >&2
    cp .build/release/crmcase "$WORKDIR/crmcase"
    rm -rf "$WORKDIR/shards"
    for ((k = 0; k < SHARDS; k++)); do
        echo "== shard $k of $SHARDS" >&2
        run_step "shard-$k" "$WORKDIR/crmcase" run "$SCENARIO" \
            --trials "$TRIALS" --seed "$SEED" --no-sensitivity --quiet --shard "$k/$SHARDS" --out "$WORKDIR/shards"
    done
fi
if [ "$PHASE" = all ] || [ "$PHASE" = merge ]; then
    if [ "$PHASE" = merge ]; then
        echo "== building crmcase (release)" >&2
        swift build -c release --product crmcase >&2
        cp .build/release/crmcase "$WORKDIR/crmcase"
    fi
    rm -rf "$WORKDIR/report"
    echo "== merge" >&2
    run_step merge "$WORKDIR/crmcase" merge "$WORKDIR/shards" --out "$WORKDIR/report"
fi

echo
echo "crmcase: $SCENARIO, $TRIALS trials (seed $SEED, no sensitivity analysis) as $SHARDS shards on $(nproc) cores"
printf '| %-10s | %10s | %12s | %14s |\n' step seconds "peak MB" "peak anon MB"
printf '|%s|%s|%s|%s|\n' "------------" "-----------:" "-------------:" "---------------:"
total=0
for ((k = 0; k < SHARDS; k++)); do
    log="$WORKDIR/logs/shard-$k.time"
    [ -f "$log" ] || continue
    s=$(wall_seconds "$log" 1); total=$(awk -v a="$total" -v b="$s" 'BEGIN { print a + b }')
    printf '| %-10s | %10s | %12s | %14s |\n' "shard $k" "$s" "$(peak_mb "$log" 0)" "$(anon_mb "$WORKDIR/logs/shard-$k.anon")"
done
if [ -f "$WORKDIR/logs/merge.time" ]; then
    s=$(wall_seconds "$WORKDIR/logs/merge.time" 1); total=$(awk -v a="$total" -v b="$s" 'BEGIN { print a + b }')
    printf '| %-10s | %10s | %12s | %14s |\n' merge "$s" "$(peak_mb "$WORKDIR/logs/merge.time" 0)" "$(anon_mb "$WORKDIR/logs/merge.anon")"
fi
printf '| %-10s | %10s | %12s | %14s |\n' total "$total" "" ""
echo "shards on disk: $(du -sh "$WORKDIR/shards" | cut -f1)"
if [ -f "$WORKDIR/report/summary.csv" ]; then
    echo "merged report: $WORKDIR/report"
    grep -E '^npv,(mean|se_mean|p5|p50|p95),|^probability_of_loss,' "$WORKDIR/report/summary.csv" || true
fi
