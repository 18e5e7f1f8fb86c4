import CRMModel
import MonteCarlo
import ReportDocument

/// `compare.md` and `compare.csv` as one ``ReportDocument``: options of one decision side by
/// side, on common random numbers.
public struct ComparisonReport {
    public let comparison: Comparison
    public let info: RunInfo
    /// What each option changes (one line per change), in option order; empty for the baseline.
    public let changes: [[String]]
    /// The verdict's decisions, which this report only words.
    public let judgement: ComparisonJudgement

    public init(comparison: Comparison, info: RunInfo, changes: [[String]]) {
        self.comparison = comparison
        self.info = info
        self.changes = changes
        judgement = ComparisonJudgement(comparison)
    }

    private typealias Q = ReportQuantities

    private var currency: String { comparison.options[0].result.model.scenario.currency }
    private var trials: Int { comparison.options.map(\.result.trials).min() ?? 0 }

    /// The report: the verdict, the options, their outcomes, the paired differences and the
    /// reproducibility footer; `compare.csv` as its one data table.
    public func document() -> ReportDocument {
        let baseline = comparison.options[0]
        // The summary page: the verdict and the two pictures; the tables follow.
        var blocks: [Block] = [.paragraph(verdict())]
        blocks += figures().map(Block.figure)
        blocks.append(.pageBreak)
        blocks += optionsSection()
        blocks += outcomesSection()
        blocks += differencesSection()
        blocks += info.reproducibilitySection(changedLabel: "Changed for all options", extraRows: [
            ("Trials", "\(Q.count(trials)) per option"),
            ("Seed", Text(String(baseline.result.options.seed))),
        ])
        return ReportDocument(title: "Comparison: \(baseline.result.model.scenario.name)", blocks: blocks,
                              dataTables: [dataTable()])
    }

    /// The verdict in words: the option with the highest expected NPV, how sure that is, and
    /// whether it beats not investing at all (doing nothing, NPV 0 in every future) — each
    /// decided by ``judgement``.
    func verdict() -> Text {
        let options = comparison.options
        let baseline = options[0]
        let bestIndex = judgement.best
        let best = options[bestIndex]
        // One unit style for the whole sentence (the best mean and, when it is not the baseline,
        // the paired differences), each figure rounded to its own Monte Carlo error.
        let d = comparison.differences[bestIndex]
        let sentence = bestIndex != 0
            ? [best.result.npv.mean, d.npv.mean, d.npv.percentile(0.05), d.npv.percentile(0.95)] : [best.result.npv.mean]
        let words = AmountWords(currency: currency, amounts: sentence, uncertainty: 1.96 * best.result.npv.standardError)
        var verdict: Text = "\(strong: "Verdict.") "
        switch judgement.againstDoingNothing {
        case .doesNotMakeMoney:
            verdict += "\(strong: "No option makes money in expectation"): doing nothing (not investing, NPV 0) is at least as good on average. "
            verdict += "The least bad of the \(String(options.count)) options, \(strong: best.name), has an expected NPV of "
            verdict += "\(Q.words(words, best.result.npv.mean)) and loses money in \(Q.share(best.result.probabilityOfLoss.value, decimals: 0)) "
            verdict += "of the simulated futures. Doing nothing is the best choice in \(Q.share(comparison.doNothing.probabilityBest, decimals: 0)) of the futures."
        case .tooCloseToTell:
            verdict += "\(strong: "Too close to tell whether any option makes money"): the best of the \(String(options.count)) options, "
            verdict += "\(strong: best.name), has an expected NPV of \(Q.words(words, best.result.npv.mean)), too close to zero for "
            verdict += "\(Q.count(trials)) trials to tell whether it makes or loses money on average (more trials would tell). "
            verdict += "It loses money in \(Q.share(best.result.probabilityOfLoss.value, decimals: 0)) of the simulated futures, and doing "
            verdict += "nothing (not investing, NPV 0) is the best choice in \(Q.share(comparison.doNothing.probabilityBest, decimals: 0)) of them."
        case .makesMoney:
            verdict += "Of \(String(options.count)) options, \(strong: best.name) has the highest expected NPV, \(Q.words(words, best.result.npv.mean))"
            if bestIndex != 0 {
                let delta = AmountWords(currency: currency, amounts: sentence, uncertainty: 1.96 * d.pairedStandardError)
                verdict += " — \(Q.words(delta, d.npv.mean)) more than \(baseline.name) "
                verdict += "(90 % of the paired differences between \(Q.words(delta, d.npv.percentile(0.05))) and "
                verdict += "\(Q.words(delta, d.npv.percentile(0.95)))); it does better than \(baseline.name) in "
                verdict += "\(Q.share(d.probabilityBetter.value, decimals: 0)) of the simulated futures"
            }
            if let lead = judgement.runnerUp, lead.isTooCloseToTell {
                verdict += "; but \(strong: options[lead.runnerUp].name) comes so close that \(Q.count(trials)) trials cannot tell "
                verdict += "which of the two is better on average (more trials would tell)"
            }
            verdict += ". It beats doing nothing (not investing) in \(Q.share(1 - best.result.probabilityOfLoss.value, decimals: 0)) "
            verdict += "of the futures, and is the best of all choices in \(Q.share(comparison.probabilityBest[bestIndex], decimals: 0)) of them"
            let regret = AmountWords(currency: currency, amounts: [comparison.expectedRegret[bestIndex]],
                                     uncertainty: 1.96 * best.result.npv.standardError)
            verdict += "; choosing it costs \(Q.words(regret, comparison.expectedRegret[bestIndex])) on average against "
            verdict += "knowing the best choice in each future (expected regret)."
        }
        verdict += " Every option ran on the same \(Q.count(trials)) "
        verdict += "futures (common random numbers), so the differences are the options' own, not luck."
        return verdict
    }

