import CRMModel
import MonteCarlo
import Tabular

/// The CSV files beside `report.md`: exact numbers for spreadsheets and other tools.
///
/// Every file has a header row; numbers use the shortest exact form, undefined values
/// (no IRR, no payback) are empty cells. Amounts are in the scenario's currency; shares are
/// shares (0.25, not 25 %); months are month numbers (0 = decision month).
public struct CSVTables {
    public let result: SimulationResult

    public init(result: SimulationResult) {
        self.result = result
    }

    private var scenario: Scenario { result.model.scenario }

    /// `summary.csv`: one row per metric and statistic.
    public func summary() -> String {
        var csv = CSVWriter(header: ["metric", "statistic", "value"])
        func add(_ metric: String, _ s: Summary) {
            csv.append([metric, "mean", number(s.mean)])
            csv.append([metric, "sd", number(s.standardDeviation)])
            csv.append([metric, "se_mean", number(s.standardError)])
            for p in reportedPercentiles {
                csv.append([metric, "p\(Int((p * 100).rounded()))", number(s.percentile(p))])
            }
            csv.append([metric, "min", number(s.minimum)])
            csv.append([metric, "max", number(s.maximum)])
            csv.append([metric, "trials_with_value", String(s.count)])
            csv.append([metric, "trials_without_value", String(s.undefined)])
        }
        func add(_ metric: String, _ p: Probability) {
            csv.append([metric, "value", number(p.value)])
            csv.append([metric, "se", number(p.standardError)])
        }
        add("npv", result.npv)
        add("pv_benefits", result.pvBenefits)
        add("pv_costs", result.pvCosts)
        add("roi", result.roi)
        add("irr_annual", result.irr)
        csv.append(["irr_annual", "trials_no_sign_change", String(result.irrNoSignChange)])
        csv.append(["irr_annual", "trials_ambiguous", String(result.irrAmbiguous)])
        csv.append(["irr_annual", "trials_no_root", String(result.irrNoRoot)])
        add("payback_month", result.payback)
        add("discounted_payback_month", result.discountedPayback)
        add("peak_funding", result.peakFunding)
        add("probability_of_loss", result.probabilityOfLoss)
        add("probability_of_negative_roi", result.probabilityOfNegativeROI)
        add("probability_of_payback", result.probabilityOfPayback)
        add("probability_of_discounted_payback", result.probabilityOfDiscountedPayback)
        add("customers_at_horizon_with_crm", result.totalCustomersWith)
        add("customers_at_horizon_without_crm", result.totalCustomersWithout)
        for segment in result.segments {
            let prefix = "segment[\(segment.name)]"
            add("\(prefix).customers_at_horizon_with_crm", segment.customersWith)
            add("\(prefix).customers_at_horizon_without_crm", segment.customersWithout)
            add("\(prefix).customers_gained", segment.customersGained)
            add("\(prefix).clv_with_crm", segment.clvWith)
            add("\(prefix).clv_without_crm", segment.clvWithout)
            add("\(prefix).ltv_to_cac", segment.ltvToCac)
        }
        for risk in result.risks {
            let prefix = "risk[\(risk.name)]"
            add("\(prefix).occurred", risk.occurred)
            csv.append([prefix + ".mean_npv_when_it_happens", "value", number(risk.meanNPVWhenItHappens)])
            csv.append([prefix + ".mean_npv_otherwise", "value", number(risk.meanNPVOtherwise)])
        }
        csv.append(["trials", "value", String(result.trials)])
        csv.append(["seed", "value", String(result.options.seed)])
        return csv.text
    }

    /// `monthly.csv`: per month and series, P10/P50/P90 and the mean over the band trials.
    public func monthly() -> String {
        var csv = CSVWriter(header: ["month", "calendar_month", "series", "segment", "p10", "p50", "p90", "mean"])
        var series: [(String, String, Band)] = [
            ("cumulative_cash", "", result.cumulativeCash),
            ("adoption_share", "", result.adoption),
        ]
        for segment in result.segments {
            series.append(("customers_with_crm", segment.name, segment.customersWithBand))
            series.append(("customers_without_crm", segment.name, segment.customersWithoutBand))
        }
        for t in 0...scenario.horizon {
            let calendar = scenario.start.map { $0.adding(months: t).description } ?? ""
            for (name, segment, band) in series {
                csv.append([String(t), calendar, name, segment, number(band.p10[t]), number(band.p50[t]),
                            number(band.p90[t]), number(band.mean[t])])
            }
        }
        return csv.text
    }

    /// `sensitivity.csv`: per input and risk event, the swing, rank correlation and EVPPI; then
    /// the Sobol shares of variance per factor (first-order and total, with interval bounds).
    public static func sensitivity(_ s: Sensitivity, shares: VarianceShares? = nil) -> String {
        var csv = CSVWriter(header: ["input", "kind", "npv_at_p10", "npv_at_p90", "swing", "spearman", "evppi",
                                     "sobol_first", "sobol_first_low", "sobol_first_high",
                                     "sobol_total", "sobol_total_low", "sobol_total_high"])
        let noSobol = [String](repeating: "", count: 6)
        for e in s.effects {
            csv.append([e.name, e.isRisk ? "risk" : "input", number(e.npvLow), number(e.npvHigh),
                        number(e.swing), number(e.spearman), number(e.evppi)] + noSobol)
        }
        csv.append(["all inputs (EVPI)", "all", "", "", "", "", number(s.evpi)] + noSobol)
        for share in shares?.shares ?? [] {
            let f = share.firstOrder, t = share.totalOrder
            csv.append([share.name, "sobol factor", "", "", "", "", "",
                        number(f.value), number(f.lower), number(f.upper), number(t.value), number(t.lower), number(t.upper)])
        }
        return csv.text
    }

