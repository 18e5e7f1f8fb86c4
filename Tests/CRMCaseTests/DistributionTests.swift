import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

// Checks of every input distribution against analytic values, sampled the way the engine
// samples: one keyed uniform per trial from `KeyedUniforms(seed:trial:)`, turned into a value
// by inverse transform (through a `QuantileTable` for the beta and gamma families, exactly as
// `TrialModel` does).
//
// Tolerances (n = 200 000 draws, fixed seed, so every run gives the same numbers):
// - sample mean:      5 standard errors, 5·σ/√n.
// - sample variance:  5 standard errors, 5·σ²·√((κ + 2)/n), with κ the analytic excess
//                     kurtosis, because Var(s²) ≈ (μ₄ − σ⁴)/n = (κ + 2)·σ⁴/n.
// - sample quantile:  5 asymptotic standard deviations, 5·√(p(1−p)) / (f(q)·√n), f the density
//                     at the true quantile q (Bahadur / central limit theorem for order
//                     statistics). Discrete and fixed distributions: exact equality.
// - analytic formulas in `Distribution` (`mean`, `variance`) against the closed forms written
//   here: 1e-10 relative (algebraically identical; the slack is for rounding in exp/log/sqrt).
//   `quantile(p)` against the closed-form (or independently bisected) quantile: 1e-10 of
//   max(σ, |q|), 1e-9 for GSL's iterative beta and gamma inverses (GSL documents about 1e-10
//   relative accuracy after its Newton polish), 1e-8 for the fitted beta90 (whose P5/P95 are
//   only as exact as the fit, 1e-9 in probability); `cdf(q)` against p: 10× that.
// - QuantileTable against the exact quantile: 1e-9 × (P95 − P5), the bound its documentation
//   promises (the Hermite error h⁴·Q⁗/384 is ~1e-11 of the range in the middle).
// With 5 standard errors a correct implementation fails a given check with probability
// below 1e-6; a wrong formula (e.g. a PERT mean with λ = 6 instead of 4, a lognormal taking
// its mean as μ) is off by tens of standard errors.

private let sampleSize = 200_000
private let runSeed: UInt64 = 20_270_101

/// z₀.₉₅ = Φ⁻¹(0.95), from tables.
private let z95 = 1.6448536269514722

/// The standard normal density.
private func phi(_ z: Double) -> Double { exp(-z * z / 2) / (2 * Double.pi).squareRoot() }

/// Draws `n` values of `d` along the engine's path: the uniform of input `key` in trials 0…n−1.
private func engineDraws(_ d: Distribution, key: String, n: Int = sampleSize) -> [Double] {
    let streamKey = Uncertain.fnv1a(key)
    let table = d.hasIterativeQuantile ? QuantileTable(d) : nil
    var xs = [Double](repeating: 0, count: n)
    for trial in 0..<n {
        let u = KeyedUniforms(seed: runSeed, trial: trial).uniform(forKey: streamKey)
        xs[trial] = table?.quantile(u) ?? d.quantile(u)
    }
    return xs
}

private struct Moments {
    var mean: Double
    var variance: Double
}

/// Mean and unbiased variance, two-pass.
private func moments(_ xs: [Double]) -> Moments {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    var ss = 0.0
    for x in xs { ss += (x - mean) * (x - mean) }
    return Moments(mean: mean, variance: ss / (n - 1))
}

/// The type-7 sample quantile (linear interpolation at position (n − 1)·p) of sorted data.
private func sampleQuantile(_ sorted: [Double], _ p: Double) -> Double {
    let position = Double(sorted.count - 1) * p
    let k = Int(position)
    guard k + 1 < sorted.count else { return sorted[sorted.count - 1] }
    let s = position - Double(k)
    return sorted[k] + s * (sorted[k + 1] - sorted[k])
}

/// Closed forms of one distribution, written independently of `Distribution`.
private struct Analytic {
    var mean: Double
    var variance: Double
    /// Excess kurtosis μ₄/σ⁴ − 3.
    var excessKurtosis: Double
    /// (p, true quantile, density at that quantile).
    var quantiles: [(p: Double, q: Double, density: Double)]
}

private func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
    abs(a - b) <= relative * max(1, abs(a), abs(b))
}

/// Samples `d` and compares formulas and sample statistics with `truth`.
private func checkDistribution(
    _ d: Distribution, key: String, _ truth: Analytic, formulaTolerance: Double = 1e-10,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    // The distribution's own formulas against the closed forms.
    #expect(close(d.mean, truth.mean, relative: 1e-10),
            "mean formula \(d.mean) vs closed form \(truth.mean)", sourceLocation: sourceLocation)
    #expect(close(d.variance, truth.variance, relative: 1e-10),
            "variance formula \(d.variance) vs closed form \(truth.variance)", sourceLocation: sourceLocation)
    let scale = truth.variance.squareRoot()
    for (p, q, _) in truth.quantiles {
        #expect(abs(d.quantile(p) - q) <= formulaTolerance * max(scale, abs(q)),
                "quantile(\(p)) = \(d.quantile(p)), closed form \(q)", sourceLocation: sourceLocation)
        #expect(abs(d.cdf(q) - p) <= formulaTolerance * 10,
                "cdf(\(q)) = \(d.cdf(q)), expected \(p)", sourceLocation: sourceLocation)
    }

    // Sample statistics against the closed forms.
    let xs = engineDraws(d, key: key)
    let n = Double(xs.count)
    let m = moments(xs)
    let meanTolerance = 5 * scale / n.squareRoot()
    #expect(abs(m.mean - truth.mean) <= meanTolerance,
            "sample mean \(m.mean) vs \(truth.mean) (tolerance \(meanTolerance))", sourceLocation: sourceLocation)
    let varianceTolerance = 5 * truth.variance * ((truth.excessKurtosis + 2) / n).squareRoot()
    #expect(abs(m.variance - truth.variance) <= varianceTolerance,
            "sample variance \(m.variance) vs \(truth.variance) (tolerance \(varianceTolerance))",
            sourceLocation: sourceLocation)
    let sorted = xs.sorted()
    for (p, q, f) in truth.quantiles {
        let tolerance = 5 * (p * (1 - p)).squareRoot() / (f * n.squareRoot())
        let sample = sampleQuantile(sorted, p)
        #expect(abs(sample - q) <= tolerance,
                "sample P\(Int(p * 100)) = \(sample) vs \(q) (tolerance \(tolerance))", sourceLocation: sourceLocation)
    }
}

