import Foundation
import Testing
import CRMModel
import GSLSupport

// MARK: - Published data

/// Fader & Hardie (2007), "How to Project Customer Retention", Table 1: customers of two
/// segments of 1000 each still active at the end of years 0…12 (from Berry & Linoff 2004).
/// The paper fits the first seven years (counts for years 0…7) and holds out years 8…12.
private let regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
private let highEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
private let calibrationYears = 0...7

@Suite("Minimization: GSL Nelder–Mead simplex and finite-difference Hessian")
struct MinimizationTests {
    @Test("A quadratic bowl: the minimum is the centre")
    func quadraticBowl() throws {
        let centre = [1.5, -2.0, 0.25]
        let weights = [1.0, 4.0, 0.5]
        let result = try Minimization.nelderMead(
            start: [0, 0, 0], stepSizes: [1, 1, 1], sizeTolerance: 1e-6
        ) { (x: [Double]) -> Double in
            var sum = 3.0
            for i in 0..<3 {
                let dx = x[i] - centre[i]
                sum += weights[i] * dx * dx
            }
            return sum
        }
        for i in 0..<3 { #expect(abs(result.minimizer[i] - centre[i]) <= 1e-5) }
        #expect(abs(result.minimum - 3) <= 1e-12)
        #expect(result.iterations > 0)
    }

    @Test("Rosenbrock's valley from (−1.2, 1): the minimum 0 at (1, 1)")
    func rosenbrock() throws {
        let result = try Minimization.nelderMead(
            start: [-1.2, 1], stepSizes: [0.5, 0.5], sizeTolerance: 1e-10, maxIterations: 10_000
        ) { x in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            return a * a + 100 * b * b
        }
        #expect(abs(result.minimizer[0] - 1) <= 1e-6)
        #expect(abs(result.minimizer[1] - 1) <= 1e-6)
        #expect(result.minimum <= 1e-12)
    }

    @Test("Points where the function is not finite are avoided")
    func domainWall() throws {
        // (x − 2)² on x > 1 only; the simplex must not step into the wall.
        let result = try Minimization.nelderMead(start: [3], stepSizes: [1], sizeTolerance: 1e-10) { x in
            x[0] > 1 ? (x[0] - 2) * (x[0] - 2) : .nan
        }
        #expect(abs(result.minimizer[0] - 2) <= 1e-8)
    }

    @Test("Bad arguments and an exhausted budget are errors, not crashes")
    func errors() {
        #expect(throws: GSLError.self) {
            try Minimization.nelderMead(start: [0, 0], stepSizes: [1]) { _ in 0 }
        }
        #expect(throws: GSLError.self) {
            try Minimization.nelderMead(start: [0], stepSizes: [0]) { _ in 0 }
        }
        #expect(throws: GSLError.self) {
            try Minimization.nelderMead(start: [0], stepSizes: [1]) { _ in .infinity }
        }
        #expect(throws: GSLError.self) {
            try Minimization.nelderMead(start: [-1.2, 1], stepSizes: [0.5, 0.5], maxIterations: 3) { x in
                (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
            }
        }
    }

    @Test("The hypergeometric function matches closed forms, and GSL's faulty case is refused")
    func hypergeometric() throws {
        for x in [-0.5, 0.1, 0.6, 0.9, 0.99] {
            // ₂F₁(1, 1; 2; x) = −ln(1 − x)/x and ₂F₁(a, b; b; x) = (1 − x)^−a.
            let log = try SpecialFunctions.hypergeometric2F1(a: 1, b: 1, c: 2, x: x)
            #expect(abs(log / (-Foundation.log(1 - x) / x) - 1) <= 1e-12)
            let power = try SpecialFunctions.hypergeometric2F1(a: 1.5, b: 2.25, c: 2.25, x: x)
            #expect(abs(power / pow(1 - x, -1.5) - 1) <= 1e-12)
        }
        // c − a − b = 3 and x ≥ 0.995: GSL 2.7 returns a wrong value without an error.
        #expect(throws: GSLError.self) { try SpecialFunctions.hypergeometric2F1(a: 1, b: 5, c: 9, x: 0.999) }
        #expect(throws: GSLError.self) { try SpecialFunctions.hypergeometric2F1(a: 1, b: 1, c: 2, x: 1) }
    }

    @Test("The Hessian of a quadratic is its matrix")
    func hessianOfQuadratic() {
        // f(x) = ½ xᵀAx + bᵀx + 7 has Hessian A everywhere.
        let a: [[Double]] = [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 2]]
        let b = [0.3, -1.0, 2.0]
        let f: ([Double]) -> Double = { x in
            var q = 7.0
            for i in 0..<3 {
                q += b[i] * x[i]
                for j in 0..<3 { q += 0.5 * x[i] * a[i][j] * x[j] }
            }
            return q
        }
        let h = Minimization.hessian(at: [0.3, -1.2, 2.5], f)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(abs(h[i][j] - a[i][j]) <= 1e-5, "H[\(i)][\(j)] = \(h[i][j]), expected \(a[i][j])")
                #expect(h[i][j] == h[j][i])
            }
        }
    }
}

