import Foundation

/// What a Poisson(μ) draw of ``FastProcessSampler`` computes from μ alone, computed once for
/// draws that repeat a mean: a segment's arrivals without the CRM are Poisson at the same mean
/// month after month (the trial's new customers × the segment's mix), sixty draws of a
/// five-year case.
///
/// - Below ``FastProcessSampler/inversionBelow`` (μ < 10): P(0) = e^−μ, where the sequential
///   search starts.
/// - From there up to 2⁵²: the constants of Hörmann's PTRS (b, a, 1/α, v_r, the mode m), and
///   P(m), which only a slow acceptance test near the mode needs: computed at the first such test
///   and then kept.
///
/// A draw with a plan is the draw without one, bit for bit: the same numbers computed the same
/// way, only not again. Means above 2⁵², zero, negative, NaN or infinite are drawn without a plan
/// (``FastProcessSampler/poisson(key:mean:)``).
public struct PoissonPlan: Sendable {
    /// μ, customers per month here.
    public let mean: Double
    /// e^−μ for the inversion (μ < 10); NaN otherwise.
    let zeroProbability: Double
    /// PTRS's constants (μ ≥ 10); NaN otherwise.
    let b, a, inverseAlpha, vr: Double
    /// The mode ⌊μ⌋ (PTRS); NaN otherwise.
    let mode: Double
    /// P(m), the probability of the mode, once a slow test has needed it; NaN before.
    public internal(set) var modeProbability = Double.nan

    /// The plan of Poisson(`mean`).
    public init(mean: Double) {
        self.mean = mean
        guard mean > 0, mean <= Double(FastProcessSampler.largestPart) else {
            zeroProbability = .nan; b = .nan; a = .nan; inverseAlpha = .nan; vr = .nan; mode = .nan
            return
        }
        if mean < FastProcessSampler.inversionBelow {
            zeroProbability = exp(-mean)
            b = .nan; a = .nan; inverseAlpha = .nan; vr = .nan; mode = .nan
        } else {
            zeroProbability = .nan
            let b = 0.931 + 2.53 * mean.squareRoot()
            self.b = b
            a = -0.059 + 0.02483 * b
            inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            mode = mean.rounded(.down)
        }
    }

    /// Whether a draw can use this plan (0 < μ ≤ 2⁵²).
    var isDirect: Bool { mean > 0 && mean <= Double(FastProcessSampler.largestPart) }
}
