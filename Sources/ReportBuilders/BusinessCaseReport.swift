import CRMModel
import Foundation
import MonteCarlo

/// What the reproducibility footer says about how a report was made.
public struct RunInfo: Sendable {
    public var toolVersion: String
    public var gslVersion: String
    /// The scenario file as the user named it.
    public var scenarioFile: String
    public var scenarioSHA256: String
    /// Values changed for this run, as "path = value (origin)": shown in the report so that it
    /// never hides what was changed from the file.
    public var changes: [String]
    /// A `--precision` target, as the relative half-width of the 95 % interval of the mean NPV,
    /// and the trial cap it ran under.
    public var precision: (target: Double, cap: Int)?

    public init(toolVersion: String, gslVersion: String, scenarioFile: String, scenarioSHA256: String,
                changes: [String] = []) {
        self.toolVersion = toolVersion
        self.gslVersion = gslVersion
        self.scenarioFile = scenarioFile
        self.scenarioSHA256 = scenarioSHA256
        self.changes = changes
    }

    /// The opening rows of every report's reproducibility table: tool, scenario file and its
    /// SHA-256, and the values changed for the run (`changedLabel` names what they apply to).
    public func reproducibilityRows(changedLabel: String = "Changed for this run") -> String {
        var out = "## Reproducibility\n\n| | |\n|---|---|\n"
        out += "| Tool | crmcase \(toolVersion), GSL \(gslVersion) |\n"
        out += "| Scenario file | `\(scenarioFile)` |\n"
        out += "| Scenario SHA-256 | `\(scenarioSHA256)` |\n"
        if !changes.isEmpty {
            out += "| \(changedLabel) | \(changes.map { "`\(Format.cell($0))`" }.joined(separator: ", ")) |\n"
        }
        return out
    }

    /// The paths of the changed values (the part before " = ").
    var changedPaths: Set<String> {
        Set(changes.compactMap { $0.components(separatedBy: " = ").first })
    }
}

/// The executive report, `report.md`, written from a finished run.
///
/// It holds no wall-clock time, thread count or machine detail, so the same scenario and
/// seed give a byte-identical file.
public struct BusinessCaseReport {
    public let result: SimulationResult
    public let info: RunInfo
    /// What drives the result (nil: no section).
    public let sensitivity: Sensitivity?
    /// Sobol shares of the NPV's variance (nil: not computed).
    public let varianceShares: VarianceShares?

    public init(result: SimulationResult, info: RunInfo, sensitivity: Sensitivity? = nil,
                varianceShares: VarianceShares? = nil) {
        self.result = result
        self.info = info
        self.sensitivity = sensitivity
        self.varianceShares = varianceShares
    }

    private var scenario: Scenario { result.model.scenario }
    private var currency: String { scenario.currency }

    /// The whole Markdown document.
    public func markdown() -> String {
        var out = ""
        out += "# Business case: \(scenario.name)\n\n"
        if let whatIf = whatIfLine() { out += whatIf + "\n\n" }
        out += verdict() + "\n\n"
        out += keyOutcomes()
        out += cashByQuarter()
        out += linesSection()
        out += customersSection()
        out += adoptionSection()
        out += risksSection()
        out += sensitivitySection()
        out += inputsSection()
        out += methodSection()
        out += footer()
        return out
    }

    // MARK: Verdict

    /// A what-if run says so before anything else, so it is never read as the base case.
    func whatIfLine() -> String? {
        guard !info.changes.isEmpty else { return nil }
        let list = info.changes.map { "`\(Format.cell($0))`" }.joined(separator: ", ")
        return "> **What if?** This is not the scenario file as written: \(info.changes.count == 1 ? "one value was" : "\(info.changes.count) values were") changed for this run — \(list)."
    }

