import Foundation
import GSLSupport

/// The shifted-beta-geometric (sBG) model of how long customers keep a contract
/// (Fader & Hardie, "How to Project Customer Retention", Journal of Interactive Marketing
/// 21(1), 2007; "Customer-Base Valuation in a Contractual Setting: The Perils of Ignoring
/// Heterogeneity", Marketing Science 29(1), 2010).
///
/// At the end of every period each customer either renews or leaves for good. A given
/// customer leaves with the same probability θ every period, and θ varies across customers
/// as Beta(α, β). A cohort therefore loses its most churn-prone members first, and its
/// retention rate rises with tenure although no individual becomes more loyal.
///
/// A *period* is whatever unit the data come in — a month for monthly contracts, a year for
/// annual ones. Every period index, rate and lifetime below is in that unit, and α, β
/// fitted to monthly counts describe monthly churn. T is the period at whose end a customer
/// leaves (T = 1, 2, …); "period t" runs from time t − 1 to time t.
public struct ShiftedBetaGeometric: Sendable, Hashable {
    /// The first shape parameter of the Beta distribution of churn probabilities (α > 0).
    public let alpha: Double
    /// The second shape parameter (β > 0).
    public let beta: Double

    /// - Precondition: α and β are finite and positive. ``fit(survivors:)`` only produces such values.
    public init(alpha: Double, beta: Double) {
        precondition(alpha > 0 && alpha.isFinite && beta > 0 && beta.isFinite,
                     "sBG parameters must be positive and finite, got α = \(alpha), β = \(beta)")
        self.alpha = alpha
        self.beta = beta
    }

    /// The average churn probability per period across new customers, E[θ] = α/(α + β);
    /// also the share of a new cohort that leaves in period 1.
    public var meanChurnProbability: Double { alpha / (alpha + beta) }

    // MARK: Lifetime distribution

    /// ln r(t) = ln((β + t − 1)/(α + β + t − 1)), written as −ln(1 + α/(β + t − 1)) to keep
    /// its precision when α is small against β + t − 1.
    @inline(__always)
    private func logRetention(_ t: Int) -> Double {
        -log1p(alpha / (beta + Double(t - 1)))
    }

    /// The retention rate in period t: the share of customers still active at the start of
    /// period t who renew at its end, r(t) = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1).
    ///
    /// It rises with t towards 1 (the most churn-prone customers leave first).
    /// - Precondition: t ≥ 1.
    public func retentionRate(inPeriod t: Int) -> Double {
        precondition(t >= 1, "periods are numbered from 1")
        let b = beta + Double(t - 1)
        return b / (alpha + b)
    }

    /// ln S(t), the natural logarithm of ``survival(after:)``: the sum of ln r(i) for i = 1…t.
    /// Costs t logarithms; it stays accurate where S(t) itself underflows.
    /// - Precondition: t ≥ 0.
    public func logSurvival(after t: Int) -> Double {
        precondition(t >= 0, "periods are counted from 0")
        var sum = 0.0
        var i = 1
        while i <= t {
            sum += logRetention(i)
            i += 1
        }
        return sum
    }

    /// S(t) = P(T > t): the share of a new cohort still active after t periods (having renewed
    /// t times), S(t) = B(α, β + t)/B(α, β), computed as the product r(1)·…·r(t).
    /// S(0) = 1.
    /// - Precondition: t ≥ 0.
    public func survival(after t: Int) -> Double {
        exp(logSurvival(after: t))
    }

    /// P(T = t): the probability that a new customer leaves at the end of period t (renews
    /// t − 1 times), P(T = t) = B(α + 1, β + t − 1)/B(α, β) = S(t − 1) · α/(α + β + t − 1).
    /// This satisfies Fader & Hardie's recursion P(T = 1) = α/(α + β),
    /// P(T = t) = P(T = t − 1)·(β + t − 2)/(α + β + t − 1).
    /// - Precondition: t ≥ 1.
    public func churnProbability(inPeriod t: Int) -> Double {
        precondition(t >= 1, "periods are numbered from 1")
        return exp(logSurvival(after: t - 1)) * alpha / (alpha + beta + Double(t - 1))
    }

