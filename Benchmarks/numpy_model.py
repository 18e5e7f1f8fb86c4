#!/usr/bin/env python3
"""Independent, vectorised NumPy implementation of the crmcase model.

Usage:
    python3 Benchmarks/numpy_model.py SCENARIO.yaml --trials N --seed S [--chunk 20000]

Implements docs/MODEL.md and the scenario syntax of docs/SCENARIO-FORMAT.md, for a speed
comparison with the Swift engine and as a cross-check of its numbers.  It draws from the same
distributions but NOT from the same random streams (one numpy PCG64 Generator seeded from
--seed, consumed chunk by chunk), so results agree with crmcase in distribution (means within
Monte Carlo error), not bit for bit.  Results also depend on --chunk for a given seed.

The model (docs/MODEL.md) as crmcase now computes it:
  * Both worlds, with the CRM and without it, have whole customers and are simulated on the
    same random numbers, coupled customer for customer ("Both worlds" in docs/MODEL.md): per
    segment and trial the customers in both worlds (`shared`), in the with-CRM world only and
    in the without-CRM world only; see advance_coupled().  (Before this, the without-CRM world
    was an expected-value path.)
  * A `crm_effects` risk multiplies churn_reduction, margin_uplift, win_rate_uplift and the
    benefit lines that scale with adoption; a `scale_with_adoption: false` line and a `once`
    benefit are left alone.
  * churn_reduction is clamped to 0..1 and the uplifts to >= 0 before the crm_effects factor.
  * A segment's own `cost_per_customer` replaces acquisition.cost_per_customer for it.
  * A risk may list several `effects:`; one occurrence draw per event decides them all.
  * `licences.users` U: the customer effects (churn reduction, margin and win-rate uplifts,
    and the CLV with the CRM) work through A_t * min(1, S / U); without it, A_t.
  * `A to B` becomes what the field's range says (docs/SCENARIO-FORMAT.md, "Bounded fields"),
    an end at 0 % / 100 % a Beta(1, beta) / Beta(alpha, 1), from 0 on an amount an exponential.
Not implemented (compare.sh and agreement.sh run scenarios without them): `correlations:`
(the Gaussian copula), `churn: sbg(...)` retention curves, Latin hypercube sampling.

Vectorisation: for each chunk of trials every input is drawn as an array of shape (chunk,);
the months t = 0..H are then a Python loop whose body works on whole arrays (rng.binomial and
rng.poisson take array parameters: five binomial/Poisson draws per segment and month for the
coupled worlds).  Per-trial outputs (one float per output per trial) are kept for the
statistics, so memory is O(trials x outputs) + O(chunk x segments).

Units (as in the docs):
  * time in whole months t = 0..H; month 0 = decision month (not discounted); customer
    dynamics in months 1..H; every cash flow at the end of its month.
  * discount_rate is per YEAR; converted to r_m = (1+r)^(1/12) - 1 per MONTH.
  * licence price is per seat per MONTH; escalation is per YEAR (applied on anniversaries).
  * segment margin is per customer per MONTH; churn is per YEAR (converted to a monthly
    probability c = 1 - (1-c_y)^(1/12)).
  * new_customers is per MONTH.  Shares (ceiling, churn, uplifts, probabilities) are fractions.
Output: one JSON object on stdout (Benchmarks/compare.sh reads seconds, npv.mean and npv.se;
Benchmarks/agreement.sh reads the npv block and the segments' customer figures).  With
--uncertainty the NPV's sd, P5, P50 and P95 get bootstrap standard errors (se_sd, se_p5, ...).
"""

import argparse
import difflib
import json
import math
import re
import sys
import time

import numpy as np
import yaml

Z95 = 1.6448536269514722  # standard normal 95th percentile
# Type of the customer counts.  Whole customers (int64); Benchmarks/agreement.sh sets it to
# float to run the model on expectations (binomial -> n p, Poisson -> lambda) for the exact
# expected values of a scenario with every input fixed.
COUNT_DTYPE = np.int64


class ScenarioError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Numbers and distributions
# --------------------------------------------------------------------------------------------

def parse_number(text, where):
    """Parse `1200`, `1_200`, `-3.5`, `12%`, `900k`, `1.2M`, `2bn`.

    Returns (value, written_as_percent)."""
    if isinstance(text, bool):
        raise ScenarioError(f"{where}: expected a number, got {text!r}")
    if isinstance(text, (int, float)):
        return float(text), False
    s = str(text).strip()
    low = s.lower()
    mult, pct = 1.0, False
    if low.endswith("%"):
        mult, pct, s = 0.01, True, s[:-1]
    elif low.endswith("bn"):
        mult, s = 1e9, s[:-2]
    elif low.endswith("k"):
        mult, s = 1e3, s[:-1]
    elif low.endswith("m"):
        mult, s = 1e6, s[:-1]
    s = s.strip()
    if not re.fullmatch(r"[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?", s):
        raise ScenarioError(f"{where}: cannot read {text!r} as a number or distribution")
    return float(s.replace("_", "")) * mult, pct