    /// `cash-flow.csv`: the cash flow by year of the report's table in the layout of a Forrester
    /// TEI study, one row per period (`initial` is month 0, `year_k` months 12(k − 1) + 1 … 12k,
    /// the last cut at the horizon), then `total` and `present_value`. Mean amounts over the
    /// trials, undiscounted, in the scenario's currency; risk-adjusted (every uncertainty and
    /// risk) and, when `plan` is given, unadjusted (inputs at their medians, no risk event).
    /// Present values are the means of the trials' own discounted sums (PV of costs, of
    /// benefits, and the NPV), not the yearly means discounted.
    public func cashFlow(plan: SimulationResult?) -> String {
        var header = ["period", "first_month", "last_month", "costs_risk_adjusted", "benefits_risk_adjusted", "net_risk_adjusted"]
        if plan != nil { header += ["costs_unadjusted", "benefits_unadjusted", "net_unadjusted"] }
        var csv = CSVWriter(header: header)
        let flows = [result.yearlyCashFlow] + (plan.map { [$0.yearlyCashFlow] } ?? [])
        for p in result.yearlyCashFlow.costs.indices {
            let months = result.yearlyCashFlow.months(ofPeriod: p)
            var row = [p == 0 ? "initial" : "year_\(p)", String(months.lowerBound), String(months.upperBound)]
            for flow in flows { row += [number(flow.costs[p]), number(flow.benefits[p]), number(flow.net[p])] }
            csv.append(row)
        }
        var total = ["total", "0", String(scenario.horizon)]
        for flow in flows {
            total += [number(flow.costs.reduce(0, +)), number(flow.benefits.reduce(0, +)), number(flow.net.reduce(0, +))]
        }
        csv.append(total)
        var present = ["present_value", "0", String(scenario.horizon)]
        for r in [result] + (plan.map { [$0] } ?? []) {
            present += [number(r.pvCosts.mean), number(r.pvBenefits.mean), number(r.npv.mean)]
        }
        csv.append(present)
        return csv.text
    }

    /// `inputs.csv`: every input as the scenario gives it, its unit, and the mean, 5th and 95th
    /// percentile of its distribution (a fixed number: the number itself) — the report's input
    /// table with every digit. Shares are shares (0.25), amounts in the scenario's currency.
    public func inputs() -> String {
        var csv = CSVWriter(header: ["input", "as_written", "unit", "mean", "p5", "p95"])
        for input in scenario.inputs {
            let range = InputRange(input.distribution)
            csv.append([input.name, input.source, input.unit.words, number(range.mean), number(range.p5), number(range.p95)])
        }
        return csv.text
    }

    /// `lines.csv`: present value of each cost and benefit line.
    public func lines() -> String {
        var csv = CSVWriter(header: ["line", "kind", "pv_mean", "pv_sd", "pv_se_mean"])
        for line in result.lines {
            csv.append([line.name, line.kind, number(line.mean), number(line.standardDeviation), number(line.standardError)])
        }
        return csv.text
    }

    /// `trials.csv`: one row per trial with its outcomes, its risk events (1 = happened) and
    /// every drawn input. Inputs are drawn again from the same keyed streams, so they are
    /// exactly the values the trial used.
    public func trials() -> String {
        let model = result.model
        let per = result.perTrial
        var header = ["trial", "npv", "pv_benefits", "pv_costs", "roi", "irr_annual", "payback_month",
                      "discounted_payback_month", "peak_funding"]
        for segment in scenario.segments {
            header += ["customers_with_crm[\(segment.name)]", "customers_without_crm[\(segment.name)]",
                       "clv_with_crm[\(segment.name)]", "clv_without_crm[\(segment.name)]"]
        }
        header += scenario.risks.map { "happened[\($0.name)]" }
        header += model.inputs.map(\.name)
        var csv = CSVWriter(header: header)
        csv.reserveCapacity(per.count * header.count * 12)
        for i in 0..<per.count {
            var cells = [String(i), number(per.npv(i)), number(per.pvBenefits(i)), number(per.pvCosts(i)),
                         number(per.roi(i)), number(per.irr(i)), number(per.payback(i)),
                         number(per.discountedPayback(i)), number(per.peakFunding(i))]
            for s in scenario.segments.indices {
                cells += [number(per.customersWith(i, segment: s)), number(per.customersWithout(i, segment: s)),
                          number(per.clvWith(i, segment: s)), number(per.clvWithout(i, segment: s))]
            }
            cells += scenario.risks.indices.map { per.riskOccurred(i, risk: $0) ? "1" : "0" }
            cells += model.drawnInputs(uniforms: result.uniforms(trial: i)).map(number)
            csv.append(cells)
        }
        return csv.text
    }
}

/// A number as the CSV files write it: shortest exact form, empty when undefined.
private func number(_ value: Double) -> String { CSVWriter.number(value) }