    /// The summary's charts: each option's NPV against the baseline's in the same futures
    /// (paired, so only the option's own effect), then each option's NPV against doing nothing.
    func figures() -> [Figure] {
        let options = comparison.options
        let baseline = options[0].name
        let money = Quantity.Kind.money(currency: currency)
        func row(_ name: String, _ s: Summary) -> IntervalFigure.Row {
            IntervalFigure.Row(label: name, p5: s.percentile(0.05), p25: s.percentile(0.25), p50: s.median,
                               p75: s.percentile(0.75), p95: s.percentile(0.95), mean: s.mean)
        }
        let box: Text = "The box holds the middle half of the simulated futures (P25 to P75), the whiskers 90 % of them "
            + "(P5 to P95); the line in the box is the median and the diamond the mean."
        var figures: [Figure] = []
        if options.count > 1 {
            figures.append(Figure(
                name: "delta-npv",
                title: "NPV of each option minus \(baseline)'s, in the same futures",
                description: "For each option, its NPV minus the NPV of \(baseline) in the same simulated future (in \(currency)): "
                    + "P5, P25, median, P75 and P95 of the paired differences, and their mean. A line at 0 marks no difference.",
                caption: "How to read: one row per option. " + box + " Right of the line at 0 the option does better than "
                    + "\(baseline) in that future, left of it worse; a box wholly right of the line means it does better in most "
                    + "futures. The option and \(baseline) ran on the same futures, so this is the difference the option itself makes.",
                content: .intervals(IntervalFigure(
                    axis: FigureAxis("ΔNPV against \(baseline) (\(currency))", kind: money),
                    rows: options.indices.dropFirst().map { row(options[$0].name, comparison.differences[$0].npv) },
                    reference: 0))))
        }
        figures.append(Figure(
            name: "npv-by-option",
            title: "NPV per option",
            description: "For each option, its NPV over the simulated futures (in \(currency)): P5, P25, median, P75 and P95, "
                + "and the mean. A line at 0 marks doing nothing (not investing).",
            caption: "How to read: one row per option. " + box + " Left of the line at 0 the option loses money; doing "
                + "nothing (not investing) has an NPV of 0 in every future.",
            content: .intervals(IntervalFigure(
                axis: FigureAxis("NPV (\(currency))", kind: money),
                rows: options.map { row($0.name, $0.result.npv) },
                reference: 0))))
        return figures
    }

    /// What each option changes from the baseline.
    func optionsSection() -> [Block] {
        let options = comparison.options
        var table = Table(columns: [Table.Column("Option"), Table.Column("Changes from \(options[0].name)")])
        for (k, option) in options.enumerated() {
            var list = Text()
            if changes.indices.contains(k) && !changes[k].isEmpty {
                for (j, change) in changes[k].enumerated() {
                    if j > 0 { list.runs.append(.lineBreak) }
                    list += "\(code: change)"
                }
            } else {
                list = k == 0 ? "(baseline)" : "(another scenario file)"
            }
            table.append([Text(option.name), list])
        }
        return [.heading(level: 2, text: "Options", anchor: "options"), .table(table)]
    }

