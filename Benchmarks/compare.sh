#!/usr/bin/env bash
# Speed and memory comparison: crmcase (Swift, release build) vs the vectorised NumPy model.
#
# Usage (from the repo root):   Benchmarks/compare.sh [TRIALS]      (TRIALS defaults to 100000)
#
# Steps: build crmcase in release; run it (on all cores, then with --threads 1) and
# Benchmarks/numpy_model.py on Scenarios/car-dealership.yaml with the same number of trials and
# seed 1 under GNU time -v; run crmcase once more with 1 000 000 trials to record its peak memory;
# count the heap allocations per trial of the engine's main loop (Benchmarks/ package,
# crmcase-allocations); time the default `run`, `track` and `compare` of the examples (3 runs
# each, medians); print a table (implementation, trials, seconds, trials/s, peak MB), the speed
# ratios crmcase/NumPy on 2 and 1 threads and the scaling from 1 to 2 threads, whether the
# targets are met (ratio >= 3 on 2 threads and >= 1.5 on 1; scaling >= 1.85; 0 allocations per
# trial; crmcase peak < 300 MB at 1 000 000 trials; run <= 1.5 s, track and compare <= 3 s), and
# the mean NPV of both so they can be compared (they use different random streams, so they agree
# within Monte Carlo error, not exactly).  Both do the same work: whole customers in both worlds,
# coupled customer for customer (docs/MODEL.md, "Both worlds").  For the full agreement check
# (sd, percentiles, chance of a loss, customers per segment, z-scores) see Benchmarks/agreement.sh.
#
# Units: seconds are wall-clock seconds of the whole process (GNU time "Elapsed"); peak MB is
# GNU time's "Maximum resident set size" (kB) / 1024.
set -euo pipefail

TRIALS="${1:-100000}"
BIG_TRIALS=1000000
SEED=1
SCENARIO="Scenarios/car-dealership.yaml"
TARGET_RATIO=3
TARGET_RATIO_ONE_THREAD=1.5
TARGET_SCALING=1.85
TARGET_PEAK_MB=300
REPEATS=3                      # runs of each command timed below; the median is printed
ACTUALS="Scenarios/car-dealership.actuals.csv"
VARIANTS="Scenarios/car-dealership-levers.variants.yaml"

if ! [[ "$TRIALS" =~ ^[0-9]+$ ]] || [ "$TRIALS" -lt 1 ]; then
    echo "usage: $0 [TRIALS]   (a positive whole number, default 100000)" >&2
    exit 2
fi

# Run from the repo root whatever the caller's working directory.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmpdir="$(mktemp -d)"
trap 'rm -rf "$tmpdir"' EXIT

# (a) GNU time (for -v: wall time and maximum resident set size) and its log readers.
source Benchmarks/gnu-time.sh
# Field from the NumPy model's JSON output, e.g. json_field FILE npv mean
json_field() {
    python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    d = d[key]
print(d)
PY
}
# Value of the row metric,statistic in a crmcase summary.csv (header metric,statistic,value).
csv_value() {
    awk -F',' -v m="$2" -v s="$3" '{ gsub(/\r|"/, "") } $1 == m && $2 == s { print $3; exit }' "$1"
}

# (b) Build the Swift CLI in release.
echo "== building crmcase (release)" >&2
swift build -c release --product crmcase >&2
CRMCASE=.build/release/crmcase

# The NumPy model implements the model without correlated inputs, so both run on a copy of the
# scenario without its `correlations:` section (the last section of the file), and crmcase runs
# without its sensitivity analysis (extra runs the NumPy model does not make).
ORIGINAL_SCENARIO="$SCENARIO"
sed '/^correlations:/,$d' "$SCENARIO" > "$tmpdir/scenario.yaml"
SCENARIO="$tmpdir/scenario.yaml"

# (c) crmcase with TRIALS trials.
echo "== crmcase run: $TRIALS trials" >&2
/usr/bin/time -v -o "$tmpdir/time_swift.txt" \
    "$CRMCASE" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --out "$tmpdir/report" --no-sensitivity >&2
swift_s="$(wall_seconds "$tmpdir/time_swift.txt")"
swift_mb="$(peak_mb "$tmpdir/time_swift.txt")"

# (c2) The same on one thread, for the scaling from 1 to 2 threads.
echo "== crmcase run: $TRIALS trials, 1 thread" >&2
/usr/bin/time -v -o "$tmpdir/time_swift_1.txt" \
    "$CRMCASE" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --threads 1 --out "$tmpdir/report_1" --no-sensitivity >&2
swift1_s="$(wall_seconds "$tmpdir/time_swift_1.txt")"
swift1_mb="$(peak_mb "$tmpdir/time_swift_1.txt")"

