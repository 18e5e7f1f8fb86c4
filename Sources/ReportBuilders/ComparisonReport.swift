import CRMModel
import MonteCarlo

/// `compare.md` and `compare.csv`: options of one decision side by side, on common random numbers.
public struct ComparisonReport {
    public let comparison: Comparison
    public let info: RunInfo
    /// What each option changes (one line per change), in option order; empty for the baseline.
    public let changes: [[String]]

    public init(comparison: Comparison, info: RunInfo, changes: [[String]]) {
        self.comparison = comparison
        self.info = info
        self.changes = changes
    }

    private var currency: String { comparison.options[0].result.model.scenario.currency }
    private var trials: Int { comparison.options.map(\.result.trials).min() ?? 0 }

    public func markdown() -> String {
        let options = comparison.options
        let baseline = options[0]
        var out = "# Comparison: \(baseline.result.model.scenario.name)\n\n"
        // Verdict: the option with the highest expected NPV, how sure that is, and whether it
        // beats not investing at all (doing nothing, NPV 0 in every future).
        let bestIndex = options.indices.max { options[$0].result.npv.mean < options[$1].result.npv.mean }!
        let best = options[bestIndex]
        // One unit style for the whole sentence (the best mean and, when it is not the baseline,
        // the paired differences), each figure rounded to its own Monte Carlo error.
        let d = comparison.differences[bestIndex]
        let sentence = bestIndex != 0
            ? [best.result.npv.mean, d.npv.mean, d.npv.percentile(0.05), d.npv.percentile(0.95)] : [best.result.npv.mean]
        let words = AmountWords(currency: currency, amounts: sentence, uncertainty: 1.96 * best.result.npv.standardError)
        var verdict = "**Verdict.** "
        if best.result.npv.mean <= 0 || words.isZero(best.result.npv.mean) {
            verdict += "**No option makes money in expectation**: doing nothing (not investing, NPV 0) is at least as good on average. "
            verdict += "The least bad of the \(options.count) options, **\(best.name)**, has an expected NPV of \(words(best.result.npv.mean))"
            verdict += " and loses money in \(Format.percent(best.result.probabilityOfLoss.value, decimals: 0)) of the simulated futures. "
            verdict += "Doing nothing is the best choice in \(Format.percent(comparison.doNothing.probabilityBest, decimals: 0)) of the futures."
        } else {
            verdict += "Of \(options.count) options, **\(best.name)** has the highest expected NPV, \(words(best.result.npv.mean))"
            if bestIndex != 0 {
                let delta = AmountWords(currency: currency, amounts: sentence, uncertainty: 1.96 * d.pairedStandardError)
                verdict += " — \(delta(d.npv.mean)) more than \(baseline.name) "
                verdict += "(90 % of the paired differences between \(delta(d.npv.percentile(0.05))) and "
                verdict += "\(delta(d.npv.percentile(0.95)))); it does better than \(baseline.name) in "
                verdict += "\(Format.percent(d.probabilityBetter.value, decimals: 0)) of the simulated futures"
            }
            verdict += ". It beats doing nothing (not investing) in \(Format.percent(1 - best.result.probabilityOfLoss.value, decimals: 0)) "
            verdict += "of the futures, and is the best of all choices in \(Format.percent(comparison.probabilityBest[bestIndex], decimals: 0)) of them"
            let regret = AmountWords(currency: currency, amounts: [comparison.expectedRegret[bestIndex]],
                                     uncertainty: 1.96 * best.result.npv.standardError)
            verdict += "; choosing it costs \(regret(comparison.expectedRegret[bestIndex])) on average against "
            verdict += "knowing the best choice in each future (expected regret)."
        }
        verdict += " Every option ran on the same \(Format.amount(Double(trials))) "
        verdict += "futures (common random numbers), so the differences are the options' own, not luck."
        out += verdict + "\n\n"

        out += "## Options\n\n| Option | Changes from \(Format.cell(baseline.name)) |\n|---|---|\n"
        for (k, option) in options.enumerated() {
            let list = changes.indices.contains(k) && !changes[k].isEmpty
                ? changes[k].map { "`\(Format.cell($0))`" }.joined(separator: "<br>") : (k == 0 ? "(baseline)" : "(another scenario file)")
            out += "| \(Format.cell(option.name)) | \(list) |\n"
        }
        out += "\n## Outcomes\n\nAmounts in \(currency), present values.\n\n"
        out += "| Option | Mean NPV (± MC error) | P5 | P50 | P95 | Mean ROI | Chance of a loss | Median payback | Best in | Expected regret |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for (k, option) in options.enumerated() {
            let r = option.result
            out += "| \(Format.cell(option.name)) | \(Format.amount(r.npv.mean)) (± \(Format.amount(r.npv.standardError))) | "
            out += "\(Format.amount(r.npv.percentile(0.05))) | \(Format.amount(r.npv.median)) | \(Format.amount(r.npv.percentile(0.95))) | "
            out += "\(Format.percent(r.roi.mean)) | \(Format.percent(r.probabilityOfLoss.value)) | \(Format.month(r.payback.median)) | "
            out += "\(Format.percent(comparison.probabilityBest[k])) | \(Format.amount(comparison.expectedRegret[k])) |\n"
        }
        out += "| Do nothing (reference) | 0 | 0 | 0 | 0 | | 0.0 % | | \(Format.percent(comparison.doNothing.probabilityBest)) | "
        out += "\(Format.amount(comparison.doNothing.expectedRegret)) |\n"
        out += "\nNot investing is always a choice: its NPV is 0 in every future, because each option's NPV is the CRM's effect "
        out += "against the world without it. “Best in” and “expected regret” count it among the choices.\n"
        out += "\n## Paired differences against \(Format.cell(baseline.name))\n\n"
        out += "ΔNPV = the option's NPV minus the baseline's in the same future. The last two columns show what common random "
        out += "numbers buy: the standard error of the mean difference as run, against what two independent runs of the same "
        out += "size would give.\n\n"
        out += "| Option | Mean ΔNPV | P5 | P50 | P95 | Better than baseline | SE, paired | SE, independent runs |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for (k, option) in options.enumerated() where k > 0 {
            let d = comparison.differences[k]
            out += "| \(Format.cell(option.name)) | \(Format.amount(d.npv.mean)) | \(Format.amount(d.npv.percentile(0.05))) | "
            out += "\(Format.amount(d.npv.median)) | \(Format.amount(d.npv.percentile(0.95))) | \(Format.percent(d.probabilityBetter.value)) | "
            out += "\(Format.amount(d.pairedStandardError)) | \(Format.amount(d.independentStandardError)) |\n"
        }
        out += "\n" + info.reproducibilityRows(changedLabel: "Changed for all options")
        out += "| Trials | \(Format.amount(Double(trials))) per option |\n| Seed | \(baseline.result.options.seed) |\n"
        return out
    }

    /// `compare.csv`: option, metric, statistic, value.
    public func csv() -> String {
        var out = "option,metric,statistic,value\n"
        for (k, option) in comparison.options.enumerated() {
            let name = Format.csvText(option.name)
            let r = option.result
            func row(_ metric: String, _ statistic: String, _ value: Double) {
                out += "\(name),\(metric),\(statistic),\(Format.csv(value))\n"
            }
            row("npv", "mean", r.npv.mean)
            row("npv", "se_mean", r.npv.standardError)
            for p in reportedPercentiles { row("npv", "p\(Int((p * 100).rounded()))", r.npv.percentile(p)) }
            row("roi", "mean", r.roi.mean)
            row("probability_of_loss", "value", r.probabilityOfLoss.value)
            row("payback_month", "p50", r.payback.median)
            row("probability_best", "value", comparison.probabilityBest[k])
            row("expected_regret", "value", comparison.expectedRegret[k])
            let d = comparison.differences[k]
            row("delta_npv", "mean", d.npv.mean)
            for p in reportedPercentiles { row("delta_npv", "p\(Int((p * 100).rounded()))", d.npv.percentile(p)) }
            row("delta_npv", "se_paired", d.pairedStandardError)
            row("delta_npv", "se_independent", d.independentStandardError)
            row("probability_better_than_baseline", "value", d.probabilityBetter.value)
        }
        // Not investing, the reference choice: NPV 0 in every future.
        out += "Do nothing (reference),npv,mean,0\n"
        out += "Do nothing (reference),probability_best,value,\(Format.csv(comparison.doNothing.probabilityBest))\n"
        out += "Do nothing (reference),expected_regret,value,\(Format.csv(comparison.doNothing.expectedRegret))\n"
        return out
    }
}

