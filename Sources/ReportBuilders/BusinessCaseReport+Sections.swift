import CRMModel
import MonteCarlo
import ReportDocument

/// The report's tables, in reading order after the summary page.
extension BusinessCaseReport {
    /// A whole amount in a table that names the currency once.
    private func amount(_ value: Double) -> Text { "\(Q.amount(value))" }
    private func share(_ value: Double, decimals: Int = 1) -> Text { "\(Q.share(value, decimals: decimals))" }

    func keyOutcomes() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Key outcomes", anchor: "key-outcomes")]
        blocks.append(.paragraph(Text("Amounts in \(currency), present values at \(inputText(scenario.discountRate)) a year, months 0–\(scenario.horizon). ")
            + "P5…P95 are percentiles over \(Q.count(result.trials)) trials: P10 means 10 % of trials came out lower."))
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [Table.Column("Outcome"), Table.Column("Mean (± MC error)", kind: money)]
                          + reportedPercentiles.map { Table.Column(Text("P\(Int(($0 * 100).rounded()))"), kind: money) },
                          caption: "Key outcomes over the trials, amounts in \(currency) (present values)")
        let amount: (Double) -> Quantity = Q.amount
        let percent: (Double) -> Quantity = { Q.share($0) }
        let errorPercent: (Double) -> Quantity = { Q.share($0, decimals: 2) }
        table.append(row("NPV", result.npv, amount))
        table.append(row("PV of benefits", result.pvBenefits, amount))
        table.append(row("PV of costs", result.pvCosts, amount))
        table.append(row("ROI", result.roi, error: errorPercent, percent))
        table.append(row("IRR (per year)¹", result.irr, error: errorPercent, percent))
        let months: (Double) -> Quantity = { Quantity(.month, $0, $0.isFinite ? Format.number($0, decimals: 1) : "never") }
        let wholeMonths: (Double) -> Quantity = {
            Quantity(.month, $0, $0.isFinite ? Format.number($0, decimals: $0 == $0.rounded() ? 0 : 1) : "never")
        }
        table.append(row("Payback month²", result.payback, error: months, wholeMonths,
                         population: result.probabilityOfPayback.value))
        table.append(row("Discounted payback month²", result.discountedPayback, error: months, wholeMonths,
                         population: result.probabilityOfDiscountedPayback.value))
        table.append(row("Peak funding need", result.peakFunding, amount))
        blocks.append(.table(table))

        let irrNone = result.irrNoSignChange + result.irrAmbiguous + result.irrNoRoot
        let irrNote: Text = "¹ IRR over the \(Q.count(result.irr.count)) trials that have one. "
            + "\(Q.count(irrNone)) trials (\(Q.share(Double(irrNone) / Double(result.trials)))) have none: "
            + "\(Q.count(result.irrNoSignChange)) because the cash flow never changes sign, "
            + "\(Q.count(result.irrNoRoot)) because no rate between −80 % and +400 % a month gives a zero NPV "
            + "(typically a project that never recovers), "
            + "\(Q.count(result.irrAmbiguous)) because several rates give a zero NPV."
        blocks.append(.notes([irrNote, "² The mean is over the trials that pay back within the horizon (the share in its cell); percentiles count the others as “never”."]))
        blocks.append(.paragraph(convergence()))

        var chances = Table(columns: [Table.Column("Probability"), Table.Column("Value", kind: .share),
                                      Table.Column("MC error", kind: .share)],
                            caption: "Chances over the trials, with their Monte Carlo standard errors")
        for (name, p) in [("Losing money (NPV < 0)", result.probabilityOfLoss),
                          ("Negative ROI", result.probabilityOfNegativeROI),
                          ("Paying back within the horizon", result.probabilityOfPayback),
                          ("Paying back within the horizon, discounted", result.probabilityOfDiscountedPayback)] {
            // ROI does not exist when nothing is spent (PV of costs 0): say so rather than 0 %.
            if name == "Negative ROI" && result.roi.count == 0 {
                chances.append([Text(name), "none (nothing is spent)", ""])
                continue
            }
            chances.append([Text(name), share(p.value), "± \(Q.share(p.standardError, decimals: 2))"])
        }
        blocks.append(.table(chances))
        return blocks
    }

    /// A row of the key outcomes: the mean with its MC error, then the percentiles.
    /// `population`: the share of trials the mean is taken over, when it is not all of them
    /// (said in the same cell, so a mean over paying trials is never read beside percentiles
    /// that count "never").
    private func row(_ name: String, _ s: Summary, error: ((Double) -> Quantity)? = nil,
                     _ format: (Double) -> Quantity, population: Double? = nil) -> [Text] {
        let se = error.map { $0(s.standardError) } ?? format(s.standardError)
        var mean: Text = "\(format(s.mean)) (± \(se))"
        // On its own line, so the column stays as narrow as its numbers.
        if let population { mean += Text([.lineBreak]) + "over the \(Q.share(population, decimals: 0)) that do" }
        return [Text(name), mean] + reportedPercentiles.map { "\(format(s.percentile($0)))" }
    }

    func monthLabel(_ t: Int) -> Text {
        if let start = scenario.start { return "\(Quantity(.month, Double(t), "\(t)")) (\(start.adding(months: t).description))" }
        return "\(Quantity(.month, Double(t), "\(t)"))"
    }

    func cashByQuarter() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Cumulative cash by quarter", anchor: "cash-by-quarter")]
        blocks.append(.paragraph("The running total of the CRM's extra cash flow (benefits and customer value minus licences and costs), "
            + "undiscounted, at the end of each quarter. The band is the middle 80 % of trials" + Text(bandNote()) + "."))
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [Table.Column("Month", kind: .month, alignment: .leading), Table.Column("P10", kind: money),
                                    Table.Column("P50", kind: money), Table.Column("Mean", kind: money), Table.Column("P90", kind: money)],
                          caption: "Cumulative cash at the end of each quarter, in \(currency), undiscounted")
        let band = result.cumulativeCash
        var months = Array(stride(from: 3, through: scenario.horizon, by: 3))
        if months.last != scenario.horizon { months.append(scenario.horizon) }
        for t in months {
            table.append([monthLabel(t), amount(band.p10[t]), amount(band.p50[t]), amount(band.mean[t]), amount(band.p90[t])])
        }
        return blocks + [.table(table)]
    }

    /// Says when the monthly bands rest on fewer trials than the rest of the report.
    func bandNote() -> String {
        result.bandTrials < result.trials
            ? " (bands from the first \(Format.amount(Double(result.bandTrials))) of \(Format.amount(Double(result.trials))) trials)"
            : ""
    }

    func linesSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Costs and benefits", anchor: "costs-and-benefits")]
        blocks.append(.paragraph("Present value of each line, averaged over trials. Customer lines are the CRM world minus the world without it: "
            + "extra margin from customers kept, won and upsold, and the cost of winning the extra customers (negative when more are won)."))
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [Table.Column("Line"), Table.Column("Kind"), Table.Column("Mean PV", kind: money),
                                    Table.Column("Share", kind: .share), Table.Column("sd", kind: money)],
                          caption: "Present value per cost and benefit line, in \(currency)")
        let costTotal = result.lines.filter { $0.kind == "cost" }.reduce(0) { $0 + $1.mean }
        let benefitTotal = result.lines.filter { $0.kind == "benefit" }.reduce(0) { $0 + $1.mean }
        for line in result.lines {
            let total = line.kind == "cost" ? costTotal : benefitTotal
            let share = total != 0 ? line.mean / total : .nan
            table.append([Text(line.name), Text(line.kind), amount(line.mean), self.share(share), amount(line.standardDeviation)])
        }
        table.append(["All costs", "", amount(costTotal), "", ""], isTotal: true)
        table.append(["All benefits", "", amount(benefitTotal), "", ""], isTotal: true)
        return blocks + [.table(table)]
    }

    func customersSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Customers and lifetime value per segment", anchor: "customers")]
        blocks.append(.paragraph(Text("Customers at month \(scenario.horizon) with the CRM and without it (today's churn and wins), whole customers ")
            + "who churn and join at random, the same luck in both worlds. Customer lifetime value (CLV) is the present value of a "
            + "customer's future monthly margins, m·r/(1 + i − r) with monthly retention r and discount rate i "
            + "(Gupta–Lehmann); “with CRM” is at the trial's adoption ceiling."))
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [
            Table.Column("Segment"), Table.Column("Customers at start", kind: .count),
            Table.Column("With CRM, P50 (P10–P90)", kind: .count), Table.Column("Without CRM, mean", kind: .count),
            Table.Column("Gained, mean", kind: .count), Table.Column("CLV without", kind: money),
            Table.Column("CLV with", kind: money), Table.Column("LTV : CAC", kind: .number),
        ], caption: "Customers at month \(scenario.horizon) and lifetime value per segment, CLV in \(currency)")
        for (s, segment) in result.segments.enumerated() {
            let start = scenario.segments[s].customers.distribution.mean
            let ltv: Text = segment.ltvToCac.count > 0
                ? "\(Quantity(.number, segment.ltvToCac.mean, Format.number(segment.ltvToCac.mean, decimals: 1)))" : "none"
            let with = segment.customersWith
            table.append([Text(segment.name), count(start),
                          count(with.median) + " (" + count(with.percentile(0.1)) + "–" + count(with.percentile(0.9)) + ")",
                          count(segment.customersWithout.mean), count(segment.customersGained.mean),
                          amount(segment.clvWithout.mean), amount(segment.clvWith.mean), ltv])
        }
        table.append(["All", "", count(result.totalCustomersWith.median), count(result.totalCustomersWithout.mean),
                      count(result.totalCustomersWith.mean - result.totalCustomersWithout.mean), "", "", ""], isTotal: true)
        blocks.append(.table(table))

        blocks.append(.paragraph(Text("Customers by year, with the CRM (P10 / P50 / P90) and without (mean)\(bandNote()):")))
        var columns = [Table.Column("Month", kind: .month, alignment: .leading)]
        for segment in result.segments {
            columns += [Table.Column(Text("\(segment.name) with"), kind: .count), Table.Column("without", kind: .count)]
        }
        var byYear = Table(columns: columns, caption: "Customers per segment at the start of each year")
        for t in yearMonths() {
            var cells = [monthLabel(t)]
            for segment in result.segments {
                let b = segment.customersWithBand
                cells.append(count(b.p10[t]) + " / " + count(b.p50[t]) + " / " + count(b.p90[t]))
                cells.append(count(segment.customersWithoutBand.mean[t]))
            }
            byYear.append(cells)
        }
        return blocks + [.table(byYear)]
    }

    private func count(_ value: Double) -> Text { "\(Quantity(.count, value, Format.amount(value)))" }

    func yearMonths() -> [Int] {
        var months = Array(stride(from: 0, through: scenario.horizon, by: 12))
        if months.last != scenario.horizon { months.append(scenario.horizon) }
        return months
    }

    func adoptionSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Adoption", anchor: "adoption")]
        blocks.append(.paragraph(Text("Share of the licensed seats in active use (P10 / P50 / P90 over trials\(bandNote())). ")
            + "Every CRM benefit scales with this share."))
        blocks.append(.figure(adoptionFigure()))
        var table = Table(columns: [Table.Column("Month", kind: .month, alignment: .leading), Table.Column("P10", kind: .share),
                                    Table.Column("P50", kind: .share), Table.Column("P90", kind: .share)],
                          caption: "Share of the seats in active use, every six months")
        let band = result.adoption
        for t in stride(from: 0, through: scenario.horizon, by: 6) {
            table.append([monthLabel(t), share(band.p10[t]), share(band.p50[t]), share(band.p90[t])])
        }
        return blocks + [.table(table)]
    }

    func risksSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Risk events", anchor: "risks")]
        guard !result.risks.isEmpty else {
            return blocks + [.paragraph("The scenario lists no risk events.")]
        }
        blocks.append(.paragraph("Each event is drawn independently in every trial. “Mean NPV if it happens” averages the trials in which it "
            + "happened; the difference to “if not” is its impact, other risks included."))
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [
            Table.Column("Risk"), Table.Column("Effect"), Table.Column("Probability (input)"),
            Table.Column("Happened", kind: .share), Table.Column("Mean NPV if it happens", kind: money),
            Table.Column("Mean NPV if not", kind: money), Table.Column("P(loss) if it happens", kind: .share),
            Table.Column("P(loss) if not", kind: .share),
        ], caption: "Risk events and their impact on the NPV, in \(currency)")
        for (r, risk) in result.risks.enumerated() {
            let event = scenario.risks[r]
            // Every effect of the event, in the order written; they happen together.
            let effect = event.effects.map { e in
                e.target.isDelay ? "go-live delayed by \(e.size.source) months"
                    : "\(e.target.rawValue.replacingOccurrences(of: "_", with: " ")) × \(e.size.source)"
            }.joined(separator: ", and ")
            table.append([Text(risk.name), Text(effect), Text(event.probability.source), share(risk.occurred.value),
                          amount(risk.meanNPVWhenItHappens), amount(risk.meanNPVOtherwise),
                          share(risk.lossWhenItHappens.value), share(risk.lossOtherwise.value)])
        }
        return blocks + [.table(table)]
    }

    func inputsSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Inputs", anchor: "inputs")]
        if !info.changes.isEmpty {
            blocks.append(.paragraph("\(strong: "Changed for this run") (not as in the scenario file; marked ✎ below):"))
            blocks.append(.list(info.changes.map { "\(code: $0)" }))
        }
        blocks.append(.paragraph("Every input as the scenario gives it, with the mean and the 90 % range of its distribution "
            + "(“default” marks a value the scenario left out)."))
        var table = Table(columns: [Table.Column("Input"), Table.Column("As written"), Table.Column("Unit"),
                                    Table.Column("Mean", kind: .number), Table.Column("P5", kind: .number),
                                    Table.Column("P95", kind: .number)],
                          caption: "Every input of the scenario and its distribution")
        for input in scenario.inputs {
            let show: (Double) -> Text = { value in
                switch input.unit {
                case .share, .sharePerYear: return "\(Q.share(value))"
                case .money, .moneyPerMonth: return "\(Q.amount(value))"
                case .count, .countPerMonth, .months:
                    return "\(Quantity(.number, value, Format.number(value, decimals: value == value.rounded() ? 0 : 1)))"
                default: return "\(Quantity(.number, value, Format.number(value, decimals: 3)))"
                }
            }
            let range = InputRange(input.distribution)
            let name: Text = info.changedPaths.contains(input.name) ? "\(code: input.name) ✎" : "\(code: input.name)"
            table.append([name, Text(input.source), Text(input.unit.words), show(range.mean), show(range.p5), show(range.p95)])
        }
        return blocks + [.table(table)]
    }

    func methodSection() -> [Block] {
        [
            .heading(level: 2, text: "How these numbers are made", anchor: "method"),
            .list([
                Text("Each trial draws every uncertain input once, decides which risk events happen, and runs the months 0–\(scenario.horizon) ")
                    + "twice: with the CRM and without it. Customers churn and join at random, as whole customers, and both worlds "
                    + "face the same luck customer for customer, so the difference is what the CRM changes.",
                "Cash flows fall at the end of each month and are discounted monthly at the rate equivalent to the yearly one.",
                "ROI = (PV of benefits − PV of costs) ÷ PV of costs. Payback is the first month from which the cumulative "
                    + "cash stays at or above zero. IRR is the yearly rate that makes the NPV zero, and “none” when there is no such single rate.",
                "The spread of the results is the uncertainty of the inputs and risk events, plus the CRM's own effect on whole "
                    + "customers (which would-be churner it keeps, which extra customer it wins); the luck both worlds share is not in it.",
                "“± MC error” is the Monte Carlo standard error: running more trials shrinks it; it says nothing about whether "
                    + "the inputs are right.",
                "The full model is described in \(code: "docs/MODEL.md").",
            ]),
        ]
    }

    func footer() -> [Block] {
        info.reproducibilitySection(changedLabel: "Changed for this run", extraRows: [
            ("Trials", "\(Q.count(result.trials))"),
            ("Seed", Text(String(result.options.seed))),
            ("Sampling", result.options.sampling == .latinHypercube ? "Latin hypercube" : "plain Monte Carlo"),
            ("Monthly bands from", "\(Q.count(result.bandTrials)) trials"),
        ]) + [.paragraph("The same scenario file, seed and number of trials give identical numbers, whatever the number of threads.")]
    }

    func inputText(_ input: Uncertain) -> String {
        input.distribution.isFixed ? Format.percent(input.distribution.mean) : input.source
    }
}