# (c3) The same with GSL's count samplers (--sampler gsl), the reference, for the speed-up of
# crmcase's own exact samplers (the default) measured in the same run.
echo "== crmcase run: $TRIALS trials, --sampler gsl" >&2
/usr/bin/time -v -o "$tmpdir/time_swift_gsl.txt" \
    "$CRMCASE" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --sampler gsl --out "$tmpdir/report_gsl" --no-sensitivity >&2
gsl_s="$(wall_seconds "$tmpdir/time_swift_gsl.txt")"
gsl_mb="$(peak_mb "$tmpdir/time_swift_gsl.txt")"

# (d) NumPy model with the same trials.
echo "== numpy_model.py: $TRIALS trials" >&2
/usr/bin/time -v -o "$tmpdir/time_numpy.txt" \
    python3 Benchmarks/numpy_model.py "$SCENARIO" --trials "$TRIALS" --seed "$SEED" > "$tmpdir/numpy.json"
numpy_s="$(wall_seconds "$tmpdir/time_numpy.txt")"
numpy_mb="$(peak_mb "$tmpdir/time_numpy.txt")"
numpy_sim_s="$(json_field "$tmpdir/numpy.json" seconds)"   # simulation only, no imports/parsing

# (e) crmcase with 1 000 000 trials, for its peak memory.
echo "== crmcase run: $BIG_TRIALS trials (peak memory)" >&2
/usr/bin/time -v -o "$tmpdir/time_swift_big.txt" \
    "$CRMCASE" run "$SCENARIO" --trials "$BIG_TRIALS" --seed "$SEED" --out "$tmpdir/report_big" --no-sensitivity >&2
big_s="$(wall_seconds "$tmpdir/time_swift_big.txt")"
big_mb="$(peak_mb "$tmpdir/time_swift_big.txt")"

# (e2) Heap allocations per trial of the engine's main loop: the Benchmarks/ package's
# crmcase-allocations (malloc-interposer's counters) runs the engine at two trial counts.
echo "== allocations per trial (building Benchmarks/ crmcase-allocations)" >&2
swift build -c release --package-path Benchmarks --scratch-path .build-bench --product crmcase-allocations >&2
ALLOC_BIN="$(swift build -c release --package-path Benchmarks --scratch-path .build-bench --show-bin-path)/crmcase-allocations"
"$ALLOC_BIN" "$ORIGINAL_SCENARIO" > "$tmpdir/allocations.txt"
cat "$tmpdir/allocations.txt" >&2
allocations="$(awk -F': ' '/allocations per trial/ { print $2 }' "$tmpdir/allocations.txt")"

