import Foundation
import CRMModel
import Foundation
import MonteCarlo
import Tracking

/// The follow-up report: `track.md` for people and `track.csv` for tools.
public struct TrackReport {
    public let followUp: FollowUp
    public let info: RunInfo
    /// The actuals file as the user named it.
    public let actualsFile: String
    /// Retention fits from cohort survival counts, per segment (may be empty).
    public let retentionFits: [RetentionFit]
    /// Cohorts that could not be fitted, as sentences.
    public let retentionProblems: [String]
    public init(followUp: FollowUp, info: RunInfo, actualsFile: String, retentionFits: [RetentionFit],
                retentionProblems: [String] = []) {
        self.followUp = followUp
        self.info = info
        self.actualsFile = actualsFile
        self.retentionFits = retentionFits
        self.retentionProblems = retentionProblems
    }

    private var result: SimulationResult { followUp.result }
    private var scenario: Scenario { result.model.scenario }
    private var currency: String { scenario.currency }

    private func monthLabel(_ t: Int) -> String {
        if let start = scenario.start { return "\(t) (\(start.adding(months: t)))" }
        return "\(t)"
    }

    /// The metric as a reader would name it: "churned customers, Hybrid".
    func metricLabel(_ metric: TrackedMetric) -> String {
        let words: String
        switch metric {
        case .activeUsers: words = "active users"
        case .adoption: words = "adoption (share of seats)"
        case .customers: words = "customers"
        case .churned: words = "customers lost"
        case .newCustomers: words = "new customers"
        case .licenceCost: words = "licence cost"
        case .otherCosts: words = "other costs"
        case .contributionMargin: words = "contribution margin"
        }
        if let s = metric.segment { return "\(words), \(scenario.segments[s].name)" }
        if [.customers(segment: nil), .churned(segment: nil), .newCustomers(segment: nil), .contributionMargin(segment: nil)].contains(metric) {
            return "\(words), all segments"
        }
        return words
    }

    private func show(_ value: Double, _ metric: TrackedMetric) -> String {
        switch metric {
        case .adoption: return Format.percent(value)
        // Users are counted whole (and forecast whole); a file may still give an average.
        case .activeUsers: return value == value.rounded() ? Format.amount(value) : Format.number(value, decimals: 1)
        default: return Format.amount(value)
        }
    }

    // MARK: Markdown

    public func markdown() -> String {
        var out = "# Follow-up: \(scenario.name)\n\n"
        out += verdict() + "\n\n"
        out += comparisonSection()
        out += calibrationSection()
        out += reforecastSection()
        out += retentionSection()
        out += methodSection()
        out += footer()
        return out
    }

    func monthsCovered() -> String {
        let months = Set(followUp.actuals.observations.map(\.month)).sorted()
        guard let first = months.first, let last = months.last else { return "no months" }
        if let start = scenario.start {
            return "\(months.count) month\(months.count == 1 ? "" : "s") of actuals (\(start.adding(months: first)) to \(start.adding(months: last)))"
        }
        return "\(months.count) month\(months.count == 1 ? "" : "s") of actuals (months \(first) to \(last))"
    }