    // MARK: Residual value

    /// The discounted expected residual lifetime (DERL) of a customer who has renewed
    /// `renewals` times, in periods (Fader & Hardie 2010, eq. 6, with n − 1 = `renewals`):
    ///
    ///     DERL = Σ_{t ≥ n} S(t)/S(n − 1) · (1 + d)^−(t − n)
    ///          = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d)),   n = renewals + 1
    ///
    /// The customer is valued at the end of their current contract period n, just before
    /// the renewal decision: that renewal counts undiscounted (with probability r(n)), each
    /// later one is discounted one more period. A customer's expected residual lifetime
    /// value is DERL times the margin per period. For a homogeneous cohort (every θ equal
    /// to c, the limit of large α + β with α/(α + β) = c) DERL is (1 − c)(1 + d)/(c + d).
    ///
    /// The hypergeometric function comes from GSL while 1/(1 + d) < 0.995 (d above about
    /// 0.5 % per period), where GSL sums its series directly. Closer to 1, GSL 2.7 switches
    /// to a reflection formula that often fails to converge and that is silently wrong when
    /// α is a whole number ≥ 3, so there the sum above is added term by term instead (to a
    /// relative error near 10⁻¹³; about 40/d terms).
    ///
    /// - Parameters:
    ///   - discountRate: d, the discount rate per period (0.1 = 10 % per period; for monthly
    ///     periods convert an annual rate with ``Finance/monthlyRate(annual:)``).
    ///     d = 0 gives the undiscounted expected number of further renewals,
    ///     (β + n − 1)/(α − 1) when α > 1, and +∞ when α ≤ 1 (the Beta mixture then puts
    ///     so much weight near θ = 0 that the expected lifetime is infinite).
    ///   - renewals: how many times the customer has renewed so far (0 for a new customer).
    /// - Throws: ``GSLError`` when d is negative or not finite, or when d is positive but
    ///   so small (below about 10⁻⁶ per period) that neither method converges.
    /// - Precondition: `renewals` ≥ 0.
    public func discountedExpectedResidualLifetime(discountRate d: Double, renewals: Int = 0) throws(GSLError) -> Double {
        precondition(renewals >= 0, "the number of renewals cannot be negative")
        guard d.isFinite, d >= 0 else {
            throw GSLError(
                status: 1 /* GSL_EDOM */, context: "the discount rate per period must be zero or positive, got \(d)")
        }
        let n = Double(renewals + 1)
        if d == 0 {
            return alpha > 1 ? (beta + n - 1) / (alpha - 1) : .infinity
        }
        let x = 1 / (1 + d)
        if x < 0.995,
           let f = try? SpecialFunctions.hypergeometric2F1(a: 1, b: beta + n, c: alpha + beta + n, x: x) {
            return (beta + n - 1) / (alpha + beta + n - 1) * f
        }
        if let sum = residualLifetimeSum(discountRate: d, firstPeriod: n) { return sum }
        throw GSLError(
            status: 11 /* GSL_EMAXITER */,
            context: "the discounted residual lifetime for a discount rate of \(d) per period does not converge; "
                + "use 0 for an undiscounted value or a rate of at least 0.000001 per period")
    }

    /// Σ_{t ≥ n} S(t)/S(n − 1) · x^(t − n) with x = 1/(1 + d), term by term. Each term is the
    /// previous one times x·r(t + 1) < x, so the rest of the sum after a term T is below
    /// T·x/(1 − x); stop when that bound is 10⁻¹³ of the sum. `nil` after 5·10⁷ terms.
    private func residualLifetimeSum(discountRate d: Double, firstPeriod n: Double) -> Double? {
        let x = 1 / (1 + d)
        let tailFactor = x / (1 - x)
        guard tailFactor.isFinite else { return nil }
        var term = (beta + n - 1) / (alpha + beta + n - 1)
        var sum = 0.0
        var t = n
        for _ in 0..<50_000_000 {
            sum += term
            term *= x * (beta + t) / (alpha + beta + t)
            t += 1
            if term * tailFactor <= 1e-13 * sum { return sum }
        }
        return nil
    }