class Dist:
    """One uncertain input.  kind and params (all plain floats):

    fixed(x) | uniform(a, b) | triangular(a, mode, b) | beta(alpha, beta, lo, hi)  [pert,
    beta, beta90 all become a scaled beta] | normal(mu, sd) | lognormal(mu_log, sigma_log) |
    gamma(shape, scale) | discrete(values, probs)."""

    def __init__(self, kind, params, text):
        self.kind, self.params, self.text = kind, params, text

    @property
    def is_fixed(self):
        return self.kind == "fixed"

    @property
    def value(self):
        assert self.is_fixed
        return self.params[0]

    def sample(self, rng, n):
        k, p = self.kind, self.params
        if k == "fixed":
            return np.full(n, p[0])
        if k == "uniform":
            return rng.uniform(p[0], p[1], n)
        if k == "triangular":
            return rng.triangular(p[0], p[1], p[2], n)
        if k == "beta":
            a, b, lo, hi = p
            return lo + (hi - lo) * rng.beta(a, b, n)
        if k == "normal":
            return rng.normal(p[0], p[1], n)
        if k == "lognormal":
            return rng.lognormal(p[0], p[1], n)
        if k == "gamma":
            return rng.gamma(p[0], p[1], n)
        if k == "discrete":
            vals, probs = p
            return np.asarray(vals)[rng.choice(len(vals), size=n, p=probs)]
        raise AssertionError(k)

    @property
    def mean(self):
        k, p = self.kind, self.params
        if k == "fixed":
            return p[0]
        if k == "uniform":
            return (p[0] + p[1]) / 2
        if k == "triangular":
            return sum(p) / 3
        if k == "beta":
            a, b, lo, hi = p
            return lo + (hi - lo) * a / (a + b)
        if k == "normal":
            return p[0]
        if k == "lognormal":
            return math.exp(p[0] + p[1] ** 2 / 2)
        if k == "gamma":
            return p[0] * p[1]
        if k == "discrete":
            return float(np.dot(p[0], p[1]))
        raise AssertionError(k)

    def outside_probability(self, lo, hi):
        """Probability mass outside [lo, hi]; only needed for the normal check."""
        if self.kind != "normal":
            return 0.0
        mu, sd = self.params
        if sd == 0:
            return 0.0 if lo <= mu <= hi else 1.0
        out = 0.0
        if lo is not None:
            out += 0.5 * math.erfc((mu - lo) / (sd * math.sqrt(2)))
        if hi is not None:
            out += 0.5 * math.erfc((hi - mu) / (sd * math.sqrt(2)))
        return out


def fit_beta90(p5, p95, where):
    """Beta on 0..1 whose 5th and 95th percentiles are p5 and p95 (scipy root finder).

    An end AT the bound (docs/SCENARIO-FORMAT.md, "An end at the bound") is read as "as low as
    0 %, and 95 % sure it is at most p95": Beta(1, beta) with P95 = p95, i.e. the CDF
    1 - (1 - x)^beta = 0.95, beta = ln 0.05 / ln(1 - p95); the mirror image Beta(alpha, 1) with
    P5 = p5 (CDF x^alpha = 0.05, alpha = ln 0.05 / ln p5) for an end at 100 %; 0 % to 100 % is
    the uniform Beta(1, 1)."""
    if not (0 <= p5 < p95 <= 1):
        raise ScenarioError(f"{where}: beta90 needs 0 <= p5 < p95 <= 1, got {p5}, {p95}")
    if p5 == 0 and p95 == 1:
        return 1.0, 1.0
    if p5 == 0:
        return 1.0, math.log(0.05) / math.log(1 - p95)
    if p95 == 1:
        return math.log(0.05) / math.log(p5), 1.0
    from scipy import optimize, stats  # imported lazily: only scenarios using beta90 pay for it
    mu, sd = (p5 + p95) / 2, (p95 - p5) / (2 * Z95)
    nu = mu * (1 - mu) / sd ** 2 - 1
    guess = [math.log(max(mu * nu, 0.5)), math.log(max((1 - mu) * nu, 0.5))] if nu > 0 else [0.0, 0.0]

    def f(x):
        a, b = np.exp(x)
        return [stats.beta.ppf(0.05, a, b) - p5, stats.beta.ppf(0.95, a, b) - p95]

    sol = optimize.root(f, guess, method="hybr")
    if not sol.success or max(abs(v) for v in f(sol.x)) > 1e-9:
        sol = optimize.least_squares(f, guess, xtol=1e-15, ftol=1e-15, gtol=1e-15)
        if max(abs(v) for v in f(sol.x)) > 1e-9:
            raise ScenarioError(f"{where}: could not fit beta90({p5}, {p95})")
    a, b = np.exp(sol.x)
    return float(a), float(b)


DIST_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\((.*)\)\s*$", re.S)


# What a 90 % interval `A to B` becomes depends on the field (docs/SCENARIO-FORMAT.md, "Bounded
# fields"): SHARE_F (ceiling, churn, churn_reduction, risk probability): always beta90;
# NONNEG_F (uplifts, money, counts, months, curve parameters, risk factors): beta90 if both ends
# are percentages inside 0..100 %, else lognormal90, and from 0 an exponential; RATE_F (discount
# rate, escalation): beta90 if both ends are percentages inside 0..100 %, lognormal90 if A > 0,
# else normal90; MARGIN_F (segment margin): lognormal90 if A > 0, else normal90.
SHARE_F, NONNEG_F, RATE_F, MARGIN_F = "share", "nonneg", "rate", "margin"


def interval_dist(lo, lo_pct, hi, hi_pct, field, text, where):
    both_pct_inside = lo_pct and hi_pct and 0 <= lo and hi <= 1
    if field == SHARE_F:
        if not (0 <= lo and hi <= 1):
            raise ScenarioError(f"{where}: {text}: a share must lie in 0 %..100 %")
        name = "beta90"
    elif field == NONNEG_F:
        if lo < 0:
            raise ScenarioError(f"{where}: {text}: this field cannot be negative")
        name = "beta90" if both_pct_inside else "lognormal90"
    elif field == RATE_F:
        name = "beta90" if both_pct_inside else ("lognormal90" if lo > 0 else "normal90")
    else:
        name = "lognormal90" if lo > 0 else "normal90"
    return make_dist(name, [lo, hi], text, where)