    /// The first paragraph: is the business case on track? The judgement is
    /// ``FollowUpVerdict``'s; this only words it. Amounts are rounded to the Monte Carlo error
    /// of the change in expected NPV (``AmountWords``), chances worded on ``ChanceWords``' scale.
    func verdict() -> String {
        let v = followUp.headline
        let points = followUp.points
        var text = "**Verdict.** After \(monthsCovered()), the business case is **\(v.status.rawValue)**"
        if let o = v.outcome {
            text += ": " + outcomeClause(o, status: v.status) + " "
        } else {
            text += ": no reliable re-forecast could be made from these actuals (see below), so the realized figures alone "
            text += "decide, and the assumptions of the case need revisiting. "
        }
        let figures: String
        switch v.lean {
        case .behind: figures = "run behind the forecast"
        case .ahead: figures = "run ahead of the forecast"
        case .inLine: figures = "are in line with the forecast"
        }
        text += v.figuresDisagree ? "Most realized figures \(figures), but not the ones that drive its value (see the re-forecast): "
                                  : "The realized figures \(figures): "
        text += "of \(points.count), \(v.asExpected) are as expected (inside the forecast's central half), "
        text += "\(v.worse) worse and \(v.better) better than the forecast"
        text += v.farWorse > 0
            ? ", \(v.farWorse) of them far worse (more than 25 % worse, or outside the forecast's 90 % range). " : ". "
        let in50 = followUp.inside50.value
        if points.count >= 4 {
            if in50 < 0.35 {
                text += "Only \(Format.percent(in50, decimals: 0)) of the actuals fall inside the forecast's 50 % range, against 50 % for a well-calibrated forecast: "
                text += v.worse > v.better ? "the original case was over-optimistic. " : "the original case was too pessimistic or too narrow. "
            } else {
                text += "\(Format.percent(in50, decimals: 0)) of the actuals fall inside the forecast's 50 % range (50 % is what a well-calibrated forecast gives). "
            }
        }
        if v.outcome != nil && followUp.actualsOutsideTheCase {
            text += "Most actuals lie outside the forecast's 90 % ranges: the case did not think them possible, and its assumptions "
            text += "need revisiting; the re-forecast can only move them within their ranges, so it shows the best the case can do."
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// "re-forecast with the actuals, the expected NPV falls from … to …, and the chance of
    /// losing money rises from … to … (a loss is now likely)."
    func outcomeClause(_ o: FollowUpVerdict.Outcome, status: FollowUpVerdict.Status) -> String {
        let words = AmountWords(currency: currency, amounts: [o.npvBefore, o.npvAfter, o.npvThreshold], uncertainty: o.npvError)
        let npvVerb = o.npvFell ? "falls" : (o.npvRose ? "rises" : "moves")
        let lossVerb = o.lossRose ? "rises" : (o.lossFell ? "falls" : "moves")
        var text = "re-forecast with the actuals, the expected NPV \(npvVerb) from \(words(o.npvBefore)) to **\(words(o.npvAfter))**, "
        text += "and the chance of losing money \(lossVerb) from \(Format.percent(o.lossBefore, decimals: 0)) to "
        text += "**\(Format.percent(o.lossAfter, decimals: 0))** (a loss is now \(ChanceWords.words(o.lossAfter)))"
        switch status {
        case .onTrack:
            text += " — changes too small to count: the expected NPV would have to move by more than \(words(o.npvThreshold)) "
            text += "and the chance of a loss by more than \(Format.number(100 * o.lossThreshold, decimals: 0)) percentage points"
        case .mixed:
            text += " — better on one count and worse on the other"
        default:
            break
        }
        return text + "."
    }

    private func comparisonSection() -> String {
        var out = "## Expected versus realized\n\n"
        out += "Each actual against the forecast of the business case for the same month: the forecast's percentiles, "
        out += "where the actual falls among the simulated futures (50 % = exactly the median), its deviation from the median, "
        out += "and a verdict — “worse” knows the direction of each figure (more churn is worse, more active users better); "
        out += "“as expected” means inside the forecast's central 50 %. Outside it, amounts and counts whose forecast median is at "
        out += "least \(Format.amount(FollowUp.Verdict.percentageMinimumCount)) get the survey's categories (CBS 2013: 0–10 %, 10–25 %, "
        out += "more than 25 % worse or better than the median); smaller counts, adoption and figures with a median of 0, where a "
        out += "percentage swing says little (0 against 2 is −100 %), are “worse/better than expected” inside the forecast's "
        out += "90 % range and “far worse/better than expected” outside it.\n\n"
        out += "| Month | Figure | P5 | P10 | P50 | P90 | P95 | Actual | Percentile | Deviation | Verdict |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
        for p in followUp.points {
            let m = p.observation.metric
            let f = p.forecast
            let deviation = show(p.deviation, m) + (p.relativeDeviation.map { " (\(Format.percent($0, decimals: 0)))" } ?? "")
            out += "| \(monthLabel(p.observation.month)) | \(Format.cell(metricLabel(m))) | \(show(f.percentile(0.05), m)) | "
            out += "\(show(f.percentile(0.10), m)) | \(show(f.median, m)) | \(show(f.percentile(0.90), m)) | \(show(f.percentile(0.95), m)) | "
            out += "**\(show(p.observation.value, m))** | \(Format.percent(p.percentile, decimals: 0)) | \(deviation) | \(p.verdict.rawValue) |\n"
        }
        out += "\n"
        var counts = "| Verdict | Figures |\n|---|---:|\n"
        for v in FollowUp.Verdict.allCases {
            let n = followUp.points.filter { $0.verdict == v }.count
            // The percentile verdicts only when used, so a case without small counts keeps the survey's table.
            guard n > 0 || !v.isByPercentile else { continue }
            counts += "| \(v.rawValue) | \(n) |\n"
        }
        return out + counts + "\n"
    }

    private func calibrationSection() -> String {
        var out = "## Calibration of the original forecast\n\n"
        out += "If the business case's uncertainty was honest, about half of the actuals fall inside its 50 % ranges and nine "
        out += "in ten inside its 90 % ranges. Fewer means the case was too sure of itself (or biased: see the direction above). "
        out += "Where simulated futures equal the actual (whole-number figures), they are split at random between below and "
        out += "above (a randomised PIT), so ties neither flatter nor penalise the case.\n\n"
        out += "| Range | Nominal | Realized | Figures |\n|---|---:|---:|---:|\n"
        out += "| Central 50 % (P25–P75) | 50 % | \(Format.percent(followUp.inside50.value)) | \(followUp.inside50.successes) of \(followUp.inside50.trials) |\n"
        out += "| Central 90 % (P5–P95) | 90 % | \(Format.percent(followUp.inside90.value)) | \(followUp.inside90.successes) of \(followUp.inside90.trials) |\n\n"
        out += "Figures of consecutive months are not independent (a slow rollout stays slow), so with one year of actuals "
        out += "these shares are indicative, not a test.\n\n"
        return out
    }

    private func reforecastSection() -> String {
        let r = followUp.reforecast
        var out = "## Re-forecast with the actuals\n\n"
        out += "Every simulated future is weighted by how likely it makes the actuals (observation models below). The effective "
        out += "sample size says how many equally weighted futures the weighted set is worth: "
        out += "**\(Format.amount(r.effectiveSampleSize))** of \(Format.amount(Double(r.trials))) trials. "
        switch r.method {
        case .importanceWeights:
            out += "That is enough: the outcomes below are the trials' outcomes summarised with those weights.\n\n"
        case .resampleMove(let particles, let stages, let acceptance):
            out += "That is too few to trust (fewer than \(Format.amount(Reforecast.minimumEffectiveSampleSize))): a year of actuals "
            out += "pins some assumptions down far more tightly than the original spread. So the re-forecast moves a population of "
            out += "\(Format.amount(Double(particles))) simulated futures towards the actuals in \(stages) stages — each stage "
            out += "weights them by a growing power of the likelihood, resamples them and lets each take random steps that are kept "
            out += "when they fit the actuals (resample-move sequential Monte Carlo; \(Format.percent(acceptance, decimals: 0)) of "
            out += "steps kept).\n\n"
        }
        if r.isReliable && followUp.actualsOutsideTheCase {
            out += "**Read with care:** only \(Format.percent(followUp.inside90.value, decimals: 0)) of the actuals lie inside the "
            out += "forecast's 90 % ranges. The re-forecast can only move the case's assumptions within the ranges the scenario "
            out += "gave them, so it shows the best the case can do, not what will happen; widen the ranges that the table "
            out += "below pushes to their edges.\n\n"
        }
        guard r.isReliable else {
            out += "**No re-forecast is shown.** "
            if r.npv.percentiles.allSatisfy({ $0.isNaN }) {
                out += "No simulated future makes these actuals possible at all (for example more customers lost than there were): "
            } else {
                out += "The population did not reach the actuals within its stage limit: "
            }
            out += "the actuals lie outside what the business case thought possible. Revise the scenario's assumptions "
            out += "(the deviations above show which) and run it again.\n\n"
            return out
        }
        out += "| Outcome | Before actuals | After \(monthsCovered()) |\n|---|---:|---:|\n"
        out += "| Expected NPV | \(Format.money(result.npv.mean, currency)) | **\(Format.money(r.npv.mean, currency))** |\n"
        out += "| NPV, 90 % range | \(Format.amount(result.npv.percentile(0.05))) to \(Format.amount(result.npv.percentile(0.95))) | "
        out += "\(Format.amount(r.npv.percentile(0.05))) to \(Format.amount(r.npv.percentile(0.95))) |\n"
        out += "| Median NPV | \(Format.amount(result.npv.median)) | \(Format.amount(r.npv.percentile(0.5))) |\n"
        out += "| Expected ROI | \(Format.percent(result.roi.mean)) | \(Format.percent(r.roi.mean)) |\n"
        out += "| Chance of losing money | \(Format.percent(result.probabilityOfLoss.value)) | **\(Format.percent(r.probabilityOfLoss))** |\n"
        out += "| Chance of paying back within the horizon | \(Format.percent(result.probabilityOfPayback.value)) | \(Format.percent(r.probabilityOfPayback)) |\n"
        let before = result.payback.median, after = r.payback.percentile(0.5)
        out += "| Median payback | \(Format.month(before)) | \(Format.month(after)) |\n\n"

        out += "What the actuals say about the assumptions (uncertain inputs whose mean moved by at least a tenth of their spread):\n\n"
        out += "| Input | Assumed mean | Assumed 90 % range | After actuals: mean | 90 % range |\n|---|---:|---:|---:|---:|\n"
        var rows = 0
        for (j, input) in result.model.inputs.enumerated() where !input.distribution.isFixed {
            let prior = r.priorInputs[j], posterior = r.inputs[j]
            let spread = prior.percentile(0.95) - prior.percentile(0.05)
            guard spread > 0, abs(posterior.mean - prior.mean) >= 0.1 * spread else { continue }
            let fmt: (Double) -> String = { v in
                switch input.unit {
                case .share, .sharePerYear: return Format.percent(v)
                case .money, .moneyPerMonth: return Format.amount(v)
                default: return Format.number(v, decimals: 2)
                }
            }
            out += "| `\(input.name)` | \(fmt(prior.mean)) | \(fmt(prior.percentile(0.05)))–\(fmt(prior.percentile(0.95))) | "
            out += "**\(fmt(posterior.mean))** | \(fmt(posterior.percentile(0.05)))–\(fmt(posterior.percentile(0.95))) |\n"
            rows += 1
        }
        if rows == 0 { out += "| (none moved noticeably) | | | | |\n" }
        if !scenario.risks.isEmpty {
            out += "\nRisk events — the share of futures in which each happens:\n\n"
            out += "| Risk | Before actuals | After actuals |\n|---|---:|---:|\n"
            for (k, risk) in scenario.risks.enumerated() {
                out += "| \(Format.cell(risk.name)) | \(Format.percent(r.riskSharesBefore[k])) | **\(Format.percent(r.riskShares[k]))** |\n"
            }
        }
        out += "\nThe re-forecast re-weights whole simulated futures, including their first months; it does not replace those "
        out += "months by the actuals, so it is a statement about the assumptions and what follows from them.\n\n"
        return out
    }

    private func retentionSection() -> String {
        guard !retentionFits.isEmpty || !retentionProblems.isEmpty else { return "" }
        var out = "## Retention fitted to the actual customer cohorts\n\n"
        out += "The shifted-beta-geometric model (Fader & Hardie 2007) fitted by maximum likelihood to the survivors of the "
        out += "customers each segment had at month 0. It lets churn fall as the less loyal customers leave first. "
        out += "A fit is offered for the scenario (`churn: sbg(α, β)`) only when the standard errors of α and β are both below "
        out += "\(Format.percent(RetentionFit.maximumRelativeStandardError, decimals: 0)) of their estimates; otherwise the curve "
        out += "beyond the observed months, which the NPV depends on, is still a guess.\n\n"
        if !retentionFits.isEmpty {
            out += "| Segment | α (± se) | β (± se) | Churn in month 1 | Churn in month 12 | Retained: fitted / actual | Scenario churn |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|\n"
        }
        for fit in retentionFits {
            out += "| \(Format.cell(fit.segmentName)) | \(Format.number(fit.alpha, decimals: 3)) (± \(Format.number(fit.alphaStandardError, decimals: 3))) | "
            out += "\(Format.number(fit.beta, decimals: 3)) (± \(Format.number(fit.betaStandardError, decimals: 3))) | "
            out += "\(Format.percent(fit.churnInMonth(1), decimals: 2)) | \(Format.percent(fit.churnInMonth(12), decimals: 2)) | "
            out += "\(Format.percent(fit.fittedSurvival(at: fit.lastMonth))) / \(Format.percent(fit.actualSurvival(at: fit.lastMonth))) (month \(fit.lastMonth)) | "
            out += "\(fit.isPreciseEnough ? fit.scenarioChurn : "not yet (too uncertain)") |\n"
        }
        out += "\n"
        if !retentionFits.isEmpty {
            let months = [3, 6, 12, 24, 36, 60]
            out += "\nThe fitted retention curve — share of each segment's month-0 customers still there (actual in brackets where measured):\n\n"
            out += "| Segment | " + months.map { "month \($0)" }.joined(separator: " | ") + " |\n"
            out += "|---|" + String(repeating: "---:|", count: months.count) + "\n"
            for fit in retentionFits {
                let cells = months.map { t -> String in
                    var cell = Format.percent(fit.fittedSurvival(at: t))
                    if t <= fit.lastMonth { cell += " (\(Format.percent(fit.actualSurvival(at: t))))" }
                    return cell
                }
                out += "| \(Format.cell(fit.segmentName)) | " + cells.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        for fit in retentionFits where !fit.isPreciseEnough {
            out += "- \(fit.segmentName): the actuals do not yet pin the retention curve down — α and β are known only to about "
            out += "± \(Format.percent(fit.relativeStandardError, decimals: 0)) of their values (one standard error), so keep the "
            out += "scenario's churn for now"
            if let more = fit.moreMonthsNeeded, more > 0 {
                out += "; roughly \(more) more month\(more == 1 ? "" : "s") of survivor counts should do (a rough guide, "
                out += "assuming the standard errors shrink with the square root of the months observed)"
            }
            out += ".\n"
        }
        for problem in retentionProblems {
            out += "- \(problem)\n"
        }
        for fit in retentionFits {
            if let derl = fit.discountedResidualLifetime {
                out += "- \(fit.segmentName): a customer still here after month \(fit.lastMonth) is expected to stay another "
                out += "\(Format.number(derl, decimals: 1)) months in discounted terms (DERL at the scenario's discount rate).\n"
            }
        }
        return out + "\n"
    }

    private func methodSection() -> String {
        var out = "## How these numbers are made\n\n"
        out += "- The forecast of each figure is its distribution over the \(Format.amount(Double(result.trials))) simulated futures of the business case (seed \(result.options.seed)).\n"
        out += "- Percentile: the share of simulated futures below the actual, counting ties half.\n"
        out += "- The headline follows the re-forecast: behind plan when its expected NPV fell or its chance of a loss rose "
        out += "materially (and neither moved materially the other way), ahead of plan in the opposite case, on track when neither "
        out += "moved materially. Material means larger than the Monte Carlo error of the change (95 %) and than a practical floor: "
        out += "a tenth of the original NPV's standard deviation, or 5 percentage points of the chance of a loss. Without a "
        out += "re-forecast, and for the sentence on the figures, a sign test on the figures outside the forecast's central half "
        out += "decides: the worse ones outnumber the better ones by more than two standard deviations, "
        out += "(worse − better)/√(worse + better) > 2 (< −2).\n"
        out += "- Observation models of the re-forecast: customers lost — binomial with the future's churn probability and the "
        out += "actual customers at the start of the month; new customers — Poisson with the future's expected arrivals; "
        out += "customers — normal, 2 % (used only where a segment has no churn or new-customer figures); active users and adoption — normal, 10 %; "
        out += "licence cost — normal, 2 %; other costs — normal, 10 %; contribution margin — normal, 5 % (standard deviations "
        out += "relative to the future's own value).\n"
        out += "- The likelihood weights are used directly when their effective sample size is at least "
        out += "\(Format.amount(Reforecast.minimumEffectiveSampleSize)); otherwise resample-move sequential Monte Carlo takes over.\n\n"
        return out
    }

    private func footer() -> String {
        var out = info.reproducibilityRows()
        out += "| Actuals file | `\(actualsFile)` |\n"
        out += "| Trials | \(Format.amount(Double(result.trials))) |\n"
        out += "| Seed | \(result.options.seed) |\n"
        return out
    }

    // MARK: CSV

    /// `track.csv`: one row per actual.
    public func csv() -> String {
        var out = "month,calendar_month,metric,segment,actual,forecast_p5,forecast_p10,forecast_p25,forecast_p50,"
        out += "forecast_p75,forecast_p90,forecast_p95,forecast_mean,percentile,deviation,relative_deviation,verdict,inside_50,inside_90\n"
        for p in followUp.points {
            let o = p.observation, f = p.forecast
            let calendar = scenario.start.map { $0.adding(months: o.month).description } ?? ""
            let segment = o.metric.segment.map { scenario.segments[$0].name } ?? ""
            var cells = [String(o.month), calendar, o.metric.fileName, Format.csvText(segment), Format.csv(o.value)]
            cells += reportedPercentiles.map { Format.csv(f.percentile($0)) }
            cells += [Format.csv(f.mean), Format.csv(p.percentile), Format.csv(p.deviation),
                      p.relativeDeviation.map(Format.csv) ?? "", Format.csvText(p.verdict.rawValue),
                      o.value >= f.percentile(0.25) && o.value <= f.percentile(0.75) ? "1" : "0",
                      o.value >= f.percentile(0.05) && o.value <= f.percentile(0.95) ? "1" : "0"]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
