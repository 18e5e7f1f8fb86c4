/// A simulated case beside what other firms reported: the share of the case's futures in each
/// return band of the survey's question on business cases (CBS 2013, Q12; ``SurveyBaseRates``),
/// and the chance of a loss beside the share of firms whose CRM was a net cost (Q48).
///
/// The survey does not say over what period or how its respondents computed a return, so the
/// comparison is one of ambition and spread, not a test of the case. ROI here is the run's:
/// (PV of benefits − PV of costs) ÷ PV of costs over the horizon.
public struct OutsideView: Sendable {
    public typealias Band = SurveyBaseRates.PromisedReturn

    /// The share of the trials with an ROI in each band, in ``Band`` order (they add up to 1).
    public let caseShares: [Double]
    /// Q12's shares among the firms that named a return, in ``Band`` order.
    public let surveyShares: [Double]
    /// Trials with an ROI (those that spend something); the shares are of these.
    public let trialsWithROI: Int
    /// P(NPV < 0) of the case.
    public let chanceOfLoss: Double

    public init(result: SimulationResult) {
        var counts = [Int](repeating: 0, count: Band.allCases.count)
        var counted = 0
        for i in 0..<result.perTrial.count {
            guard let band = Band(roi: result.perTrial.roi(i)) else { continue }
            counts[band.rawValue] += 1
            counted += 1
        }
        trialsWithROI = counted
        caseShares = counts.map { counted > 0 ? Double($0) / Double(counted) : .nan }
        surveyShares = Band.allCases.map(SurveyBaseRates.promisedReturnAmongThoseWhoKnew)
        chanceOfLoss = result.probabilityOfLoss.value
    }

    /// The share of the case's futures at or above a return of 10 % — the survey's "more than
    /// 10 %" and up (Q12) — beside the same share among the survey's business cases.
    public var atLeastTenPercent: (case: Double, survey: Double) {
        let high: [Band] = [.tenTo25, .twentyFiveTo50, .above50]
        return (high.reduce(0) { $0 + caseShares[$1.rawValue] }, high.reduce(0) { $0 + surveyShares[$1.rawValue] })
    }
}