# (e3) Wall time of the default commands on the examples, REPEATS runs each, each to a new
# temporary report folder: run (20 000 trials with its sensitivity analysis), track, compare.
time_command() {   # label, then the command; prints the median wall seconds
    local label="$1"; shift
    local times=()
    for k in $(seq 1 "$REPEATS"); do
        /usr/bin/time -v -o "$tmpdir/time_cmd.txt" "$@" --out "$tmpdir/cmd-$label-$k" > /dev/null 2>&1
        times+=("$(wall_seconds "$tmpdir/time_cmd.txt")")
    done
    echo "== $label: ${times[*]} s" >&2
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
run_s="$(time_command run "$CRMCASE" run "$ORIGINAL_SCENARIO")"
track_s="$(time_command track "$CRMCASE" track "$ORIGINAL_SCENARIO" --actuals "$ACTUALS")"
compare_s="$(time_command compare "$CRMCASE" compare "$VARIANTS")"

# (f) Table, ratio, targets, mean NPV.
python3 - "$TRIALS" "$swift_s" "$swift_mb" "$numpy_s" "$numpy_mb" "$numpy_sim_s" \
          "$BIG_TRIALS" "$big_s" "$big_mb" "$TARGET_RATIO" "$TARGET_PEAK_MB" \
          "$swift1_s" "$swift1_mb" "$TARGET_RATIO_ONE_THREAD" "$TARGET_SCALING" "$allocations" \
          "$run_s" "$track_s" "$compare_s" "$REPEATS" "$gsl_s" "$gsl_mb" <<'PY'
import sys
(trials, swift_s, swift_mb, numpy_s, numpy_mb, numpy_sim_s,
 big_trials, big_s, big_mb, target_ratio, target_mb,
 swift1_s, swift1_mb, target_ratio_1, target_scaling, allocations,
 run_s, track_s, compare_s, repeats, gsl_s, gsl_mb) = sys.argv[1:]
gsl_s, gsl_mb = float(gsl_s), float(gsl_mb)
trials, big_trials = int(trials), int(big_trials)
swift_s, swift_mb, numpy_s, numpy_mb, numpy_sim_s, big_s, big_mb, target_ratio, target_mb = map(
    float, (swift_s, swift_mb, numpy_s, numpy_mb, numpy_sim_s, big_s, big_mb, target_ratio, target_mb))
swift1_s, swift1_mb, target_ratio_1, target_scaling, allocations = map(
    float, (swift1_s, swift1_mb, target_ratio_1, target_scaling, allocations))
run_s, track_s, compare_s = map(float, (run_s, track_s, compare_s))

def rate(n, s):
    return n / s if s > 0 else float("inf")

rows = [
    ("crmcase (Swift)", trials, swift_s, swift_mb),
    ("crmcase, 1 thread", trials, swift1_s, swift1_mb),
    ("crmcase --sampler gsl", trials, gsl_s, gsl_mb),
    ("NumPy", trials, numpy_s, numpy_mb),
    ("NumPy, simulation only", trials, numpy_sim_s, float("nan")),
    ("crmcase (Swift)", big_trials, big_s, big_mb),
]
print(f"{'implementation':<24} {'trials':>9} {'seconds':>9} {'trials/s':>12} {'peak MB':>9}")
for name, n, s, mb in rows:
    mb_text = "-" if mb != mb else f"{mb:.1f}"
    print(f"{name:<24} {n:>9} {s:>9.3f} {rate(n, s):>12.0f} {mb_text:>9}")

# Speed ratio = crmcase trials/s ÷ NumPy trials/s, both whole-process wall time (includes
# start-up, parsing and, for crmcase, writing the report).  The second ratio uses NumPy's
# simulation-only time (no interpreter start, imports or YAML parsing): the stricter test.
ratio = rate(trials, swift_s) / rate(trials, numpy_s)
ratio_strict = rate(trials, swift_s) / rate(trials, numpy_sim_s)
ok = lambda b: "MET" if b else "NOT MET"
print()
print(f"speed ratio crmcase/NumPy (whole process):        {ratio:.2f}x   "
      f"target >= {target_ratio:g}: {ok(ratio >= target_ratio)}")
print(f"speed ratio crmcase/NumPy (NumPy simulation only): {ratio_strict:.2f}x   "
      f"target >= {target_ratio:g}: {ok(ratio_strict >= target_ratio)}")
print(f"crmcase peak memory at {big_trials} trials:       {big_mb:.1f} MB   "
      f"target < {target_mb:g} MB: {ok(big_mb < target_mb)}")
ratio_1 = rate(trials, swift1_s) / rate(trials, numpy_s)
scaling = rate(trials, swift_s) / rate(trials, swift1_s)
print(f"speed ratio crmcase 1 thread/NumPy (whole process): {ratio_1:.2f}x   "
      f"target >= {target_ratio_1:g}: {ok(ratio_1 >= target_ratio_1)}")
print(f"scaling crmcase 1 -> 2 threads:                    {scaling:.2f}x   "
      f"target >= {target_scaling:g}: {ok(scaling >= target_scaling)}")
print(f"speed-up of crmcase's samplers over GSL's (--sampler gsl): {rate(trials, swift_s) / rate(trials, gsl_s):.2f}x")
print(f"heap allocations per trial (main loop):            {allocations:.4f}   "
      f"target 0: {ok(allocations < 0.001)}")
print()
print(f"default commands on the examples (wall seconds, median of {repeats}):")
for name, seconds, target in (("crmcase run Scenarios/car-dealership.yaml", run_s, 1.5),
                              ("crmcase track Scenarios/car-dealership.yaml --actuals ...", track_s, 3.0),
                              ("crmcase compare Scenarios/car-dealership-levers.variants.yaml", compare_s, 3.0)):
    print(f"  {name:<62} {seconds:7.2f} s   target <= {target:g} s: {ok(seconds <= target)}")
PY

numpy_npv="$(json_field "$tmpdir/numpy.json" npv mean)"
numpy_se="$(json_field "$tmpdir/numpy.json" npv se)"
summary="$tmpdir/report/summary.csv"
swift_npv=""
swift_se=""
if [ -f "$summary" ]; then
    swift_npv="$(csv_value "$summary" npv mean)"
    swift_se="$(csv_value "$summary" npv se_mean)"
fi
echo
echo "mean NPV, NumPy:   $numpy_npv  (standard error $numpy_se)"
if [ -n "$swift_npv" ]; then
    echo "mean NPV, crmcase: $swift_npv${swift_se:+  (standard error $swift_se)}  (from the crmcase report's summary.csv)"
    # Different random streams: the difference should be within a few combined standard errors.
    python3 - "$numpy_npv" "$numpy_se" "$swift_npv" "${swift_se:-}" <<'PY'
import math, sys
a, se_a, b = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
se_b = float(sys.argv[4]) if sys.argv[4] else se_a   # same trials and distribution: same se
se = math.hypot(se_a, se_b)
z = (b - a) / se if se > 0 else float("nan")
print(f"difference crmcase - NumPy: {b - a:.1f} = {z:+.2f} combined standard errors"
      f" ({'consistent' if abs(z) < 3 else 'CHECK: more than 3 standard errors apart'})")
PY
else
    echo "mean NPV, crmcase: not found (no row npv,mean in the crmcase report's summary.csv)"
fi