    /// The first paragraph: the answer in plain words.
    ///
    /// Amounts are rounded to what the Monte Carlo error of the mean NPV supports and written in
    /// one style per sentence (``AmountWords``); chances are worded on one scale (``ChanceWords``).
    func verdict() -> String {
        let npv = result.npv
        let loss = result.probabilityOfLoss.value
        let years = Double(scenario.horizon) / 12
        let span = years == years.rounded() ? "\(Int(years)) year\(years == 1 ? "" : "s")" : "\(scenario.horizon) months"
        let low = npv.percentile(0.05), high = npv.percentile(0.95)
        let amounts = AmountWords(currency: currency, amounts: [npv.mean, low, high], uncertainty: 1.96 * npv.standardError)
        var text = "**Verdict.** Over \(span) the CRM investment has an expected net present value of "
        text += "**\(amounts(npv.mean))**"
        if amounts.isZero(npv.mean) && npv.standardError > 0 {
            text += " — too close to zero for \(Format.amount(Double(result.trials))) trials to tell whether it makes or loses money on average —"
        }
        text += ", with a 90 % chance of lying between \(amounts(low)) and \(amounts(high)). "
        text += "The chance of losing money (an NPV below zero) is **\(Format.percent(loss, decimals: 0))**. "
        let median = result.payback.median
        if median.isFinite {
            text += "Half the trials have paid back by **\(Format.month(median))**"
            if let start = scenario.start {
                text += " (\(start.adding(months: Int(median))))"
            }
            text += ", and \(Format.percent(result.probabilityOfPayback.value, decimals: 0)) pay back within the horizon."
        } else {
            text += "In more than half of the trials the investment does **not pay back** within the horizon "
            text += "(\(Format.percent(result.probabilityOfPayback.value, decimals: 0)) do)."
        }
        text += " " + judgement(loss: loss, mean: npv.mean, meanIsZero: amounts.isZero(npv.mean))
        if let worst = result.risks.max(by: { impactOf($0) < impactOf($1) }), impactOf(worst) > 0 {
            // The two conditional means rest on fewer trials than the overall mean: round them
            // to the error of the smaller group.
            let group = Double(result.trials) * min(worst.occurred.value, 1 - worst.occurred.value)
            let error = group > 0 ? 1.96 * npv.standardDeviation / group.squareRoot() : .infinity
            let conditional = AmountWords(currency: currency,
                                          amounts: [worst.meanNPVWhenItHappens, worst.meanNPVOtherwise], uncertainty: error)
            text += " The risk that matters most is “\(worst.name)”: it happens in "
            text += "\(Format.percent(worst.occurred.value, decimals: 0)) of trials, and then the expected NPV is "
            text += "\(conditional(worst.meanNPVWhenItHappens)) instead of \(conditional(worst.meanNPVOtherwise))."
        }
        return text
    }

    private func impactOf(_ risk: RiskImpact) -> Double {
        guard risk.meanNPVWhenItHappens.isFinite, risk.meanNPVOtherwise.isFinite else { return 0 }
        return (risk.meanNPVOtherwise - risk.meanNPVWhenItHappens) * risk.occurred.value
    }

    /// The judgement in words, from the chance of a loss on the scale of ``ChanceWords``, with a
    /// clause when the expected value points the other way.
    private func judgement(loss: Double, mean: Double, meanIsZero: Bool) -> String {
        var text: String
        switch loss {
        case ..<0.10:
            text = "On these assumptions the case is robust: a loss is \(ChanceWords.words(loss)) and needs several things to go wrong at once."
        case ..<0.33:
            text = "The case is favourable: a loss is \(ChanceWords.words(loss)), but a real possibility that the plan should guard against."
        case ..<0.45:
            text = "The case leans towards making money, but a loss is only somewhat less likely than a gain."
        case ..<0.55:
            text = "Making or losing money is a coin flip: the result depends on the risks below."
        case ..<0.66:
            text = "A loss is somewhat more likely than a gain."
        default:
            text = "On these assumptions the investment is \(ChanceWords.words(loss)) to lose money."
        }
        if !meanIsZero && loss >= 0.45 && mean > 0 {
            text += " The expected value is still positive: the gains, when they come, are larger than the losses."
        } else if !meanIsZero && loss < 0.55 && mean < 0 {
            text += " Yet the expected value is negative: the losses, when they come, are larger than the gains."
        }
        return text
    }

    // MARK: Sections

