/// Brent's bracketing root finder (Brent 1973, "Algorithms for Minimization without
/// Derivatives", ch. 4) in plain Swift: no solver object, no function box, no heap allocation,
/// so the IRR of every trial costs only its polynomial evaluations.
///
/// It takes the same steps as GSL's `gsl_root_fsolver_brent` driven by
/// `gsl_root_test_interval` — the same bisection / inverse-quadratic-interpolation choices,
/// the same step of at least ½·ε·|b|, the same bracket reported after each step — so it
/// returns the root GSL's solver would (`FinanceTests` checks the two on a grid of cash
/// flows; GSL stays the reference there). GSL's solver is still what ``RootFinding`` offers
/// for everything off the trial loop.
public enum BracketedRoot {
    /// A root of `f` in [`lower`, `upper`], or nil when the end points do not straddle zero,
    /// `f` gives a value that is not finite, or `maxIterations` steps do not narrow the bracket
    /// below `absoluteTolerance` + `relativeTolerance`·min(|x|) (0 when the bracket holds 0).
    @inline(__always)
    public static func brent(
        lower: Double, upper: Double,
        absoluteTolerance: Double = 1e-15, relativeTolerance: Double = 1e-13,
        maxIterations: Int = 200,
        _ f: (Double) -> Double
    ) -> Double? {
        guard lower <= upper, absoluteTolerance >= 0, relativeTolerance >= 0 else { return nil }
        let fLower = f(lower), fUpper = f(upper)
        guard fLower.isFinite, fUpper.isFinite else { return nil }
        if (fLower < 0 && fUpper < 0) || (fLower > 0 && fUpper > 0) { return nil }
        // a: the previous iterate, b: the best estimate, c: the other end of the bracket [b, c];
        // d: the last step, e: the step before it.
        var a = lower, b = upper, c = upper
        var fa = fLower, fb = fUpper, fc = fUpper
        var d = upper - lower, e = upper - lower
        for _ in 0..<maxIterations {
            var interpolateLinearly = false
            if (fb < 0 && fc < 0) || (fb > 0 && fc > 0) {
                // b and c on the same side: the bracket is [a, b] again.
                interpolateLinearly = true
                c = a
                fc = fa
                d = b - a
                e = b - a
            }
            if abs(fc) < abs(fb) {
                // Keep the smaller function value in b.
                interpolateLinearly = true
                a = b
                b = c
                c = a
                fa = fb
                fb = fc
                fc = fa
            }
            let tolerance = 0.5 * Double.ulpOfOne * abs(b)
            let m = 0.5 * (c - b)
            var lo: Double, hi: Double
            if fb == 0 {
                return b
            }
            if abs(m) <= tolerance {
                (lo, hi) = b < c ? (b, c) : (c, b)
            } else {
                if abs(e) < tolerance || abs(fa) <= abs(fb) {
                    d = m
                    e = m
                } else {
                    let s = fb / fa
                    var p: Double, q: Double
                    if interpolateLinearly {
                        // Secant step.
                        p = 2 * m * s
                        q = 1 - s
                    } else {
                        // Inverse quadratic interpolation through a, b and c.
                        let qa = fa / fc
                        let r = fb / fc
                        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                        q = (qa - 1) * (r - 1) * (s - 1)
                    }
                    if p > 0 { q = -q } else { p = -p }
                    let bound1 = 3 * m * q - abs(tolerance * q), bound2 = abs(e * q)
                    if 2 * p < (bound1 < bound2 ? bound1 : bound2) {
                        e = d
                        d = p / q
                    } else {
                        d = m
                        e = m
                    }
                }
                a = b
                fa = fb
                if abs(d) > tolerance {
                    b += d
                } else {
                    b += m > 0 ? tolerance : -tolerance
                }
                fb = f(b)
                guard fb.isFinite else { return nil }
                let other = (fb < 0 && fc < 0) || (fb > 0 && fc > 0) ? a : c
                (lo, hi) = b < other ? (b, other) : (other, b)
            }
            // The interval test: converged when the bracket is narrower than the tolerance.
            let minimumMagnitude = (lo > 0 && hi > 0) || (lo < 0 && hi < 0) ? min(abs(lo), abs(hi)) : 0
            if abs(hi - lo) < absoluteTolerance + relativeTolerance * minimumMagnitude {
                return b
            }
        }
        return nil
    }
}
