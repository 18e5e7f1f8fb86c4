#!/usr/bin/env bash
# Agreement check: crmcase (Swift, release build) against the independent NumPy model.
#
# Usage (from anywhere):   Benchmarks/agreement.sh [TRIALS] [SEED]   (defaults 100000 and 1)
#
# Not part of the test suite: with the default trials it takes several minutes (most of it the
# NumPy model).  For each example scenario (without its `correlations:` section, which the NumPy
# model does not implement) and for copies of car-dealership and b2b-distributor with every
# uncertain input held at its mean and every risk probability 0 % ("at means": what is left is
# the customer process alone), it runs
#   crmcase run COPY --trials TRIALS --seed SEED --no-sensitivity --quiet --out DIR
#   python3 Benchmarks/numpy_model.py COPY --trials TRIALS --seed SEED --uncertainty 200
# and prints, side by side: the NPV's mean, sd, P5, P50, P95, the chance of a loss, and the mean
# customers with and without the CRM at the horizon per segment, with the z-score
#   z = (crmcase - NumPy) / sqrt(se_crmcase^2 + se_NumPy^2).
# Standard errors: of a mean, sd/sqrt(n) of each run (crmcase's se_mean from its summary.csv);
# of a chance p, sqrt(p(1-p)/n); of the sd and the percentiles, the NumPy run's bootstrap SE
# (200 replicates), the same for crmcase (same n, same distribution if they agree).
# The two use different random streams, so they agree within Monte Carlo error, not exactly:
# a row is flagged CHECK when |z| > 4 (with ~20 rows per scenario, |z| > 3 happens by chance
# now and then).
#
# The at-means copies are written by this script from the NumPy model's reading of each input's
# distribution (numbers into the YAML, so both programs read the same values); whole counts
# (seats, customers, go-live) are written rounded, as crmcase rounds every draw of them.
set -euo pipefail