    private func keyOutcomes() -> String {
        var out = "## Key outcomes\n\n"
        out += "Amounts in \(currency), present values at \(inputText(scenario.discountRate)) a year, months 0–\(scenario.horizon). "
        out += "P5…P95 are percentiles over \(Format.amount(Double(result.trials))) trials: P10 means 10 % of trials came out lower.\n\n"
        out += "| Outcome | Mean (± MC error) | P5 | P10 | P25 | P50 | P75 | P90 | P95 |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        out += row("NPV", result.npv, Format.amount)
        out += row("PV of benefits", result.pvBenefits, Format.amount)
        out += row("PV of costs", result.pvCosts, Format.amount)
        out += row("ROI", result.roi, error: { Format.percent($0, decimals: 2) }) { Format.percent($0) }
        out += row("IRR (per year)¹", result.irr, error: { Format.percent($0, decimals: 2) }) { Format.percent($0) }
        let months: (Double) -> String = { $0.isFinite ? Format.number($0, decimals: 1) : "never" }
        let wholeMonths: (Double) -> String = { $0.isFinite ? Format.number($0, decimals: $0 == $0.rounded() ? 0 : 1) : "never" }
        out += row("Payback month²", result.payback, error: months, wholeMonths,
                   population: result.probabilityOfPayback.value)
        out += row("Discounted payback month²", result.discountedPayback, error: months, wholeMonths,
                   population: result.probabilityOfDiscountedPayback.value)
        out += row("Peak funding need", result.peakFunding, Format.amount)
        out += "\n"
        let irrNone = result.irrNoSignChange + result.irrAmbiguous + result.irrNoRoot
        out += "¹ IRR over the \(Format.amount(Double(result.irr.count))) trials that have one. "
        out += "\(Format.amount(Double(irrNone))) trials (\(Format.percent(Double(irrNone) / Double(result.trials)))) have none: "
        out += "\(Format.amount(Double(result.irrNoSignChange))) because the cash flow never changes sign, "
        out += "\(Format.amount(Double(result.irrNoRoot))) because no rate between −80 % and +400 % a month gives a zero NPV "
        out += "(typically a project that never recovers), "
        out += "\(Format.amount(Double(result.irrAmbiguous))) because several rates give a zero NPV.  \n"
        out += "² The mean is over the trials that pay back within the horizon (the share in its cell); percentiles count the others as “never”.\n\n"
        out += convergence() + "\n\n"
        out += "| Probability | Value | MC error |\n|---|---:|---:|\n"
        for (name, p) in [("Losing money (NPV < 0)", result.probabilityOfLoss),
                          ("Negative ROI", result.probabilityOfNegativeROI),
                          ("Paying back within the horizon", result.probabilityOfPayback),
                          ("Paying back within the horizon, discounted", result.probabilityOfDiscountedPayback)] {
            // ROI does not exist when nothing is spent (PV of costs 0): say so rather than 0 %.
            if name == "Negative ROI" && result.roi.count == 0 {
                out += "| \(name) | none (nothing is spent) | |\n"
                continue
            }
            out += "| \(name) | \(Format.percent(p.value)) | ± \(Format.percent(p.standardError, decimals: 2)) |\n"
        }
        out += "\n"
        return out
    }

    /// How precisely the run pins its own numbers down (not whether the inputs are right).
    func convergence() -> String {
        let halfWidth = 1.96 * result.npv.standardError
        let relative = abs(result.npv.mean) > 0 ? halfWidth / abs(result.npv.mean) : .infinity
        var text = "**Convergence.** From \(Format.amount(Double(result.trials))) trial\(result.trials == 1 ? "" : "s")"
        text += result.options.sampling == .latinHypercube ? " (Latin hypercube sampling)" : " (plain Monte Carlo)"
        text += ", the mean NPV is known to ± \(Format.money(halfWidth, currency)) with 95 % confidence"
        if relative <= 1 {
            text += " (± \(Format.percent(relative)) of its size)"
        } else {
            text += " (more than the mean itself, which is close to zero: whether the case makes or loses money on average is not settled)"
        }
        text += ", and the chance of a loss to ± \(Format.percent(1.96 * result.probabilityOfLoss.standardError, decimals: 2))."
        if result.options.sampling == .latinHypercube {
            text += " With Latin hypercube sampling these margins use the plain Monte Carlo formula and are conservative."
        }
        if let precision = info.precision {
            text += relative <= precision.target
                ? " The requested precision (± \(Format.percent(precision.target)) of the mean) is met."
                : " The requested precision (± \(Format.percent(precision.target)) of the mean) is **not** met within the cap of \(Format.amount(Double(precision.cap))) trials."
        }
        return text
    }

