import CGSL
import Foundation
import Testing
@_spi(Testing) import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

/// crmcase's own count samplers (``FastProcessSampler``) against GSL: the same uniforms as GSL's
/// view of the stream, the same inverse where a draw is one uniform's inverse CDF, and the same
/// distribution (χ² against GSL's probability mass functions) everywhere else.
@Suite("Count samplers")
struct CountSamplerTests {
    static let sampler = FastProcessSampler()

    /// The tests call GSL directly; without this, GSL's default handler aborts the whole test
    /// process on the first status it reports (it did, in CI, when no earlier test had
    /// happened to switch it off).
    init() { GSL.prepare() }

    /// The key of draw `i` of test case `c`: distinct for every (case, draw).
    static func key(_ c: Int, _ i: Int) -> UInt64 { UInt64(c) << 40 ^ UInt64(i) &* 0x9e37_79b9_7f4a_7c15 }

    @Test("Small expectations are the inverse CDF of the stream's first uniform, as GSL computes both")
    func inversionMatchesGSL() {
        let stream = RandomStream(key: 0)
        let cases: [(n: Int, p: Double)] = [(1, 0.3), (40, 0.1), (200, 0.02), (12, 0.9), (1_000_000, 0.000_003)]
        for (c, (n, p)) in cases.enumerated() {
            var mismatches = 0
            for i in 0..<2_000 {
                let key = Self.key(c, i)
                stream.restart(key: key)
                let u = stream.uniformPositive()
                // p > ½ draws n − Binomial(n, 1 − p) on the same uniform.
                let small = min(p, 1 - p)
                var k = 0
                while gsl_cdf_binomial_P(UInt32(k), small, UInt32(n)) < u { k += 1 }
                let expected = p > 0.5 ? n - k : k
                if Self.sampler.binomial(key: key, trials: n, probability: p) != expected { mismatches += 1 }
            }
            #expect(mismatches == 0, "Binomial(\(n), \(p))")
        }
        for (c, mean) in [0.001, 0.4, 3.7, 9.99].enumerated() {
            var mismatches = 0
            for i in 0..<2_000 {
                let key = Self.key(100 + c, i)
                stream.restart(key: key)
                let u = stream.uniformPositive()
                var k = 0
                while gsl_cdf_poisson_P(UInt32(k), mean) < u { k += 1 }
                if Self.sampler.poisson(key: key, mean: mean) != k { mismatches += 1 }
            }
            #expect(mismatches == 0, "Poisson(\(mean))")
        }
    }

    /// χ² statistic and its p-value for `draws` against a distribution on the whole numbers
    /// given by its mass function alone: one cell per value from the smallest draw to the
    /// largest, pooled left to right until each expects at least 20 draws; the first cell takes
    /// the whole left tail, the last the whole right tail.
    ///
    /// The tails are sums of the mass function over `window`, not GSL's CDFs: GSL 2.7.1's
    /// incomplete gamma function (behind `gsl_cdf_poisson_P`) fails with `GSL_EMAXITER` more than
    /// about one standard deviation below the mean at the two largest means here (4·10⁷ and 10⁹)
    /// and then returns values up to 70 % off (P(X ≤ μ − 2σ) at μ = 10⁹: 0.0073 for 0.0227). `window` must hold all but a negligible share of the mass;
    /// a draw outside it is counted in `outside`.
    static func goodnessOfFit(
        _ draws: [Int], window: ClosedRange<Int>, pmf: (Int) -> Double
    ) -> (chi2: Double, df: Int, p: Double, outside: Int) {
        var observed = [Int: Int]()
        var outside = 0
        for k in draws { if window.contains(k) { observed[k, default: 0] += 1 } else { outside += 1 } }
        let total = Double(draws.count)
        guard let lo = observed.keys.min(), let hi = observed.keys.max(), hi > lo else {
            return (0, 0, 1, outside)
        }
        // Mass at and below lo, and above each k from lo to hi (a suffix sum from the window's
        // top, so the small right tail is summed from its small end).
        let atMostLo = (window.lowerBound...lo).reduce(0.0) { $0 + pmf($1) }
        var aboveK = [Double](repeating: 0, count: hi - lo + 1)
        var tail = 0.0
        for k in stride(from: window.upperBound, to: hi, by: -1) { tail += pmf(k) }
        for k in stride(from: hi, through: lo, by: -1) {
            aboveK[k - lo] = tail
            tail += pmf(k)
        }
        func above(_ k: Int) -> Double { aboveK[k - lo] }
        var cells: [(expected: Double, observed: Int)] = []
        var expected = atMostLo * total, seen = observed[lo] ?? 0
        for k in (lo + 1)...hi {
            if expected >= 20 && above(k - 1) * total >= 20 {
                cells.append((expected, seen)); expected = 0; seen = 0
            }
            expected += (k == hi ? above(k - 1) : pmf(k)) * total
            seen += observed[k] ?? 0
        }
        if expected < 20, let last = cells.popLast() {
            cells.append((last.expected + expected, last.observed + seen))
        } else {
            cells.append((expected, seen))
        }
        let chi2 = cells.reduce(0.0) { $0 + (Double($1.observed) - $1.expected) * (Double($1.observed) - $1.expected) / $1.expected }
        let df = cells.count - 1
        return (chi2, df, df < 1 ? 1 : gsl_cdf_chisq_Q(chi2, Double(df)), outside)
    }

