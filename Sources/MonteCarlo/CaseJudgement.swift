import Foundation

/// The judgements the business-case report states, made once here from a run so that every
/// renderer words the same decision: the verdict's band from the chance of a loss, whether the
/// expected value points the other way, whether the mean NPV can be told from zero, and which
/// risk event matters most. The report builder only turns these values into words.
public struct CaseJudgement: Sendable {
    /// P(NPV < 0) over the trials.
    public let chanceOfLoss: Double
    public let band: VerdictBand
    /// The 95 % half-width of the Monte Carlo error of the mean NPV (1.96 standard errors).
    public let meanHalfWidth: Double
    /// The mean NPV rounds to 0 at the step its error allows (``Resolution``): the run cannot
    /// tell whether the case makes or loses money on average.
    public let meanIsZero: Bool
    /// When the mean NPV points the other way than the chance of a loss.
    public let caveat: ExpectedValueCaveat
    /// The risk event that costs the most expected NPV; nil when no event costs any.
    public let riskThatMattersMost: RiskThatMattersMost?

    public init(result: SimulationResult) {
        let npv = result.npv
        chanceOfLoss = result.probabilityOfLoss.value
        band = VerdictBand(chanceOfLoss: chanceOfLoss)
        meanHalfWidth = 1.96 * npv.standardError
        meanIsZero = Resolution.roundsToZero(npv.mean, halfWidth: meanHalfWidth)
        caveat = ExpectedValueCaveat(chanceOfLoss: chanceOfLoss, mean: npv.mean, meanIsZero: meanIsZero)
        riskThatMattersMost = RiskThatMattersMost(result: result)
    }
}

/// The verdict's judgement of a case, from its chance of a loss, on the bands of the calibrated
/// language the reports use for chances (the IPCC's, Mastrandrea et al. 2010, with "a coin flip"
/// for 45–55 %; `ChanceWords` in the report builders, `docs/MODEL.md`, "How reports word a
/// chance"). Each band includes its lower bound and excludes its upper one:
///
/// | band | chance of a loss |
/// |---|---|
/// | ``robust`` | below 10 % (a loss is very or exceptionally unlikely) |
/// | ``favourable`` | 10 % to below 33 % (a loss is unlikely) |
/// | ``leansToGain`` | 33 % to below 45 % |
/// | ``coinFlip`` | 45 % to below 55 % |
/// | ``leansToLoss`` | 55 % to below 66 % |
/// | ``likelyLoss`` | 66 % or more (a loss is likely or more) |
public enum VerdictBand: Sendable, CaseIterable, Equatable {
    case robust
    case favourable
    case leansToGain
    case coinFlip
    case leansToLoss
    case likelyLoss

    /// The lower bound of each band above ``robust`` (a share), in order.
    public static let thresholds: [(band: VerdictBand, from: Double)] = [
        (.favourable, 0.10), (.leansToGain, 0.33), (.coinFlip, 0.45), (.leansToLoss, 0.55), (.likelyLoss, 0.66),
    ]

    /// The band of a chance of a loss (a share, 0…1).
    public init(chanceOfLoss p: Double) {
        self = VerdictBand.thresholds.last { p >= $0.from }?.band ?? .robust
    }
}

/// Whether the expected NPV points the other way than the chance of a loss, which the verdict
/// then says. Only when the run can tell the mean from zero.
public enum ExpectedValueCaveat: Sendable, Equatable {
    case none
    /// A loss is at least as likely as not (≥ 45 %), yet the mean NPV is positive: the gains,
    /// when they come, are larger than the losses.
    case positiveDespiteLosses
    /// A loss is less likely than not (< 55 %), yet the mean NPV is negative: the losses, when
    /// they come, are larger than the gains.
    case negativeDespiteGains

    public init(chanceOfLoss p: Double, mean: Double, meanIsZero: Bool) {
        if !meanIsZero && p >= 0.45 && mean > 0 {
            self = .positiveDespiteLosses
        } else if !meanIsZero && p < 0.55 && mean < 0 {
            self = .negativeDespiteGains
        } else {
            self = .none
        }
    }
}

/// The risk event whose occurrence costs the most expected NPV: its impact is the drop in mean
/// NPV when it happens, weighted by how often it happens,
/// (mean NPV if not − mean NPV if it happens) × P(it happens).
public struct RiskThatMattersMost: Sendable {
    /// Position in the scenario's risks (and in ``SimulationResult/risks``).
    public let index: Int
    public let risk: RiskImpact
    /// Expected NPV the event costs, in currency units (> 0).
    public let impact: Double
    /// The 95 % half-width of the Monte Carlo error of the two conditional means, which rest on
    /// the smaller of the two groups of trials (with and without the event): 1.96 sd / √group.
    public let conditionalHalfWidth: Double

    /// The event of largest impact, nil when none has a positive one (or there are no events).
    public init?(result: SimulationResult) {
        var best: (Int, Double)?
        for (r, risk) in result.risks.enumerated() {
            let impact = RiskThatMattersMost.impact(of: risk)
            // The first of equal impacts wins.
            if best == nil || impact > best!.1 { best = (r, impact) }
        }
        guard let (index, impact) = best, impact > 0 else { return nil }
        self.index = index
        risk = result.risks[index]
        self.impact = impact
        let group = Double(result.trials) * min(risk.occurred.value, 1 - risk.occurred.value)
        conditionalHalfWidth = group > 0 ? 1.96 * result.npv.standardDeviation / group.squareRoot() : .infinity
    }

    /// (mean NPV if not − mean NPV if it happens) × P(it happens); 0 when either group is empty.
    public static func impact(of risk: RiskImpact) -> Double {
        guard risk.meanNPVWhenItHappens.isFinite, risk.meanNPVOtherwise.isFinite else { return 0 }
        return (risk.meanNPVOtherwise - risk.meanNPVWhenItHappens) * risk.occurred.value
    }
}

extension Sensitivity {
    /// Whether an input's value of knowing stands out of the Monte Carlo noise (its EVPPI
    /// exceeds the standard error of the mean NPV); otherwise the report says "about 0".
    public func isWorthKnowing(_ effect: Effect) -> Bool { effect.evppi > noiseFloor }

    /// The input most worth finding out before deciding: the largest value of knowing above
    /// the noise; nil when none stands out.
    public var mostWorthKnowing: Effect? {
        effects.filter(isWorthKnowing).max { $0.evppi < $1.evppi }
    }
}
