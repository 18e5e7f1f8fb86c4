import MonteCarlo

/// The follow-up's headline judgement — ahead of plan, on track, behind plan — and the figures
/// behind it, so that the headline, the re-forecast and the figure-by-figure table agree.
///
/// **The rule** (docs/MODEL.md, "Following up with actuals"):
/// 1. With a reliable re-forecast, its outcome decides. The expected NPV *moves materially*
///    when the change exceeds both its Monte Carlo error (1.96 × √(se_before² + se_after²)) and
///    a tenth of the original NPV's standard deviation; the chance of a loss moves materially
///    when its change exceeds both its Monte Carlo error (likewise) and 5 percentage points.
///    - **behind plan**: the expected NPV fell or the chance of a loss rose materially, and
///      neither moved materially the good way;
///    - **ahead of plan**: the expected NPV rose or the chance of a loss fell materially, and
///      neither moved materially the bad way;
///    - **mixed**: one moved materially each way (the expected NPV rose but so did the chance
///      of a loss, say);
///    - **on track**: neither moved materially — whatever the figures lean to, since the value
///      of the case did not change.
///    So the headline is never "ahead of plan" while the re-forecast's expected NPV fell or
///    its chance of a loss rose materially, and never "behind plan" the other way round.
/// 2. Without a reliable re-forecast the figures decide, by a sign test on those outside the
///    forecast's central half: (worse − better)/√(worse + better) above 2 is behind plan,
///    below −2 ahead of plan; otherwise the actuals are off the case's assumptions (a reliable
///    re-forecast fails only when the case hardly thought them possible), not "on track".
public struct FollowUpVerdict: Sendable {
    public enum Status: String, Sendable {
        case aheadOfPlan = "ahead of plan"
        case onTrack = "on track"
        case behindPlan = "behind plan"
        case mixed = "neither clearly ahead of nor behind plan"
        case offTheAssumptions = "off its assumptions"
    }

    /// Which way the figures lean, by the sign test.
    public enum Lean: Sendable {
        case behind, inLine, ahead
    }

    /// What the re-forecast says about the outcome, with the thresholds of "material".
    public struct Outcome: Sendable {
        /// Expected NPV before and after the actuals, currency units.
        public let npvBefore: Double
        public let npvAfter: Double
        /// 95 % half-width of the Monte Carlo error of the change in expected NPV.
        public let npvError: Double
        /// The change must exceed this to count: max(npvError, 0.1 × the original NPV's sd).
        public let npvThreshold: Double
        /// Chance of a loss before and after (shares, 0…1).
        public let lossBefore: Double
        public let lossAfter: Double
        /// 95 % half-width of the Monte Carlo error of the change in the chance of a loss.
        public let lossError: Double
        /// max(lossError, 0.05).
        public let lossThreshold: Double

        public init(npvBefore: Double, npvAfter: Double, npvError: Double, npvThreshold: Double,
                    lossBefore: Double, lossAfter: Double, lossError: Double, lossThreshold: Double) {
            self.npvBefore = npvBefore
            self.npvAfter = npvAfter
            self.npvError = npvError
            self.npvThreshold = npvThreshold
            self.lossBefore = lossBefore
            self.lossAfter = lossAfter
            self.lossError = lossError
            self.lossThreshold = lossThreshold
        }

        public var npvChange: Double { npvAfter - npvBefore }
        public var lossChange: Double { lossAfter - lossBefore }
        public var npvFell: Bool { npvChange < -npvThreshold }
        public var npvRose: Bool { npvChange > npvThreshold }
        public var lossRose: Bool { lossChange > lossThreshold }
        public var lossFell: Bool { lossChange < -lossThreshold }
    }

    /// Share of the original NPV's standard deviation below which a change of the expected
    /// NPV does not count, however precisely the simulation knows it.
    public static let practicalNPVShare = 0.1
    /// Change of the chance of a loss (a share) below which it does not count.
    public static let practicalLossChange = 0.05
    /// |lean| above this is a lean of the figures (two standard deviations of a fair sign test).
    public static let leanThreshold = 2.0