/// `sweep.md` and `sweep.csv`: one input varied over a range, every value on the same futures.
public struct SweepReport {
    /// The varied path and, per value, the text it was set to and the run.
    public let path: String
    public let points: [(value: String, result: SimulationResult)]
    public let info: RunInfo

    public init(path: String, points: [(value: String, result: SimulationResult)], info: RunInfo) {
        self.path = path
        self.points = points
        self.info = info
    }

    public func markdown() -> String {
        guard let first = points.first else { return "" }
        let scenario = first.result.model.scenario
        var out = "# Sweep of `\(path)`: \(scenario.name)\n\n"
        let best = points.max { $0.result.npv.mean < $1.result.npv.mean }!
        let breakEven = zip(points, points.dropFirst()).first { ($0.result.npv.mean < 0) != ($1.result.npv.mean < 0) }
        out += "**Summary.** Over \(points.count) values of `\(path)`, the expected NPV is highest at **\(best.value)** "
        let words = AmountWords(currency: scenario.currency, amounts: [best.result.npv.mean],
                                uncertainty: 1.96 * best.result.npv.standardError)
        out += "(\(words(best.result.npv.mean)))"
        if let (a, b) = breakEven {
            out += "; it changes sign between \(a.value) and \(b.value)"
        }
        out += ". Every value ran on the same \(Format.amount(Double(first.result.trials))) futures, so the differences between rows "
        out += "come from the value alone.\n\n"
        out += "| \(Format.cell(path)) | Mean NPV (± MC error) | Δ vs first (paired) | P5 | P95 | Mean ROI | Chance of a loss | Median payback |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for point in points {
            let r = point.result
            let n = min(r.trials, first.result.trials)
            var delta = [Double](repeating: 0, count: n)
            for i in 0..<n { delta[i] = r.perTrial.npv(i) - first.result.perTrial.npv(i) }
            let d = Summary(delta)
            out += "| \(Format.cell(point.value)) | \(Format.amount(r.npv.mean)) (± \(Format.amount(r.npv.standardError))) | "
            out += "\(Format.amount(d.mean)) (± \(Format.amount(d.standardError))) | \(Format.amount(r.npv.percentile(0.05))) | "
            out += "\(Format.amount(r.npv.percentile(0.95))) | \(Format.percent(r.roi.mean)) | \(Format.percent(r.probabilityOfLoss.value)) | "
            out += "\(Format.month(r.payback.median)) |\n"
        }
        out += "\n" + info.reproducibilityRows(changedLabel: "Changed for all values")
        out += "| Trials | \(Format.amount(Double(first.result.trials))) per value |\n| Seed | \(first.result.options.seed) |\n"
        return out
    }

    /// `sweep.csv`: one row per value.
    public func csv() -> String {
        var out = "value,npv_mean,npv_se,npv_p5,npv_p50,npv_p95,roi_mean,probability_of_loss,payback_p50\n"
        for point in points {
            let r = point.result
            let cells = [Format.csvText(point.value), Format.csv(r.npv.mean), Format.csv(r.npv.standardError),
                         Format.csv(r.npv.percentile(0.05)), Format.csv(r.npv.median), Format.csv(r.npv.percentile(0.95)),
                         Format.csv(r.roi.mean), Format.csv(r.probabilityOfLoss.value), Format.csv(r.payback.median)]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
