import CGSL

/// Cumulative distribution and quantile (inverse CDF) functions from GSL's `gsl_cdf` module.
///
/// Probabilities are shares in 0…1. Quantile functions expect `p` strictly inside (0, 1);
/// callers in this project only pass uniforms from the open interval.
public enum CDF {
    // MARK: Standard normal

    /// Φ⁻¹(p), the standard normal quantile.
    @inline(__always)
    public static func standardNormalQuantile(_ p: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// Φ(x), the standard normal CDF.
    @inline(__always)
    public static func standardNormal(_ x: Double) -> Double {
        gsl_cdf_ugaussian_P(x)
    }

    // MARK: Student's t

    /// The quantile of Student's t with `degreesOfFreedom` (> 0): the x with P(T ≤ x) = p,
    /// for p strictly inside (0, 1). GSL's `gsl_cdf_tdist_Pinv`.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_tdist_Pinv(p, nu)
    }

    // MARK: Beta

    /// The quantile of Beta(a, b) on 0…1: the x with P(X ≤ x) = p.
    ///
    /// GSL's inverse `gsl_cdf_beta_Pinv` is used when its answer passes the check of
    /// ``quantileTolerance``; otherwise (GSL 2.7.1 returns NaN for skewed betas such as
    /// Beta(1, 1000) above p ≈ 0.52, and plainly wrong numbers for U-shaped ones such as
    /// Beta(0.05, 0.05)) GSL's CDF is inverted by bisection, which always meets it.
    ///
    /// - Parameters:
    ///   - p: a probability (share). p ≤ 0 gives 0 and p ≥ 1 gives 1, the ends of the support.
    ///   - a, b: the shape parameters α and β, finite and above 0.
    /// - Returns: a number in 0…1, non-decreasing in p; never NaN for p in (0, 1) and finite
    ///   positive shapes. NaN only for a NaN p or shapes that are not finite positive numbers.
    public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        guard a > 0, b > 0, a.isFinite, b.isFinite, !p.isNaN else { return .nan }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        let upperTail = p > 0.5
        let target = upperTail ? 1 - p : p
        // A local function, not a closure value: passed on without escaping, it needs no
        // heap context (a trial's tail draws allocate nothing).
        func tail(_ x: Double) -> Double {
            upperTail ? gsl_cdf_beta_Q(x, a, b) : gsl_cdf_beta_P(x, a, b)
        }
        let guess = gsl_cdf_beta_Pinv(p, a, b)
        if guess >= 0, guess <= 1, meetsTolerance(guess, target: target, upperTail: upperTail, tail) {
            return guess
        }
        return Bisection.invert(target: target, upperTail: upperTail, lower: 0, upper: 1, tail)
    }

    /// The accuracy every beta and gamma quantile of this module meets: the returned x has a
    /// tail probability within a relative 1e-12 of the one asked for, |P(x) − p| ≤ 1e-12·p
    /// below the median and |Q(x) − (1 − p)| ≤ 1e-12·(1 − p) above it (P and Q are GSL's
    /// lower- and upper-tail CDFs) — *or* x is as close as a double can get: the tail
    /// probability asked for lies between that of x and that of one of its neighbouring
    /// doubles. The second clause is for CDFs so steep that one step of x changes the
    /// probability by more than 1e-12 of itself (e.g. a gamma with shape 10⁸), and for
    /// GSL's CDF itself being accurate only to about 1e-12 relative for very large shapes.
    ///
    /// Why 1e-12: relative to the tail, so the far tails (p = 1e-12) are as exact as the
    /// middle; a hundred times tighter than the 1e-10 GSL documents for its own inverses, so
    /// GSL's answer passes in the vast majority of cases and the bisection (about 60 CDF
    /// evaluations, ~10 µs) runs only where GSL fails; and loose enough to leave room for the
    /// rounding of the CDF itself (a few 1e-15 relative in ordinary cases).
    public static let quantileTolerance = 1e-12

    /// Whether x meets ``quantileTolerance`` for the tail probability `target`, judged by
    /// the tail function `tail` (P when `upperTail` is false, Q when it is true).
    static func meetsTolerance(_ x: Double, target: Double, upperTail: Bool, _ tail: (Double) -> Double) -> Bool {
        guard x.isFinite else { return false }
        let t = tail(x)
        guard t.isFinite else { return false }
        if abs(t - target) <= quantileTolerance * target { return true }
        // Too steep for the relative test: accept x when it and a neighbouring double bracket
        // the target, so no double is closer.
        func brackets(_ y: Double) -> Bool {
            let ty = tail(y)
            return ty.isFinite && Swift.min(t, ty) <= target && target <= Swift.max(t, ty)
        }
        return brackets(x.nextDown) || brackets(x.nextUp)
    }

    /// P(X ≤ x) for X ~ Beta(a, b).
    @inline(__always)
    public static func beta(_ x: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_beta_P(x, a, b)
    }

    /// P(X > x) for X ~ Beta(a, b), computed directly (accurate in the upper tail, where
    /// 1 − P would cancel).
    @inline(__always)
    public static func betaUpper(_ x: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_beta_Q(x, a, b)
    }

    // MARK: Gamma

    /// The quantile of Gamma(shape k, scale θ): the x ≥ 0 with P(X ≤ x) = p.
    ///
    /// GSL's inverse `gsl_cdf_gamma_Pinv` is used when its answer passes the check of
    /// ``quantileTolerance``; otherwise (GSL 2.7.1 returns NaN for most p when k is below
    /// about 0.1, and for a sizeable share of p when k is 10⁶ or more) GSL's CDF is inverted
    /// by bisection over all non-negative doubles, which always meets it.
    ///
    /// - Parameters:
    ///   - p: a probability (share). p ≤ 0 gives 0 and p ≥ 1 gives +∞, the ends of the support.
    ///   - shape: k, finite and above 0.
    ///   - scale: θ, finite and above 0; the result is in the units of θ.
    /// - Returns: a finite number ≥ 0 for p in (0, 1) and finite positive parameters, never
    ///   NaN (a quantile beyond the largest double is returned as the largest double);
    ///   non-decreasing in p wherever GSL's CDF is. NaN only for a NaN p or parameters that
    ///   are not finite positive numbers.
    ///
    /// Known limit: GSL 2.7.1's `gsl_cdf_gamma_P` is itself wrong (negative, or decreasing) for
    /// shapes from about 1e5 to 1e6 just above x = k − √k; no inversion of it can be exact
    /// there: the quantile is then finite and in the support, but only as right as that CDF.
    public static func gammaQuantile(_ p: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        guard shape > 0, scale > 0, shape.isFinite, scale.isFinite, !p.isNaN else { return .nan }
        if p <= 0 { return 0 }
        if p >= 1 { return .infinity }
        let upperTail = p > 0.5
        let target = upperTail ? 1 - p : p
        // A local function, not a closure value: passed on without escaping, it needs no
        // heap context (a trial's tail draws allocate nothing).
        func tail(_ x: Double) -> Double {
            upperTail ? gsl_cdf_gamma_Q(x, shape, scale) : gsl_cdf_gamma_P(x, shape, scale)
        }
        let guess = gsl_cdf_gamma_Pinv(p, shape, scale)
        if guess >= 0, meetsTolerance(guess, target: target, upperTail: upperTail, tail) {
            return guess
        }
        return Bisection.invert(target: target, upperTail: upperTail,
                                lower: 0, upper: .greatestFiniteMagnitude, tail)
    }

    /// P(X ≤ x) for X ~ Gamma(shape k, scale θ).
    @inline(__always)
    public static func gamma(_ x: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_gamma_P(x, shape, scale)
    }

    /// P(X > x) for X ~ Gamma(shape k, scale θ), computed directly (accurate in the upper
    /// tail, where 1 − P would cancel).
    @inline(__always)
    public static func gammaUpper(_ x: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_gamma_Q(x, shape, scale)
    }

    // MARK: Lognormal

    /// The quantile of a lognormal whose logarithm is Normal(μ, σ).
    @inline(__always)
    public static func lognormalQuantile(_ p: Double, mu: Double, sigma: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_lognormal_Pinv(p, mu, sigma)
    }
}