// MARK: Independent CDFs and a bisection inverse, for quantiles without a closed form

/// n choose k as a Double.
private func choose(_ n: Int, _ k: Int) -> Double {
    var r = 1.0
    for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
    return r
}

/// The regularised incomplete beta I_x(a, b) for whole a, b ≥ 1: P(Bin(a+b−1, x) ≥ a).
private func integerBetaCDF(_ x: Double, a: Int, b: Int) -> Double {
    let m = a + b - 1
    var total = 0.0
    for j in a...m { total += choose(m, j) * pow(x, Double(j)) * pow(1 - x, Double(m - j)) }
    return total
}

/// The Erlang CDF: Gamma with whole shape k and scale θ, 1 − Σ_{j<k} e^(−x/θ) (x/θ)^j / j!.
private func erlangCDF(_ x: Double, shape k: Int, scale: Double) -> Double {
    let y = x / scale
    var term = 1.0, sum = 0.0
    for j in 0..<k {
        if j > 0 { term *= y / Double(j) }
        sum += term
    }
    return 1 - exp(-y) * sum
}

/// Inverts an increasing CDF on lo…hi by bisection to full double precision.
private func bisect(_ cdf: (Double) -> Double, _ p: Double, _ lo: Double, _ hi: Double) -> Double {
    var lo = lo, hi = hi
    for _ in 0..<200 {
        let mid = (lo + hi) / 2
        if mid == lo || mid == hi { break }
        if cdf(mid) < p { lo = mid } else { hi = mid }
    }
    return (lo + hi) / 2
}

/// Excess kurtosis of Beta(α, β).
private func betaKurtosis(_ a: Double, _ b: Double) -> Double {
    6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) / (a * b * (a + b + 2) * (a + b + 3))
}

/// Beta(α, β) variance.
private func betaVariance(_ a: Double, _ b: Double) -> Double {
    a * b / ((a + b) * (a + b) * (a + b + 1))
}

private let ps = [0.05, 0.5, 0.95]

@Suite struct DistributionTests {
    // MARK: Every distribution, sampled through keyed uniforms

    @Test func fixedAlwaysGivesItsValue() {
        let d = Distribution.fixed(42.5)
        #expect(d.mean == 42.5 && d.variance == 0)
        let xs = engineDraws(d, key: "fixed", n: 10_000)
        // No randomness at all: exact.
        #expect(xs.allSatisfy { $0 == 42.5 })
        #expect(d.quantile(0.05) == 42.5 && d.quantile(0.95) == 42.5)
        #expect(d.cdf(42.4) == 0 && d.cdf(42.5) == 1)
    }

    @Test func uniform() {
        let (a, b) = (10.0, 30.0)
        checkDistribution(.uniform(min: a, max: b), key: "uniform", Analytic(
            mean: (a + b) / 2, variance: (b - a) * (b - a) / 12, excessKurtosis: -6.0 / 5,
            quantiles: ps.map { (p: $0, q: a + (b - a) * $0, density: 1 / (b - a)) }))
    }

    @Test func triangular() {
        let (a, c, b) = (0.0, 3.0, 10.0)
        // E[X²] = (a² + b² + c² + ab + ac + bc)/6, so the variance is written from it.
        let mean = (a + b + c) / 3
        let secondMoment = (a * a + b * b + c * c + a * b + a * c + b * c) / 6
        let split = (c - a) / (b - a)   // F(c) = 0.3
        func q(_ p: Double) -> Double {
            p < split ? a + (p * (b - a) * (c - a)).squareRoot() : b - ((1 - p) * (b - a) * (b - c)).squareRoot()
        }
        func f(_ x: Double) -> Double { x <= c ? 2 * (x - a) / ((b - a) * (c - a)) : 2 * (b - x) / ((b - a) * (b - c)) }
        #expect(abs(q(0.05) - 1.5.squareRoot()) < 1e-15 && abs(q(0.5) - (10 - 35.0.squareRoot())) < 1e-14)
        checkDistribution(.triangular(min: a, mode: c, max: b), key: "triangular", Analytic(
            mean: mean, variance: secondMoment - mean * mean, excessKurtosis: -3.0 / 5,
            quantiles: ps.map { (p: $0, q: q($0), density: f(q($0))) }))
    }