    /// Per option (and doing nothing): the NPV, ROI, chance of a loss, payback, best-in and regret.
    func outcomesSection() -> [Block] {
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [
            Table.Column("Option"), Table.Column("Mean NPV (± MC error)", kind: money), Table.Column("P5", kind: money),
            Table.Column("P50", kind: money), Table.Column("P95", kind: money), Table.Column("Mean ROI", kind: .share),
            Table.Column("Chance of a loss", kind: .share), Table.Column("Median payback", kind: .month),
            Table.Column("Best in", kind: .share), Table.Column("Expected regret", kind: money),
        ])
        for (k, option) in comparison.options.enumerated() {
            let r = option.result
            table.append([
                Text(option.name), "\(Q.amount(r.npv.mean)) (± \(Q.amount(r.npv.standardError)))",
                "\(Q.amount(r.npv.percentile(0.05)))", "\(Q.amount(r.npv.median))", "\(Q.amount(r.npv.percentile(0.95)))",
                "\(Q.share(r.roi.mean))", "\(Q.share(r.probabilityOfLoss.value))", "\(Q.month(r.payback.median))",
                "\(Q.share(comparison.probabilityBest[k]))", "\(Q.amount(comparison.expectedRegret[k]))",
            ])
        }
        table.append([
            "Do nothing (reference)", "\(Q.amount(0))", "\(Q.amount(0))", "\(Q.amount(0))", "\(Q.amount(0))", "",
            "\(Q.share(0))", "", "\(Q.share(comparison.doNothing.probabilityBest))", "\(Q.amount(comparison.doNothing.expectedRegret))",
        ])
        return [
            .heading(level: 2, text: "Outcomes", anchor: "outcomes"),
            .paragraph("Amounts in \(currency), present values."),
            .table(table),
            .paragraph("Not investing is always a choice: its NPV is 0 in every future, because each option's NPV is the CRM's effect "
                + "against the world without it. “Best in” and “expected regret” count it among the choices."),
        ]
    }

    /// Each option against the baseline, trial by trial.
    func differencesSection() -> [Block] {
        let money = Quantity.Kind.money(currency: nil)
        let baseline = comparison.options[0]
        var table = Table(columns: [
            Table.Column("Option"), Table.Column("Mean ΔNPV", kind: money), Table.Column("P5", kind: money),
            Table.Column("P50", kind: money), Table.Column("P95", kind: money), Table.Column("Better than baseline", kind: .share),
            Table.Column("SE, paired", kind: money), Table.Column("SE, independent runs", kind: money),
        ])
        for (k, option) in comparison.options.enumerated() where k > 0 {
            let d = comparison.differences[k]
            table.append([
                Text(option.name), "\(Q.amount(d.npv.mean))", "\(Q.amount(d.npv.percentile(0.05)))",
                "\(Q.amount(d.npv.median))", "\(Q.amount(d.npv.percentile(0.95)))", "\(Q.share(d.probabilityBetter.value))",
                "\(Q.amount(d.pairedStandardError))", "\(Q.amount(d.independentStandardError))",
            ])
        }
        return [
            .heading(level: 2, text: "Paired differences against \(baseline.name)", anchor: "paired-differences"),
            .paragraph("ΔNPV = the option's NPV minus the baseline's in the same future. The last two columns show what common random "
                + "numbers buy: the standard error of the mean difference as run, against what two independent runs of the same "
                + "size would give."),
            .table(table),
        ]
    }

    /// `compare.csv`: option, metric, statistic, value.
    func dataTable() -> DataTable {
        var table = DataTable(fileName: "compare.csv", header: ["option", "metric", "statistic", "value"])
        for (k, option) in comparison.options.enumerated() {
            let r = option.result
            func row(_ metric: String, _ statistic: String, _ value: Double) {
                table.append([.text(option.name), .text(metric), .text(statistic), .number(value)])
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
        table.append(["Do nothing (reference)", "npv", "mean", 0])
        table.append(["Do nothing (reference)", "probability_best", "value", .number(comparison.doNothing.probabilityBest)])
        table.append(["Do nothing (reference)", "expected_regret", "value", .number(comparison.doNothing.expectedRegret)])
        return table
    }
}
