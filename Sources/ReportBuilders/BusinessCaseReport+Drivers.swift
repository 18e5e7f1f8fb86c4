import MonteCarlo
import ReportDocument

/// "What drives the result": swings, rank correlations, values of information, Sobol shares.
extension BusinessCaseReport {
    /// Rows of the swing table (the rest are in `sensitivity.csv`).
    static let shownDrivers = 15
    /// Rows of the tornado chart and of the Sobol table.
    static let chartedDrivers = 10

    func sensitivitySection() -> [Block] {
        guard let s = sensitivity, !s.effects.isEmpty else { return [] }
        var blocks: [Block] = [.heading(level: 2, text: "What drives the result", anchor: "drivers")]
        var intro: Text = "The inputs that move the NPV most are "
        for (k, effect) in s.effects.prefix(3).enumerated() { intro += k == 0 ? "\(code: effect.name)" : ", \(code: effect.name)" }
        intro += ". "
        let worthKnowing = s.mostWorthKnowing
        // One style for the sentence; the values of information are means over the trials, so
        // they are rounded to the Monte Carlo error of a mean NPV.
        let worth = AmountWords(currency: currency, amounts: [max(s.evpi, 0), worthKnowing?.evppi ?? 0],
                                uncertainty: 1.96 * result.npv.standardError)
        intro += "Knowing everything before signing would be worth up to \(strong: Q.words(worth, max(s.evpi, 0))) "
        intro += "(the expected value of perfect information for the go / no-go decision)"
        if let best = worthKnowing {
            intro += "; knowing \(code: best.name) alone would be worth up to \(strong: Q.words(worth, best.evppi))."
        } else {
            intro += "; no single input is worth finding out on its own (every partial value is within the Monte Carlo noise)."
        }
        // The tornado of these swings is on the summary page.
        blocks.append(.paragraph(intro))

        var method: Text = "Swing: the mean NPV given the input at its P10 and at its P90 (a risk: without and with it) while everything "
        // A huge run's analysis uses its first trials only (Sensitivity.maximumTrials): say so.
        let used: Text = s.trials == s.runTrials ? "the run's own \(Q.count(s.trials)) trials"
            : "the first \(Q.count(s.trials)) of the run's \(Q.count(s.runTrials)) trials"
        method += "else stays uncertain, estimated from \(used): for an input, a straight "
        method += "line through the NPV of the \(Q.count(s.windowTrials)) trials whose value of it ranks nearest each "
        method += "percentile, read at the percentile, after taking out the straight-line effects of the inputs independent of it "
        method += "(an input correlated with others carries them with it); for a risk, the mean NPV of the trials without and "
        method += "with it"
        if s.extraEvaluations > 0 {
            method += " (for a risk too rare or too common for that, \(Q.count(Sensitivity.rerunTrials)) trials with it "
            method += "forced, on the same futures)"
        }
        let shown = s.effects.prefix(Self.shownDrivers)
        let swingError = 1.96 * (shown.map(\.swingError).max() ?? 0)
        method += ". Each swing is within ±\(Q.amount(swingError)) of its exact value (95 %, the largest Monte Carlo error in the table). "
        method += "Rank correlation: Spearman's ρ "
        method += "between the input and the NPV over \(s.trials == s.runTrials ? "all" : "those") trials. Value of knowing: the expected value of partial perfect "
        method += "information (EVPPI, by binning the trials on the input, less the same estimate for an unrelated random "
        method += "number, which measures the method's upward bias); “about 0” is below the Monte Carlo error of the mean NPV."
        blocks.append(.paragraph(method))

        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [
            Table.Column("Input"), Table.Column("NPV at P10", kind: money), Table.Column("NPV at P90", kind: money),
            Table.Column("Swing", kind: money), Table.Column("Rank correlation", kind: .number),
            Table.Column("Value of knowing", kind: money),
        ], caption: "The inputs with the largest swings of the mean NPV, in \(currency)")
        for e in shown {
            let evppi: Text = s.isWorthKnowing(e) ? "\(Q.amount(e.evppi))" : "about 0"
            table.append(["\(code: e.name)", "\(Q.amount(e.npvLow))", "\(Q.amount(e.npvHigh))", "\(Q.amount(e.swing))",
                          "\(Quantity(.number, e.spearman, Format.number(e.spearman, decimals: 2)))", evppi])
        }
        blocks.append(.table(table))
        if s.effects.count > Self.shownDrivers {
            blocks.append(.paragraph("\(s.effects.count - Self.shownDrivers) inputs with smaller swings are in \(code: "sensitivity.csv")."))
        }
        if let v = varianceShares, !v.shares.isEmpty {
            let of = v.shares.count < v.factorCount ? " of the \(v.shares.count) factors with the largest swings (of \(v.factorCount))" : ""
            var text = Text("Share of the NPV's variance each factor explains (Sobol indices\(of): Saltelli's pick-freeze design on the run's ")
            text += "own trials, the first \(Q.count(v.baseSampleSize)) as base rows and the next \(Q.count(v.baseSampleSize)) "
            text += "as the second sample, with \(Q.count(v.evaluations)) extra evaluations; 95 % bootstrap "
            text += "intervals). “Alone” is the first-order index, “with interactions” the total index; a risk event's probability, "
            text += "occurrence and size count as one factor. The luck of the CRM's own effect on whole customers is not a factor, so the shares "
            text += "alone add up to a little less than 100 %."
            blocks.append(.paragraph(text))
            var sobol = Table(columns: [Table.Column("Factor"), Table.Column("Alone", kind: .share),
                                        Table.Column("With interactions", kind: .share)],
                              caption: "Sobol shares of the NPV's variance with 95 % bootstrap intervals")
            func interval(_ i: SobolIndices.Estimate) -> Text {
                "\(Q.share(i.value, decimals: 0)) (\(Q.share(i.lower, decimals: 0)) to \(Q.share(i.upper, decimals: 0)))"
            }
            for share in v.shares.prefix(Self.chartedDrivers) {
                sobol.append(["\(code: share.name)", interval(share.firstOrder), interval(share.totalOrder)])
            }
            blocks.append(.table(sobol))
        }
        if !s.correlations.isEmpty {
            blocks.append(.paragraph("Correlated inputs (drawn through a Gaussian copula, each keeping its own distribution) — "
                + "the rank correlation the scenario asks for and the one the trials show:"))
            var table = Table(columns: [Table.Column("Inputs"), Table.Column("Requested", kind: .number),
                                        Table.Column("Achieved", kind: .number)],
                              caption: "Requested and achieved rank correlations")
            for c in s.correlations {
                table.append(["\(code: c.first) and \(code: c.second)",
                              "\(Quantity(.number, c.requested, Format.number(c.requested, decimals: 2)))",
                              "\(Quantity(.number, c.achieved, Format.number(c.achieved, decimals: 3)))"])
            }
            blocks.append(.table(table))
        }
        return blocks
    }
}
