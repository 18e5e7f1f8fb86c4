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

    // MARK: Beta

    /// The quantile of Beta(a, b) on 0…1.
    @inline(__always)
    public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_beta_Pinv(p, a, b)
    }

    /// P(X ≤ x) for X ~ Beta(a, b).
    @inline(__always)
    public static func beta(_ x: Double, a: Double, b: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_beta_P(x, a, b)
    }

    // MARK: Gamma

    /// The quantile of Gamma(shape k, scale θ).
    @inline(__always)
    public static func gammaQuantile(_ p: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_gamma_Pinv(p, shape, scale)
    }

    /// P(X ≤ x) for X ~ Gamma(shape k, scale θ).
    @inline(__always)
    public static func gamma(_ x: Double, shape: Double, scale: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_gamma_P(x, shape, scale)
    }

    // MARK: Lognormal

    /// The quantile of a lognormal whose logarithm is Normal(μ, σ).
    @inline(__always)
    public static func lognormalQuantile(_ p: Double, mu: Double, sigma: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_lognormal_Pinv(p, mu, sigma)
    }

    // MARK: Discrete

    /// P(X ≤ k) for X ~ Binomial(n, p).
    public static func binomial(_ k: Int, probability: Double, trials: Int) -> Double {
        GSL.prepare()
        return gsl_cdf_binomial_P(UInt32(clamping: max(0, k)), probability, UInt32(clamping: trials))
    }

    /// P(X ≤ k) for X ~ Poisson(μ).
    public static func poisson(_ k: Int, mean: Double) -> Double {
        GSL.prepare()
        return gsl_cdf_poisson_P(UInt32(clamping: max(0, k)), mean)
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