    @Test func pertWithDefaultLambdaSymmetric() {
        // pert(0, 5, 10), λ = 4 is Beta(3, 3) on 0…10: whole shapes, so its CDF is a binomial
        // sum and the quantiles are found by bisection, independently of GSL.
        let (a, c, b, lambda) = (0.0, 5.0, 10.0, 4.0)
        let mean = (a + lambda * c + b) / (lambda + 2)
        let cdf = { (x: Double) in integerBetaCDF((x - a) / (b - a), a: 3, b: 3) }
        let density = { (x: Double) in 30 * pow((x - a) / (b - a), 2) * pow((b - x) / (b - a), 2) / (b - a) }
        checkDistribution(.pert(min: a, mode: c, max: b, lambda: lambda), key: "pert-sym", Analytic(
            // PERT variance (μ − a)(b − μ)/(λ + 3).
            mean: mean, variance: (mean - a) * (b - mean) / (lambda + 3), excessKurtosis: betaKurtosis(3, 3),
            quantiles: ps.map { p in let q = bisect(cdf, p, a, b); return (p: p, q: q, density: density(q)) }),
            formulaTolerance: 1e-9)
    }

    @Test func pertWithDefaultLambdaSkewed() {
        // A right-skewed PERT with fractional shapes α = 5/3, β = 13/3: quantiles from GSL.
        let (a, c, b, lambda) = (100.0, 150.0, 400.0, 4.0)
        let d = Distribution.pert(min: a, mode: c, max: b, lambda: lambda)
        let mean = (a + lambda * c + b) / (lambda + 2)
        let alpha = 1 + lambda * (c - a) / (b - a), beta = 1 + lambda * (b - c) / (b - a)
        #expect(abs(alpha - 5.0 / 3) < 1e-12 && abs(beta - 13.0 / 3) < 1e-12)
        checkDistribution(d, key: "pert-skew", Analytic(
            mean: mean, variance: (mean - a) * (b - mean) / (lambda + 3), excessKurtosis: betaKurtosis(alpha, beta),
            quantiles: ps.map { p in
                let q = a + (b - a) * CDF.betaQuantile(p, a: alpha, b: beta)
                return (p: p, q: q, density: Density.beta((q - a) / (b - a), a: alpha, b: beta) / (b - a))
            }), formulaTolerance: 1e-9)
    }

    @Test func pertWithOtherLambda() {
        // pert(0, 2, 10, λ = 5) is Beta(2, 5) on 0…10; mean (0 + 5·2 + 10)/7 = 20/7.
        let (a, c, b, lambda) = (0.0, 2.0, 10.0, 5.0)
        let mean = (a + lambda * c + b) / (lambda + 2)
        #expect(abs(mean - 20.0 / 7) < 1e-15)
        let cdf = { (x: Double) in integerBetaCDF((x - a) / (b - a), a: 2, b: 5) }
        let density = { (x: Double) in 30 * ((x - a) / (b - a)) * pow((b - x) / (b - a), 4) / (b - a) }
        checkDistribution(.pert(min: a, mode: c, max: b, lambda: lambda), key: "pert-l5", Analytic(
            mean: mean, variance: (mean - a) * (b - mean) / (lambda + 3), excessKurtosis: betaKurtosis(2, 5),
            quantiles: ps.map { p in let q = bisect(cdf, p, a, b); return (p: p, q: q, density: density(q)) }),
            formulaTolerance: 1e-9)
    }

    @Test func normal() {
        let (mu, sd) = (100.0, 15.0)
        checkDistribution(.normal(mean: mu, sd: sd), key: "normal", Analytic(
            mean: mu, variance: sd * sd, excessKurtosis: 0,
            quantiles: [(0.05, mu - z95 * sd, phi(z95) / sd), (0.5, mu, phi(0) / sd), (0.95, mu + z95 * sd, phi(z95) / sd)]))
    }

    @Test func lognormalFromArithmeticMeanAndSD() {
        let (mean, sd) = (100.0, 30.0)
        let d = Distribution.lognormal(mean: mean, sd: sd)
        // σ² = ln(1 + sd²/mean²), μ = ln mean − σ²/2; then E = exp(μ + σ²/2), Var = (e^σ² − 1)e^(2μ+σ²).
        let s2 = log(1 + sd * sd / (mean * mean)), mu = log(mean) - s2 / 2, s = s2.squareRoot()
        guard case .lognormal(let dMu, let dSigma) = d else {
            Issue.record("lognormal(mean:sd:) gave \(d)")
            return
        }
        #expect(abs(dMu - mu) < 1e-12 && abs(dSigma - s) < 1e-12)
        #expect(abs(exp(mu + s2 / 2) - mean) < 1e-10)
        #expect(abs((exp(s2) - 1) * exp(2 * mu + s2) - sd * sd) < 1e-8)
        func q(_ z: Double) -> Double { exp(mu + s * z) }
        func f(_ z: Double) -> Double { phi(z) / (q(z) * s) }
        let kurtosis = exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 6
        checkDistribution(d, key: "lognormal", Analytic(
            mean: mean, variance: sd * sd, excessKurtosis: kurtosis,
            quantiles: [(0.05, q(-z95), f(-z95)), (0.5, q(0), f(0)), (0.95, q(z95), f(z95))]))
    }

