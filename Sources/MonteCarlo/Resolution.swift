import Foundation

/// How finely a Monte Carlo estimate is known, and whether its sign is.
///
/// The one rule every report words a mean by (docs/MODEL.md, "How reports word a number and a
/// chance"): an estimate is known to the power of ten at or below the 95 % half-width of its
/// Monte Carlo error (1.96 standard errors), never finer than 1; a mean that rounds to 0 at that
/// step is too close to zero to tell its sign at that number of trials.
public enum Resolution {
    /// The rounding step for an estimate whose 95 % half-width is `halfWidth`: a power of ten
    /// ≥ 1 (1 when the half-width is below 1 or not finite).
    public static func step(halfWidth: Double) -> Double {
        guard halfWidth.isFinite, halfWidth >= 1 else { return 1 }
        return pow(10, floor(log10(halfWidth)))
    }

    /// Whether `value` rounds to 0 at the step of `halfWidth`.
    public static func roundsToZero(_ value: Double, halfWidth: Double) -> Bool {
        let s = step(halfWidth: halfWidth)
        return (value / s).rounded() * s == 0
    }

    /// Whether a simulated mean is too close to zero to tell its sign: it has a Monte Carlo
    /// error (a mean known exactly is not) and rounds to 0 at the step of 1.96 standard errors.
    public static func isTooCloseToZero(mean: Double, standardError: Double) -> Bool {
        standardError > 0 && roundsToZero(mean, halfWidth: 1.96 * standardError)
    }
}