    /// The values within 40 standard deviations (and 40 more) of the mean, clamped to
    /// `0...upper`: the mass outside is below 10⁻¹²⁰ for every case here (the largest is
    /// Poisson(0.7)'s above 74, about 10⁻¹²¹), so with 200,000 draws none is expected outside.
    static func window(mean: Double, variance: Double, upper: Int) -> ClosedRange<Int> {
        let reach = 40 * variance.squareRoot() + 40
        return max(0, Int((mean - reach).rounded(.down)))...min(upper, Int((mean + reach).rounded(.up)))
    }

    static func binomialFit(_ draws: [Int], n: Int, p: Double) -> (chi2: Double, df: Int, p: Double, outside: Int) {
        goodnessOfFit(draws, window: window(mean: Double(n) * p, variance: Double(n) * p * (1 - p), upper: n),
                      pmf: { gsl_ran_binomial_pdf(UInt32($0), p, UInt32(n)) })
    }

    static func poissonFit(_ draws: [Int], mean: Double) -> (chi2: Double, df: Int, p: Double, outside: Int) {
        goodnessOfFit(draws, window: window(mean: mean, variance: mean, upper: Int(UInt32.max)),
                      pmf: { gsl_ran_poisson_pdf(UInt32($0), mean) })
    }

    static let binomialCases: [(n: Int, p: Double)] = {
        var cases: [(Int, Double)] = []
        for n in [1, 2, 7, 30, 100, 1_000, 25_000, 10_000_000] {
            for p in [0.0007, 0.02, 0.1, 0.35, 0.5, 0.8, 0.999] { cases.append((n, p)) }
        }
        // Around the switch from inversion to BTRS (n·p = 10) and the model's own sizes.
        cases += [(100, 0.0999), (100, 0.1), (100, 0.1001), (1_000, 0.00999), (1_000, 0.0101),
                  (1_200, 0.03), (300, 0.97), (2_147_483_647, 0.000_000_01)]
        return cases
    }()

    @Test("Binomial draws follow GSL's binomial mass function (χ², 200,000 draws per case)",
          arguments: binomialCases.indices)
    func binomialFits(_ c: Int) {
        let (n, p) = Self.binomialCases[c]
        let draws = (0..<200_000).map { Self.sampler.binomial(key: Self.key(c, $0), trials: n, probability: p) }
        let fit = Self.binomialFit(draws, n: n, p: p)
        #expect(fit.outside == 0)
        // 50 cases: a threshold of 10⁻⁴ each keeps the chance of a false alarm under 0.5 %.
        #expect(fit.p > 1e-4, "Binomial(\(n), \(p)): χ² \(fit.chi2) on \(fit.df) degrees of freedom")
    }

