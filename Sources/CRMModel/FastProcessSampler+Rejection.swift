import Foundation

/// Hörmann's transformed rejection with squeeze for the binomial (BTRS) and the Poisson (PTRS):
/// W. Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46
/// (1993) 101–110, and "The transformed rejection method for generating Poisson random
/// variables", Insurance: Mathematics and Economics 12 (1993) 39–45. The constants are the
/// papers'. Two uniforms per attempt; the quick acceptance (us ≥ 0.07, v ≤ v_r) takes about
/// half the draws at the model's expectations (10–30 customers) and most at large ones; the
/// rest are accepted against the exact probability.
///
/// That slow test compares with the mass function itself, computed in one of two exact ways:
///
/// - **Near the mode** (|k − m| ≤ ``ratioSteps``), as a product of the mass function's
///   successive ratios — f(k)/f(m) for the binomial, P(m)·P(k)/P(m) for the Poisson with P(m)
///   computed once per ``PoissonPlan``. No logarithm: at the model's expectations this is almost every
///   slow test, and the logarithms it replaces were most of a draw's cost. Each factor is
///   rounded once or twice, so the product's relative error stays below 50 units in the last
///   place (10⁻¹⁴).
/// - **Further out**, in logarithms, written so that no large numbers cancel (log1p of small
///   ratios, and Stirling's formula with its remainder ``logFactorialRemainder(_:)`` instead of
///   differences of `lgamma` values near 10¹⁰): their absolute error stays near 10⁻¹⁵·√n where
///   a difference of `lgamma`s would be off by 10⁻⁶ at a billion customers.
extension FastProcessSampler {
    /// The farthest from the mode (in counts) the slow test multiplies ratios; beyond, it takes
    /// logarithms. Twenty steps cost about what the three logarithms cost.
    @_spi(Testing) public static let ratioSteps = 20