    /// A table row: the mean with its MC error, then the percentiles. `population`: the share of
    /// trials the mean is taken over, when it is not all of them (said in the same cell, so a
    /// mean over paying trials is never read beside percentiles that count "never").
    private func row(_ name: String, _ s: Summary, error: ((Double) -> String)? = nil,
                     _ format: (Double) -> String, population: Double? = nil) -> String {
        let se = error.map { $0(s.standardError) } ?? format(s.standardError)
        var mean = "\(format(s.mean)) (± \(se))"
        if let population { mean += " over the \(Format.percent(population, decimals: 0)) that do" }
        var cells = ["\(name)", mean]
        cells += reportedPercentiles.map { format(s.percentile($0)) }
        return "| " + cells.joined(separator: " | ") + " |\n"
    }

    private func monthLabel(_ t: Int) -> String {
        if let start = scenario.start { return "\(t) (\(start.adding(months: t)))" }
        return "\(t)"
    }

    private func cashByQuarter() -> String {
        var out = "## Cumulative cash by quarter\n\n"
        out += "The running total of the CRM's extra cash flow (benefits and customer value minus licences and costs), "
        out += "undiscounted, at the end of each quarter. The band is the middle 80 % of trials"
        out += bandNote() + ".\n\n"
        out += "| Month | P10 | P50 | Mean | P90 |\n|---|---:|---:|---:|---:|\n"
        let band = result.cumulativeCash
        var months = Array(stride(from: 3, through: scenario.horizon, by: 3))
        if months.last != scenario.horizon { months.append(scenario.horizon) }
        for t in months {
            out += "| \(monthLabel(t)) | \(Format.amount(band.p10[t])) | \(Format.amount(band.p50[t])) | \(Format.amount(band.mean[t])) | \(Format.amount(band.p90[t])) |\n"
        }
        return out + "\n"
    }

    private func bandNote() -> String {
        result.bandTrials < result.trials
            ? " (bands from the first \(Format.amount(Double(result.bandTrials))) of \(Format.amount(Double(result.trials))) trials)"
            : ""
    }

    private func linesSection() -> String {
        var out = "## Costs and benefits\n\n"
        out += "Present value of each line, averaged over trials. Customer lines are the CRM world minus the world without it: "
        out += "extra margin from customers kept, won and upsold, and the cost of winning the extra customers (negative when more are won).\n\n"
        out += "| Line | Kind | Mean PV | Share | sd |\n|---|---|---:|---:|---:|\n"
        let costTotal = result.lines.filter { $0.kind == "cost" }.reduce(0) { $0 + $1.mean }
        let benefitTotal = result.lines.filter { $0.kind == "benefit" }.reduce(0) { $0 + $1.mean }
        for line in result.lines {
            let total = line.kind == "cost" ? costTotal : benefitTotal
            let share = total != 0 ? line.mean / total : .nan
            out += "| \(Format.cell(line.name)) | \(line.kind) | \(Format.amount(line.mean)) | \(Format.percent(share)) | \(Format.amount(line.standardDeviation)) |\n"
        }
        out += "| **All costs** | | **\(Format.amount(costTotal))** | | |\n"
        out += "| **All benefits** | | **\(Format.amount(benefitTotal))** | | |\n\n"
        return out
    }

