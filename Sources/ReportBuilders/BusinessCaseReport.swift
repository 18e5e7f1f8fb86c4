import CRMModel
import Foundation
import MonteCarlo
import ReportDocument

/// The executive report of a finished run as a ``ReportDocument``: rendered as `report.md`,
/// `report.html` and one SVG file per chart.
///
/// The first page is the answer: the verdict in words, the spread of the NPV and the cumulative
/// cash over time, the cash flow by year (risk-adjusted and as a single-number plan), what
/// drives the result, and the outside view (the case beside what Danish firms reported); the
/// tables follow. The judgements (the verdict's band, the risk that matters
/// most, whether the mean can be told from zero) are made by ``CaseJudgement``; this type only
/// words them. It holds no wall-clock time, thread count or machine detail, so the same scenario
/// and seed give byte-identical files.
public struct BusinessCaseReport {
    public let result: SimulationResult
    public let info: RunInfo
    /// What drives the result (nil: no section).
    public let sensitivity: Sensitivity?
    /// Sobol shares of the NPV's variance (nil: not computed).
    public let varianceShares: VarianceShares?
    /// The single-number plan (``UnadjustedPlan``) for the "unadjusted" rows of the cash flow
    /// by year (nil: only the risk-adjusted rows).
    public let unadjusted: SimulationResult?

    public init(result: SimulationResult, info: RunInfo, sensitivity: Sensitivity? = nil,
                varianceShares: VarianceShares? = nil, unadjusted: SimulationResult? = nil) {
        self.result = result
        self.info = info
        self.sensitivity = sensitivity
        self.varianceShares = varianceShares
        self.unadjusted = unadjusted
    }

    typealias Q = ReportQuantities
    var scenario: Scenario { result.model.scenario }
    var currency: String { scenario.currency }

    /// The whole report.
    public func document() -> ReportDocument {
        var blocks: [Block] = []
        if let whatIf = whatIfLine() { blocks.append(.callout(whatIf)) }
        blocks.append(.paragraph(verdict()))
        blocks += [.figure(npvFigure()), .figure(cashFigure())]
        blocks += cashFlowByYear()
        if let s = sensitivity, !s.effects.isEmpty { blocks.append(.figure(driversFigure(s))) }
        blocks += outsideView()
        blocks.append(.pageBreak)
        blocks += keyOutcomes()
        blocks += cashByQuarter()
        blocks += linesSection()
        blocks += customersSection()
        blocks += adoptionSection()
        blocks += risksSection()
        blocks += sensitivitySection()
        blocks += inputsSection()
        blocks += methodSection()
        blocks += footer()
        return ReportDocument(title: "Business case: \(scenario.name)", blocks: blocks)
    }

    // MARK: Verdict

    /// A what-if run says so before anything else, so it is never read as the base case.
    func whatIfLine() -> Text? {
        guard !info.changes.isEmpty else { return nil }
        var text: Text = "\(strong: "What if?") This is not the scenario file as written: "
        text += Text(info.changes.count == 1 ? "one value was" : "\(info.changes.count) values were")
        text += " changed for this run — "
        for (k, change) in info.changes.enumerated() { text += k == 0 ? "\(code: change)" : ", \(code: change)" }
        return text + "."
    }