    static let poissonMeans: [Double] = [0.0001, 0.05, 0.7, 2.5, 6, 9.999, 10, 10.001, 13.4, 29, 75, 400, 5_000,
                                         250_000, 40_000_000, 1e9, 0.000_001]

    @Test("Poisson draws follow GSL's Poisson mass function (χ², 200,000 draws per case)",
          arguments: poissonMeans.indices)
    func poissonFits(_ c: Int) {
        let mean = Self.poissonMeans[c]
        let draws = (0..<200_000).map { Self.sampler.poisson(key: Self.key(500 + c, $0), mean: mean) }
        let fit = Self.poissonFit(draws, mean: mean)
        #expect(fit.outside == 0)
        #expect(fit.p > 1e-4, "Poisson(\(mean)): χ² \(fit.chi2) on \(fit.df) degrees of freedom")
    }

    @Test("The χ² check has teeth: a Poisson mean off by 1 % or a binomial p off by 1 % fails it")
    func checkDetectsSmallErrors() {
        let poisson = (0..<200_000).map { Self.sampler.poisson(key: Self.key(900, $0), mean: 1_000) }
        #expect(Self.poissonFit(poisson, mean: 1_010).p < 1e-6)
        let binomial = (0..<200_000).map { Self.sampler.binomial(key: Self.key(901, $0), trials: 1_000, probability: 0.1) }
        #expect(Self.binomialFit(binomial, n: 1_000, p: 0.101).p < 1e-6)
    }