TRIALS="${1:-100000}"
SEED="${2:-1}"
BOOT=200
if ! [[ "$TRIALS" =~ ^[0-9]+$ ]] || [ "$TRIALS" -lt 2 ] || ! [[ "$SEED" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 [TRIALS] [SEED]   (whole numbers, TRIALS >= 2; defaults 100000 and 1)" >&2
    exit 2
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# KEEP=DIR keeps the copies, reports and JSON files in DIR instead of a temporary folder.
if [ -n "${KEEP:-}" ]; then
    tmpdir="$KEEP"; mkdir -p "$tmpdir"
else
    tmpdir="$(mktemp -d)"
    trap 'rm -rf "$tmpdir"' EXIT
fi

echo "== building crmcase (release)" >&2
swift build -c release --product crmcase >&2
CRMCASE=.build/release/crmcase

# Copies: each example without correlations; two at means.
for name in car-dealership b2b-distributor subscription-churn; do
    sed '/^correlations:/,$d' "Scenarios/$name.yaml" > "$tmpdir/$name.yaml"
done
python3 - "$tmpdir" <<'PY'
import math, sys
sys.path.insert(0, "Benchmarks")
import yaml
import numpy_model as nm

out = sys.argv[1]
SHARES = {"ceiling", "churn", "churn_reduction"}
RATES = {"discount_rate", "escalation"}
WHOLE = {"seats", "customers", "go_live"}

def held(value, key, where):
    """The mean of a field's distribution, as a plain number (rounded for whole counts)."""
    if value is None or isinstance(value, bool):
        return value
    field = (nm.SHARE_F if key in SHARES else nm.RATE_F if key in RATES
             else nm.MARGIN_F if key == "margin" else nm.NONNEG_F)
    d = nm.parse_dist(value, where, field)
    if d.is_fixed:
        return value                      # leave plain numbers as written
    mean = d.mean
    if key in WHOLE:
        return int(math.floor(abs(mean) + 0.5) * (1 if mean >= 0 else -1))
    return float(mean)

for name in ("car-dealership", "b2b-distributor"):
    doc = yaml.safe_load(open(f"{out}/{name}.yaml", encoding="utf-8"))
    doc["name"] = doc["name"] + " (every input at its mean, no risk events)"
    doc["discount_rate"] = held(doc.get("discount_rate"), "discount_rate", "discount_rate")
    for section in ("licences", "adoption", "acquisition"):
        for k, v in (doc.get(section) or {}).items():
            if k != "model":
                doc[section][k] = held(v, k, f"{section}.{k}")
    for section in ("costs", "benefits"):
        for i, line in enumerate(doc.get(section) or []):
            for k in ("amount", "from", "to"):
                if k in line:
                    line[k] = held(line[k], k, f"{section}[{i}].{k}")
    for i, sg in enumerate(doc["segments"]):
        for k in ("customers", "margin", "churn", "churn_reduction", "margin_uplift"):
            if k in sg:
                sg[k] = held(sg[k], k, f"segments[{i}].{k}")
    for rk in doc.get("risks") or []:
        rk["probability"] = 0.0
    with open(f"{out}/{name}-at-means.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(doc, fh, allow_unicode=True, sort_keys=False)
PY

CASES="car-dealership b2b-distributor subscription-churn car-dealership-at-means b2b-distributor-at-means"
for c in $CASES; do
    echo "== $c: crmcase, $TRIALS trials" >&2
    "$CRMCASE" run "$tmpdir/$c.yaml" --trials "$TRIALS" --seed "$SEED" --no-sensitivity --quiet \
        --out "$tmpdir/report-$c" >&2
    echo "== $c: numpy_model.py, $TRIALS trials" >&2
    python3 Benchmarks/numpy_model.py "$tmpdir/$c.yaml" --trials "$TRIALS" --seed "$SEED" \
        --uncertainty "$BOOT" > "$tmpdir/numpy-$c.json"
done

python3 - "$tmpdir" "$TRIALS" $CASES <<'PY'
import csv, json, math, sys

tmp, n, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
sys.path.insert(0, "Benchmarks")


def exact_expectations(path):
    import numpy as np
    import yaml
    import numpy_model as nm

    class ExpectationRng:
        """Every draw but the customer process from a real generator; the process by expectation."""
        def __init__(self):
            self.g = np.random.Generator(np.random.PCG64(0))

        def binomial(self, k, p):
            return np.asarray(k, float) * p

        def poisson(self, lam):
            return np.asarray(lam, float)

        def __getattr__(self, name):
            return getattr(self.g, name)

    nm.COUNT_DTYPE = float
    sc = nm.Scenario(yaml.safe_load(open(path, encoding="utf-8")))
    out = nm.simulate_chunk(sc, ExpectationRng(), 1)
    return {k: float(v[0]) for k, v in out.items()}

worst = 0.0
for case in cases:
    rows = {}
    with open(f"{tmp}/report-{case}/summary.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            try:
                rows[(r["metric"], r["statistic"])] = float(r["value"])
            except ValueError:
                pass    # a figure without a value (e.g. no trial had one)
    js = json.load(open(f"{tmp}/numpy-{case}.json", encoding="utf-8"))
    npv = js["npv"]
    cur = js["currency"]
    lines = []   # (label, crmcase, se_crmcase, numpy, se_numpy)
    lines.append(("NPV mean", rows[("npv", "mean")], rows[("npv", "se_mean")], npv["mean"], npv["se"]))
    lines.append(("NPV sd", rows[("npv", "sd")], npv["se_sd"], npv["sd"], npv["se_sd"]))
    for q in ("p5", "p50", "p95"):
        lines.append((f"NPV {q.upper()}", rows[("npv", q)], npv[f"se_{q}"], npv[q], npv[f"se_{q}"]))
    pa, pb = rows[("probability_of_loss", "value")], npv["prob_negative"]
    lines.append(("P(loss)", pa, math.sqrt(pa * (1 - pa) / n), pb, math.sqrt(pb * (1 - pb) / n)))
    for seg, s in js["segments"].items():
        for world, key in (("with", "with_crm"), ("without", "without_crm")):
            metric = f"segment[{seg}].customers_at_horizon_{key}"
            lines.append((f"{seg[:28]}: customers {world}", rows[(metric, "mean")], rows[(metric, "se_mean")],
                          s[f"customers_at_horizon_{key}_mean"],
                          s[f"customers_at_horizon_{key}_sd"] / math.sqrt(n)))
    print()
    print(f"{case}  ({n} trials each; amounts in {cur})")
    print(f"{'figure':<42} {'crmcase':>15} {'NumPy':>15} {'difference':>13} {'comb. SE':>11} {'z':>7}")
    for label, a, sa, b, sb in lines:
        se = math.hypot(sa, sb)
        d = a - b
        z = d / se if se > 0 else (0.0 if d == 0 else float("inf"))
        worst = max(worst, abs(z))
        flag = "  CHECK" if abs(z) > 4 else ""
        fmt = (lambda x: f"{x:15.4f}") if abs(a) < 10 and abs(b) < 10 else (lambda x: f"{x:15.1f}")
        print(f"{label:<42} {fmt(a)} {fmt(b)} {d:13.4g} {se:11.4g} {z:+7.2f}{flag}")
    if case.endswith("-at-means"):
        # With every input fixed the NPV and the customer counts are linear in the customer
        # process, so running the model on expectations (binomial -> n p, Poisson -> lambda)
        # gives their exact expected values: a third reference for the two means.
        ex = exact_expectations(f"{tmp}/{case}.yaml")
        print(f"  exact expectations (model run on expectations), z of each against them:")
        refs = [("NPV mean", ex["npv"], lines[0])]
        for seg in js["segments"]:
            for world, key in (("with", "with"), ("without", "without")):
                label = f"{seg[:28]}: customers {world}"
                refs.append((label, ex[f"customers_{key}:{seg}"], next(l for l in lines if l[0] == label)))
        for label, e, (_, a, sa, b, sb) in refs:
            za, zb = (a - e) / sa if sa > 0 else 0.0, (b - e) / sb if sb > 0 else 0.0
            worst = max(worst, abs(za), abs(zb))
            print(f"  {label:<40} exact {e:15.3f}   crmcase z {za:+6.2f}   NumPy z {zb:+6.2f}"
                  + ("  CHECK" if max(abs(za), abs(zb)) > 4 else ""))
print()
print(f"largest |z|: {worst:.2f}  ({'all within 4 combined standard errors' if worst <= 4 else 'CHECK the flagged rows'})")
PY