    @Test func betaOnUnitInterval() {
        // Beta(½, ½) is the arcsine distribution: F(x) = (2/π)·asin(√x), Q(p) = sin²(πp/2),
        // f(x) = 1/(π√(x(1 − x))), mean ½, variance ⅛, excess kurtosis −3/2.
        func q(_ p: Double) -> Double { pow(sin(Double.pi * p / 2), 2) }
        func f(_ x: Double) -> Double { 1 / (Double.pi * (x * (1 - x)).squareRoot()) }
        checkDistribution(.beta(alpha: 0.5, beta: 0.5, min: 0, max: 1), key: "beta-unit", Analytic(
            mean: 0.5, variance: 1.0 / 8, excessKurtosis: -1.5,
            quantiles: ps.map { (p: $0, q: q($0), density: f(q($0))) }), formulaTolerance: 1e-9)
    }

    @Test func betaScaled() {
        // Beta(2, 3) scaled to 10…20: mean 10 + 10·2/5 = 14, variance 100·6/(25·6) = 4.
        let (a, b) = (10.0, 20.0)
        let cdf = { (x: Double) in integerBetaCDF((x - a) / (b - a), a: 2, b: 3) }
        let density = { (x: Double) in 12 * ((x - a) / (b - a)) * pow((b - x) / (b - a), 2) / (b - a) }
        checkDistribution(.beta(alpha: 2, beta: 3, min: a, max: b), key: "beta-scaled", Analytic(
            mean: 14, variance: 4, excessKurtosis: betaKurtosis(2, 3),
            quantiles: ps.map { p in let q = bisect(cdf, p, a, b); return (p: p, q: q, density: density(q)) }),
            formulaTolerance: 1e-9)
    }

    @Test func gammaWholeShape() {
        // Gamma(3, 2) is Erlang: mean kθ = 6, variance kθ² = 12, excess kurtosis 6/k = 2.
        let (k, theta) = (3.0, 2.0)
        let cdf = { (x: Double) in erlangCDF(x, shape: 3, scale: theta) }
        let density = { (x: Double) in x * x * exp(-x / theta) / (2 * pow(theta, 3)) }
        checkDistribution(.gamma(shape: k, scale: theta), key: "gamma-erlang", Analytic(
            mean: k * theta, variance: k * theta * theta, excessKurtosis: 6 / k,
            quantiles: ps.map { p in let q = bisect(cdf, p, 0, 200); return (p: p, q: q, density: density(q)) }),
            formulaTolerance: 1e-9)
    }

    @Test func gammaFractionalShape() {
        let (k, theta) = (2.5, 4.0)
        checkDistribution(.gamma(shape: k, scale: theta), key: "gamma-frac", Analytic(
            mean: k * theta, variance: k * theta * theta, excessKurtosis: 6 / k,
            quantiles: ps.map { p in
                let q = CDF.gammaQuantile(p, shape: k, scale: theta)
                return (p: p, q: q, density: Density.gamma(q, shape: k, scale: theta))
            }), formulaTolerance: 1e-9)
    }

    @Test func discrete() {
        let values = [1.0, 3.0, 10.0], probabilities = [0.2, 0.5, 0.3]
        let d = Distribution.discrete(values: values, probabilities: probabilities)
        // Mean 0.2 + 1.5 + 3 = 4.7; E[X²] = 0.2 + 4.5 + 30 = 34.7; variance 34.7 − 4.7² = 12.61.
        #expect(abs(d.mean - 4.7) < 1e-12)
        #expect(abs(d.variance - 12.61) < 1e-12)
        let mu4 = zip(values, probabilities).reduce(0.0) { $0 + $1.1 * pow($1.0 - 4.7, 4) }
        let xs = engineDraws(d, key: "discrete")
        let n = Double(xs.count)
        let m = moments(xs)
        // 5 standard errors, as for the continuous cases.
        #expect(abs(m.mean - 4.7) <= 5 * 12.61.squareRoot() / n.squareRoot())
        #expect(abs(m.variance - 12.61) <= 5 * ((mu4 - 12.61 * 12.61) / n).squareRoot())
        // Each value's frequency within 5 binomial standard errors of its probability.
        for (v, p) in zip(values, probabilities) {
            let share = Double(xs.lazy.filter { $0 == v }.count) / n
            #expect(abs(share - p) <= 5 * (p * (1 - p) / n).squareRoot(), "share of \(v): \(share)")
        }
        #expect(xs.allSatisfy { values.contains($0) })
        // Quantiles away from the steps (20 %, 70 %) are exact: P5 = 1, P50 = 3, P95 = 10.
        let sorted = xs.sorted()
        #expect(sampleQuantile(sorted, 0.05) == 1 && sampleQuantile(sorted, 0.5) == 3 && sampleQuantile(sorted, 0.95) == 10)
        #expect(d.quantile(0.05) == 1 && d.quantile(0.5) == 3 && d.quantile(0.95) == 10)
        #expect(d.quantile(0.2) == 1 && d.quantile(0.2000001) == 3)
        #expect(abs(d.cdf(3) - 0.7) < 1e-15 && d.cdf(0.5) == 0 && d.cdf(10) == 1)
    }

    @Test func normal90Fit() throws {
        // normal90(−5, 20): mean 7.5, sd 25/(2·z₀.₉₅); P5 = −5 and P95 = 20 by construction.
        let d = try IntervalFit.normal(p5: -5, p95: 20)
        let sd = 25 / (2 * z95)
        checkDistribution(d, key: "normal90", Analytic(
            mean: 7.5, variance: sd * sd, excessKurtosis: 0,
            quantiles: [(0.05, -5, phi(z95) / sd), (0.5, 7.5, phi(0) / sd), (0.95, 20, phi(z95) / sd)]))
    }