    @Test("The stream's table of mixed counters is SplitMix64's mix, and continues past the table")
    func mixedCounters() {
        for n in UInt64(1)...40 { #expect(CounterUniforms.mixedCounter(n) == SplitMix64.mix(n), "mix(\(n))") }
    }

    @Test("Rejection's products of ratios near the mode equal GSL's mass functions and the log formulas")
    func ratiosToMode() {
        let steps = FastProcessSampler.ratioSteps
        for (n, p) in [(40, 0.3), (900, 0.027), (1_208, 0.0125), (25_000, 0.4), (3_000_000, 0.001)] {
            let q = 1 - p
            let mode = Int((Double(n + 1) * p).rounded(.down))
            let fm = gsl_ran_binomial_pdf(UInt32(mode), p, UInt32(n))
            for k in max(0, mode - steps)...min(n, mode + steps) {
                let product = FastProcessSampler.binomialRatioToMode(n: Double(n), odds: p / q, mode: mode, k: k)
                let pmf = gsl_ran_binomial_pdf(UInt32(k), p, UInt32(n)) / fm
                // GSL's pmf goes through differences of lgamma values of size n·log n, so its
                // relative error grows with n (about 10⁻⁸ at n = 3·10⁶); the log formulas below
                // cancel nothing and are held to 10⁻¹³.
                #expect(abs(product / pmf - 1) < max(1e-11, 1e-14 * Double(n)), "Binomial(\(n), \(p)) at \(k): \(product) vs \(pmf)")
                let logs = exp(FastProcessSampler.binomialModeTerm(n: Double(n), p: p, q: q, mode: Double(mode))
                               + FastProcessSampler.binomialLogRatio(n: Double(n), p: p, q: q, mode: Double(mode), k: Double(k)))
                #expect(abs(product / logs - 1) < 1e-13, "Binomial(\(n), \(p)) at \(k): product \(product), logs \(logs)")
            }
        }
        for mean in [10.0, 13.4, 19.2, 29, 75, 400, 250_000] {
            let mode = Int(mean.rounded(.down))
            let pm = gsl_ran_poisson_pdf(UInt32(mode), mean)
            for k in max(0, mode - steps)...(mode + steps) {
                let product = FastProcessSampler.poissonRatioToMode(mean, mode: mode, k: k)
                #expect(abs(product / (gsl_ran_poisson_pdf(UInt32(k), mean) / pm) - 1) < max(1e-11, 1e-14 * mean), "Poisson(\(mean)) at \(k)")
                let logs = exp(FastProcessSampler.poissonLogProbability(mean, Double(k))
                               - FastProcessSampler.poissonLogProbability(mean, Double(mode)))
                #expect(abs(product / logs - 1) < 1e-13, "Poisson(\(mean)) at \(k): product \(product), logs \(logs)")
            }
        }
    }

    @Test("Rejection's log-probabilities equal lgamma's where lgamma is exact enough to compare")
    func logProbabilities() {
        for j in 0..<60 {
            let exact = lgamma(Double(j) + 1) - ((Double(j) + 0.5) * log(Double(j) + 1) - (Double(j) + 1) + 0.5 * log(2 * Double.pi))
            #expect(abs(FastProcessSampler.logFactorialRemainder(Double(j)) - exact) < 1e-13, "δ(\(j))")
        }
        for (n, p) in [(50.0, 0.3), (1_000.0, 0.02), (400.0, 0.5)] {
            let q = 1 - p
            let m = ((n + 1) * p).rounded(.down)
            func logF(_ k: Double) -> Double { -lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) + (n - k) * log(q) }
            for k in stride(from: 0.0, through: n, by: 1) {
                let ratio = FastProcessSampler.binomialModeTerm(n: n, p: p, q: q, mode: m)
                    + FastProcessSampler.binomialLogRatio(n: n, p: p, q: q, mode: m, k: k)
                #expect(abs(ratio - (logF(k) - logF(m))) < 1e-9 * max(1, abs(ratio)), "Binomial(\(n), \(p)) at \(k)")
            }
        }
        for mean in [10.0, 37.5, 900] {
            for k in 0..<Int(mean * 3) {
                let exact = -mean + Double(k) * log(mean) - lgamma(Double(k) + 1)
                #expect(abs(FastProcessSampler.poissonLogProbability(mean, Double(k)) - exact) < 1e-9 * max(1, abs(exact)),
                        "Poisson(\(mean)) at \(k)")
            }
        }
    }

    @Test("Edge cases: nothing to draw, certainty, huge counts split exactly")
    func edges() {
        let s = Self.sampler
        #expect(s.binomial(key: 1, trials: 0, probability: 0.5) == 0)
        #expect(s.binomial(key: 1, trials: -3, probability: 0.5) == 0)
        #expect(s.binomial(key: 1, trials: 10, probability: 0) == 0)
        #expect(s.binomial(key: 1, trials: 10, probability: .nan) == 0)
        #expect(s.binomial(key: 1, trials: 10, probability: 1) == 10)
        #expect(s.binomial(key: 1, trials: 10, probability: 7) == 10)
        #expect(s.poisson(key: 1, mean: 0) == 0)
        #expect(s.poisson(key: 1, mean: -2) == 0)
        #expect(s.poisson(key: 1, mean: .nan) == 0)
        #expect(s.poisson(key: 1, mean: .infinity) == Int.max)
        // Beyond 2⁵²: parts. Mean and spread within 6 standard deviations of the exact ones.
        let n = 1 << 54, p = 1e-9
        let big = s.binomial(key: 2, trials: n, probability: p)
        let mean = Double(n) * p
        #expect(abs(Double(big) - mean) < 6 * (mean * (1 - p)).squareRoot())
        let huge = s.poisson(key: 3, mean: 1e16)
        #expect(abs(Double(huge) - 1e16) < 6 * 1e8)
    }

    @Test("A Poisson draw with a plan is the draw without one, bit for bit, with the plan reused from draw to draw")
    func plannedPoisson() {
        let fast = Self.sampler
        let gsl = RandomStream(key: 0)
        let means = [1e-6, 0.5, 3, 9.999, 10, 17.3, 25, 61.5, 1_000, 1e9, 2e10, 0x1p52, 1e16, 0, -2, .nan, .infinity]
        for mean in means {
            var plan = PoissonPlan(mean: mean), gslPlan = PoissonPlan(mean: mean)
            var mismatches = 0
            for key in UInt64(0)..<(mean > 1e15 ? 20 : 3_000) {
                if fast.poisson(key: key, plan: &plan) != fast.poisson(key: key, mean: mean) { mismatches += 1 }
                // (GSL draws means above 10⁹ as sums of 10⁹-sized parts: 2·10¹⁰ shows the split,
                // larger ones would take millions of parts.)
                if mean <= 2e10 || !mean.isFinite,
                   gsl.poisson(key: key, plan: &gslPlan) != gsl.poisson(key: key, mean: mean) { mismatches += 1 }
            }
            #expect(mismatches == 0, "mean \(mean)")
        }
        // The slow test near the mode needed P(m) in some of those draws; the plan kept it, exactly.
        var plan = PoissonPlan(mean: 25)
        for key in UInt64(0)..<3_000 { _ = fast.poisson(key: key, plan: &plan) }
        #expect(plan.modeProbability == exp(FastProcessSampler.poissonLogProbability(25, 25)))
        #expect(abs(plan.modeProbability - gsl_ran_poisson_pdf(25, 25)) < 1e-15)
    }

    @Test("The same key gives the same draw; different keys different streams")
    func keyed() {
        let s = Self.sampler
        #expect(s.poisson(key: 77, mean: 25) == s.poisson(key: 77, mean: 25))
        #expect(s.binomial(key: 77, trials: 1_000, probability: 0.03) == s.binomial(key: 77, trials: 1_000, probability: 0.03))
        let draws = Set((0..<200).map { s.poisson(key: UInt64($0), mean: 1_000) })
        #expect(draws.count > 50)
    }
}