    public let status: Status
    public let lean: Lean
    /// (worse − better)/√(worse + better), ``FollowUp/lean(worse:better:)``.
    public let leanScore: Double
    /// Figures as expected, worse and better than the forecast, and of the worse ones those
    /// that are far worse (more than 25 % worse, or outside the forecast's 90 % range).
    public let asExpected: Int
    public let worse: Int
    public let better: Int
    public let farWorse: Int
    /// Nil when no reliable re-forecast could be made.
    public let outcome: Outcome?
    /// What the share of actuals inside the forecast's central half says of the original case.
    public let calibration: Calibration

    /// What the actuals say about the original forecast's ranges.
    public enum Calibration: Sendable, Equatable {
        /// Fewer than ``FollowUp/minimumFiguresForCoverage`` actuals: nothing to say.
        case tooFewFigures
        /// At least ``poorCoverage`` of the actuals inside the forecast's central 50 %.
        case fair
        /// Fewer inside, and more of the misses worse than better: the case was over-optimistic.
        case overOptimistic
        /// Fewer inside, and the misses no worse than better: too pessimistic or too narrow.
        case tooPessimisticOrNarrow
    }

    /// A share of actuals inside the forecast's central 50 % below this says the forecast was
    /// off (50 % is what a calibrated forecast gives; 35 % is well below it for a year of figures).
    public static let poorCoverage = 0.35

    /// The calibration for a share `inside50` of `figures` actuals inside the central 50 %,
    /// `worse` and `better` of them outside it on either side.
    public static func calibration(inside50: Double, figures: Int, worse: Int, better: Int) -> Calibration {
        guard figures >= FollowUp.minimumFiguresForCoverage else { return .tooFewFigures }
        guard inside50 < poorCoverage else { return .fair }
        return worse > better ? .overOptimistic : .tooPessimisticOrNarrow
    }

    /// The lean of a sign-test score: behind above ``leanThreshold``, ahead below its negative.
    public static func lean(of score: Double) -> Lean {
        score > leanThreshold ? .behind : (score < -leanThreshold ? .ahead : .inLine)
    }

    /// Whether the figures lean against the outcome (most run ahead while the value fell, or
    /// the other way round): the report then says the figures that drive the value differ.
    public var figuresDisagree: Bool {
        (status == .behindPlan && lean == .ahead) || (status == .aheadOfPlan && lean == .behind)
    }

    public init(_ followUp: FollowUp) {
        let points = followUp.points
        worse = points.filter { $0.verdict.isWorse }.count
        better = points.filter { $0.verdict.isBetter }.count
        asExpected = points.count - worse - better
        farWorse = points.filter(\.verdict.isFarWorse).count
        leanScore = FollowUp.lean(worse: worse, better: better)
        lean = Self.lean(of: leanScore)
        calibration = Self.calibration(inside50: followUp.inside50.value, figures: points.count, worse: worse, better: better)

        let r = followUp.reforecast
        let result = followUp.result
        guard r.isReliable else {
            outcome = nil
            switch lean {
            case .behind: status = .behindPlan
            case .ahead: status = .aheadOfPlan
            case .inLine: status = .offTheAssumptions
            }
            return
        }
        let npvError = 1.96 * (result.npv.standardError * result.npv.standardError
            + r.npvStandardError * r.npvStandardError).squareRoot()
        let lossBefore = result.probabilityOfLoss.value
        let lossError = 1.96 * (result.probabilityOfLoss.standardError * result.probabilityOfLoss.standardError
            + r.lossStandardError * r.lossStandardError).squareRoot()
        let o = Outcome(
            npvBefore: result.npv.mean, npvAfter: r.npv.mean, npvError: npvError,
            npvThreshold: max(npvError, Self.practicalNPVShare * result.npv.standardDeviation),
            lossBefore: lossBefore, lossAfter: r.probabilityOfLoss, lossError: lossError,
            lossThreshold: max(lossError, Self.practicalLossChange))
        outcome = o
        status = Self.status(of: o)
    }

    /// The status a re-forecast's outcome gives (rule 1 above).
    public static func status(of o: Outcome) -> Status {
        let worseOutcome = o.npvFell || o.lossRose
        let betterOutcome = o.npvRose || o.lossFell
        switch (worseOutcome, betterOutcome) {
        case (true, false): return .behindPlan
        case (false, true): return .aheadOfPlan
        case (true, true): return .mixed
        case (false, false): return .onTrack
        }
    }
}

extension FollowUp {
    /// The headline judgement of this follow-up (``FollowUpVerdict``).
    public var headline: FollowUpVerdict { FollowUpVerdict(self) }
}