@Suite("Shifted-beta-geometric churn model (Fader & Hardie 2007, 2010)")
struct ShiftedBetaGeometricTests {
    // MARK: (a) Published results

    @Test("The published fits to years 1–7: High End α̂ = 0.668, β̂ = 3.806, LL = −1611.2; Regular α̂ = 0.704, β̂ = 1.182")
    func publishedFits() throws {
        let high = try ShiftedBetaGeometric.fit(survivors: Array(highEnd[calibrationYears]))
        #expect(abs(high.model.alpha - 0.668) <= 0.001)
        #expect(abs(high.model.beta - 3.806) <= 0.001)
        #expect(abs(high.logLikelihood - -1611.2) <= 0.05)
        #expect(high.periods == 7)
        #expect(high.customers == 1000)

        let reg = try ShiftedBetaGeometric.fit(survivors: Array(regular[calibrationYears]))
        #expect(abs(reg.model.alpha - 0.704) <= 0.001)
        #expect(abs(reg.model.beta - 1.182) <= 0.001)
        #expect(reg.periods == 7)

        // Appendix B's worked example starts from α = β = 1, where LL = −2115.546 (High End).
        let start = ShiftedBetaGeometric(alpha: 1, beta: 1)
        #expect(abs(try start.logLikelihood(survivors: Array(highEnd[calibrationYears])) - -2115.546) <= 0.001)
        // Mean churn probabilities E[θ] = α/(α + β): 0.15 (High End) and 0.37 (Regular).
        #expect(abs(high.model.meanChurnProbability - 0.15) < 0.005)
        #expect(abs(reg.model.meanChurnProbability - 0.37) < 0.005)
    }

    @Test("Projected survivors in years 8–12 and the published year-12 errors of 4 % and 2 %")
    func publishedProjections() throws {
        let high = try ShiftedBetaGeometric.fit(survivors: Array(highEnd[calibrationYears])).model
        let projected = (8...12).map { 1000 * high.survival(after: $0) }
        for (value, expected) in zip(projected, [460.4, 435.8, 414.2, 395.1, 378.0]) {
            #expect(abs(value - expected) <= 0.5, "projected \(value), expected \(expected)")
        }
        // "the sBG model's year-12 predictions are off by only 4% and 2%" (High End, Regular).
        let highError = abs(projected[4] / Double(highEnd[12]) - 1)
        #expect(highError >= 0.035 && highError < 0.045)
        let reg = try ShiftedBetaGeometric.fit(survivors: Array(regular[calibrationYears])).model
        let regError = abs(1000 * reg.survival(after: 12) / Double(regular[12]) - 1)
        #expect(regError >= 0.015 && regError < 0.025)
        // A widely used reproduction (JD Maturen's sBG code) gives DERL = 7.530 for the High End
        // survivors after seven renewals at d = 10 % per year.
        #expect(abs(try high.discountedExpectedResidualLifetime(discountRate: 0.1, renewals: 7) - 7.530) <= 0.001)
    }

