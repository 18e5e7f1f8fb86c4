import CRMModel
import MonteCarlo

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
        var out = "metric,statistic,value\n"
        func add(_ metric: String, _ s: Summary) {
            out += "\(Format.csvText(metric)),mean,\(Format.csv(s.mean))\n"
            out += "\(Format.csvText(metric)),sd,\(Format.csv(s.standardDeviation))\n"
            out += "\(Format.csvText(metric)),se_mean,\(Format.csv(s.standardError))\n"
            for p in reportedPercentiles {
                out += "\(Format.csvText(metric)),p\(Int((p * 100).rounded())),\(Format.csv(s.percentile(p)))\n"
            }
            out += "\(Format.csvText(metric)),min,\(Format.csv(s.minimum))\n"
            out += "\(Format.csvText(metric)),max,\(Format.csv(s.maximum))\n"
            out += "\(Format.csvText(metric)),trials_with_value,\(s.count)\n"
            out += "\(Format.csvText(metric)),trials_without_value,\(s.undefined)\n"
        }
        func add(_ metric: String, _ p: Probability) {
            out += "\(metric),value,\(Format.csv(p.value))\n"
            out += "\(metric),se,\(Format.csv(p.standardError))\n"
        }
        add("npv", result.npv)
        add("pv_benefits", result.pvBenefits)
        add("pv_costs", result.pvCosts)
        add("roi", result.roi)
        add("irr_annual", result.irr)
        out += "irr_annual,trials_no_sign_change,\(result.irrNoSignChange)\n"
        out += "irr_annual,trials_ambiguous,\(result.irrAmbiguous)\n"
        out += "irr_annual,trials_no_root,\(result.irrNoRoot)\n"
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
            out += "\(Format.csvText(prefix + ".mean_npv_when_it_happens")),value,\(Format.csv(risk.meanNPVWhenItHappens))\n"
            out += "\(Format.csvText(prefix + ".mean_npv_otherwise")),value,\(Format.csv(risk.meanNPVOtherwise))\n"
        }
        out += "trials,value,\(result.trials)\n"
        out += "seed,value,\(result.options.seed)\n"
        return out
    }

    /// `monthly.csv`: per month and series, P10/P50/P90 and the mean over the band trials.
    public func monthly() -> String {
        var out = "month,calendar_month,series,segment,p10,p50,p90,mean\n"
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
                out += "\(t),\(calendar),\(name),\(Format.csvText(segment)),\(Format.csv(band.p10[t])),"
                out += "\(Format.csv(band.p50[t])),\(Format.csv(band.p90[t])),\(Format.csv(band.mean[t]))\n"
            }
        }
        return out
    }

    /// `sensitivity.csv`: per input and risk event, the swing, rank correlation and EVPPI; then
    /// the Sobol shares of variance per factor (first-order and total, with interval bounds).
    public static func sensitivity(_ s: Sensitivity, shares: VarianceShares? = nil) -> String {
        var out = "input,kind,npv_at_p10,npv_at_p90,swing,spearman,evppi,sobol_first,sobol_first_low,sobol_first_high,sobol_total,sobol_total_low,sobol_total_high\n"
        for e in s.effects {
            out += "\(Format.csvText(e.name)),\(e.isRisk ? "risk" : "input"),\(Format.csv(e.npvLow)),\(Format.csv(e.npvHigh)),"
            out += "\(Format.csv(e.swing)),\(Format.csv(e.spearman)),\(Format.csv(e.evppi)),,,,,,\n"
        }
        out += "all inputs (EVPI),all,,,,,\(Format.csv(s.evpi)),,,,,,\n"
        for share in shares?.shares ?? [] {
            let f = share.firstOrder, t = share.totalOrder
            out += "\(Format.csvText(share.name)),sobol factor,,,,,,\(Format.csv(f.value)),\(Format.csv(f.lower)),\(Format.csv(f.upper)),"
            out += "\(Format.csv(t.value)),\(Format.csv(t.lower)),\(Format.csv(t.upper))\n"
        }
        return out
    }

    /// `lines.csv`: present value of each cost and benefit line.
    public func lines() -> String {
        var out = "line,kind,pv_mean,pv_sd,pv_se_mean\n"
        for line in result.lines {
            out += "\(Format.csvText(line.name)),\(line.kind),\(Format.csv(line.mean)),"
            out += "\(Format.csv(line.standardDeviation)),\(Format.csv(line.standardError))\n"
        }
        return out
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
        var out = header.map(Format.csvText).joined(separator: ",") + "\n"
        out.reserveCapacity(per.count * header.count * 12)
        for i in 0..<per.count {
            var cells = [String(i), Format.csv(per.npv(i)), Format.csv(per.pvBenefits(i)), Format.csv(per.pvCosts(i)),
                         Format.csv(per.roi(i)), Format.csv(per.irr(i)), Format.csv(per.payback(i)),
                         Format.csv(per.discountedPayback(i)), Format.csv(per.peakFunding(i))]
            for s in scenario.segments.indices {
                cells += [Format.csv(per.customersWith(i, segment: s)), Format.csv(per.customersWithout(i, segment: s)),
                          Format.csv(per.clvWith(i, segment: s)), Format.csv(per.clvWithout(i, segment: s))]
            }
            cells += scenario.risks.indices.map { per.riskOccurred(i, risk: $0) ? "1" : "0" }
            cells += model.drawnInputs(uniforms: result.uniforms(trial: i)).map(Format.csv)
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
