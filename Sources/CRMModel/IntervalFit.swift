import Foundation
import GSLSupport

/// Fits a distribution to a 90 % interval elicited from a person: "I am 90 % sure the value
/// lies between `p5` and `p95`", read as P(X ≤ p5) = 5 % and P(X ≤ p95) = 95 %.
public enum IntervalFit {
    /// Why an interval cannot be fitted, in words for the person who wrote it.
    public enum Failure: Error, Equatable, Sendable {
        case notIncreasing
        case notPositive
        case notAShare
        case noConvergence
    }

    /// z₀.₉₅ = Φ⁻¹(0.95) ≈ 1.6449.
    public static var z95: Double { CDF.standardNormalQuantile(0.95) }

    /// The normal with these 5th and 95th percentiles: μ = (p5 + p95)/2, σ = (p95 − p5)/(2·z₀.₉₅).
    public static func normal(p5: Double, p95: Double) throws(Failure) -> Distribution {
        guard p5 < p95 else { throw .notIncreasing }
        return .normal(mean: (p5 + p95) / 2, sd: (p95 - p5) / (2 * z95))
    }

    /// The lognormal with these percentiles: the normal fit on ln p5 and ln p95.
    public static func lognormal(p5: Double, p95: Double) throws(Failure) -> Distribution {
        guard p5 < p95 else { throw .notIncreasing }
        guard p5 > 0 else { throw .notPositive }
        let lo = log(p5), hi = log(p95)
        return .lognormal(mu: (lo + hi) / 2, sigma: (hi - lo) / (2 * z95))
    }

    /// The beta on 0…1 with these percentiles, solving
    /// `F(p5; α, β) = 0.05` and `F(p95; α, β) = 0.95` with GSL's hybrid root finder on
    /// (ln α, ln β), started from the moment match of a normal with the same interval.
    ///
    /// An end **at** a bound (`p5 = 0` or `p95 = 1`, as in "churn reduction 0 % to 30 %") cannot
    /// be a 5th or 95th percentile of any continuous distribution on 0…1: nothing lies below 0.
    /// It is read as "can be as low (high) as the bound", and gets the beta whose density stays
    /// finite and positive at that bound — shape 1 on that side (see ``betaFromBound(p5:p95:)``).
    /// The other end is then reproduced exactly.
    ///
    /// - Throws: `.notAShare` when an end lies outside 0…1.
    public static func beta(p5: Double, p95: Double) throws(Failure) -> Distribution {
        guard p5 < p95 else { throw .notIncreasing }
        guard p5 >= 0, p95 <= 1 else { throw .notAShare }
        if p5 == 0 || p95 == 1 { return betaFromBound(p5: p5, p95: p95) }
        // Start: a normal with the same interval, moment-matched to a beta.
        let mean = (p5 + p95) / 2
        let sd = (p95 - p5) / (2 * z95)
        let concentration = Swift.max(mean * (1 - mean) / (sd * sd) - 1, 0.5)
        let start = (log(Swift.max(mean * concentration, 0.05)), log(Swift.max((1 - mean) * concentration, 0.05)))
        let solution: (Double, Double)
        do {
            solution = try RootFinding.solve2D(start: start, residualTolerance: 1e-13) { x in
                let a = exp(x.0), b = exp(x.1)
                return (CDF.beta(p5, a: a, b: b) - 0.05, CDF.beta(p95, a: a, b: b) - 0.95)
            }
        } catch {
            throw .noConvergence
        }
        let alpha = exp(solution.0), beta = exp(solution.1)
        // Accept only a fit that reproduces the interval.
        guard abs(CDF.beta(p5, a: alpha, b: beta) - 0.05) < 1e-9,
              abs(CDF.beta(p95, a: alpha, b: beta) - 0.95) < 1e-9 else { throw .noConvergence }
        return .beta(alpha: alpha, beta: beta, min: 0, max: 1)
    }

    /// The beta for a 90 % interval with an end at 0 or 1 (and 0 ≤ p5 < p95 ≤ 1).
    ///
    /// - `0 to p95`: Beta(1, β) with F(x) = 1 − (1 − x)^β, so β = ln 0.05 / ln(1 − p95) makes
    ///   P95 = p95 exactly. Its density is highest at 0 and falls to 0 at 1; P5 is then
    ///   1 − 0.95^(1/β): 1.7 % of p95 for a narrow interval, 2 % for `0% to 30%` (0.6 %),
    ///   5 % for `0% to 100%`.
    /// - `p5 to 1`: the mirror image, Beta(α, 1) with F(x) = x^α and α = ln 0.05 / ln p5.
    /// - `0 to 1`: Beta(1, 1), the uniform: the person knows nothing beyond the bounds.
    ///
    /// Shape 1 is the one choice that neither piles probability up at the bound (shape < 1,
    /// infinite density there) nor rules the bound out (shape > 1, density 0 there).
    public static func betaFromBound(p5: Double, p95: Double) -> Distribution {
        switch (p5 == 0, p95 == 1) {
        case (true, true):
            return .beta(alpha: 1, beta: 1, min: 0, max: 1)
        case (true, false):
            return .beta(alpha: 1, beta: log(0.05) / log1p(-p95), min: 0, max: 1)
        default:
            return .beta(alpha: log(0.05) / log(p5), beta: 1, min: 0, max: 1)
        }
    }

    /// For a 90 % interval `0 to p95` of a quantity that cannot be negative (an amount, a
    /// count): as for a share (``betaFromBound(p5:p95:)``), the end at 0 means "can be as low
    /// as 0", and the family with finite positive density at 0 is the exponential, a gamma
    /// with shape 1. Its scale p95 / ln 20 makes P95 = p95 exactly; P5 = p95 · ln(1/0.95)/ln 20
    /// ≈ 1.7 % of p95, and the mean is p95 / ln 20 ≈ p95 / 3.
    public static func exponentialFromZero(p95: Double) throws(Failure) -> Distribution {
        guard p95 > 0 else { throw .notIncreasing }
        return .gamma(shape: 1, scale: p95 / log(20))
    }
}
