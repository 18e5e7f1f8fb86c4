import Foundation
import GSLSupport

/// The probability distribution of one uncertain input.
///
/// Values are sampled by inverse transform: ``quantile(_:)`` turns a uniform number in (0, 1)
/// into a value. That keeps every input a deterministic function of one uniform, which makes
/// common-random-number comparisons, Latin hypercube and quasi-random sampling and rank
/// correlations possible without changing the model. Quantile functions come from GSL.
public enum Distribution: Sendable, Hashable {
    /// Always `value`.
    case fixed(Double)
    /// Uniform on `min…max`.
    case uniform(min: Double, max: Double)
    /// Triangular on `min…max` with its peak at `mode`.
    case triangular(min: Double, mode: Double, max: Double)
    /// PERT: Beta(1 + λ(mode − min)/(max − min), 1 + λ(max − mode)/(max − min)) scaled to
    /// `min…max`; its mean is (min + λ·mode + max)/(λ + 2).
    case pert(min: Double, mode: Double, max: Double, lambda: Double)
    /// Normal with mean and standard deviation.
    case normal(mean: Double, sd: Double)
    /// Lognormal: exp(Normal(μ, σ)); `mu` and `sigma` are on the log scale.
    case lognormal(mu: Double, sigma: Double)
    /// Beta(α, β) scaled from 0…1 to `min…max`.
    case beta(alpha: Double, beta: Double, min: Double, max: Double)
    /// Gamma with shape k and scale θ (mean kθ).
    case gamma(shape: Double, scale: Double)
    /// Discrete values with their probabilities (shares that add up to 1), in the order given.
    case discrete(values: [Double], probabilities: [Double])

