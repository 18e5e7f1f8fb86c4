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
    public static func beta(p5: Double, p95: Double) throws(Failure) -> Distribution {
        guard p5 < p95 else { throw .notIncreasing }
        guard p5 > 0, p95 < 1 else { throw .notAShare }
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
}
