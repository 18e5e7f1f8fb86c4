import Foundation

/// crmcase's own exact count samplers, the default ``ProcessSampler``.
///
/// - Binomial(n, p): by symmetry p ≤ ½ (n − Binomial(n, 1 − p) otherwise); sequential-search
///   inversion when n·p < 10, else Hörmann's BTRS (transformed rejection with squeeze, 1993).
/// - Poisson(μ): sequential-search inversion when μ < 10, else Hörmann's PTRS (1993).
///
/// Each draw reads its uniforms from ``CounterUniforms`` of its key, inline: at the model's
/// expectations (10–30 customers) this costs a few uniforms and no call into GSL, where GSL's
/// Poisson sampler goes through a gamma draw with many uniforms and restarts. Both methods are
/// exact: inversion walks the probability mass function itself, and transformed rejection
/// accepts against the mass function itself — near the mode as a product of its successive
/// ratios, further out in logarithms with Stirling's formula plus its remainder δ (tabled exactly
/// for small counts and summed to 10⁻¹⁴ above), never a truncated formula. The tests check both
/// against GSL's probability mass functions with χ² tests, and the two ways of computing the
/// mass function against each other.
///
/// Counts too large for a double to hold exactly (more than 2⁵² trials, or an expectation above
/// 2⁵²) are drawn as sums of independent parts — exact, because a sum of independent binomials
/// with one p is binomial, and a sum of independent Poissons is Poisson.
public struct FastProcessSampler: ProcessSampler, Sendable {
    public init() {}

    /// Below this expectation (n·min(p, 1 − p) or μ) the draw walks the mass function; at and
    /// above it, transformed rejection (which Hörmann gives for expectations of 10 and more).
    static let inversionBelow = 10.0
    /// The largest part of a huge draw: counts up to 2⁵² are exact in a double.
    static let largestPart = 1 << 52

    public func binomial(key: UInt64, trials n: Int, probability p: Double) -> Int {
        if n <= 0 || !(p > 0) { return 0 }
        if p >= 1 { return n }
        var uniforms = CounterUniforms(key: key)
        if n <= FastProcessSampler.largestPart { return FastProcessSampler.binomial(n, p, &uniforms) }
        var remaining = n, successes = 0
        while remaining > 0 {
            let part = min(remaining, FastProcessSampler.largestPart)
            successes += FastProcessSampler.binomial(part, p, &uniforms)
            remaining -= part
        }
        return successes
    }

    public func poisson(key: UInt64, mean: Double) -> Int {
        if !(mean > 0) { return 0 }
        guard mean.isFinite else { return Int.max }
        var uniforms = CounterUniforms(key: key)
        let largest = Double(FastProcessSampler.largestPart)
        if mean <= largest {
            var plan = PoissonPlan(mean: mean)
            return FastProcessSampler.poisson(&plan, &uniforms)
        }
        var remaining = mean, total = 0
        while remaining > 0 {
            var plan = PoissonPlan(mean: min(remaining, largest))
            total += FastProcessSampler.poisson(&plan, &uniforms)
            remaining -= plan.mean
        }
        return total
    }

    public func poisson(key: UInt64, plan: inout PoissonPlan) -> Int {
        guard plan.isDirect else { return poisson(key: key, mean: plan.mean) }
        var uniforms = CounterUniforms(key: key)
        return FastProcessSampler.poisson(&plan, &uniforms)
    }

    /// Binomial(n, p) for 0 < p < 1 and 1 ≤ n ≤ 2⁵².
    static func binomial(_ n: Int, _ p: Double, _ u: inout CounterUniforms) -> Int {
        if p > 0.5 { return n - binomial(n, 1 - p, &u) }
        if Double(n) * p < inversionBelow { return binomialByInversion(n, p, &u) }
        return binomialBTRS(n, p, &u)
    }

    /// Poisson(μ) for 0 < μ ≤ 2⁵², from its plan.
    static func poisson(_ plan: inout PoissonPlan, _ u: inout CounterUniforms) -> Int {
        plan.mean < inversionBelow ? poissonByInversion(plan, &u) : poissonPTRS(&plan, &u)
    }

    /// Sequential search from 0 for p ≤ ½ and n·p < 10: P(0) = (1 − p)ⁿ ≥ e⁻²⁰, then
    /// P(k + 1) = P(k)·(n − k)/(k + 1)·p/(1 − p). About n·p + 1 steps.
    static func binomialByInversion(_ n: Int, _ p: Double, _ u: inout CounterUniforms) -> Int {
        let odds = p / (1 - p)
        return walk(from: complementPower(p, n), mean: Double(n) * p, last: n, &u) { k in odds * Double(n - k + 1) / Double(k) }
    }

    /// The sequential search both inversions share: the smallest k whose cumulative mass
    /// P(0) + … + P(k) reaches a uniform, with P(0) = `first` and P(k) = P(k − 1)·`ratio(k)`.
    /// The mass that rounding leaves unreached (relative size ~10⁻¹⁵) makes the walk go past
    /// `last`, or past the mean with the terms vanished; it then starts again with a new uniform,
    /// as a rejection.
    @inline(__always)
    static func walk(from first: Double, mean: Double, last: Int, _ u: inout CounterUniforms,
                     ratio: (Int) -> Double) -> Int {
        while true {
            var x = u.next()
            var f = first
            var k = 0
            while x > f {
                x -= f
                k += 1
                if k > last || (f < 1e-300 && Double(k) > mean) { k = -1; break }
                f *= ratio(k)
            }
            if k >= 0 { return k }
        }
    }

    /// (1 − p)ⁿ: by repeated squaring for n below 64 (at most 11 multiplications, relative
    /// error below 10⁻¹⁴, where exp(n·log1p(−p)) costs two transcendental calls), else through
    /// logarithms (which keep a tiny p exact).
    ///
    /// The six bits of n are taken without branches (a multiplication by 1 where a bit is 0,
    /// which is exact, so the result is the one of the usual loop bit for bit): a branch on
    /// each bit of a count that changes from draw to draw is mispredicted about half the time,
    /// and was a quarter of the cost of a small binomial draw.
    @inline(__always)
    static func complementPower(_ p: Double, _ n: Int) -> Double {
        guard n < 64 else { return exp(Double(n) * log1p(-p)) }
        var result = 1.0, base = 1 - p
        for bit in 0..<6 {
            result *= (n >> bit) & 1 == 1 ? base : 1
            base *= base
        }
        return result
    }

    /// Sequential search from 0 for μ < 10: P(0) = e^−μ (from the plan), P(k + 1) = P(k)·μ/(k + 1).
    static func poissonByInversion(_ plan: PoissonPlan, _ u: inout CounterUniforms) -> Int {
        let mean = plan.mean
        return walk(from: plan.zeroProbability, mean: mean, last: .max, &u) { k in mean / Double(k) }
    }
}