    @Test("Standard errors equal the inverse observed information on the α, β scale, from an independent likelihood")
    func standardErrors() throws {
        let data = Array(highEnd[calibrationYears])
        let fit = try ShiftedBetaGeometric.fit(survivors: data)
        // −LL written from the beta-function forms (eqs. 5, 6) through lgamma.
        func lnB(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
        let negLL: ([Double]) -> Double = { p in
            let a = p[0], b = p[1]
            var ll = 0.0
            for t in 1..<data.count {
                ll += Double(data[t - 1] - data[t]) * (lnB(a + 1, b + Double(t - 1)) - lnB(a, b))
            }
            ll += Double(data[data.count - 1]) * (lnB(a, b + Double(data.count - 1)) - lnB(a, b))
            return -ll
        }
        let h = Minimization.hessian(at: [fit.model.alpha, fit.model.beta], negLL)
        let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
        let varAlpha = h[1][1] / det, varBeta = h[0][0] / det, cov = -h[0][1] / det
        #expect(abs(fit.alphaStandardError / varAlpha.squareRoot() - 1) <= 1e-3)
        #expect(abs(fit.betaStandardError / varBeta.squareRoot() - 1) <= 1e-3)
        #expect(abs(fit.covariance[0][1] / cov - 1) <= 1e-3)
        #expect(fit.covariance[0][1] == fit.covariance[1][0])
    }

    // MARK: (b) Recovering known parameters

    /// Survivor counts s₀…s_periods of a simulated cohort: each customer draws
    /// θ ~ Beta(α, β) by inverse CDF, then a geometric lifetime T with P(T > t) = (1 − θ)^t,
    /// T = ⌊ln u / ln(1 − θ)⌋ + 1.
    private func simulatedCohort(alpha: Double, beta: Double, customers: Int, periods: Int, seed: UInt32) -> [Int] {
        let stream = RandomStream(seed: seed)
        var leftAt = Array(repeating: 0, count: periods + 2)   // leftAt[t]: lifetimes T = t; last slot: T > periods
        for _ in 0..<customers {
            let theta = CDF.betaQuantile(stream.uniformPositive(), a: alpha, b: beta)
            let u = stream.uniformPositive()
            let lifetime: Int
            if theta >= 1 {
                lifetime = 1
            } else if theta <= 0 {
                lifetime = periods + 1
            } else {
                let t = floor(log(u) / log1p(-theta)) + 1
                lifetime = t > Double(periods) ? periods + 1 : Int(t)
            }
            leftAt[lifetime] += 1
        }
        var survivors = [customers]
        for t in 1...periods { survivors.append(survivors[t - 1] - leftAt[t]) }
        return survivors
    }

    @Test("Fits to simulated cohorts of 20 000 customers recover α and β within 3 standard errors",
          arguments: [(0.668, 3.806, UInt32(11)), (0.704, 1.182, UInt32(12)), (2.0, 8.0, UInt32(13)), (0.3, 0.9, UInt32(14))])
    func recovery(alpha: Double, beta: Double, seed: UInt32) throws {
        let survivors = simulatedCohort(alpha: alpha, beta: beta, customers: 20_000, periods: 12, seed: seed)
        let fit = try ShiftedBetaGeometric.fit(survivors: survivors)
        #expect(abs(fit.model.alpha - alpha) <= 3 * fit.alphaStandardError,
                "α̂ = \(fit.model.alpha) ± \(fit.alphaStandardError), true \(alpha)")
        #expect(abs(fit.model.beta - beta) <= 3 * fit.betaStandardError,
                "β̂ = \(fit.model.beta) ± \(fit.betaStandardError), true \(beta)")
        // The standard errors are those of a 20 000-customer cohort, neither tiny nor huge.
        #expect(fit.alphaStandardError / alpha > 0.005 && fit.alphaStandardError / alpha < 0.2)
    }

    @Test("The standard error matches the spread of estimates over 40 simulated cohorts")
    func standardErrorCalibration() throws {
        var estimates: [Double] = []
        var standardErrors: [Double] = []
        for replicate in 0..<40 {
            let survivors = simulatedCohort(alpha: 1, beta: 3, customers: 2_000, periods: 12, seed: UInt32(1000 + replicate))
            let fit = try ShiftedBetaGeometric.fit(survivors: survivors)
            estimates.append(fit.model.alpha)
            standardErrors.append(fit.alphaStandardError)
        }
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        let spread = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(estimates.count - 1)).squareRoot()
        let typicalSE = standardErrors.reduce(0, +) / Double(standardErrors.count)
        // With 40 replicates the sample SD is itself uncertain by about ±11 %.
        #expect(abs(spread / typicalSE - 1) < 0.35, "spread \(spread), standard error \(typicalSE)")
    }

    // MARK: (c) Closed forms

    private let shapes: [(Double, Double)] = [(0.668, 3.806), (0.704, 1.182), (1, 1), (2.5, 40), (0.05, 0.2), (300, 700)]

    @Test("S(t) and P(T = t) from the recursion equal B(α, β + t)/B(α, β) and B(α + 1, β + t − 1)/B(α, β)")
    func closedForms() {
        func lnB(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
        for (a, b) in shapes {
            let model = ShiftedBetaGeometric(alpha: a, beta: b)
            #expect(model.survival(after: 0) == 1)
            var previousChurn = a / (a + b)                      // Fader & Hardie's eq. 7
            var total = 0.0
            for t in 1...60 {
                let s = exp(lnB(a, b + Double(t)) - lnB(a, b))
                #expect(abs(model.survival(after: t) / s - 1) <= 1e-11, "S(\(t)) for α = \(a), β = \(b)")
                let p = exp(lnB(a + 1, b + Double(t - 1)) - lnB(a, b))
                #expect(abs(model.churnProbability(inPeriod: t) / p - 1) <= 1e-11)
                if t > 1 { previousChurn *= (b + Double(t - 2)) / (a + b + Double(t - 1)) }
                #expect(abs(model.churnProbability(inPeriod: t) / previousChurn - 1) <= 1e-12)
                total += model.churnProbability(inPeriod: t)
                #expect(abs(total + model.survival(after: t) - 1) <= 1e-12)
            }
        }
    }

    @Test("The retention rate r(t) = S(t)/S(t − 1) rises with tenure")
    func retentionRises() {
        for (a, b) in shapes {
            let model = ShiftedBetaGeometric(alpha: a, beta: b)
            var previous = 0.0
            for t in 1...100 {
                let r = model.retentionRate(inPeriod: t)
                #expect(r > previous)
                #expect(abs(r - model.survival(after: t) / model.survival(after: t - 1)) <= 1e-12)
                previous = r
            }
            #expect(previous < 1)
        }
    }

    /// Σ_{t ≥ n} S(t)/S(n − 1) · x^(t − n) with n = renewals + 1, x = 1/(1 + d), summed from
    /// retention rates until the terms no longer matter.
    private func derlBySum(_ model: ShiftedBetaGeometric, d: Double, renewals: Int) -> Double {
        let x = 1 / (1 + d)
        var sum = 0.0, term = 1.0, t = renewals + 1
        while true {
            term *= model.retentionRate(inPeriod: t)         // S(t)/S(n − 1) · x^(t − n), before x
            let add = term * pow(x, Double(t - renewals - 1))
            sum += add
            if add < 1e-17 * sum && t > renewals + 100 { return sum }
            t += 1
        }
    }

    @Test("DERL's hypergeometric closed form equals the discounted sum of survival probabilities")
    func derlClosedForm() throws {
        let monthlyTenPercent = pow(1.1, 1.0 / 12) - 1
        for (a, b) in shapes {
            let model = ShiftedBetaGeometric(alpha: a, beta: b)
            for d in [0.1, monthlyTenPercent, 0.5] {
                for renewals in [0, 7, 36] {
                    let closed = try model.discountedExpectedResidualLifetime(discountRate: d, renewals: renewals)
                    let direct = derlBySum(model, d: d, renewals: renewals)
                    #expect(abs(closed / direct - 1) <= 1e-9, "α = \(a), β = \(b), d = \(d), n − 1 = \(renewals)")
                }
            }
        }
    }

    @Test("DERL near and at d = 0: the term-by-term fallback and the undiscounted closed form (β + n − 1)/(α − 1)")
    func derlSmallDiscount() throws {
        // Below d ≈ 0.5 % per period the series is summed term by term, not by GSL, whose
        // reflection formula there fails (α = 0.668) or is silently wrong (α = 3, 4, …).
        for (a, b) in [(0.668, 3.806), (3.0, 4.0), (4.0, 0.5)] {
            let model = ShiftedBetaGeometric(alpha: a, beta: b)
            for d in [0.004, 1e-4] {
                let value = try model.discountedExpectedResidualLifetime(discountRate: d, renewals: 0)
                #expect(abs(value / derlBySum(model, d: d, renewals: 0) - 1) <= 1e-9, "α = \(a), β = \(b), d = \(d)")
            }
        }
        let high = ShiftedBetaGeometric(alpha: 0.668, beta: 3.806)

        let light = ShiftedBetaGeometric(alpha: 3, beta: 4)
        for renewals in [0, 5] {
            let undiscounted = try light.discountedExpectedResidualLifetime(discountRate: 0, renewals: renewals)
            #expect(abs(undiscounted - (4 + Double(renewals)) / 2) <= 1e-12)
            let nearlyUndiscounted = try light.discountedExpectedResidualLifetime(discountRate: 1e-6, renewals: renewals)
            #expect(nearlyUndiscounted < undiscounted)
            #expect(abs(nearlyUndiscounted / undiscounted - 1) <= 1e-3)
        }
        // α ≤ 1: the expected lifetime is infinite.
        #expect(try high.discountedExpectedResidualLifetime(discountRate: 0) == .infinity)
        #expect(throws: GSLError.self) { try high.discountedExpectedResidualLifetime(discountRate: -0.05) }
        #expect(throws: GSLError.self) { try high.discountedExpectedResidualLifetime(discountRate: .nan) }
    }

    @Test("DERL of an almost homogeneous cohort approaches the constant-churn value (1 − c)(1 + d)/(c + d)")
    func derlHomogeneousLimit() throws {
        let c = 0.2, d = 0.1
        let concentration = 1e7                               // α + β; θ's SD is about 1.3·10⁻⁴
        let model = ShiftedBetaGeometric(alpha: c * concentration, beta: (1 - c) * concentration)
        for renewals in [0, 5] {
            let derl = try model.discountedExpectedResidualLifetime(discountRate: d, renewals: renewals)
            #expect(abs(derl / ((1 - c) * (1 + d) / (c + d)) - 1) <= 1e-5)
        }
    }

    // MARK: Input validation

    @Test("Unusable survivor counts are explained in words")
    func validation() throws {
        typealias E = ShiftedBetaGeometric.FitError
        func failure(_ counts: [Int]) -> E? {
            let result = Result { () throws(E) in try ShiftedBetaGeometric.fit(survivors: counts) }
            guard case .failure(let error) = result else { return nil }
            return error
        }
        #expect(failure([1000]) == .tooFewPeriods(given: 0, needed: 2))
        #expect(failure([1000, 800]) == .tooFewPeriods(given: 1, needed: 2))
        #expect(failure([0, 0, 0]) == .emptyCohort)
        #expect(failure([1000, -1, -2]) == .negativeCount(period: 1))
        #expect(failure([1000, 900, 950]) == .increasingCount(period: 2))
        #expect(failure([1000, 0, 0]) == .allLostInFirstPeriod)
        #expect(failure([1000, 1000, 1000]) == .noChurn)
        // Falling retention (0.90, 0.87, 0.79, 0.69): no sign of heterogeneity.
        guard case .noHeterogeneity = failure([1000, 900, 780, 620, 430]) else {
            Issue.record("falling retention should be reported as no heterogeneity")
            return
        }
        // All churn in period 1, none after: the estimates run off towards α, β → 0.
        guard case .polarized = failure([1000, 600, 600, 600]) else {
            Issue.record("all-or-nothing churn should be reported as polarized")
            return
        }
        let model = ShiftedBetaGeometric(alpha: 1, beta: 1)
        #expect(throws: E.tooFewPeriods(given: 0, needed: 1)) { try model.logLikelihood(survivors: [1000]) }

        let examples: [E] = [
            .tooFewPeriods(given: 1, needed: 2), .emptyCohort, .negativeCount(period: 3), .increasingCount(period: 2),
            .allLostInFirstPeriod, .noChurn, .noHeterogeneity(alpha: 2e6, beta: 8e6),
            .polarized(alpha: 1e-6, beta: 2e-6), .noConvergence(reason: "the simplex collapsed"),
        ]
        for example in examples {
            #expect(example.description.hasSuffix("."))
            #expect(!example.description.contains("Optional"))
        }
        #expect(E.increasingCount(period: 2).description.contains("from period 1 to period 2"))
    }
}