    /// The lognormal with the given arithmetic mean and standard deviation (mean > 0, sd ≥ 0).
    public static func lognormal(mean: Double, sd: Double) -> Distribution {
        // σ² = ln(1 + (sd/mean)²), computed without squaring huge numbers: sd = 1e300 would
        // overflow sd·sd to +∞ and leave NaN parameters.
        let ratio = sd / mean
        let sigma2 = ratio < 1e150 ? log1p(ratio * ratio) : 2 * log(ratio) + log1p(1 / (ratio * ratio))
        return .lognormal(mu: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
    }

    /// The value whose cumulative probability is `u` (the inverse CDF).
    ///
    /// - Parameter u: a share strictly between 0 and 1.
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .fixed(let x):
            return x
        case .uniform(let a, let b):
            return a + (b - a) * u
        case .triangular(let a, let c, let b):
            guard b > a else { return a }
            let split = (c - a) / (b - a)
            if u < split {
                return a + ((b - a) * (c - a) * u).squareRoot()
            }
            return b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .pert(let a, let c, let b, let lambda):
            guard b > a else { return a }
            let (alpha, beta) = Distribution.pertShape(min: a, mode: c, max: b, lambda: lambda)
            return a + (b - a) * CDF.betaQuantile(u, a: alpha, b: beta)
        case .normal(let mean, let sd):
            return mean + sd * CDF.standardNormalQuantile(u)
        case .lognormal(let mu, let sigma):
            return exp(mu + sigma * CDF.standardNormalQuantile(u))
        case .beta(let alpha, let beta, let a, let b):
            return a + (b - a) * Distribution.betaQuantile(u, alpha, beta)
        case .gamma(let shape, let scale):
            // Shape 1 is the exponential (`IntervalFit.exponentialFromZero`): closed form.
            if shape == 1 { return -scale * log1p(-u) }
            return CDF.gammaQuantile(u, shape: shape, scale: scale)
        case .discrete(let values, let probabilities):
            var cumulative = 0.0
            for (value, p) in zip(values, probabilities) {
                cumulative += p
                if u <= cumulative { return value }
            }
            return values[values.count - 1]
        }
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .fixed(let v):
            return x >= v ? 1 : 0
        case .uniform(let a, let b):
            guard b > a else { return x >= a ? 1 : 0 }
            return Swift.min(1, Swift.max(0, (x - a) / (b - a)))
        case .triangular(let a, let c, let b):
            guard b > a else { return x >= a ? 1 : 0 }
            if x <= a { return 0 }
            if x >= b { return 1 }
            if x <= c { return (x - a) * (x - a) / ((b - a) * (c - a)) }
            return 1 - (b - x) * (b - x) / ((b - a) * (b - c))
        case .pert(let a, let c, let b, let lambda):
            guard b > a else { return x >= a ? 1 : 0 }
            let (alpha, beta) = Distribution.pertShape(min: a, mode: c, max: b, lambda: lambda)
            return CDF.beta(Swift.min(1, Swift.max(0, (x - a) / (b - a))), a: alpha, b: beta)
        case .normal(let mean, let sd):
            guard sd > 0 else { return x >= mean ? 1 : 0 }
            return CDF.standardNormal((x - mean) / sd)
        case .lognormal(let mu, let sigma):
            guard x > 0 else { return 0 }
            guard sigma > 0 else { return log(x) >= mu ? 1 : 0 }
            return CDF.standardNormal((log(x) - mu) / sigma)
        case .beta(let alpha, let beta, let a, let b):
            guard b > a else { return x >= a ? 1 : 0 }
            return CDF.beta(Swift.min(1, Swift.max(0, (x - a) / (b - a))), a: alpha, b: beta)
        case .gamma(let shape, let scale):
            guard x > 0 else { return 0 }
            return CDF.gamma(x, shape: shape, scale: scale)
        case .discrete(let values, let probabilities):
            var total = 0.0
            for (value, p) in zip(values, probabilities) where value <= x { total += p }
            return Swift.min(1, total)
        }
    }

    /// The analytic mean.
    public var mean: Double {
        switch self {
        case .fixed(let x): return x
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + b + c) / 3
        case .pert(let a, let c, let b, let lambda): return (a + lambda * c + b) / (lambda + 2)
        case .normal(let mean, _): return mean
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .beta(let alpha, let beta, let a, let b): return a + (b - a) * alpha / (alpha + beta)
        case .gamma(let shape, let scale): return shape * scale
        case .discrete(let values, let probabilities):
            return zip(values, probabilities).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The analytic variance.
    public var variance: Double {
        switch self {
        case .fixed: return 0
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .triangular(let a, let c, let b):
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case .pert(let a, let c, let b, let lambda):
            guard b > a else { return 0 }
            let (alpha, beta) = Distribution.pertShape(min: a, mode: c, max: b, lambda: lambda)
            return Distribution.betaVariance(alpha, beta) * (b - a) * (b - a)
        case .normal(_, let sd): return sd * sd
        case .lognormal(let mu, let sigma):
            return (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma)
        case .beta(let alpha, let beta, let a, let b):
            return Distribution.betaVariance(alpha, beta) * (b - a) * (b - a)
        case .gamma(let shape, let scale): return shape * scale * scale
        case .discrete(let values, let probabilities):
            let m = mean
            return zip(values, probabilities).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
        }
    }

    /// The smallest and largest values the distribution can take (infinite when unbounded).
    public var support: ClosedRange<Double> {
        switch self {
        case .fixed(let x): return x...x
        case .uniform(let a, let b), .triangular(let a, _, let b), .pert(let a, _, let b, _),
             .beta(_, _, let a, let b):
            return Swift.min(a, b)...Swift.max(a, b)
        case .normal(_, let sd): return sd > 0 ? -Double.infinity...Double.infinity : mean...mean
        case .lognormal, .gamma: return 0...Double.infinity
        case .discrete(let values, _): return values.min()!...values.max()!
        }
    }

    /// Whether every draw is the same number.
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return support.lowerBound == support.upperBound
    }

    /// The beta quantile on 0…1. With a shape equal to 1 — the betas a 90 % interval with an end
    /// at 0 % or 100 % becomes (`IntervalFit.betaFromBound`) — it has a closed form, exact down to
    /// u = 2⁻⁵⁴, where GSL's iterative inverse can fail for a large other shape:
    /// Beta(1, β): 1 − (1 − u)^(1/β); Beta(α, 1): u^(1/α). Both stay within 0…1 for every u.
    static func betaQuantile(_ u: Double, _ alpha: Double, _ beta: Double) -> Double {
        if alpha == 1 { return -expm1(log1p(-u) / beta) }
        if beta == 1 { return exp(log(u) / alpha) }
        return CDF.betaQuantile(u, a: alpha, b: beta)
    }

    /// The shape parameters (α, β) of the beta behind a PERT distribution.
    public static func pertShape(min a: Double, mode c: Double, max b: Double, lambda: Double) -> (Double, Double) {
        let alpha = 1 + lambda * (c - a) / (b - a)
        let beta = 1 + lambda * (b - c) / (b - a)
        return (alpha, beta)
    }

    private static func betaVariance(_ alpha: Double, _ beta: Double) -> Double {
        alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1))
    }
}

extension Distribution {
    /// The density at `x`, for the distributions whose quantile has no closed form
    /// (nil for the others).
    public func density(_ x: Double) -> Double? {
        switch self {
        case .pert(let a, let c, let b, let lambda):
            guard b > a else { return nil }
            let (alpha, beta) = Distribution.pertShape(min: a, mode: c, max: b, lambda: lambda)
            return Density.beta((x - a) / (b - a), a: alpha, b: beta) / (b - a)
        case .beta(let alpha, let beta, let a, let b):
            return Density.beta((x - a) / (b - a), a: alpha, b: beta) / (b - a)
        case .gamma(let shape, let scale):
            return Density.gamma(x, shape: shape, scale: scale)
        default:
            return nil
        }
    }

    /// Whether the quantile needs GSL's iterative inverse (beta and gamma families), which
    /// costs microseconds per call; such inputs are tabulated by ``QuantileTable``.
    public var hasIterativeQuantile: Bool {
        switch self {
        case .pert(let a, _, let b, _): return b > a
        case .beta(let alpha, let beta, _, _): return alpha != 1 && beta != 1
        case .gamma(let shape, _): return shape != 1
        
        default: return false
        }
    }
}