def parse_dist(raw, where, field=MARGIN_F):
    """Any number field: a plain number or a distribution written as text."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Dist("fixed", (float(raw),), str(raw))
    if not isinstance(raw, str):
        raise ScenarioError(f"{where}: expected a number or a distribution, got {raw!r}")
    text = raw.strip()
    m = DIST_RE.match(text)
    if m:
        name, body = m.group(1).lower(), m.group(2)
        parts = [a.strip() for a in body.split(",")] if body.strip() else []
        if name == "discrete":
            vals, probs = [], []
            for part in parts:
                if ":" not in part:
                    raise ScenarioError(f"{where}: discrete needs `value: probability` pairs")
                v, pr = part.rsplit(":", 1)
                vals.append(parse_number(v, where)[0])
                probs.append(parse_number(pr, where)[0])
            if not vals or any(pr < 0 for pr in probs) or abs(sum(probs) - 1) > 1e-9:
                raise ScenarioError(f"{where}: discrete probabilities must add up to 100 %")
            probs = np.asarray(probs) / sum(probs)
            return Dist("discrete", (np.asarray(vals), probs), text)
        a = [parse_number(x, where)[0] for x in parts]
        arity = {"fixed": (1,), "uniform": (2,), "triangular": (3,), "pert": (3, 4),
                 "normal": (2,), "lognormal": (2,), "beta": (2, 4), "gamma": (2,),
                 "normal90": (2,), "lognormal90": (2,), "beta90": (2,)}
        if name not in arity:
            sugg = difflib.get_close_matches(name, list(arity) + ["discrete"], 1)
            raise ScenarioError(f"{where}: unknown distribution {name!r}"
                                + (f" (did you mean {sugg[0]!r}?)" if sugg else ""))
        if len(a) not in arity[name]:
            raise ScenarioError(f"{where}: {name} takes {' or '.join(map(str, arity[name]))} arguments")
        return make_dist(name, a, text, where)
    halves = re.split(r"\s+to\s+", text)
    if len(halves) == 2:
        (lo, lo_pct), (hi, hi_pct) = parse_number(halves[0], where), parse_number(halves[1], where)
        return interval_dist(lo, lo_pct, hi, hi_pct, field, text, where)
    return Dist("fixed", (parse_number(text, where)[0],), text)


def make_dist(name, a, text, where):
    def bad(msg):
        raise ScenarioError(f"{where}: {text}: {msg}")
    if name == "fixed":
        return Dist("fixed", (a[0],), text)
    if name == "uniform":
        lo, hi = a
        if hi < lo:
            bad("max < min")
        return Dist("fixed", (lo,), text) if hi == lo else Dist("uniform", (lo, hi), text)
    if name == "triangular":
        lo, mode, hi = a
        if not lo <= mode <= hi:
            bad("needs min <= mode <= max")
        return Dist("fixed", (lo,), text) if hi == lo else Dist("triangular", (lo, mode, hi), text)
    if name == "pert":
        lo, mode, hi = a[:3]
        lam = a[3] if len(a) == 4 else 4.0
        if not lo <= mode <= hi or lam <= 0:
            bad("needs min <= mode <= max and lambda > 0")
        if hi == lo:
            return Dist("fixed", (lo,), text)
        # mean (lo + lam*mode + hi)/(lam+2)
        alpha = 1 + lam * (mode - lo) / (hi - lo)
        beta = 1 + lam * (hi - mode) / (hi - lo)
        return Dist("beta", (alpha, beta, lo, hi), text)
    if name == "normal":
        mu, sd = a
        if sd < 0:
            bad("sd < 0")
        return Dist("fixed", (mu,), text) if sd == 0 else Dist("normal", (mu, sd), text)
    if name == "lognormal":  # arithmetic mean and sd
        mean, sd = a
        if mean <= 0 or sd < 0:
            bad("needs mean > 0 and sd >= 0")
        if sd == 0:
            return Dist("fixed", (mean,), text)
        s2 = math.log(1 + (sd / mean) ** 2)
        return Dist("lognormal", (math.log(mean) - s2 / 2, math.sqrt(s2)), text)
    if name == "beta":
        alpha, beta = a[:2]
        lo, hi = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
        if alpha <= 0 or beta <= 0 or hi < lo:
            bad("needs alpha, beta > 0 and min <= max")
        return Dist("beta", (alpha, beta, lo, hi), text)
    if name == "gamma":
        shape, scale = a
        if shape <= 0 or scale <= 0:
            bad("needs shape, scale > 0")
        return Dist("gamma", (shape, scale), text)
    if name == "normal90":
        p5, p95 = a
        if p95 < p5:
            bad("p95 < p5")
        sd = (p95 - p5) / (2 * Z95)
        return Dist("fixed", (p5,), text) if sd == 0 else Dist("normal", ((p5 + p95) / 2, sd), text)
    if name == "lognormal90":
        p5, p95 = a
        if p5 == 0 and p95 > 0:
            # From 0 (docs/SCENARIO-FORMAT.md, "An end at the bound"): the exponential with
            # P95 = p95, i.e. a gamma with shape 1 and scale p95 / ln 20.
            return Dist("gamma", (1.0, p95 / math.log(20.0)), text)
        if not 0 < p5 <= p95:
            bad("needs 0 < p5 <= p95")
        l5, l95 = math.log(p5), math.log(p95)
        sig = (l95 - l5) / (2 * Z95)
        return Dist("fixed", (p5,), text) if sig == 0 else Dist("lognormal", ((l5 + l95) / 2, sig), text)
    if name == "beta90":
        alpha, beta = fit_beta90(a[0], a[1], where)
        return Dist("beta", (alpha, beta, 0.0, 1.0), text)
    raise AssertionError(name)


# --------------------------------------------------------------------------------------------
# Scenario
# --------------------------------------------------------------------------------------------

SHARE = (0.0, 1.0)      # must lie in 0..100 %
NONNEG = (0.0, None)    # cannot be negative
ANY = (None, None)


class Input:
    """A named uncertain input with the domain it is clamped to."""

    def __init__(self, raw, where, domain=ANY, default=None, field=None):
        if raw is None:
            if default is None:
                raise ScenarioError(f"{where}: required")
            raw = default
        self.where, self.domain = where, domain
        if field is None:   # what `A to B` becomes: by the field's range unless told
            field = {SHARE: SHARE_F, NONNEG: NONNEG_F}.get(domain, MARGIN_F)
        self.dist = parse_dist(raw, where, field)
        lo, hi = domain
        if self.dist.outside_probability(lo, hi) > 1e-6:
            raise ScenarioError(f"{where}: {self.dist.text} puts more than one in a million trials "
                                f"outside the allowed range; use pert, beta90 or lognormal")
        if self.dist.is_fixed:
            v = self.dist.value
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise ScenarioError(f"{where}: {v} is outside the allowed range {domain}")

    def draw(self, rng, n):
        x = self.dist.sample(rng, n)
        lo, hi = self.domain
        if lo is not None or hi is not None:
            x = np.clip(x, lo, hi)  # rare draws of an accepted normal are clamped to the bound
        return x


def check_keys(d, allowed, where):
    if not isinstance(d, dict):
        raise ScenarioError(f"{where}: expected a mapping")
    for k in d:
        if k not in allowed:
            sugg = difflib.get_close_matches(str(k), allowed, 1)
            raise ScenarioError(f"{where}: unknown key {k!r}" + (f" (did you mean {sugg[0]!r}?)" if sugg else ""))


def round_half_away(x):
    """Round to whole numbers, halves away from zero (like Swift's .rounded())."""
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


PER_KINDS = ("once", "month", "seat", "active_user_month")
EFFECTS = ("adoption_ceiling", "crm_effects", "one_off_costs", "recurring_costs", "licence_price", "go_live")


class Scenario:
    def __init__(self, doc):
        check_keys(doc, ["name", "currency", "start", "horizon", "discount_rate", "licences", "adoption",
                         "costs", "benefits", "acquisition", "segments", "risks"], "scenario")
        for req in ("name", "currency", "licences", "adoption", "costs", "segments"):
            if req not in doc:
                raise ScenarioError(f"scenario: `{req}` is required")
        self.name = str(doc["name"])
        self.currency = str(doc["currency"])
        hz = parse_dist(doc.get("horizon", 60), "horizon")
        if not hz.is_fixed or hz.value != int(hz.value) or not 1 <= hz.value <= 600:
            raise ScenarioError("horizon: must be a whole number of months 1..600")
        H = self.H = int(hz.value)
        self.discount_rate = Input(doc.get("discount_rate"), "discount_rate", (-0.99, None), "8%",
                                   RATE_F)  # per year

        lic = doc["licences"]
        check_keys(lic, ["seats", "users", "price", "from", "to", "escalation"], "licences")
        self.seats = Input(lic.get("seats"), "licences.seats", NONNEG)
        # People who should use the CRM; None: as many as the seats (coverage 1, nothing drawn).
        self.users = Input(lic.get("users"), "licences.users", NONNEG) if "users" in lic else None
        self.price = Input(lic.get("price"), "licences.price", NONNEG)          # per seat per month
        self.lic_from = Input(lic.get("from"), "licences.from", NONNEG, 1)
        self.lic_to = Input(lic.get("to"), "licences.to", NONNEG, H)
        self.escalation = Input(lic.get("escalation"), "licences.escalation", ANY, 0, RATE_F)  # per year

        ad = doc["adoption"]
        check_keys(ad, ["model", "go_live", "ceiling", "half_time", "steepness", "p", "q"], "adoption")
        self.model = str(ad.get("model", "logistic"))
        if self.model not in ("logistic", "bass"):
            raise ScenarioError("adoption.model: logistic or bass")
        self.go_live = Input(ad.get("go_live"), "adoption.go_live", NONNEG)
        self.ceiling = Input(ad.get("ceiling"), "adoption.ceiling", SHARE)
        self.half_time = Input(ad.get("half_time"), "adoption.half_time", NONNEG, 6)   # months
        self.steepness = Input(ad.get("steepness"), "adoption.steepness", NONNEG, 0.8)  # per month
        self.bass_p = Input(ad.get("p"), "adoption.p", NONNEG, 0.03)  # per month
        self.bass_q = Input(ad.get("q"), "adoption.q", NONNEG, 0.4)   # per month

        self.lines = []  # (is_benefit, name, per, amount, from, to, scale)
        names = set()
        for kind, key in ((False, "costs"), (True, "benefits")):
            items = doc.get(key) or []
            if not isinstance(items, list):
                raise ScenarioError(f"{key}: expected a list")
            allowed = ["name", "amount", "per", "from", "to"] + (["scale_with_adoption"] if kind else [])
            for i, it in enumerate(items):
                w = f"{key}[{i}]"
                check_keys(it, allowed, w)
                if "name" not in it:
                    raise ScenarioError(f"{w}: name is required")
                nm = str(it["name"])
                if (kind, nm) in names:
                    raise ScenarioError(f"{w}: duplicate name {nm!r}")
                names.add((kind, nm))
                per = it.get("per")
                if per not in PER_KINDS:
                    raise ScenarioError(f"{w}.per: one of {', '.join(PER_KINDS)}")
                d_to = 0 if per == "once" else H
                scale = bool(it.get("scale_with_adoption", per != "once")) if kind else False
                self.lines.append(dict(
                    benefit=kind, name=nm, per=per,
                    amount=Input(it.get("amount"), f"{w}.amount", NONNEG),
                    frm=Input(it.get("from"), f"{w}.from", NONNEG, 0),
                    to=Input(it.get("to"), f"{w}.to", NONNEG, d_to),
                    scale=scale))

        acq = doc.get("acquisition") or {}
        check_keys(acq, ["new_customers", "win_rate_uplift", "cost_per_customer"], "acquisition")
        self.new_customers = Input(acq.get("new_customers"), "acquisition.new_customers", NONNEG, 0)  # per month
        self.win_uplift = Input(acq.get("win_rate_uplift"), "acquisition.win_rate_uplift", NONNEG, 0)  # share
        self.cac = Input(acq.get("cost_per_customer"), "acquisition.cost_per_customer", NONNEG, 0)

        segs = doc["segments"]
        if not isinstance(segs, list) or not segs:
            raise ScenarioError("segments: at least one segment")
        self.segments = []
        for i, sg in enumerate(segs):
            w = f"segments[{i}]"
            check_keys(sg, ["name", "customers", "margin", "churn", "churn_reduction", "margin_uplift", "mix",
                            "cost_per_customer"], w)
            if "name" not in sg:
                raise ScenarioError(f"{w}: name is required")
            mix = None
            if "mix" in sg:
                mix, _ = parse_number(sg["mix"], f"{w}.mix")
            self.segments.append(dict(
                name=str(sg["name"]),
                customers=Input(sg.get("customers"), f"{w}.customers", NONNEG),
                margin=Input(sg.get("margin"), f"{w}.margin", ANY),          # per customer per month
                churn=Input(sg.get("churn"), f"{w}.churn", SHARE),           # per year
                churn_reduction=Input(sg.get("churn_reduction"), f"{w}.churn_reduction", SHARE, 0),
                margin_uplift=Input(sg.get("margin_uplift"), f"{w}.margin_uplift", NONNEG, 0),
                # The segment's own cost per new customer; None: acquisition.cost_per_customer.
                cac=(Input(sg.get("cost_per_customer"), f"{w}.cost_per_customer", NONNEG)
                     if "cost_per_customer" in sg else None),
                mix=mix))
        if len({s["name"] for s in self.segments}) != len(self.segments):
            raise ScenarioError("segments: names must be unique")
        given = [s["mix"] is not None for s in self.segments]
        if any(given) and not all(given):
            raise ScenarioError("segments: give `mix` for every segment or for none")
        if all(given) and abs(sum(s["mix"] for s in self.segments) - 1) > 1e-6:
            raise ScenarioError("segments: mix must add up to 100 %")
        self.explicit_mix = all(given)

        self.risks = []
        for i, rk in enumerate(doc.get("risks") or []):
            w = f"risks[{i}]"
            check_keys(rk, ["name", "probability", "effect", "factor", "months", "effects"], w)
            r = dict(name=str(rk.get("name")),
                     probability=Input(rk.get("probability"), f"{w}.probability", SHARE))
            # One effect (`effect:` + `factor:`/`months:`) or a list under `effects:`; all the
            # effects of one event share its occurrence.
            if "effects" in rk:
                if any(k in rk for k in ("effect", "factor", "months")):
                    raise ScenarioError(f"{w}: `effect`/`factor`/`months` belong inside `effects:`")
                entries = rk["effects"]
                if not isinstance(entries, list) or not entries:
                    raise ScenarioError(f"{w}.effects: a non-empty list")
            else:
                entries = [{k: rk[k] for k in ("effect", "factor", "months") if k in rk}]
            r["effects"] = []
            for j, e in enumerate(entries):
                we = f"{w}.effects[{j}]" if "effects" in rk else w
                check_keys(e, ["effect", "factor", "months"], we)
                eff = e.get("effect")
                if eff not in EFFECTS:
                    raise ScenarioError(f"{we}.effect: one of {', '.join(EFFECTS)}")
                if eff in [x[0] for x in r["effects"]]:
                    raise ScenarioError(f"{we}: two effects on {eff}")
                if eff == "go_live":   # a delay, whole months
                    r["effects"].append((eff, Input(e.get("months"), f"{we}.months", NONNEG)))
                else:
                    r["effects"].append((eff, Input(e.get("factor"), f"{we}.factor", NONNEG)))
            self.risks.append(r)


# --------------------------------------------------------------------------------------------
# The model, vectorised over a chunk of n trials
# --------------------------------------------------------------------------------------------

def advance_coupled(rng, s, p_with, p_without, lam_with, lam_without):
    """One month of one segment in both worlds, coupled customer for customer, for a chunk of
    trials at once (every argument an array over trials; s holds the int64 arrays `shared`,
    `with_only`, `without_only` and is updated in place).

    docs/MODEL.md, "Both worlds": each world's own customers leave with that world's churn
    probability; a shared customer leaves the world with the higher probability p_hi with
    probability p_hi, and of those who do, the other world loses each with probability
    p_lo / p_hi (so both worlds with p_lo, only the higher one with p_hi - p_lo); one who leaves
    only the higher world lives on in the lower one as its own (and does not churn again this
    month).  Arrivals: Poisson(lam_hi) for the world with the higher rate, each of them also won
    by the other world with probability lam_lo / lam_hi; those both win are shared, the rest
    belong to the higher world only.

    Returns (left_with, left_without, joined_with, joined_without), customers per world."""
    # Each world's own customers.
    leave_w_own = rng.binomial(s["with_only"], p_with)
    leave_b_own = rng.binomial(s["without_only"], p_without)
    s["with_only"] -= leave_w_own
    s["without_only"] -= leave_b_own

    # Shared customers: the higher-churn world first, the lower one by thinning.
    with_hi = p_with >= p_without
    p_hi = np.where(with_hi, p_with, p_without)
    p_lo = np.where(with_hi, p_without, p_with)
    leave_hi = rng.binomial(s["shared"], p_hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        keep_ratio = np.where(p_hi > 0, p_lo / np.where(p_hi > 0, p_hi, 1.0), 1.0)
    leave_both = rng.binomial(leave_hi, np.clip(keep_ratio, 0.0, 1.0))
    s["shared"] -= leave_hi
    only_hi = leave_hi - leave_both                 # now customers of the lower world only
    s["without_only"] += np.where(with_hi, only_hi, 0)
    s["with_only"] += np.where(with_hi, 0, only_hi)
    left_with = np.where(with_hi, leave_hi, leave_both) + leave_w_own
    left_without = np.where(with_hi, leave_both, leave_hi) + leave_b_own

    # Arrivals: both worlds win Poisson(lambda_lo); the higher world Poisson(lambda_hi - lambda_lo) more.
    with_more = lam_with >= lam_without
    lam_hi = np.maximum(np.where(with_more, lam_with, lam_without), 0.0)
    lam_lo = np.maximum(np.where(with_more, lam_without, lam_with), 0.0)
    join_both = rng.poisson(lam_lo)
    only_hi = rng.poisson(np.maximum(lam_hi - lam_lo, 0.0))
    join_hi = join_both + only_hi
    s["shared"] += join_both
    s["with_only"] += np.where(with_more, only_hi, 0)
    s["without_only"] += np.where(with_more, 0, only_hi)
    joined_with = np.where(with_more, join_hi, join_both)
    joined_without = np.where(with_more, join_both, join_hi)
    return left_with, left_without, joined_with, joined_without


def simulate_chunk(sc, rng, n):
    H = sc.H
    ones = np.ones(n)

    # ---- risk events: occurrence and effect size drawn in every trial ----------------------
    factor = {e: ones.copy() for e in EFFECTS if e != "go_live"}   # per-target multipliers
    delay = np.zeros(n)                                               # go-live delay, months
    for r in sc.risks:
        happens = rng.random(n) < np.clip(r["probability"].draw(rng, n), 0.0, 1.0)  # one draw, every effect
        for eff, size in r["effects"]:
            if eff == "go_live":       # delays add (whole months, at most H + 1: "never")
                delay += np.where(happens, round_half_away(np.clip(size.draw(rng, n), 0, H + 1)), 0.0)
            else:                      # factors multiply (never below 0)
                factor[eff] *= np.where(happens, np.maximum(size.draw(rng, n), 0.0), 1.0)
    f_ceiling, f_crm = factor["adoption_ceiling"], factor["crm_effects"]
    f_once, f_recur, f_price = factor["one_off_costs"], factor["recurring_costs"], factor["licence_price"]

    # ---- finance ---------------------------------------------------------------------------
    r_m = (1 + sc.discount_rate.draw(rng, n)) ** (1 / 12) - 1   # monthly rate from annual rate

    # ---- licences: S seats x P per seat per month, escalated yearly from `from` -------------
    S = round_half_away(sc.seats.draw(rng, n))
    # Coverage of the people who should use the CRM: customer effects work through A_t * kappa.
    if sc.users is not None:
        U = round_half_away(np.clip(sc.users.draw(rng, n), 0, 1e9))
        with np.errstate(divide="ignore", invalid="ignore"):
            kappa = np.where(U > 0, np.minimum(1.0, S / np.where(U > 0, U, 1.0)), 1.0)
    else:
        kappa = ones
    P = sc.price.draw(rng, n) * f_price
    lic_from = round_half_away(sc.lic_from.draw(rng, n))
    lic_to = round_half_away(sc.lic_to.draw(rng, n))
    esc = sc.escalation.draw(rng, n)

    # ---- adoption --------------------------------------------------------------------------
    g = round_half_away(np.clip(sc.go_live.draw(rng, n), 0, H + 1)) + delay
    ceiling = np.minimum(sc.ceiling.draw(rng, n) * f_ceiling, 1.0)   # capped at 100 %
    if sc.model == "logistic":
        h = sc.half_time.draw(rng, n)
        k = sc.steepness.draw(rng, n)
    else:
        bp = sc.bass_p.draw(rng, n)
        bq = sc.bass_q.draw(rng, n)

    def adoption(t):
        tau = t - g
        tc = np.maximum(tau, 0.0)
        if sc.model == "logistic":
            a = ceiling / (1 + np.exp(-k * (tc - h)))
        else:
            e = np.exp(-(bp + bq) * tc)
            with np.errstate(divide="ignore", invalid="ignore"):
                a = np.where(bp > 0, ceiling * (1 - e) / (1 + (bq / np.where(bp > 0, bp, 1.0)) * e), 0.0)
        return np.where(tau >= 0, a, 0.0)

    # ---- cost and benefit lines --------------------------------------------------------------
    lines = []
    for ln in sc.lines:
        amt = ln["amount"].draw(rng, n)
        frm = round_half_away(ln["frm"].draw(rng, n))
        to = round_half_away(ln["to"].draw(rng, n))
        if ln["benefit"]:
            # A crm_effects risk cuts what the CRM achieves through being used: only benefit
            # lines that scale with adoption.  A `scale_with_adoption: false` line (a retired
            # system's savings) and a `once` benefit (never scaled by adoption) keep their amount.
            if ln["scale"]:
                amt = amt * f_crm
        else:
            amt = amt * (f_once if ln["per"] == "once" else f_recur)
        if ln["per"] == "once":
            amt = amt / np.maximum(to - frm + 1, 1)   # spread evenly over the inclusive range
        elif ln["per"] in ("seat", "active_user_month"):
            amt = amt * S
        lines.append((ln["benefit"], ln["per"], ln["scale"], amt, frm, to))

    # ---- acquisition and segments ------------------------------------------------------------
    lam = sc.new_customers.draw(rng, n)                   # new customers per month, baseline
    w = np.maximum(sc.win_uplift.draw(rng, n), 0.0) * f_crm   # relative win-rate uplift at full adoption (>= 0)
    cac = sc.cac.draw(rng, n)                             # cost per new customer
    segs = []
    for sg in sc.segments:
        N0 = round_half_away(sg["customers"].draw(rng, n))
        m = sg["margin"].draw(rng, n)                                  # per customer per month
        c = 1 - (1 - sg["churn"].draw(rng, n)) ** (1 / 12)             # monthly churn probability
        # The model keeps the CRM's effects in range whatever the draw: reduction in 0..1,
        # uplift >= 0, both then times the crm_effects factor.
        rho = np.clip(sg["churn_reduction"].draw(rng, n), 0.0, 1.0) * f_crm
        u = np.maximum(sg["margin_uplift"].draw(rng, n), 0.0) * f_crm
        cac_s = np.maximum(sg["cac"].draw(rng, n), 0.0) if sg["cac"] is not None else cac
        segs.append(dict(N0=N0, m=m, c=c, rho=rho, u=u, cac=cac_s, mix=sg["mix"]))
    if not sc.explicit_mix:     # mix in proportion to each segment's EXPECTED initial customers
        means = [max(0.0, sg["customers"].dist.mean) for sg in sc.segments]
        tot = sum(means)
        for s, mean in zip(segs, means):
            s["mix"] = mean / tot if tot > 0 else 1 / len(segs)
    for s in segs:
        s["base_new"] = lam * s["mix"]                 # lambda * mix: arrivals without the CRM
        # Coupled worlds, whole customers (docs/MODEL.md, "Both worlds"): customers in both
        # worlds, in the with-CRM world only, in the without-CRM world only.
        s["shared"] = s["N0"].astype(COUNT_DTYPE)
        s["with_only"] = np.zeros(n, dtype=COUNT_DTYPE)
        s["without_only"] = np.zeros(n, dtype=COUNT_DTYPE)

    # ---- the months ----------------------------------------------------------------------------
    pv_b = np.zeros(n)
    pv_c = np.zeros(n)
    cum = np.zeros(n)
    min_cum = np.zeros(n)
    last_neg = np.full(n, -1.0)   # last month with cumulative cash < 0
    growth = 1 + r_m
    v = np.ones(n)                # v_t = (1 + r_m)^-t, month 0 undiscounted
    for t in range(H + 1):
        if t > 0:
            v = v / growth
        A = adoption(t)

        in_lic = (t >= lic_from) & (t <= lic_to)
        licence = np.where(in_lic, S * P * (1 + esc) ** np.floor((t - lic_from) / 12), 0.0)

        costs = np.zeros(n)
        benefits = np.zeros(n)
        for is_b, per, scale, amt, frm, to in lines:
            inr = (t >= frm) & (t <= to)
            if is_b:
                val = amt * A if scale else amt
                benefits += np.where(inr, val, 0.0)
            else:
                val = amt * A if per == "active_user_month" else amt
                costs += np.where(inr, val, 0.0)

        cust = np.zeros(n)
        if t > 0:
            Ak = A * kappa               # effective adoption for the customer effects
            for s in segs:
                p_with = np.clip(s["c"] * (1 - s["rho"] * Ak), 0.0, 1.0)
                p_without = s["c"]
                lam_with = s["base_new"] * (1 + w * Ak)
                lam_without = s["base_new"]
                left_with, left_without, joined_with, joined_without = advance_coupled(
                    rng, s, p_with, p_without, lam_with, lam_without)
                N = s["shared"] + s["with_only"]      # customers with the CRM, end of month t
                B = s["shared"] + s["without_only"]   # customers without it
                # Extra margin less the cost of winning the extra customers.
                cust += (s["m"] * (1 + s["u"] * Ak) * N - s["m"] * B
                         - s["cac"] * (joined_with - joined_without))

        inflow = benefits + cust
        outflow = licence + costs
        pv_b += v * inflow
        pv_c += v * outflow
        cum += inflow - outflow
        np.minimum(min_cum, cum, out=min_cum)
        last_neg = np.where(cum < 0, t, last_neg)

    npv = pv_b - pv_c
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(pv_c != 0, npv / pv_c, np.nan)
    payback = last_neg + 1                      # first month from which cum stays >= 0
    payback = np.where(cum >= 0, payback, np.nan)  # none if cumulative cash at horizon < 0
    peak = np.maximum(-min_cum, 0.0)

    out = dict(npv=npv, pv_benefits=pv_b, pv_costs=pv_c, roi=roi, payback=payback, peak_funding=peak)
    for sg, s in zip(sc.segments, segs):
        # Gupta-Lehmann: CLV = m r / (1 + r_m - r), monthly margin, monthly retention r = 1 - c.
        c_w = np.clip(s["c"] * (1 - s["rho"] * ceiling * kappa), 0.0, 1.0)
        m_w = s["m"] * (1 + s["u"] * ceiling * kappa)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"clv_with:{sg['name']}"] = m_w * (1 - c_w) / (r_m + c_w)
            out[f"clv_without:{sg['name']}"] = s["m"] * (1 - s["c"]) / (r_m + s["c"])
        out[f"customers_with:{sg['name']}"] = (s["shared"] + s["with_only"]).astype(float)
        out[f"customers_without:{sg['name']}"] = (s["shared"] + s["without_only"]).astype(float)
    return out


def run(sc, trials, seed, chunk):
    rng = np.random.Generator(np.random.PCG64(seed))
    parts = {}
    done = 0
    while done < trials:
        n = min(chunk, trials - done)
        res = simulate_chunk(sc, rng, n)
        for key, arr in res.items():
            parts.setdefault(key, []).append(arr)
        done += n
    return {k: np.concatenate(v) for k, v in parts.items()}


def moments(x):
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return dict(mean=None, sd=None, se=None, n=0)
    sd = float(np.std(x, ddof=1)) if n > 1 else 0.0
    return dict(mean=float(np.mean(x)), sd=sd, se=sd / math.sqrt(n), n=n)


def bootstrap_se(x, stats, reps, seed):
    """Bootstrap standard errors of several statistics of x (each a function of a sample)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    vals = np.empty((reps, len(stats)))
    for r in range(reps):
        xs = x[rng.integers(0, len(x), len(x))]
        vals[r] = [f(xs) for f in stats]
    return vals.std(axis=0, ddof=1)


def summarise(sc, res, trials, seed, chunk, seconds, uncertainty=0):
    npv = res["npv"]
    # Linear interpolation = Hyndman-Fan type 7, as crmcase (GSL) computes its percentiles.
    p5, p10, p50, p90, p95 = np.percentile(npv, [5, 10, 50, 90, 95])
    pays = ~np.isnan(res["payback"])
    out = {
        "scenario": sc.name,
        "currency": sc.currency,
        "trials": trials,
        "seed": seed,
        "chunk": chunk,
        "seconds": seconds,
        "trials_per_second": trials / seconds if seconds > 0 else None,
        "npv": {**{k: v for k, v in moments(npv).items() if k != "n"},
                "p5": float(p5), "p10": float(p10), "p50": float(p50), "p90": float(p90),
                "p95": float(p95), "prob_negative": float(np.mean(npv < 0))},
        "pv_benefits": {k: v for k, v in moments(res["pv_benefits"]).items() if k != "n"},
        "pv_costs": {k: v for k, v in moments(res["pv_costs"]).items() if k != "n"},
        "roi": {**moments(res["roi"]), "prob_negative": float(np.mean(res["roi"] < 0))},
        "peak_funding": {k: v for k, v in moments(res["peak_funding"]).items() if k != "n"},
        "payback": {
            "share_paying_back": float(np.mean(pays)),
            "mean_month_of_payers": float(np.mean(res["payback"][pays])) if pays.any() else None,
        },
        "segments": {},
    }
    for sg in sc.segments:
        nm = sg["name"]
        out["segments"][nm] = {
            "clv_with_crm_mean": float(np.mean(res[f"clv_with:{nm}"])),
            "clv_without_crm_mean": float(np.mean(res[f"clv_without:{nm}"])),
            "customers_at_horizon_with_crm_mean": float(np.mean(res[f"customers_with:{nm}"])),
            "customers_at_horizon_without_crm_mean": float(np.mean(res[f"customers_without:{nm}"])),
            "customers_at_horizon_with_crm_sd": float(np.std(res[f"customers_with:{nm}"], ddof=1)),
            "customers_at_horizon_without_crm_sd": float(np.std(res[f"customers_without:{nm}"], ddof=1)),
        }
    if uncertainty > 0:
        names = ["se_sd", "se_p5", "se_p50", "se_p95"]
        fns = [lambda x: np.std(x, ddof=1)] + [lambda x, q=q: np.percentile(x, q) for q in (5, 50, 95)]
        for name, se in zip(names, bootstrap_se(npv, fns, uncertainty, seed + 1)):
            out["npv"][name] = float(se)
        out["npv"]["bootstrap_replicates"] = uncertainty
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--trials", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--chunk", type=int, default=20000, help="trials simulated at once (memory bound)")
    ap.add_argument("--uncertainty", type=int, default=0, metavar="B",
                    help="add bootstrap standard errors (B replicates) of the NPV's sd and percentiles")
    args = ap.parse_args(argv)
    if args.trials < 1 or args.chunk < 1:
        ap.error("--trials and --chunk must be positive")
    try:
        with open(args.scenario, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        sc = Scenario(doc)
    except (ScenarioError, yaml.YAMLError, OSError) as e:
        print(f"numpy_model: {args.scenario}: {e}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    res = run(sc, args.trials, args.seed, args.chunk)
    seconds = time.perf_counter() - t0
    print(json.dumps(summarise(sc, res, args.trials, args.seed, args.chunk, seconds, args.uncertainty), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