    // MARK: Likelihood

    /// The log-likelihood of one cohort's survivor counts (Fader & Hardie 2007, eq. B3):
    ///
    ///     LL = Σ_{t=1}^{n} (s_{t−1} − s_t) · ln P(T = t) + s_n · ln S(n)
    ///
    /// where s_t is the number of customers still active at the end of period t. The
    /// customers lost in period t contribute ln P(T = t); those still active after the last
    /// observed period n are right-censored and contribute ln S(n). Natural logarithm;
    /// the value is ≤ 0 and scales with the cohort size.
    ///
    /// - Parameter survivors: s₀, s₁, …, s_n: the customers acquired (s₀ > 0) and those still
    ///   active at the end of each period, non-increasing, at least one period (n ≥ 1).
    /// - Throws: ``FitError`` when the counts are not a cohort's survivor counts.
    public func logLikelihood(survivors: [Int]) throws(FitError) -> Double {
        try Self.validate(survivors, minimumPeriods: 1)
        return Self.logLikelihood(logAlpha: log(alpha), logBeta: log(beta), survivors: survivors)
    }

    /// LL at (ln α, ln β) for counts already validated; O(n) logarithms.
    private static func logLikelihood(logAlpha: Double, logBeta: Double, survivors: [Int]) -> Double {
        let alpha = exp(logAlpha), beta = exp(logBeta)
        var total = 0.0
        var logS = 0.0                                    // ln S(t − 1)
        for t in 1..<survivors.count {
            let lost = survivors[t - 1] - survivors[t]
            let later = beta + Double(t - 1)
            if lost > 0 {
                // ln P(T = t) = ln S(t − 1) + ln α − ln(α + β + t − 1)
                total += Double(lost) * (logS + logAlpha - log(alpha + later))
            }
            logS -= log1p(alpha / later)                  // now ln S(t)
        }
        let censored = survivors[survivors.count - 1]
        if censored > 0 { total += Double(censored) * logS }
        return total
    }

    // MARK: Fitting

    /// The maximum-likelihood fit to one cohort's survivor counts, with standard errors.
    public struct Fit: Sendable, Equatable {
        /// The fitted model (α̂, β̂).
        public let model: ShiftedBetaGeometric
        /// The covariance of (ln α̂, ln β̂): the inverse of the observed information, the
        /// finite-difference Hessian of −LL in (ln α, ln β) at the maximum. Rows of 2.
        public let logCovariance: [[Double]]
        /// The covariance of (α̂, β̂) by the delta method, D·Σ_log·D with D = diag(α̂, β̂).
        /// At a maximum this equals the inverse observed information on the α, β scale (the
        /// gradient term of the change of variables vanishes there). Rows of 2.
        public let covariance: [[Double]]
        /// The maximised log-likelihood (natural logarithm).
        public let logLikelihood: Double
        /// The number of periods n used (the survivor counts were s₀…s_n).
        public let periods: Int
        /// The size of the cohort, s₀.
        public let customers: Int

        /// The standard error of α̂, √covariance[0][0].
        public var alphaStandardError: Double { covariance[0][0].squareRoot() }
        /// The standard error of β̂, √covariance[1][1].
        public var betaStandardError: Double { covariance[1][1].squareRoot() }
    }

