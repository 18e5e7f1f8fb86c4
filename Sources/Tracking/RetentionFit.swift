import CRMModel
import Foundation

/// A shifted-beta-geometric retention curve fitted to one segment's cohort survival counts
/// (the customers it had at month 0, month by month), with what the follow-up report shows.
public struct RetentionFit: Sendable {
    public let segmentName: String
    public let fit: ShiftedBetaGeometric.Fit
    /// Survivors at the end of months 0…lastMonth, as given.
    public let survivors: [Double]
    /// Monthly discount rate of the scenario (its mean), for the DERL.
    public let monthlyDiscount: Double

    public init(segmentName: String, fit: ShiftedBetaGeometric.Fit, survivors: [Double], monthlyDiscount: Double) {
        self.segmentName = segmentName
        self.fit = fit
        self.survivors = survivors
        self.monthlyDiscount = monthlyDiscount
    }

    public var alpha: Double { fit.model.alpha }
    public var beta: Double { fit.model.beta }
    public var alphaStandardError: Double { fit.alphaStandardError }
    public var betaStandardError: Double { fit.betaStandardError }
    public var lastMonth: Int { survivors.count - 1 }

    /// Fits every cohort in the actuals. A cohort that cannot be fitted is returned as a
    /// sentence in `problems` rather than stopping the follow-up.
    public static func fits(for actuals: Actuals, scenario: Scenario) -> (fits: [RetentionFit], problems: [String]) {
        var fits: [RetentionFit] = []
        var problems: [String] = []
        let monthly = Finance.monthlyRate(annual: scenario.discountRate.distribution.mean)
        for cohort in actuals.cohorts {
            let name = scenario.segments[cohort.segment].name
            do {
                let fit = try ShiftedBetaGeometric.fit(survivors: cohort.survivors.map { Int($0.rounded()) })
                fits.append(RetentionFit(segmentName: name, fit: fit, survivors: cohort.survivors, monthlyDiscount: monthly))
            } catch {
                problems.append("The retention of “\(name)” could not be fitted: \(error.description)")
            }
        }
        return (fits, problems)
    }

    /// Probability that a customer still here at the start of month t leaves in it.
    public func churnInMonth(_ t: Int) -> Double { 1 - fit.model.retentionRate(inPeriod: t) }

    /// Share of the cohort left after month t, by the fit.
    public func fittedSurvival(at t: Int) -> Double { fit.model.survival(after: t) }

    /// Share of the cohort left after month t, as observed.
    public func actualSurvival(at t: Int) -> Double { survivors[t] / survivors[0] }

    /// Largest relative standard error of α̂ and β̂ at which the fit is offered for the scenario.
    /// Below 0.5 the ±2 se interval of each parameter stays clear of 0, so the counts do pin
    /// down the heterogeneity the fit claims; above it α and β could be half or twice what the
    /// fit says, and the retention curve beyond the observed months (what the NPV depends on)
    /// is a guess.
    public static let maximumRelativeStandardError = 0.5

    /// The larger of se(α̂)/α̂ and se(β̂)/β̂ (infinite when a standard error is not finite).
    public var relativeStandardError: Double {
        let a = alphaStandardError / alpha, b = betaStandardError / beta
        guard a.isFinite, b.isFinite else { return .infinity }
        return max(a, b)
    }

    /// Whether the standard errors allow the fit to be pasted into the scenario
    /// (``relativeStandardError`` below ``maximumRelativeStandardError``).
    public var isPreciseEnough: Bool { relativeStandardError < Self.maximumRelativeStandardError }

    /// Roughly how many more months of survivor counts would bring the fit under the threshold,
    /// if the standard errors shrink with the square root of the months observed (as they do
    /// when each month adds about as much information — a rough guide, since the months that
    /// show churn falling add more): ⌈T·(rse/0.5)² − T⌉ for T observed months. 0 when already
    /// precise enough; nil when the standard errors are not finite.
    public var moreMonthsNeeded: Int? {
        let rse = relativeStandardError
        guard rse.isFinite, lastMonth > 0 else { return nil }
        guard rse >= Self.maximumRelativeStandardError else { return 0 }
        let ratio = rse / Self.maximumRelativeStandardError
        return max(1, Int((Double(lastMonth) * (ratio * ratio - 1)).rounded(.up)))
    }

    /// The scenario line that uses the fit.
    public var scenarioChurn: String {
        "`sbg(\(String(format: "%.4g", alpha)), \(String(format: "%.4g", beta)))`"
    }

    /// Discounted expected residual lifetime, in months, of a customer who has stayed through
    /// `lastMonth` months (Fader & Hardie 2010); nil when it cannot be computed.
    public var discountedResidualLifetime: Double? {
        try? fit.model.discountedExpectedResidualLifetime(discountRate: monthlyDiscount, renewals: lastMonth)
    }
}