    /// The first paragraph: the answer in plain words.
    ///
    /// Amounts are rounded to what the Monte Carlo error of the mean NPV supports and written in
    /// one style per sentence (``AmountWords``); chances are worded on one scale (``ChanceWords``).
    func verdict() -> Text {
        let npv = result.npv
        let judgement = CaseJudgement(result: result)
        let years = Double(scenario.horizon) / 12
        let span = years == years.rounded() ? "\(Int(years)) year\(years == 1 ? "" : "s")" : "\(scenario.horizon) months"
        let low = npv.percentile(0.05), high = npv.percentile(0.95)
        let amounts = AmountWords(currency: currency, amounts: [npv.mean, low, high], uncertainty: judgement.meanHalfWidth)
        var text: Text = "\(strong: "Verdict.") Over \(span) the CRM investment has an expected net present value of "
        text += "\(strong: Q.words(amounts, npv.mean))"
        if judgement.meanIsZero && npv.standardError > 0 {
            text += Text(" — too close to zero for \(Format.amount(Double(result.trials))) trials to tell whether it makes or loses money on average —")
        }
        text += ", with a 90 % chance of lying between \(Q.words(amounts, low)) and \(Q.words(amounts, high)). "
        text += "The chance of losing money (an NPV below zero) is \(strong: Q.share(judgement.chanceOfLoss, decimals: 0)). "
        let median = result.payback.median
        let payback = Q.share(result.probabilityOfPayback.value, decimals: 0)
        if median.isFinite {
            text += "Half the trials have paid back by \(strong: Q.month(median))"
            if let start = scenario.start { text += Text(" (\(start.adding(months: Int(median)).description))") }
            text += ", and \(payback) pay back within the horizon."
        } else {
            text += "In more than half of the trials the investment does \(strong: "not pay back") within the horizon "
            text += "(\(payback) do)."
        }
        text += " " + judgementWords(judgement)
        if let worst = judgement.riskThatMattersMost {
            // The two conditional means rest on fewer trials than the overall mean: rounded to
            // the error of the smaller group.
            let risk = worst.risk
            let conditional = AmountWords(currency: currency, amounts: [risk.meanNPVWhenItHappens, risk.meanNPVOtherwise],
                                          uncertainty: worst.conditionalHalfWidth)
            text += Text(" The risk that matters most is “\(risk.name)”: it happens in ")
            text += "\(Q.share(risk.occurred.value, decimals: 0)) of trials, and then the expected NPV is "
            text += "\(Q.words(conditional, risk.meanNPVWhenItHappens)) instead of \(Q.words(conditional, risk.meanNPVOtherwise))."
        }
        return text
    }

    /// The judgement in words: the band of the chance of a loss (``VerdictBand``), with a
    /// clause when the expected value points the other way.
    func judgementWords(_ judgement: CaseJudgement) -> Text {
        let words = ChanceWords.words(judgement.chanceOfLoss)
        var text: String
        switch judgement.band {
        case .robust:
            text = "On these assumptions the case is robust: a loss is \(words) and needs several things to go wrong at once."
        case .favourable:
            text = "The case is favourable: a loss is \(words), but a real possibility that the plan should guard against."
        case .leansToGain:
            text = "The case leans towards making money, but a loss is only somewhat less likely than a gain."
        case .coinFlip:
            text = "Making or losing money is a coin flip: the result depends on the risks below."
        case .leansToLoss:
            text = "A loss is somewhat more likely than a gain."
        case .likelyLoss:
            text = "On these assumptions the investment is \(words) to lose money."
        }
        switch judgement.caveat {
        case .positiveDespiteLosses: text += " The expected value is still positive: the gains, when they come, are larger than the losses."
        case .negativeDespiteGains: text += " Yet the expected value is negative: the losses, when they come, are larger than the gains."
        case .none: break
        }
        return Text(text)
    }

    /// How precisely the run pins its own numbers down (not whether the inputs are right).
    func convergence() -> Text {
        let halfWidth = 1.96 * result.npv.standardError
        let relative = abs(result.npv.mean) > 0 ? halfWidth / abs(result.npv.mean) : .infinity
        var text: Text = "\(strong: "Convergence.") From \(Q.count(result.trials)) trial\(result.trials == 1 ? "" : "s")"
        text += result.options.sampling == .latinHypercube ? " (Latin hypercube sampling)" : " (plain Monte Carlo)"
        text += ", the mean NPV is known to ± \(Quantity(.money(currency: currency), halfWidth, Format.money(halfWidth, currency))) with 95 % confidence"
        if relative <= 1 {
            text += " (± \(Q.share(relative)) of its size)"
        } else {
            text += " (more than the mean itself, which is close to zero: whether the case makes or loses money on average is not settled)"
        }
        text += ", and the chance of a loss to ± \(Q.share(1.96 * result.probabilityOfLoss.standardError, decimals: 2))."
        if result.options.sampling == .latinHypercube {
            text += " With Latin hypercube sampling these margins use the plain Monte Carlo formula and are conservative."
        }
        if let precision = info.precision {
            text += relative <= precision.target
                ? " The requested precision (± \(Q.share(precision.target)) of the mean) is met."
                : " The requested precision (± \(Q.share(precision.target)) of the mean) is \(strong: "not") met within the cap of \(Q.count(precision.cap)) trials."
        }
        return text
    }
}