    private func customersSection() -> String {
        var out = "## Customers and lifetime value per segment\n\n"
        out += "Customers at month \(scenario.horizon) with the CRM and without it (today's churn and wins), whole customers "
        out += "who churn and join at random, the same luck in both worlds. Customer lifetime value (CLV) is the present value of a "
        out += "customer's future monthly margins, m·r/(1 + i − r) with monthly retention r and discount rate i "
        out += "(Gupta–Lehmann); “with CRM” is at the trial's adoption ceiling.\n\n"
        out += "| Segment | Customers at start | With CRM, P50 (P10–P90) | Without CRM, mean | Gained, mean | CLV without | CLV with | LTV : CAC |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for (s, segment) in result.segments.enumerated() {
            let start = scenario.segments[s].customers.distribution.mean
            let ltv = segment.ltvToCac.count > 0 ? Format.number(segment.ltvToCac.mean, decimals: 1) : "none"
            out += "| \(Format.cell(segment.name)) | \(Format.amount(start)) | "
            out += "\(Format.amount(segment.customersWith.median)) (\(Format.amount(segment.customersWith.percentile(0.1)))–\(Format.amount(segment.customersWith.percentile(0.9)))) | "
            out += "\(Format.amount(segment.customersWithout.mean)) | \(Format.amount(segment.customersGained.mean)) | "
            out += "\(Format.amount(segment.clvWithout.mean)) | \(Format.amount(segment.clvWith.mean)) | \(ltv) |\n"
        }
        out += "| **All** | | \(Format.amount(result.totalCustomersWith.median)) | \(Format.amount(result.totalCustomersWithout.mean)) | "
        out += "\(Format.amount(result.totalCustomersWith.mean - result.totalCustomersWithout.mean)) | | | |\n\n"