    @Test func lognormal90Fit() throws {
        // lognormal90(400k, 900k): μ = ln √(400k·900k) = ln 600k, σ = ln(9/4)/(2·z₀.₉₅).
        let d = try IntervalFit.lognormal(p5: 400_000, p95: 900_000)
        let mu = log(600_000.0), s = log(2.25) / (2 * z95), s2 = s * s
        func f(_ x: Double, _ z: Double) -> Double { phi(z) / (x * s) }
        checkDistribution(d, key: "lognormal90", Analytic(
            mean: exp(mu + s2 / 2), variance: (exp(s2) - 1) * exp(2 * mu + s2),
            excessKurtosis: exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 6,
            quantiles: [(0.05, 400_000, f(400_000, -z95)), (0.5, 600_000, f(600_000, 0)), (0.95, 900_000, f(900_000, z95))]))
    }

    @Test func beta90Fit() throws {
        // beta90(0.6, 0.85): whatever α and β the root finder picks, P5 and P95 must be the
        // given ends, and mean and variance the beta formulas of those α, β.
        let d = try IntervalFit.beta(p5: 0.6, p95: 0.85)
        guard case .beta(let alpha, let beta, let lo, let hi) = d else {
            Issue.record("beta90 gave \(d)")
            return
        }
        #expect(lo == 0 && hi == 1)
        let median = CDF.betaQuantile(0.5, a: alpha, b: beta)
        func f(_ x: Double) -> Double { Density.beta(x, a: alpha, b: beta) }
        checkDistribution(d, key: "beta90", Analytic(
            mean: alpha / (alpha + beta), variance: betaVariance(alpha, beta), excessKurtosis: betaKurtosis(alpha, beta),
            quantiles: [(0.05, 0.6, f(0.6)), (0.5, median, f(median)), (0.95, 0.85, f(0.85))]), formulaTolerance: 1e-8)
    }

    // MARK: QuantileTable against GSL's exact quantile

    @Test(arguments: [
        Distribution.pert(min: 0, mode: 5, max: 10, lambda: 4),
        .pert(min: 100, mode: 150, max: 400, lambda: 4),
        .pert(min: 400_000, mode: 600_000, max: 1_100_000, lambda: 4),
        .pert(min: 0, mode: 2, max: 10, lambda: 5),
        .pert(min: 0, mode: 0, max: 1, lambda: 4),           // mode at the minimum: α = 1
        .beta(alpha: 0.5, beta: 0.5, min: 0, max: 1),
        .beta(alpha: 2, beta: 3, min: 10, max: 20),
        .gamma(shape: 3, scale: 2),
        .gamma(shape: 2.5, scale: 4),
        .gamma(shape: 0.8, scale: 1000),
    ])
    func quantileTableMatchesExactQuantile(_ d: Distribution) {
        checkTable(d)
    }

    @Test func quantileTableMatchesExactQuantileForFittedBeta() throws {
        checkTable(try IntervalFit.beta(p5: 0.6, p95: 0.85))
        checkTable(try IntervalFit.beta(p5: 0.02, p95: 0.1))
    }

    @Test("A shared quantile table draws bit for bit what a table of its own draws")
    func sharedTableIsTheSameTable() {
        let d = Distribution.pert(min: 400_000, mode: 600_000, max: 1_100_000, lambda: 4)
        let own = QuantileTable(d)
        let first = QuantileTable.shared(d), second = QuantileTable.shared(d)
        for k in 0..<10_000 {
            let u = (Double(k) + 0.29) / 10_000
            #expect(first.quantile(u).bitPattern == own.quantile(u).bitPattern)
            #expect(second.quantile(u).bitPattern == own.quantile(u).bitPattern)
        }
        // The finiteness check remembers its answer; asked again it gives the same one.
        #expect(d.firstNonFiniteDraw() == nil && d.firstNonFiniteDraw() == nil)
        // More distinct tables than the cache keeps: it starts over and still gives right tables.
        for k in 0..<(QuantileTable.sharedLimit + 3) {
            let other = Distribution.gamma(shape: 2 + Double(k) / 1000, scale: 1)
            let table = QuantileTable.shared(other)
            if k % 128 == 0 || k >= QuantileTable.sharedLimit {
                #expect(table.quantile(0.5).bitPattern == QuantileTable(other).quantile(0.5).bitPattern)
            }
        }
    }

