import Foundation

/// Hörmann's transformed rejection with squeeze for the binomial (BTRS) and the Poisson (PTRS):
/// W. Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46
/// (1993) 101–110, and "The transformed rejection method for generating Poisson random
/// variables", Insurance: Mathematics and Economics 12 (1993) 39–45. The constants are the
/// papers'. Two uniforms per attempt; the quick acceptance (us ≥ 0.07, v ≤ v_r) takes most
/// draws, the rest are accepted against the exact log-probability.
///
/// The log-probabilities are written so that no large numbers cancel (log1p of small ratios, and
/// Stirling's formula with its remainder ``logFactorialRemainder(_:)`` instead of differences
/// of `lgamma` values near 10¹⁰): their absolute error stays near 10⁻¹⁵·√n where a difference of
/// `lgamma`s would be off by 10⁻⁶ at a billion customers.
extension FastProcessSampler {
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
        // The mode's part of the log-probability costs a log1p; most draws pass the quick
        // acceptance and never need it, so it is computed once, at the first slow test.
        var modeTerm = Double.nan
        while true {
            let x = u.next() - 0.5
            let v = u.next()
            let us = 0.5 - abs(x)
            let k = ((2 * a / us + b) * x + c).rounded(.down)
            if k < 0 || k > n { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            // Accept when v·α/(a/us² + b) ≤ f(k)/f(m), in logarithms.
            let lhs = log(v * alpha / (a / (us * us) + b))
            if modeTerm.isNaN { modeTerm = binomialModeTerm(n: n, p: p, q: q, mode: m) }
            if lhs <= modeTerm + binomialLogRatio(n: n, p: p, q: q, mode: m, k: k) { return Int(k) }
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

    /// PTRS for μ ≥ 10.
    static func poissonPTRS(_ mean: Double, _ u: inout CounterUniforms) -> Int {
        let b = 0.931 + 2.53 * mean.squareRoot()
        let a = -0.059 + 0.02483 * b
        // log(1/α) costs a log; most draws pass the quick acceptance and never need it, so it is
        // computed at the first slow test.
        var logInverseAlpha = Double.nan
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let x = u.next() - 0.5
            let v = u.next()
            let us = 0.5 - abs(x)
            let k = ((2 * a / us + b) * x + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            // Accept when v/α/(a/us² + b) ≤ P(k), in logarithms.
            if logInverseAlpha.isNaN { logInverseAlpha = log(1.1239 + 1.1328 / (b - 3.4)) }
            if log(v) + logInverseAlpha - log(a / (us * us) + b) <= poissonLogProbability(mean, k) {
                return Int(k)
            }
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