        out += "Customers by year, with the CRM (P10 / P50 / P90) and without (mean)\(bandNote()):\n\n"
        out += "| Month | " + result.segments.map { "\(Format.cell($0.name)) with | without" }.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|---:|", count: result.segments.count) + "\n"
        for t in yearMonths() {
            var cells = [monthLabel(t)]
            for segment in result.segments {
                let b = segment.customersWithBand
                cells.append("\(Format.amount(b.p10[t])) / \(Format.amount(b.p50[t])) / \(Format.amount(b.p90[t]))")
                cells.append(Format.amount(segment.customersWithoutBand.mean[t]))
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    private func yearMonths() -> [Int] {
        var months = Array(stride(from: 0, through: scenario.horizon, by: 12))
        if months.last != scenario.horizon { months.append(scenario.horizon) }
        return months
    }

    private func adoptionSection() -> String {
        var out = "## Adoption\n\n"
        out += "Share of the licensed seats in active use (P10 / P50 / P90 over trials\(bandNote())). "
        out += "Every CRM benefit scales with this share.\n\n"
        out += "| Month | P10 | P50 | P90 |\n|---|---:|---:|---:|\n"
        let band = result.adoption
        for t in stride(from: 0, through: scenario.horizon, by: 6) {
            out += "| \(monthLabel(t)) | \(Format.percent(band.p10[t])) | \(Format.percent(band.p50[t])) | \(Format.percent(band.p90[t])) |\n"
        }
        return out + "\n"
    }

    private func risksSection() -> String {
        var out = "## Risk events\n\n"
        guard !result.risks.isEmpty else {
            return out + "The scenario lists no risk events.\n\n"
        }
        out += "Each event is drawn independently in every trial. “Mean NPV if it happens” averages the trials in which it "
        out += "happened; the difference to “if not” is its impact, other risks included.\n\n"
        out += "| Risk | Effect | Probability (input) | Happened | Mean NPV if it happens | Mean NPV if not | P(loss) if it happens | P(loss) if not |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|\n"
        for (r, risk) in result.risks.enumerated() {
            let event = scenario.risks[r]
            // Every effect of the event, in the order written; they happen together.
            let effect = event.effects.map { e in
                e.target.isDelay ? "go-live delayed by \(e.size.source) months"
                    : "\(e.target.rawValue.replacingOccurrences(of: "_", with: " ")) × \(e.size.source)"
            }.joined(separator: ", and ")
            out += "| \(Format.cell(risk.name)) | \(Format.cell(effect)) | \(Format.cell(event.probability.source)) | "
            out += "\(Format.percent(risk.occurred.value)) | \(Format.amount(risk.meanNPVWhenItHappens)) | \(Format.amount(risk.meanNPVOtherwise)) | "
            out += "\(Format.percent(risk.lossWhenItHappens.value)) | \(Format.percent(risk.lossOtherwise.value)) |\n"
        }
        return out + "\n"
    }

    private func sensitivitySection() -> String {
        guard let s = sensitivity, !s.effects.isEmpty else { return "" }
        var out = "## What drives the result\n\n"
        let top = s.effects.prefix(3).map { "`\($0.name)`" }.joined(separator: ", ")
        out += "The inputs that move the NPV most are \(top). "
        let floor = s.noiseFloor
        let worthKnowing = s.effects.filter { $0.evppi > floor }.max { $0.evppi < $1.evppi }
        // One style for the sentence; the values of information are means over the trials, so
        // they are rounded to the Monte Carlo error of a mean NPV.
        let worth = AmountWords(currency: currency, amounts: [max(s.evpi, 0), worthKnowing?.evppi ?? 0],
                                uncertainty: 1.96 * result.npv.standardError)
        out += "Knowing everything before signing would be worth up to **\(worth(max(s.evpi, 0)))** "
        out += "(the expected value of perfect information for the go / no-go decision)"
        if let best = worthKnowing {
            out += "; knowing `\(best.name)` alone would be worth up to **\(worth(best.evppi))**."
        } else {
            out += "; no single input is worth finding out on its own (every partial value is within the Monte Carlo noise)."
        }
        out += "\n\n"
        out += "Swing: the mean NPV given the input at its P10 and at its P90 (a risk: without and with it) while everything "
        out += "else stays uncertain, estimated from the run's own \(Format.amount(Double(s.trials))) trials: for an input, a straight "
        out += "line through the NPV of the \(Format.amount(Double(s.windowTrials))) trials whose value of it ranks nearest each "
        out += "percentile, read at the percentile, after taking out the straight-line effects of the inputs independent of it "
        out += "(an input correlated with others carries them with it); for a risk, the mean NPV of the trials without and "
        out += "with it"
        if s.extraEvaluations > 0 {
            out += " (for a risk too rare or too common for that, \(Format.amount(Double(Sensitivity.rerunTrials))) trials with it "
            out += "forced, on the same futures)"
        }
        let shown = s.effects.prefix(15)
        let swingError = 1.96 * (shown.map(\.swingError).max() ?? 0)
        out += ". Each swing is within ±\(Format.amount(swingError)) of its exact value (95 %, the largest Monte Carlo error in the table). "
        out += "Rank correlation: Spearman's ρ "
        out += "between the input and the NPV over all trials. Value of knowing: the expected value of partial perfect "
        out += "information (EVPPI, by binning the trials on the input, less the same estimate for an unrelated random "
        out += "number, which measures the method's upward bias); “about 0” is below the Monte Carlo error of the mean NPV.\n\n"
        out += "| Input | NPV at P10 | NPV at P90 | Swing | Rank correlation | Value of knowing |\n|---|---:|---:|---:|---:|---:|\n"
        for e in shown {
            let evppi = e.evppi > floor ? Format.amount(e.evppi) : "about 0"
            out += "| `\(Format.cell(e.name))` | \(Format.amount(e.npvLow)) | \(Format.amount(e.npvHigh)) | "
            out += "\(Format.amount(e.swing)) | \(Format.number(e.spearman, decimals: 2)) | \(evppi) |\n"
        }
        if s.effects.count > 15 { out += "\n\(s.effects.count - 15) inputs with smaller swings are in `sensitivity.csv`.\n" }
        if let v = varianceShares, !v.shares.isEmpty {
            let of = v.shares.count < v.factorCount ? " of the \(v.shares.count) factors with the largest swings (of \(v.factorCount))" : ""
            out += "\nShare of the NPV's variance each factor explains (Sobol indices\(of): Saltelli's pick-freeze design on the run's "
            out += "own trials, the first \(Format.amount(Double(v.baseSampleSize))) as base rows and the next \(Format.amount(Double(v.baseSampleSize))) "
            out += "as the second sample, with \(Format.amount(Double(v.evaluations))) extra evaluations; 95 % bootstrap "
            out += "intervals). “Alone” is the first-order index, “with interactions” the total index; a risk event's probability, "
            out += "occurrence and size count as one factor. The luck of the CRM's own effect on whole customers is not a factor, so the shares "
            out += "alone add up to a little less than 100 %.\n\n"
            out += "| Factor | Alone | With interactions |\n|---|---:|---:|\n"
            for share in v.shares.prefix(10) {
                let f = share.firstOrder, t = share.totalOrder
                out += "| `\(Format.cell(share.name))` | \(Format.percent(f.value, decimals: 0)) (\(Format.percent(f.lower, decimals: 0)) to \(Format.percent(f.upper, decimals: 0))) | "
                out += "\(Format.percent(t.value, decimals: 0)) (\(Format.percent(t.lower, decimals: 0)) to \(Format.percent(t.upper, decimals: 0))) |\n"
            }
        }
        if !s.correlations.isEmpty {
            out += "\nCorrelated inputs (drawn through a Gaussian copula, each keeping its own distribution) — "
            out += "the rank correlation the scenario asks for and the one the trials show:\n\n"
            out += "| Inputs | Requested | Achieved |\n|---|---:|---:|\n"
            for c in s.correlations {
                out += "| `\(Format.cell(c.first))` and `\(Format.cell(c.second))` | \(Format.number(c.requested, decimals: 2)) | "
                out += "\(Format.number(c.achieved, decimals: 3)) |\n"
            }
        }
        return out + "\n"
    }

    private func inputsSection() -> String {
        var out = "## Inputs\n\n"
        if !info.changes.isEmpty {
            out += "**Changed for this run** (not as in the scenario file; marked ✎ below):\n\n"
            out += info.changes.map { "- `\($0)`" }.joined(separator: "\n") + "\n\n"
        }
        out += "Every input as the scenario gives it, with the mean and the 90 % range of its distribution "
        out += "(“default” marks a value the scenario left out).\n\n"
        out += "| Input | As written | Unit | Mean | P5 | P95 |\n|---|---|---|---:|---:|---:|\n"
        for input in scenario.inputs {
            let d = input.distribution
            let show: (Double) -> String = { value in
                switch input.unit {
                case .share, .sharePerYear: return Format.percent(value)
                case .money, .moneyPerMonth: return Format.amount(value)
                case .count, .countPerMonth, .months: return Format.number(value, decimals: value == value.rounded() ? 0 : 1)
                default: return Format.number(value, decimals: 3)
                }
            }
            let p5 = d.isFixed ? d.mean : d.quantile(0.05)
            let p95 = d.isFixed ? d.mean : d.quantile(0.95)
            let mark = info.changedPaths.contains(input.name) ? " ✎" : ""
            out += "| `\(input.name)`\(mark) | \(Format.cell(input.source)) | \(input.unit.words) | \(show(d.mean)) | \(show(p5)) | \(show(p95)) |\n"
        }
        return out + "\n"
    }

    private func methodSection() -> String {
        var out = "## How these numbers are made\n\n"
        out += "- Each trial draws every uncertain input once, decides which risk events happen, and runs the months 0–\(scenario.horizon) "
        out += "twice: with the CRM and without it. Customers churn and join at random, as whole customers, and both worlds "
        out += "face the same luck customer for customer, so the difference is what the CRM changes.\n"
        out += "- Cash flows fall at the end of each month and are discounted monthly at the rate equivalent to the yearly one.\n"
        out += "- ROI = (PV of benefits − PV of costs) ÷ PV of costs. Payback is the first month from which the cumulative "
        out += "cash stays at or above zero. IRR is the yearly rate that makes the NPV zero, and “none” when there is no such single rate.\n"
        out += "- The spread of the results is the uncertainty of the inputs and risk events, plus the CRM's own effect on whole "
        out += "customers (which would-be churner it keeps, which extra customer it wins); the luck both worlds share is not in it.\n"
        out += "- “± MC error” is the Monte Carlo standard error: running more trials shrinks it; it says nothing about whether "
        out += "the inputs are right.\n"
        out += "- The full model is described in `docs/MODEL.md`.\n\n"
        return out
    }

    private func footer() -> String {
        var out = info.reproducibilityRows()
        out += "| Trials | \(Format.amount(Double(result.trials))) |\n"
        out += "| Seed | \(result.options.seed) |\n"
        out += "| Sampling | \(result.options.sampling == .latinHypercube ? "Latin hypercube" : "plain Monte Carlo") |\n"
        out += "| Monthly bands from | \(Format.amount(Double(result.bandTrials))) trials |\n\n"
        out += "The same scenario file, seed and number of trials give identical numbers, whatever the number of threads.\n"
        return out
    }

    private func inputText(_ input: Uncertain) -> String {
        input.distribution.isFixed ? Format.percent(input.distribution.mean) : input.source
    }
}
