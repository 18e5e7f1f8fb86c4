import CRMModel

/// The mean costs and benefits of the CRM per plan year, undiscounted, in currency units — the
/// columns of a cash-flow table in the layout of a Forrester Total Economic Impact study.
///
/// Period 0 is month 0 (the "initial" column: what is paid before the first month ends);
/// period k ≥ 1 is months 12(k − 1) + 1 … 12k, the last one cut at the horizon. Costs are
/// licences and cost lines (positive amounts); benefits are the benefit lines and the customer
/// lines (the CRM world minus the world without it), so benefits − costs is the trial's cash
/// flow and the periods' net flows add up to the cumulative cash at the horizon.
public struct YearlyCashFlow: Sendable, Equatable {
    /// The last month of the plan.
    public let horizon: Int
    /// Mean costs per period (currency units, undiscounted).
    public let costs: [Double]
    /// Mean benefits per period (currency units, undiscounted).
    public let benefits: [Double]

    public init(horizon: Int, costs: [Double], benefits: [Double]) {
        self.horizon = horizon
        self.costs = costs
        self.benefits = benefits
    }

    /// Benefits − costs per period.
    public var net: [Double] { zip(benefits, costs).map { $0 - $1 } }

    /// Periods of a plan of months 0…`horizon`: the initial month and one per started year.
    public static func periods(horizon: Int) -> Int { 1 + (horizon + 11) / 12 }

    /// The period of month `t`.
    public static func period(ofMonth t: Int) -> Int { t == 0 ? 0 : (t - 1) / 12 + 1 }

    /// The months of period `p`.
    public func months(ofPeriod p: Int) -> ClosedRange<Int> {
        p == 0 ? 0...0 : (12 * (p - 1) + 1)...min(12 * p, horizon)
    }

    /// The column title of period `p` (months `months`): "Initial", "Year 2", or for a year cut
    /// at the horizon "Year 6 (months 61–66)" — the report's table and the workbook's alike.
    public static func title(ofPeriod p: Int, months: ClosedRange<Int>) -> String {
        p == 0 ? "Initial" : months.count == 12 ? "Year \(p)" : "Year \(p) (months \(months.lowerBound)–\(months.upperBound))"
    }

    /// Writes a finished trial's costs per period, then its benefits per period, into `values`
    /// (2 × ``periods(horizon:)`` numbers), without allocating.
    static func fill(_ values: inout [Double], from w: TrialWorkspace, horizon: Int) {
        let periods = values.count / 2
        for k in values.indices { values[k] = 0 }
        for t in 0...horizon {
            let p = period(ofMonth: t)
            let cost = w.licenceCostPath[t] + w.otherCostsPath[t]
            values[p] += cost
            values[periods + p] += w.cash[t] + cost
        }
    }
}