    /// Why survivor counts cannot be fitted, in words for the person who supplied them.
    public enum FitError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Fewer periods than needed after the starting count.
        case tooFewPeriods(given: Int, needed: Int)
        /// The first count, the customers acquired, is zero or negative.
        case emptyCohort
        /// The count at the end of this period is negative.
        case negativeCount(period: Int)
        /// The count at the end of this period exceeds the one before.
        case increasingCount(period: Int)
        /// No customer was left after the first period.
        case allLostInFirstPeriod
        /// No customer left at all.
        case noChurn
        /// The estimates run off towards α, β → ∞: no sign of customers differing.
        case noHeterogeneity(alpha: Double, beta: Double)
        /// The estimates run off towards α, β → 0: an all-or-nothing cohort.
        case polarized(alpha: Double, beta: Double)
        /// The optimiser did not find a proper maximum.
        case noConvergence(reason: String)

        public var description: String {
            switch self {
            case .tooFewPeriods(let given, let needed):
                return "The churn model needs survivor counts for at least \(needed) period\(needed == 1 ? "" : "s") "
                    + "after the starting count (for example 1000, 870, 750), but \(given) "
                    + "\(given == 1 ? "was" : "were") given."
            case .emptyCohort:
                return "The first survivor count is the number of customers acquired; it must be at least 1."
            case .negativeCount(let period):
                return "The survivor count for period \(period) is negative; counts are numbers of customers."
            case .increasingCount(let period):
                return "The survivor count rises from period \(period - 1) to period \(period). A cohort can only "
                    + "lose customers; customers acquired later belong to a cohort of their own."
            case .allLostInFirstPeriod:
                return "Every customer left in the first period, so the counts say nothing about how churn "
                    + "develops over time and the churn model cannot be fitted."
            case .noChurn:
                return "No customer left during the periods given, so there is no churn to measure yet."
            case .noHeterogeneity(let alpha, let beta):
                return "The retention rate does not rise over time in these counts, so they show no sign that "
                    + "customers differ in their churn risk (the fit runs off to α = \(Self.format(alpha)), "
                    + "β = \(Self.format(beta))). A single constant churn rate describes them as well."
            case .polarized(let alpha, let beta):
                return "The fit runs off to extreme values (α = \(Self.format(alpha)), β = \(Self.format(beta))): "
                    + "the counts look like customers who leave at once and customers who never leave, "
                    + "which the churn model reaches only in the limit."
            case .noConvergence(let reason):
                return "The churn model fit did not settle on a single best answer: \(reason)."
            }
        }

