/// A monthly quantity a firm can measure after go-live and compare with the business case:
/// the vocabulary of actuals files (`crmcase track`).
///
/// Amounts are in the scenario's currency **per month**; counts are whole customers or users
/// in that month; adoption is a share of licensed seats.
public enum TrackedMetric: Sendable, Hashable {
    /// Users in active use at the end of the month (seats × A_t).
    case activeUsers
    /// Share of licensed seats in active use (A_t), 0…1.
    case adoption
    /// Customers at the end of the month, in one segment or (nil) in all.
    case customers(segment: Int?)
    /// Customers lost during the month.
    case churned(segment: Int?)
    /// Customers won during the month.
    case newCustomers(segment: Int?)
    /// Licence cost of the month.
    case licenceCost
    /// Every other cost line of the month together.
    case otherCosts
    /// Contribution margin earned from customers in the month (with the CRM).
    case contributionMargin(segment: Int?)

    /// The name used in actuals files.
    public var fileName: String {
        switch self {
        case .activeUsers: return "active_users"
        case .adoption: return "adoption"
        case .customers: return "customers"
        case .churned: return "churned"
        case .newCustomers: return "new_customers"
        case .licenceCost: return "licence_cost"
        case .otherCosts: return "other_costs"
        case .contributionMargin: return "contribution_margin"
        }
    }

    /// Every metric name an actuals file may use.
    public static let fileNames = ["active_users", "adoption", "customers", "churned", "new_customers",
                                   "licence_cost", "other_costs", "contribution_margin"]

    /// Whether the metric can be given for one segment.
    public static func takesSegment(_ name: String) -> Bool {
        ["customers", "churned", "new_customers", "contribution_margin"].contains(name)
    }

    /// The metric for a file name and an optional segment index; nil for an unknown name or a
    /// segment on a metric that has none.
    public static func named(_ name: String, segment: Int?) -> TrackedMetric? {
        switch name {
        case "active_users": return segment == nil ? .activeUsers : nil
        case "adoption": return segment == nil ? .adoption : nil
        case "customers": return .customers(segment: segment)
        case "churned": return .churned(segment: segment)
        case "new_customers": return .newCustomers(segment: segment)
        case "licence_cost": return segment == nil ? .licenceCost : nil
        case "other_costs": return segment == nil ? .otherCosts : nil
        case "contribution_margin": return .contributionMargin(segment: segment)
        default: return nil
        }
    }

    /// +1 when more is better for the business case (users, customers, margin), −1 when more
    /// is worse (churn, costs). Verdicts use it to say "worse" or "better".
    public var direction: Double {
        switch self {
        case .activeUsers, .adoption, .customers, .newCustomers, .contributionMargin: return 1
        case .churned, .licenceCost, .otherCosts: return -1
        }
    }

    /// Whether the metric counts whole things (customers), so that its forecast is discrete.
    public var isCount: Bool {
        switch self {
        case .customers, .churned, .newCustomers: return true
        default: return false
        }
    }

    /// The segment the metric is about, if any.
    public var segment: Int? {
        switch self {
        case .customers(let s), .churned(let s), .newCustomers(let s), .contributionMargin(let s): return s
        default: return nil
        }
    }
}

extension TrialWorkspace {
    /// The value a metric took in month `t` of the last trial run in this workspace.
    public func value(of metric: TrackedMetric, month t: Int) -> Double {
        let months = cash.count
        func bySegment(_ path: [Double], _ segment: Int?) -> Double {
            if let segment { return path[segment * months + t] }
            var total = 0.0
            for s in 0..<(path.count / months) { total += path[s * months + t] }
            return total
        }
        switch metric {
        case .activeUsers: return seatsInTrial * adoptionPath[t]
        case .adoption: return adoptionPath[t]
        case .customers(let s): return bySegment(customersWithPath, s)
        case .churned(let s): return bySegment(churnedPath, s)
        case .newCustomers(let s): return bySegment(joinedPath, s)
        case .licenceCost: return licenceCostPath[t]
        case .otherCosts: return otherCostsPath[t]
        case .contributionMargin(let s): return bySegment(marginPath, s)
        }
    }
}