    /// Table vs exact over ~100 000 u: the documented bound 1e-9 × (P95 − P5).
    private func checkTable(_ d: Distribution, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(d.hasIterativeQuantile, sourceLocation: sourceLocation)
        let table = QuantileTable(d)
        let range = d.quantile(0.95) - d.quantile(0.05)
        let bound = 1e-9 * range
        // An even grid of 98 000 points (not aligned with the 4096 nodes), plus dense points
        // around the table's ends (1/32, 31/32), its middle, and the far tails.
        var us: [Double] = (0..<98_000).map { (Double($0) + 0.37) / 98_000 }
        for edge in [1.0 / 32, 0.5, 31.0 / 32] {
            us += [edge.nextDown, edge, edge.nextUp]
            us += (1...500).map { edge + Double($0) * 1e-6 }
            us += (1...500).map { edge - Double($0) * 1e-6 }
        }
        // The far tails, down to the smallest uniform KeyedUniforms returns (2⁻⁵⁴) and up to
        // the largest double below 1 (1 − 2⁻⁵³).
        us += [0x1p-54, 1e-15, 1e-12, 1e-6, 1 - 1e-6, 1 - 1e-12, 1.0.nextDown]
        var worst = 0.0, worstU = 0.0, notFinite: [Double] = []
        for u in us {
            let (t, x) = (table.quantile(u), d.quantile(u))
            guard t.isFinite, x.isFinite else { notFinite.append(u); continue }
            let error = abs(t - x)
            if error > worst { worst = error; worstU = u }
        }
        #expect(notFinite.isEmpty, "no finite quantile at u = \(notFinite)", sourceLocation: sourceLocation)
        #expect(worst <= bound, "largest |table − exact| = \(worst) at u = \(worstU); bound \(bound)",
                sourceLocation: sourceLocation)
    }

    // MARK: Interval fits

    @Test(arguments: [(0.6, 0.85), (0.02, 0.1), (0.3, 0.35), (0.9, 0.99), (0.05, 0.95), (0.001, 0.01)])
    func betaFitReproducesInterval(_ interval: (Double, Double)) throws {
        let (p5, p95) = interval
        let d = try IntervalFit.beta(p5: p5, p95: p95)
        checkFit(d, p5: p5, p95: p95)
    }

    @Test(arguments: [(400_000.0, 900_000.0), (0.5, 2.0), (1e-3, 1e6)])
    func lognormalFitReproducesInterval(_ interval: (Double, Double)) throws {
        let d = try IntervalFit.lognormal(p5: interval.0, p95: interval.1)
        checkFit(d, p5: interval.0, p95: interval.1)
    }

    @Test(arguments: [(-5.0, 20.0), (0.0, 1.0), (-3e6, -1e6)])
    func normalFitReproducesInterval(_ interval: (Double, Double)) throws {
        let d = try IntervalFit.normal(p5: interval.0, p95: interval.1)
        checkFit(d, p5: interval.0, p95: interval.1)
    }

    /// F(p5) = 5 % and F(p95) = 95 % to 1e-9; Q(5 %) = p5 and Q(95 %) = p95 to 1e-7 relative.
    private func checkFit(_ d: Distribution, p5: Double, p95: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(d.cdf(p5) - 0.05) <= 1e-9, "cdf(p5) = \(d.cdf(p5))", sourceLocation: sourceLocation)
        #expect(abs(d.cdf(p95) - 0.95) <= 1e-9, "cdf(p95) = \(d.cdf(p95))", sourceLocation: sourceLocation)
        let scale = max(abs(p5), abs(p95))
        #expect(abs(d.quantile(0.05) - p5) <= 1e-7 * scale, "quantile(0.05) = \(d.quantile(0.05))", sourceLocation: sourceLocation)
        #expect(abs(d.quantile(0.95) - p95) <= 1e-7 * scale, "quantile(0.95) = \(d.quantile(0.95))", sourceLocation: sourceLocation)
    }

    @Test func intervalFitsRejectBadIntervals() {
        #expect(throws: IntervalFit.Failure.notIncreasing) { try IntervalFit.normal(p5: 20, p95: -5) }
        #expect(throws: IntervalFit.Failure.notIncreasing) { try IntervalFit.normal(p5: 3, p95: 3) }
        #expect(throws: IntervalFit.Failure.notIncreasing) { try IntervalFit.lognormal(p5: 900_000, p95: 400_000) }
        #expect(throws: IntervalFit.Failure.notIncreasing) { try IntervalFit.beta(p5: 0.9, p95: 0.6) }
        #expect(throws: IntervalFit.Failure.notIncreasing) { try IntervalFit.beta(p5: 0.5, p95: 0.5) }
        #expect(throws: IntervalFit.Failure.notPositive) { try IntervalFit.lognormal(p5: 0, p95: 10) }
        #expect(throws: IntervalFit.Failure.notPositive) { try IntervalFit.lognormal(p5: -1, p95: 10) }
        // An end at 0 or 1 is fitted (shape 1 on that side, see BoundedFieldTests); beyond is not.
        #expect(throws: IntervalFit.Failure.notAShare) { try IntervalFit.beta(p5: -0.1, p95: 0.5) }
        #expect(throws: IntervalFit.Failure.notAShare) { try IntervalFit.beta(p5: 0.5, p95: 1.1) }
        #expect(throws: IntervalFit.Failure.notAShare) { try IntervalFit.beta(p5: 0.5, p95: 40) }
    }

    // MARK: Keyed uniforms

    @Test func keyedUniformsAreUniformAndIndependent() {
        let n = sampleSize
        let keyA = Uncertain.fnv1a("licences.seats"), keyB = Uncertain.fnv1a("licences.price")
        var a = [Double](repeating: 0, count: n), b = a
        for trial in 0..<n {
            let uniforms = KeyedUniforms(seed: runSeed, trial: trial)
            a[trial] = uniforms.uniform(forKey: keyA)
            b[trial] = uniforms.uniform(forKey: keyB)
        }
        let nd = Double(n)
        #expect(a.allSatisfy { $0 > 0 && $0 < 1 } && b.allSatisfy { $0 > 0 && $0 < 1 })
        for xs in [a, b] {
            let m = moments(xs)
            // Mean: σ = 1/√12. Variance: for U(0,1) μ₄ = 1/80, so Var(s²) ≈ (1/80 − 1/144)/n.
            #expect(abs(m.mean - 0.5) <= 5 / (12 * nd).squareRoot(), "mean \(m.mean)")
            #expect(abs(m.variance - 1.0 / 12) <= 5 * ((1.0 / 80 - 1.0 / 144) / nd).squareRoot(), "variance \(m.variance)")
            // Ten equal bins: each count within 5 binomial standard errors.
            var bins = [Int](repeating: 0, count: 10)
            for x in xs { bins[min(9, Int(x * 10))] += 1 }
            for count in bins { #expect(abs(Double(count) / nd - 0.1) <= 5 * (0.09 / nd).squareRoot(), "bins \(bins)") }
        }
        // Independence: under independence the sample correlation has sd ≈ 1/√n.
        let limit = 5 / nd.squareRoot()
        #expect(abs(correlation(a, b)) < limit, "corr(key A, key B) = \(correlation(a, b))")
        #expect(abs(correlation(Array(a.dropLast()), Array(a.dropFirst()))) < limit, "lag-1 autocorrelation over trials")
        // Also the squares (a dependence that a plain correlation could miss).
        #expect(abs(correlation(a.map { ($0 - 0.5) * ($0 - 0.5) }, b.map { ($0 - 0.5) * ($0 - 0.5) })) < limit)
    }

    @Test func keyedUniformsAreReproducibleAndSeedDependent() {
        let key = Uncertain.fnv1a("segments[Key accounts].churn")
        var sameSeedDiffers = 0, otherSeedEqual = 0, otherKeyEqual = 0
        for trial in 0..<2000 {
            let u = KeyedUniforms(seed: 7, trial: trial).uniform(forKey: key)
            if KeyedUniforms(seed: 7, trial: trial).uniform(forKey: key) != u { sameSeedDiffers += 1 }
            if KeyedUniforms(seed: 8, trial: trial).uniform(forKey: key) == u { otherSeedEqual += 1 }
            if KeyedUniforms(seed: 7, trial: trial).uniform(forKey: key ^ 1) == u { otherKeyEqual += 1 }
        }
        #expect(sameSeedDiffers == 0)
        // Two different 52-bit values collide with probability 2⁻⁵² each.
        #expect(otherSeedEqual == 0)
        #expect(otherKeyEqual == 0)
        // Neighbouring trials differ, and a pinned value guards against an accidental change of
        // the stream (which would silently change every published result for a seed).
        let first = KeyedUniforms(seed: 1, trial: 0).uniform(forKey: Uncertain.fnv1a("licences.seats"))
        #expect(first != KeyedUniforms(seed: 1, trial: 1).uniform(forKey: Uncertain.fnv1a("licences.seats")))
        #expect(first > 0 && first < 1)
    }

    @Test func keyedUniformsNeverReturnZeroOrOne() {
        // `uniform(forKey:)` promises a value strictly inside (0, 1) for every hash. The hash is
        // SplitMix64 of (trial hash ⊕ key), a bijection, so inverting it gives the key that
        // produces the smallest and the largest hash for a trial: the two extreme uniforms.
        let (seed, trial): (UInt64, Int) = (1, 0)
        let trialHash = Streams.mix(Streams.mix(seed) &+ Streams.mix(UInt64(truncatingIfNeeded: trial) &+ 0x632b_e59b_d9b4_e019))
        let uniforms = KeyedUniforms(seed: seed, trial: trial)
        // The inverse is right (and trialHash is the one KeyedUniforms uses) if an ordinary key
        // round-trips.
        let someKey = Uncertain.fnv1a("licences.seats")
        let someHash = Streams.mix(trialHash ^ someKey)
        #expect(inverseMix(someHash) == trialHash ^ someKey)
        #expect(uniforms.uniform(forKey: someKey) == (Double(someHash >> 12) + 0.5) * 0x1p-52)

        let lowest = uniforms.uniform(forKey: inverseMix(0) ^ trialHash)
        #expect(lowest > 0 && lowest == 0x1p-53)
        // The largest hash gives (2⁵² − ½)·2⁻⁵² = 1 − 2⁻⁵³, exactly: strictly below 1.
        let highest = uniforms.uniform(forKey: inverseMix(.max) ^ trialHash)
        #expect(highest < 1, "largest uniform = \(highest)")
        #expect(highest == 1 - 0x1p-53)
    }

    // MARK: Number and distribution syntax, through the scenario loader

    /// A minimal valid scenario with `seats` and a segment `margin` written as given.
    private func scenario(seats: String = "20", margin: String = "800") throws -> Scenario {
        try ScenarioLoader.parse(yaml: """
            name: Syntax test
            currency: EUR
            licences:
              seats: \(seats)
              price: 50
            adoption:
              go_live: 3
              ceiling: 70%
            costs:
              - name: Setup
                amount: 10k
                per: once
            segments:
              - name: All
                customers: 100
                margin: \(margin)
                churn: 10%
            """, file: "syntax.yaml")
    }

    private func seats(_ text: String) throws -> Distribution {
        try scenario(seats: text).licences.seats.distribution
    }

    @Test func plainNumberForms() throws {
        #expect(try seats("1200") == .fixed(1200))
        #expect(try seats("1_200") == .fixed(1200))
        #expect(try seats("0") == .fixed(0))
        #expect(try scenario(margin: "-3.5").segments[0].margin.distribution == .fixed(-3.5))
        // Read through a margin, not seats: seats must be whole, and `12%` of a seat is not.
        func value(_ text: String) throws -> Double {
            guard case .fixed(let x) = try scenario(margin: text).segments[0].margin.distribution else {
                Issue.record("\(text) is not a plain number")
                return .nan
            }
            return x
        }
        // Suffixes multiply a decimal; allow one rounding step (relative 1e-15).
        let cases: [(String, Double)] = [("12%", 0.12), ("900k", 900_000), ("900K", 900_000), ("1.2M", 1_200_000),
                                         ("1.2m", 1_200_000), ("2bn", 2e9), ("2.5%", 0.025), ("1_500k", 1_500_000)]
        for (text, expected) in cases where expected <= 1e9 {
            let x = try value(text)
            #expect(abs(x - expected) <= 1e-15 * expected, "\(text) → \(x), expected \(expected)")
        }
        // Seats are capped at a billion, so "bn" is read through the licence price instead.
        #expect(try ScenarioLoader.parse(yaml: """
            name: x
            currency: EUR
            licences: { seats: 1, price: 2bn }
            adoption: { go_live: 1, ceiling: 50% }
            segments:
              - { name: A, customers: 1, margin: 1, churn: 10% }
            """).licences.price.distribution == .fixed(2e9))
    }

    @Test func distributionForms() throws {
        // A 90 % interval written in percentages is a beta fitted to those percentiles.
        let ceilingLike = try seats("60% to 85%")
        #expect(ceilingLike == (try IntervalFit.beta(p5: 0.6, p95: 0.85)))
        #expect(abs(ceilingLike.cdf(0.6) - 0.05) < 1e-9 && abs(ceilingLike.cdf(0.85) - 0.95) < 1e-9)
        #expect(try seats("beta90(60%, 85%)") == ceilingLike)
        // Positive ends: lognormal with those percentiles.
        let amount = try seats("400k to 900k")
        guard case .lognormal = amount else { Issue.record("400k to 900k gave \(amount)"); return }
        #expect(amount == (try IntervalFit.lognormal(p5: 400_000, p95: 900_000)))
        #expect(abs(amount.quantile(0.05) / 400_000 - 1) < 1e-7 && abs(amount.quantile(0.95) / 900_000 - 1) < 1e-7)
        // A negative end: normal.
        let margin = try scenario(margin: "-5 to 20").segments[0].margin.distribution
        #expect(margin == .normal(mean: 7.5, sd: 25 / (2 * IntervalFit.z95)))
        #expect(abs(margin.quantile(0.05) + 5) < 1e-9 && abs(margin.quantile(0.95) - 20) < 1e-9)
        // Discrete (in quotes: YAML would otherwise read `2: 50%` as a mapping).
        #expect(try seats("\"discrete(2: 50%, 4: 50%)\"") == .discrete(values: [2, 4], probabilities: [0.5, 0.5]))
        // The named forms, with number suffixes in their arguments.
        #expect(try seats("pert(400k, 600k, 1.1M)") == .pert(min: 400_000, mode: 600_000, max: 1_100_000, lambda: 4))
        #expect(try seats("pert(10, 20, 40, 6)") == .pert(min: 10, mode: 20, max: 40, lambda: 6))
        #expect(try seats("triangular(10, 20, 40)") == .triangular(min: 10, mode: 20, max: 40))
        #expect(try seats("uniform(10, 30)") == .uniform(min: 10, max: 30))
        #expect(try seats("fixed(25)") == .fixed(25))
        #expect(try seats("lognormal(100, 30)") == Distribution.lognormal(mean: 100, sd: 30))
        #expect(try seats("gamma(2, 10)") == .gamma(shape: 2, scale: 10))
        #expect(try seats("beta(2, 3)") == .beta(alpha: 2, beta: 3, min: 0, max: 1))
        #expect(try seats("beta(2, 3, 10, 20)") == .beta(alpha: 2, beta: 3, min: 10, max: 20))
        #expect(try seats("normal(100, 10)") == .normal(mean: 100, sd: 10))
        #expect(try seats("normal90(80, 120)") == (try IntervalFit.normal(p5: 80, p95: 120)))
        #expect(try seats("lognormal90(80, 120)") == (try IntervalFit.lognormal(p5: 80, p95: 120)))
    }
}

/// The inverse of `Streams.mix` (the SplitMix64 finaliser): undo each xor-shift and multiply.
private func inverseMix(_ value: UInt64) -> UInt64 {
    func inverse(_ m: UInt64) -> UInt64 {   // m odd: Newton's iteration for m⁻¹ mod 2⁶⁴
        var x = m
        for _ in 0..<6 { x = x &* (2 &- m &* x) }
        return x
    }
    func unshift(_ y: UInt64, _ s: UInt64) -> UInt64 {   // inverse of y = x ^ (x >> s)
        var x = y
        var shift = s
        while shift < 64 { x ^= y >> shift; shift += s }
        return x
    }
    var z = unshift(value, 31)
    z = unshift(z &* inverse(0x94d0_49bb_1331_11eb), 27)
    z = unshift(z &* inverse(0xbf58_476d_1ce4_e5b9), 30)
    return z &- 0x9e37_79b9_7f4a_7c15
}

/// Pearson correlation of two equally long samples.
private func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        let dx = x[i] - mx, dy = y[i] - my
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    }
    return sxy / (sxx * syy).squareRoot()
}
