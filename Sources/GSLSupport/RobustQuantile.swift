/// Inverts a continuous CDF to the tolerance ``CDF/quantileTolerance`` promises, by bisection
/// on the bit patterns of doubles.
///
/// Why bits: non-negative doubles sort like their bit patterns read as integers, so halving
/// the integer interval between two doubles halves the number of doubles between them. At
/// most 64 halvings end on two neighbouring doubles whatever the scale of the answer (a
/// beta quantile of 1e-300 or a gamma quantile of 1e12), with no starting guess, no
/// derivative and no step that can leave the bracket. Each halving costs one CDF evaluation
/// (well under a microsecond for GSL's beta and gamma CDFs), so a full inversion costs a few
/// tens of microseconds; it runs only where GSL's own inverse fails its check.
///
/// Which tail: below the median the lower-tail CDF P is compared with p, above it the
/// upper-tail function Q with 1 − p. Each is computed by GSL with a small *relative* error
/// in its own tail, whereas 1 − P would lose all digits of a tail of 1e-12 to cancellation.
enum Bisection {
    /// The double x in `lower…upper` (both ≥ 0) at which `tail` crosses `target`, to within
    /// one step between neighbouring doubles.
    ///
    /// - Parameters:
    ///   - target: the tail probability sought, p (lower tail) or 1 − p (upper tail), in (0, 0.5].
    ///   - upperTail: false when `tail` is the lower-tail CDF P (increasing in x), true when it is
    ///     the upper-tail function Q (decreasing in x).
    ///   - tail: the tail function; a NaN from it counts as "past the target", so the search
    ///     still ends on a finite number.
    /// - Returns: of the two neighbouring doubles that bracket the crossing, the one whose
    ///   tail probability is closer to `target`. Never NaN.
    static func invert(target: Double, upperTail: Bool, lower: Double, upper: Double,
                       _ tail: (Double) -> Double) -> Double {
        // Invariant: the crossing lies in (lo, hi]: tail(lo) is short of the target, tail(hi) is not.
        var lo = lower.bitPattern, hi = upper.bitPattern
        func shortOfTarget(_ x: Double) -> Bool {
            let t = tail(x)
            return upperTail ? t > target : t < target
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if shortOfTarget(Double(bitPattern: mid)) { lo = mid } else { hi = mid }
        }
        let a = Double(bitPattern: lo), b = Double(bitPattern: hi)
        let ta = tail(a), tb = tail(b)
        guard ta.isFinite, tb.isFinite else { return tb.isFinite ? b : a }
        return abs(ta - target) < abs(tb - target) ? a : b
    }
}
