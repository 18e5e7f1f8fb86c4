#!/usr/bin/env python3
"""Checks a business-case report's inputs.csv and cash-flow.csv against what they must equal,
computed without crmcase.

    check_report_tables.py FOLDER...

inputs.csv: each input's mean, P5 and P95 against closed forms and SciPy (a reference
implementation crmcase does not use), from the input as written: a plain number (`12%`, `9k`),
pert (a beta, λ = 4 unless given), triangular, uniform, discrete, normal, lognormal (mean, sd),
lognormal90 and `A to B` (a fit whose P5 and P95 must be A and B). cash-flow.csv: each period's net is benefits − costs, the
total row the sum of the periods, the present values summary.csv's mean PV of costs, of
benefits and NPV, and the total net the mean cumulative cash at the horizon in monthly.csv (to 1e-8).
Prints `ok: N inputs (families …), M cash-flow figures` and exits 0, or each difference and 1.
"""
import csv
import math
import os
import re
import sys

from scipy import stats

PLAIN = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*(%|k|M)?\s*$")
SCALE = {None: 1, "%": 0.01, "k": 1e3, "M": 1e6}
Z95 = stats.norm.ppf(0.95)


def number(text):
    m = PLAIN.match(text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * SCALE[m.group(2)]


def arguments(text):
    return [a.strip() for a in text[text.index("(") + 1:text.rindex(")")].split(",")]


def expected(written):
    """(family, mean or None, p5, p95) of an input as written; None when not known here."""
    w = written.strip()
    if PLAIN.match(w):
        x = number(w)
        return "number", x, x, x
    if " to " in w:
        a, b = (number(t) for t in w.split(" to "))
        return "interval", None, a, b
    name = w[:w.index("(")].strip().lower()
    args = arguments(w)
    if name == "pert":
        a, m, b = (number(t) for t in args[:3])
        lam = float(args[3]) if len(args) > 3 else 4.0
        al, be = 1 + lam * (m - a) / (b - a), 1 + lam * (b - m) / (b - a)
        q = lambda u: a + (b - a) * stats.beta.ppf(u, al, be)
        return "pert", a + (b - a) * al / (al + be), q(0.05), q(0.95)
    if name == "triangular":
        a, m, b = (number(t) for t in args)
        fc = (m - a) / (b - a)
        q = lambda u: a + math.sqrt(u * (b - a) * (m - a)) if u < fc else b - math.sqrt((1 - u) * (b - a) * (b - m))
        return "triangular", (a + m + b) / 3, q(0.05), q(0.95)
    if name == "uniform":
        a, b = (number(t) for t in args)
        return "uniform", (a + b) / 2, a + 0.05 * (b - a), a + 0.95 * (b - a)
    if name == "normal":
        m, sd = (number(t) for t in args)
        return "normal", m, m + sd * stats.norm.ppf(0.05), m + sd * stats.norm.ppf(0.95)
    if name == "lognormal":
        m, sd = (number(t) for t in args)
        s2 = math.log(1 + sd * sd / (m * m))
        mu, sigma = math.log(m) - s2 / 2, math.sqrt(s2)
        return "lognormal", m, math.exp(mu + sigma * stats.norm.ppf(0.05)), math.exp(mu + sigma * stats.norm.ppf(0.95))
    if name == "lognormal90":
        a, b = (number(t) for t in args)
        mu, sigma = (math.log(a) + math.log(b)) / 2, (math.log(b) - math.log(a)) / (2 * Z95)
        return "lognormal90", math.exp(mu + sigma * sigma / 2), a, b
    if name == "discrete":
        pairs = [tuple(number(t) for t in arg.split(":")) for arg in args]

        def q(u):
            total = 0.0
            for v, p in pairs:
                total += p
                if u <= total:
                    return v
            return pairs[-1][0]
        return "discrete", sum(v * p for v, p in pairs), q(0.05), q(0.95)
    return None


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("# ")))


def main():
    problems, checked, figures, families = [], 0, 0, set()
    for folder in sys.argv[1:]:
        for row in rows(os.path.join(folder, "inputs.csv")):
            known = expected(row["as_written"])
            if known is None:
                problems.append(f"{folder}: {row['input']}: no reference for “{row['as_written']}”")
                continue
            family, mean, p5, p95 = known
            families.add(family)
            got = {k: float(row[k]) for k in ("mean", "p5", "p95")}
            for key, want in (("mean", mean), ("p5", p5), ("p95", p95)):
                if want is not None and not close(got[key], want):
                    problems.append(f"{folder}: {row['input']} ({row['as_written']}) {key}: file {got[key]!r}, reference {want!r}")
            if mean is None and not (got["p5"] <= got["mean"] <= got["p95"] or family == "interval"):
                problems.append(f"{folder}: {row['input']}: mean outside P5…P95")
            checked += 1

        flows = rows(os.path.join(folder, "cash-flow.csv"))
        periods = [r for r in flows if r["period"] not in ("total", "present_value")]
        total = next(r for r in flows if r["period"] == "total")
        present = next(r for r in flows if r["period"] == "present_value")
        columns = [c for c in flows[0] if c.startswith(("costs", "benefits", "net"))]
        for r in periods + [total]:
            for kind in {c.split("_", 1)[1] for c in columns}:
                if not close(float(r["net_" + kind]), float(r["benefits_" + kind]) - float(r["costs_" + kind]), 1e-12):
                    problems.append(f"{folder}: cash-flow {r['period']} net_{kind} is not benefits − costs")
                figures += 1
        for c in columns:
            if not close(float(total[c]), sum(float(r[c]) for r in periods), 1e-12):
                problems.append(f"{folder}: cash-flow total {c} is not the sum of the years")
            figures += 1
        summary = {(r["metric"], r["statistic"]): r["value"] for r in rows(os.path.join(folder, "summary.csv"))}
        for column, metric in (("costs_risk_adjusted", "pv_costs"), ("benefits_risk_adjusted", "pv_benefits"),
                               ("net_risk_adjusted", "npv")):
            if float(present[column]) != float(summary[(metric, "mean")]):
                problems.append(f"{folder}: cash-flow present value {column} {present[column]} ≠ summary {metric} mean")
            figures += 1
        monthly = rows(os.path.join(folder, "monthly.csv"))
        last = max(int(r["month"]) for r in monthly)
        cash = next(float(r["mean"]) for r in monthly if r["series"] == "cumulative_cash" and int(r["month"]) == last)
        # Two accumulators (yearly costs and benefits, and the cumulative cash path) summed in
        # different orders over 10⁴–10⁵ trials: equal to about 1e-9.
        if not close(float(total["net_risk_adjusted"]), cash, 1e-8):
            problems.append(f"{folder}: total net {total['net_risk_adjusted']} ≠ mean cumulative cash at month {last} ({cash})")
        figures += 1

    for p in problems[:40]:
        print(p)
    if problems:
        print(f"{len(problems)} differences")
        return 1
    print(f"ok: {checked} inputs (families {', '.join(sorted(families))}), {figures} cash-flow figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