        private static func format(_ x: Double) -> String { String(format: "%.3g", x) }
    }

    /// The maximum-likelihood sBG fit to one cohort's survivor counts.
    ///
    /// Maximises ``logLikelihood(survivors:)`` over (ln α, ln β) with GSL's Nelder–Mead
    /// simplex (started near the values that reproduce the first two periods exactly, then
    /// restarted once at the answer, a standard guard against a collapsed simplex). The
    /// search is confined to 10⁻⁶ < α, β < 10⁷; estimates that end up near those limits are
    /// reported as ``FitError/noHeterogeneity(alpha:beta:)`` or
    /// ``FitError/polarized(alpha:beta:)`` rather than as numbers. Standard errors come
    /// from the inverse observed information on the log scale, carried to α and β by the
    /// delta method (see ``Fit``).
    ///
    /// - Parameter survivors: s₀, s₁, …, s_n: the customers acquired and those still active
    ///   at the end of each period, in whatever unit the periods are (months, years), with
    ///   n ≥ 2 periods.
    /// - Throws: ``FitError`` for counts that are not a usable cohort or a fit that does not
    ///   converge to an interior maximum.
    public static func fit(survivors: [Int]) throws(FitError) -> Fit {
        try validate(survivors, minimumPeriods: 2)
        guard survivors[1] > 0 else { throw .allLostInFirstPeriod }
        guard survivors[survivors.count - 1] < survivors[0] else { throw .noChurn }

        let logLower = log(1e-6), logUpper = log(1e7)
        let objective: ([Double]) -> Double = { u in
            guard u[0] > logLower, u[0] < logUpper, u[1] > logLower, u[1] < logUpper else { return .infinity }
            return -logLikelihood(logAlpha: u[0], logBeta: u[1], survivors: survivors)
        }
        let best: Minimization.Result
        do {
            let first = try Minimization.nelderMead(
                start: startingPoint(survivors), stepSizes: [0.5, 0.5], sizeTolerance: 1e-4, maxIterations: 5_000, objective)
            best = polish(first, objective)
        } catch {
            throw .noConvergence(reason: error.description)
        }
        let alpha = exp(best.minimizer[0]), beta = exp(best.minimizer[1])
        if alpha > 1e6 || beta > 1e6 { throw .noHeterogeneity(alpha: alpha, beta: beta) }
        if alpha < 1e-5 || beta < 1e-5 { throw .polarized(alpha: alpha, beta: beta) }

        let h = Minimization.hessian(at: best.minimizer, objective)
        let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
        guard h[0][0] > 0, h[1][1] > 0, det > 0, det.isFinite else {
            throw .noConvergence(reason: "the likelihood is not curved like a maximum at α = \(alpha), β = \(beta)")
        }
        let logCovariance = [[h[1][1] / det, -h[0][1] / det], [-h[1][0] / det, h[0][0] / det]]
        let scale = [alpha, beta]
        let covariance = (0..<2).map { i in (0..<2).map { j in scale[i] * logCovariance[i][j] * scale[j] } }
        return Fit(
            model: ShiftedBetaGeometric(alpha: alpha, beta: beta),
            logCovariance: logCovariance,
            covariance: covariance,
            logLikelihood: -best.minimum,
            periods: survivors.count - 1,
            customers: survivors[0]
        )
    }

    /// Restarts the simplex at `first` with small steps and shrinks it to 10⁻⁶ in (ln α, ln β),
    /// i.e. α and β to about one part in a million. Rounding in −LL (a sum of terms of the
    /// size of the cohort) sets a floor below which the simplex cannot shrink; when the
    /// likelihood's ridge is long and flat that floor can lie above 10⁻⁶, so 10⁻⁵ and then
    /// the first pass's 10⁻⁴ are accepted instead — still far below any standard error.
    private static func polish(_ first: Minimization.Result, _ objective: ([Double]) -> Double) -> Minimization.Result {
        for tolerance in [1e-6, 1e-5] {
            if let result = try? Minimization.nelderMead(
                start: first.minimizer, stepSizes: [0.05, 0.05], sizeTolerance: tolerance, maxIterations: 2_000, objective) {
                return result
            }
        }
        return first
    }

    /// (ln α, ln β) that reproduce the first period's churn m = 1 − s₁/s₀ and the second
    /// period's retention r₂ = s₂/s₁ exactly: α + β = k = (1 − r₂)/(m − (1 − r₂)), α = m·k.
    /// k is clamped to 0.01…10⁴ (and taken as 2 when the retention does not rise).
    private static func startingPoint(_ s: [Int]) -> [Double] {
        let m = Swift.min(Swift.max(1 - Double(s[1]) / Double(s[0]), 0.001), 0.999)
        let churn2 = 1 - Double(s[2]) / Double(s[1])
        var k = churn2 / (m - churn2)
        if !(k > 0) || !k.isFinite { k = 2 }
        k = Swift.min(Swift.max(k, 0.01), 1e4)
        return [log(m * k), log((1 - m) * k)]
    }

    /// Checks that `s` is a cohort's survivor counts with at least `minimumPeriods` periods.
    private static func validate(_ s: [Int], minimumPeriods: Int) throws(FitError) {
        guard s.count - 1 >= minimumPeriods else {
            throw .tooFewPeriods(given: Swift.max(s.count - 1, 0), needed: minimumPeriods)
        }
        guard s[0] > 0 else { throw .emptyCohort }
        for t in 1..<s.count {
            guard s[t] >= 0 else { throw .negativeCount(period: t) }
            guard s[t] <= s[t - 1] else { throw .increasingCount(period: t) }
        }
    }
}