/// Order statistics of a sample, through GSL's `gsl_stats` module.
public enum SampleQuantile {
    /// The `p`-quantile of data sorted in increasing order, by linear interpolation between
    /// order statistics: with n values, the value at position (n − 1)·p (Hyndman & Fan type 7,
    /// the definition of `gsl_stats_quantile_from_sorted_data`, R's and NumPy's default).
    ///
    /// - Precondition: `sorted` is non-empty, sorted ascending and holds no NaN.
    public static func fromSorted(_ sorted: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty sample")
        return gsl_stats_quantile_from_sorted_data(sorted.baseAddress, 1, sorted.count, p)
    }

    /// The `p`-quantile (type 7) of an array sorted in increasing order.
    public static func fromSorted(_ sorted: [Double], _ p: Double) -> Double {
        sorted.withUnsafeBufferPointer { fromSorted($0, p) }
    }
}

/// Probability densities from GSL's `gsl_randist` module.
public enum Density {
    /// The density of Beta(a, b) at x in 0…1.
    @inline(__always)
    public static func beta(_ x: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        return gsl_ran_beta_pdf(x, a, b)
    }

    /// The density of Gamma(shape k, scale θ) at x ≥ 0.
    @inline(__always)
    public static func gamma(_ x: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        return gsl_ran_gamma_pdf(x, shape, scale)
    }
}

