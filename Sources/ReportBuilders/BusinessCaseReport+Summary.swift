import MonteCarlo
import ReportDocument

/// The summary page's two views no spreadsheet gives: the cash flow by year, risk-adjusted and
/// as a single-number plan, and the case beside what Danish firms reported.
extension BusinessCaseReport {
    /// The cash flow by year in the layout of a Forrester Total Economic Impact study: costs,
    /// benefits and net cash flow per year, their total and present value — risk-adjusted (the
    /// mean over every simulated future) and, when given, unadjusted (``UnadjustedPlan``).
    func cashFlowByYear() -> [Block] {
        let yearly = result.yearlyCashFlow
        let periods = yearly.costs.count
        var columns = [Table.Column("")]
        for p in 0..<periods {
            columns.append(Table.Column(Text(YearlyCashFlow.title(ofPeriod: p, months: yearly.months(ofPeriod: p))),
                                        kind: .money(currency: nil)))
        }
        columns += [Table.Column("Total", kind: .money(currency: nil)), Table.Column("Present value", kind: .money(currency: nil))]
        var table = Table(columns: columns, caption: "Cash flow by year in \(currency), undiscounted; the present value at \(inputText(scenario.discountRate)) a year")
        func rows(_ flow: YearlyCashFlow, _ r: SimulationResult, _ label: String) {
            let amount: (Double) -> Text = { "\(Q.amount($0))" }
            table.append([Text("Costs\(label)")] + flow.costs.map(amount) + [amount(flow.costs.reduce(0, +)), amount(r.pvCosts.mean)])
            table.append([Text("Benefits\(label)")] + flow.benefits.map(amount) + [amount(flow.benefits.reduce(0, +)), amount(r.pvBenefits.mean)])
            table.append([Text("Net cash flow\(label)")] + flow.net.map(amount) + [amount(flow.net.reduce(0, +)), amount(r.npv.mean)],
                         isTotal: true)
        }
        var text: Text = "\(strong: "Cash flow by year") (in \(currency), undiscounted, in the layout of a Forrester TEI study). "
        text += "Risk-adjusted: the mean over the \(Q.count(result.trials)) simulated futures, every uncertainty and risk event in. "
        rows(yearly, result, unadjusted == nil ? "" : ", risk-adjusted")
        if let plan = unadjusted {
            rows(plan.yearlyCashFlow, plan, ", unadjusted")
            text += "Unadjusted: the plan as single numbers — every uncertain input at its median and no risk event (the mean of "
            text += "\(Q.count(plan.trials)) futures, as whole customers still come and go at random). "
            // The difference of two means, each with its Monte Carlo error.
            let gap = plan.npv.mean - result.npv.mean
            let error = 1.96 * (plan.npv.standardError * plan.npv.standardError
                                + result.npv.standardError * result.npv.standardError).squareRoot()
            let words = AmountWords(currency: currency, amounts: [gap, plan.npv.mean], uncertainty: error)
            if words.isZero(gap) {
                text += "The uncertainty and the risks leave the expected NPV where the single-number plan puts it."
            } else if gap > 0 {
                text += "The uncertainty and the risks take \(strong: Q.words(words, gap)) off the NPV the single-number plan "
                text += "promises (\(Q.words(words, plan.npv.mean)))."
            } else {
                text += "The uncertainty and the risks add \(strong: Q.words(words, -gap)) to the NPV the single-number plan "
                text += "promises (\(Q.words(words, plan.npv.mean))): the upside of the uncertain inputs outweighs the risks."
            }
        }
        return [.paragraph(text), .table(table)]
    }

    /// The case's return beside the returns the business cases in the survey promised (CBS
    /// 2013, Q12), and its chance of a loss beside the firms whose CRM was a net cost (Q48).
    func outsideView() -> [Block] {
        let view = OutsideView(result: result)
        guard view.trialsWithROI > 0 else { return [] }
        let bands = OutsideView.Band.allCases
        let figure = Figure(
            name: "outside-view",
            title: "This case's return beside the business cases Danish firms wrote",
            description: "For each band of return on investment, the share of this case's simulated futures in it and the share "
                + "of the business cases in the CBS 2013 survey (Q12) that promised it, of those that named a return.",
            caption: "How to read: the dark bars are this case (ROI over the horizon, in the simulated futures), the light bars "
                + "what the business cases in the CBS 2013 survey promised (Q12, the 32.4 % who did not know left out). The survey "
                + "does not say over what period its returns were counted, so read this as a comparison of ambition, not as a test.",
            content: .bars(BarFigure(
                axis: FigureAxis("Share", kind: .share),
                categories: bands.map(\.words),
                series: [
                    .init(name: "This case: share of simulated futures", values: view.caseShares),
                    .init(name: "CBS 2013 business cases (Q12)", values: view.surveyShares),
                ])))
        let (caseHigh, surveyHigh) = view.atLeastTenPercent
        let netCost = SurveyBaseRates.experiencedValue.first { $0.answer == "a net cost to the firm" }!.share
        let noValue = SurveyBaseRates.experiencedValue.first { $0.answer == "no value" }!.share
        var text: Text = "\(strong: "The outside view.") Of the business cases Danish firms wrote (CBS 2013, Q12), "
        text += "\(Q.share(surveyHigh, decimals: 0)) of those that named a return promised 10 % or more; this case reaches 10 % in "
        text += "\(Q.share(caseHigh, decimals: 0)) of its futures. Asked what their CRM gave overall (Q48), "
        text += "\(Q.share(netCost)) of firms said it had been a net cost and \(Q.share(noValue)) that it gave no value; "
        text += "this case loses money in \(Q.share(view.chanceOfLoss, decimals: 0)) of its futures. "
        text += "Across the studies the survey reviews, about half of CRM projects fail (53 % on average)."
        // The paragraph first: it introduces the chart, and keeps the chart from sharing a row
        // with the drivers' tornado (each needs the full width to be read).
        return [.paragraph(text), .figure(figure)]
    }
}
