import CGSL

/// Special functions from GSL's `gsl_sf` module.
public enum SpecialFunctions {
    /// The Gauss hypergeometric function ₂F₁(a, b; c; x) = Σₖ (a)ₖ(b)ₖ / ((c)ₖ k!) · xᵏ,
    /// by `gsl_sf_hyperg_2F1_e`.
    ///
    /// Defined here for |x| < 1 (the series converges there); c must not be 0, −1, −2, ….
    /// For x ≥ 0.995 GSL (2.7) leaves the plain series for a reflection formula that often
    /// fails to converge (`GSL_EMAXITER`) and that is wrong, without an error, when c − a − b
    /// is a whole number ≥ 2; that case is refused here. Callers that need x close to 1
    /// should sum their series another way.
    ///
    /// - Throws: ``GSLError`` with `GSL_EDOM` for |x| ≥ 1 or non-finite arguments,
    ///   `GSL_EUNIMPL` for the case GSL gets wrong, or the status GSL reports
    ///   (`GSL_EMAXITER`, `GSL_EOVRFLW`, …).
    public static func hypergeometric2F1(a: Double, b: Double, c: Double, x: Double) throws(GSLError) -> Double {
        GSL.prepare()
        guard a.isFinite, b.isFinite, c.isFinite, x.isFinite, abs(x) < 1 else {
            throw GSLError(
                status: Int32(GSL_EDOM),
                context: "the hypergeometric function 2F1(\(a), \(b); \(c); \(x)) needs |x| < 1")
        }
        // GSL 2.7 sums the series for x < 0.995 but switches to the reflection x → 1 − x
        // above; its branch for c − a − b = m, a positive integer ≥ 2, uses k!·k! where the
        // formula (DLMF 15.8.10) has k!·(1 − m)ₖ and returns wrong values without an error.
        let m = (c - a - b).rounded()
        if x >= 0.995, m >= 2, abs(c - a - b - m) < 1000 * Double.ulpOfOne * Swift.max(1, abs(c)) {
            throw GSLError(
                status: Int32(GSL_EUNIMPL),
                context: "the hypergeometric function 2F1(\(a), \(b); \(c); \(x)) with x ≥ 0.995 and c − a − b a "
                    + "whole number ≥ 2 is computed wrongly by GSL and is refused")
        }
        var result = gsl_sf_result(val: 0, err: 0)
        let status = gsl_sf_hyperg_2F1_e(a, b, c, x, &result)
        guard status == Int32(GSL_SUCCESS), result.val.isFinite else {
            throw GSLError(
                status: status == Int32(GSL_SUCCESS) ? Int32(GSL_EOVRFLW) : status,
                context: "computing the hypergeometric function 2F1(\(a), \(b); \(c); \(x))")
        }
        return result.val
    }

    /// ln Γ(x) for x > 0.
    @inline(__always)
    public static func lnGamma(_ x: Double) -> Double {
        GSL.prepare()
        return gsl_sf_lngamma(x)
    }

    /// ln C(n, k), the logarithm of the binomial coefficient, for 0 ≤ k ≤ n.
    @inline(__always)
    public static func lnChoose(_ n: Int, _ k: Int) -> Double {
        GSL.prepare()
        return gsl_sf_lnchoose(UInt32(clamping: n), UInt32(clamping: k))
    }
}