    /// BTRS for p ≤ ½ and n·p ≥ 10.
    static func binomialBTRS(_ count: Int, _ p: Double, _ u: inout CounterUniforms) -> Int {
        let n = Double(count)
        let q = 1 - p
        let spq = (n * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = n * p + 0.5
        let alpha = (2.83 + 5.1 / b) * spq
        let vr = 0.92 - 4.2 / b
        let m = ((n + 1) * p).rounded(.down)            // the mode
        let mode = Int(m)
        let odds = p / q
        // The mode's part of the log-probability costs a log1p; only a slow test far from the
        // mode needs it, so it is computed there, once.
        var modeTerm = Double.nan
        while true {
            let x = u.next() - 0.5
            let v = u.next()
            let us = 0.5 - abs(x)
            let y = (2 * a / us + b) * x + c
            // k = ⌊y⌋ must lie in 0…n. Comparing y itself keeps a huge y (us near 0) away from
            // the conversion to a whole number, which for y ≥ 0 truncates to ⌊y⌋ (and needs no
            // call to floor).
            guard y >= 0 && y < n + 1 else { continue }
            let k = Int(y)
            if us >= 0.07 && v <= vr { return k }
            // Accept when v·α/(a/us² + b) ≤ f(k)/f(m).
            let w = v * alpha / (a / (us * us) + b)
            if abs(k - mode) <= ratioSteps {
                if w <= binomialRatioToMode(n: n, odds: odds, mode: mode, k: k) { return k }
                continue
            }
            if modeTerm.isNaN { modeTerm = binomialModeTerm(n: n, p: p, q: q, mode: m) }
            if log(w) <= modeTerm + binomialLogRatio(n: n, p: p, q: q, mode: m, k: Double(k)) { return k }
        }
    }

    /// The part of log f(k)/f(m) that depends on the mode m only:
    /// (m + ½)·log((m + 1)q / ((n − m + 1)p)) + δ(m) + δ(n − m).
    @_spi(Testing)
    public static func binomialModeTerm(n: Double, p: Double, q: Double, mode m: Double) -> Double {
        (m + 0.5) * log1p(((m + 1) - (n + 2) * p) / ((n - m + 1) * p))
            + logFactorialRemainder(m) + logFactorialRemainder(n - m)
    }

    /// The rest of log f(k)/f(m) for the Binomial(n, p) mass function f:
    /// (n + 1)·log((n − m + 1)/(n − k + 1)) + (k + ½)·log((n − k + 1)p / ((k + 1)q)) − δ(k) − δ(n − k),
    /// from log j! = (j + ½)·log(j + 1) − (j + 1) + ½·log 2π + δ(j).
    @_spi(Testing)
    public static func binomialLogRatio(n: Double, p: Double, q: Double, mode m: Double, k: Double) -> Double {
        (n + 1) * log1p((k - m) / (n - k + 1))
            + (k + 0.5) * log1p(((n + 2) * p - (k + 1)) / ((k + 1) * q))
            - logFactorialRemainder(k) - logFactorialRemainder(n - k)
    }

    /// f(k)/f(m) for the Binomial(n, p) mass function f, with `odds` = p/q, as the product of
    /// its successive ratios f(j)/f(j − 1) = (n − j + 1)/j · p/q: |k − m| factors, each rounded
    /// twice. For k near the mode m (the slow test uses it within ``ratioSteps``).
    @_spi(Testing) @inline(__always)
    public static func binomialRatioToMode(n: Double, odds: Double, mode: Int, k: Int) -> Double {
        var ratio = 1.0
        if k > mode {
            for j in (mode + 1)...k { ratio *= (n - Double(j) + 1) / Double(j) * odds }
        } else if k < mode {
            for j in (k + 1)...mode { ratio *= Double(j) / ((n - Double(j) + 1) * odds) }
        }
        return ratio
    }

    /// P(k)/P(m) for the Poisson(μ) mass function, as the product of its successive ratios
    /// P(j)/P(j − 1) = μ/j: |k − m| factors, each rounded once.
    @_spi(Testing) @inline(__always)
    public static func poissonRatioToMode(_ mean: Double, mode: Int, k: Int) -> Double {
        var ratio = 1.0
        if k > mode {
            for j in (mode + 1)...k { ratio *= mean / Double(j) }
        } else if k < mode {
            for j in (k + 1)...mode { ratio *= Double(j) / mean }
        }
        return ratio
    }

    /// PTRS for μ ≥ 10, with the constants of `plan`; P(m) is computed at the first slow test
    /// near the mode that needs it and kept in the plan.
    static func poissonPTRS(_ plan: inout PoissonPlan, _ u: inout CounterUniforms) -> Int {
        let mean = plan.mean
        let b = plan.b, a = plan.a, inverseAlpha = plan.inverseAlpha, vr = plan.vr
        let m = plan.mode
        let mode = Int(m)
        while true {
            let x = u.next() - 0.5
            let v = u.next()
            let us = 0.5 - abs(x)
            let y = (2 * a / us + b) * x + mean + 0.43
            // k = ⌊y⌋ < 0 is rejected (the quick acceptance below never sees one: for μ ≥ 10
            // and us ≥ 0.07, y > 4). For y ≥ 0 the conversion truncates to ⌊y⌋.
            guard y >= 0 else { continue }
            if us >= 0.07 && v <= vr { return Int(y) }
            if us < 0.013 && v > us { continue }
            // Accept when v/α/(a/us² + b) ≤ P(k).
            let w = v * inverseAlpha / (a / (us * us) + b)
            if y < m + Double(ratioSteps + 1) && y >= m - Double(ratioSteps) {
                let k = Int(y)
                if plan.modeProbability.isNaN { plan.modeProbability = exp(poissonLogProbability(mean, m)) }
                if w <= plan.modeProbability * poissonRatioToMode(mean, mode: mode, k: k) { return k }
                continue
            }
            let k = y.rounded(.down)
            if log(w) <= poissonLogProbability(mean, k) { return Int(k) }
        }
    }

    /// log P(k) = −μ + k·log μ − log k! for Poisson(μ), as
    /// (k + 1 − μ) + k·log(μ/(k + 1)) − ½·log(k + 1) − ½·log 2π − δ(k).
    @_spi(Testing)
    public static func poissonLogProbability(_ mean: Double, _ k: Double) -> Double {
        (k + 1 - mean) + k * log1p((mean - k - 1) / (k + 1)) - 0.5 * log(k + 1)
            - 0.918_938_533_204_672_8 - logFactorialRemainder(k)   // ½·log 2π
    }

    /// δ(j) = log j! − [(j + ½)·log(j + 1) − (j + 1) + ½·log 2π], the remainder of Stirling's
    /// formula, for whole j ≥ 0. Exact values (to double precision, from 40-digit arithmetic)
    /// for j ≤ 15; above, the Stirling series in z = j + 1 to the z⁻⁷ term, whose error is
    /// below 1/(1188·z⁹) < 10⁻¹⁴.
    @_spi(Testing)
    public static func logFactorialRemainder(_ j: Double) -> Double {
        // A switch on a whole number compiles to a jump table; on a Double it would be a chain
        // of comparisons.
        switch j < 16 ? Int(j) : 16 {
        case 0: return 0.081_061_466_795_327_258
        case 1: return 0.041_340_695_955_409_294
        case 2: return 0.027_677_925_684_998_339
        case 3: return 0.020_790_672_103_765_093
        case 4: return 0.016_644_691_189_821_192
        case 5: return 0.013_876_128_823_070_748
        case 6: return 0.011_896_709_945_891_770
        case 7: return 0.010_411_265_261_972_096
        case 8: return 0.009_255_462_182_712_733
        case 9: return 0.008_330_563_433_362_871
        case 10: return 0.007_573_675_487_951_841
        case 11: return 0.006_942_840_107_209_530
        case 12: return 0.006_408_994_188_004_207
        case 13: return 0.005_951_370_112_758_848
        case 14: return 0.005_554_733_551_962_801
        case 15: return 0.005_207_655_919_609_640
        default:
            let z = j + 1
            let z2 = 1 / (z * z)
            return (1.0 / 12 - z2 * (1.0 / 360 - z2 * (1.0 / 1260 - z2 / 1680))) / z
        }
    }
}