/// The two samplers on whole example cases: same seed, so the same inputs and risks in every
/// trial, and only the customer counts drawn differently. Both samplers being exact, every
/// per-trial outcome has the same expectation under each: the paired differences average to
/// zero within their standard error.
@Suite("Count samplers on whole cases")
struct CountSamplerAgreementTests {
    static func root() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test("fast and gsl agree on every example's NPV, customers and CLV (paired z ≤ 4.5)",
          arguments: ["car-dealership", "subscription-churn", "b2b-distributor"])
    func agree(_ name: String) throws {
        let scenario = try ScenarioLoader.load(path: Self.root().appendingPathComponent("Scenarios/\(name).yaml").path).scenario
        let trials = 6_000
        let runs = CountSampler.allCases.map { sampler in
            Engine(model: TrialModel(scenario: scenario, countSampler: sampler),
                   options: .init(trials: trials, seed: 5, bandTrials: 1)).run().perTrial
        }
        let (fast, gsl) = (runs[0], runs[1])
        var metrics: [(String, (SimulationResult.PerTrial, Int) -> Double)] = [("NPV", { $0.npv($1) })]
        for s in scenario.segments.indices {
            let segment = scenario.segments[s].name
            metrics.append(("customers with CRM, \(segment)", { $0.customersWith($1, segment: s) }))
            metrics.append(("customers without CRM, \(segment)", { $0.customersWithout($1, segment: s) }))
            metrics.append(("CLV with CRM, \(segment)", { $0.clvWith($1, segment: s) }))
        }
        var differing = 0
        for (label, value) in metrics {
            var sum = 0.0, sumSquares = 0.0
            for i in 0..<trials {
                let d = value(fast, i) - value(gsl, i)
                sum += d
                sumSquares += d * d
            }
            let mean = sum / Double(trials)
            let variance = max(0, sumSquares / Double(trials) - mean * mean) * Double(trials) / Double(trials - 1)
            if variance > 0 { differing += 1 }
            let z = variance > 0 ? mean / (variance / Double(trials)).squareRoot() : 0
            #expect(abs(z) <= 4.5, "\(name), \(label): paired mean difference \(mean), z = \(z)")
        }
        #expect(differing > 0, "the samplers draw differently, so the comparison tests something")
    }
}
