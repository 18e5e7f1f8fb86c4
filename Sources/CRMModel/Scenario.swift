/// A checked, ready-to-simulate business case: what the scenario file says, with every
/// number resolved to an ``Uncertain`` input. `ScenarioFormat` builds it from YAML; the
/// engine only reads it.
public struct Scenario: Sendable {
    /// Free-text title shown at the top of the report.
    public var name: String
    /// ISO currency code shown with every amount ("DKK", "NOK", "EUR").
    public var currency: String
    /// The calendar month of month 0, when the scenario gives one.
    public var start: CalendarMonth?
    /// Number of months simulated after month 0 (months 0…horizon).
    public var horizon: Int
    /// Discount rate **per year** (a share: 0.08 is 8 %).
    public var discountRate: Uncertain
    public var licences: Licences
    public var adoption: Adoption
    public var costs: [Line]
    public var benefits: [Line]
    public var acquisition: Acquisition
    public var segments: [Segment]
    public var risks: [RiskEvent]
    /// Rank correlations between uncertain inputs (the `correlations:` section); the inputs
    /// are drawn through a Gaussian copula so that each keeps its own distribution.
    public var correlations: [InputCorrelation] = []

    public init(
        name: String, currency: String, start: CalendarMonth?, horizon: Int,
        discountRate: Uncertain, licences: Licences, adoption: Adoption,
        costs: [Line], benefits: [Line], acquisition: Acquisition,
        segments: [Segment], risks: [RiskEvent]
    ) {
        self.name = name
        self.currency = currency
        self.start = start
        self.horizon = horizon
        self.discountRate = discountRate
        self.licences = licences
        self.adoption = adoption
        self.costs = costs
        self.benefits = benefits
        self.acquisition = acquisition
        self.segments = segments
        self.risks = risks
    }

    /// Every input in the order the report lists them.
    public var inputs: [Uncertain] {
        var all: [Uncertain] = [discountRate, licences.seats]
        // Optional inputs are listed only when the scenario gives them, so that a scenario
        // without them keeps its input table (and, keyed by name, every draw) unchanged.
        if let users = licences.users { all.append(users) }
        all += [licences.price, licences.escalation, adoption.goLive, adoption.ceiling]
        switch adoption.curve {
        case .logistic(let halfTime, let steepness): all += [halfTime, steepness]
        case .bass(let p, let q): all += [p, q]
        }
        all += costs.map(\.amount)
        all += benefits.map(\.amount)
        all += [acquisition.newCustomers, acquisition.winRateUplift, acquisition.costPerCustomer]
        for segment in segments {
            all += [segment.customers, segment.margin, segment.churn, segment.churnReduction, segment.marginUplift]
            if let cost = segment.costPerCustomer { all.append(cost) }
        }
        for risk in risks {
            all.append(risk.probability)
            all += risk.effects.map(\.size)
        }
        return all
    }
}

/// A calendar month such as 2027-03.
public struct CalendarMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1…12.
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The calendar month `offset` months later.
    public func adding(months offset: Int) -> CalendarMonth {
        let index = year * 12 + (month - 1) + offset
        return CalendarMonth(year: index / 12, month: index % 12 + 1)
    }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(m)"
    }

    public static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

/// What the CRM licences cost.
public struct Licences: Sendable {
    /// Licensed seats (drawn values are rounded to whole seats).
    public var seats: Uncertain
    /// Price per seat **per month**.
    public var price: Uncertain
    /// First and last month paid (inclusive).
    public var from: Int
    public var to: Int
    /// Price increase **per year**, applied on each anniversary of `from` (a share).
    public var escalation: Uncertain
    /// The number of people who should use the CRM (`licences.users`; drawn values are rounded
    /// to whole people), or nil: as many as there are seats. With fewer seats than users only
    /// the share seats ÷ users of them can use it, and the customer effects shrink in
    /// proportion (``coverage(seats:users:)``, `docs/MODEL.md`, "Seats, users and customer
    /// effects").
    public var users: Uncertain?

    public init(seats: Uncertain, price: Uncertain, from: Int, to: Int, escalation: Uncertain, users: Uncertain? = nil) {
        self.seats = seats
        self.price = price
        self.from = from
        self.to = to
        self.escalation = escalation
        self.users = users
    }

    /// The share of the people who should use the CRM who have a seat: min(1, seats ÷ users),
    /// 1 when users is 0 or not given (nil). Seats beyond the users add no customer effect.
    @inline(__always)
    public static func coverage(seats: Double, users: Double?) -> Double {
        guard let users, users > 0 else { return 1 }
        return min(1, max(0, seats) / users)
    }
}

/// How fast seats come into real use.
public struct Adoption: Sendable {
    public enum Curve: Sendable {
        /// A logistic S-curve: `halfTime` months from go-live to half the ceiling,
        /// `steepness` per month.
        case logistic(halfTime: Uncertain, steepness: Uncertain)
        /// Bass diffusion with innovation `p` and imitation `q`, both per month.
        case bass(p: Uncertain, q: Uncertain)
    }

    public var curve: Curve
    /// The month the CRM goes live (drawn values are rounded to whole months).
    public var goLive: Uncertain
    /// Share of seats in active use at saturation (0…1).
    public var ceiling: Uncertain

    public init(curve: Curve, goLive: Uncertain, ceiling: Uncertain) {
        self.curve = curve
        self.goLive = goLive
        self.ceiling = ceiling
    }
}

/// A cost line or a benefit line.
public struct Line: Sendable {
    /// What the amount is per.
    public enum Basis: String, Sendable, CaseIterable {
        /// A total, spread evenly over the month range.
        case once
        /// Every month in the range.
        case month
        /// Per licensed seat per month.
        case seat
        /// Per active user (seats × adoption) per month.
        case activeUserMonth = "active_user_month"
    }

    public var name: String
    public var amount: Uncertain
    public var basis: Basis
    /// Inclusive month range.
    public var from: Int
    public var to: Int
    /// Benefits only: whether the amount is "at full adoption" and scales with A_t.
    public var scalesWithAdoption: Bool

    public init(name: String, amount: Uncertain, basis: Basis, from: Int, to: Int, scalesWithAdoption: Bool) {
        self.name = name
        self.amount = amount
        self.basis = basis
        self.from = from
        self.to = to
        self.scalesWithAdoption = scalesWithAdoption
    }
}

/// New customers and what they cost.
public struct Acquisition: Sendable {
    /// New customers **per month** without the CRM (all segments together).
    public var newCustomers: Uncertain
    /// Relative increase of new customers at full adoption (a share: 0.1 is +10 %).
    public var winRateUplift: Uncertain
    /// Acquisition cost per new customer.
    public var costPerCustomer: Uncertain

    public init(newCustomers: Uncertain, winRateUplift: Uncertain, costPerCustomer: Uncertain) {
        self.newCustomers = newCustomers
        self.winRateUplift = winRateUplift
        self.costPerCustomer = costPerCustomer
    }
}

/// A group of customers with its own value and loyalty.
public struct Segment: Sendable {
    public var name: String
    /// Customers at the start (drawn values are rounded to whole customers).
    public var customers: Uncertain
    /// Contribution margin per customer **per month**.
    public var margin: Uncertain
    /// Baseline churn **per year** (a share of the customers at the start of a year).
    public var churn: Uncertain
    /// Relative churn reduction at full adoption (0.2: churn falls by a fifth).
    public var churnReduction: Uncertain
    /// Relative margin increase (upsell) at full adoption.
    public var marginUplift: Uncertain
    /// Acquisition cost of a new customer of this segment (money per customer), or nil: the
    /// scenario's ``Acquisition/costPerCustomer``. A corporate account may cost a hundred
    /// times what a small one does; one shared figure would misstate the extra acquisition
    /// cost and LTV : CAC of both.
    public var costPerCustomer: Uncertain?
    /// Share of new customers that join this segment; shares add up to 1 over segments.
    public var mix: Double
    /// When set (`churn: sbg(α, β)`), churn follows this shifted-beta-geometric retention
    /// curve with months as periods: the churn probability in month t is α/(α + β + t − 1),
    /// falling as the less loyal customers leave. `churn` then holds its first-year churn, for
    /// display only.
    public var retention: ShiftedBetaGeometric?

    public init(name: String, customers: Uncertain, margin: Uncertain, churn: Uncertain,
                churnReduction: Uncertain, marginUplift: Uncertain, mix: Double) {
        self.name = name
        self.customers = customers
        self.margin = margin
        self.churn = churn
        self.churnReduction = churnReduction
        self.marginUplift = marginUplift
        self.mix = mix
        self.retention = nil
        self.costPerCustomer = nil
    }
}

/// Something that may go wrong (or right) and, when it happens, changes one or more parts of
/// the case. One occurrence draw decides all its effects together: a failing project that both
/// delivers less and is used less is one event with two effects, not two independent events.
public struct RiskEvent: Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case adoptionCeiling = "adoption_ceiling"
        case crmEffects = "crm_effects"
        case oneOffCosts = "one_off_costs"
        case recurringCosts = "recurring_costs"
        case licencePrice = "licence_price"
        case goLive = "go_live"

        /// Whether the size of the effect is a delay in months rather than a factor.
        public var isDelay: Bool { self == .goLive }
    }

    /// What the event does to one target when it happens.
    public struct Effect: Sendable {
        public var target: Target
        /// The factor (for scaling targets) or the delay in months (for `goLive`). Named
        /// `risks[NAME].factor` (`.months`) in the single-effect form and
        /// `risks[NAME].effects[TARGET].factor` (`.months`) in the list form.
        public var size: Uncertain

        public init(target: Target, size: Uncertain) {
            self.target = target
            self.size = size
        }
    }

    public var name: String
    /// Chance the event happens in a trial (a share).
    public var probability: Uncertain
    /// What happens when it does, at least one effect, at most one per target.
    public var effects: [Effect]

    public init(name: String, probability: Uncertain, effects: [Effect]) {
        self.name = name
        self.probability = probability
        self.effects = effects
    }

    /// A single-effect event (`effect:` with `factor:` or `months:`).
    public init(name: String, probability: Uncertain, target: Target, size: Uncertain) {
        self.init(name: name, probability: probability, effects: [Effect(target: target, size: size)])
    }

    /// The target of the first effect (the only one of a single-effect event).
    public var target: Target { effects[0].target }
    /// The size of the first effect (the only one of a single-effect event).
    public var size: Uncertain { effects[0].size }
}

/// A requested Spearman rank correlation between two inputs, named as in reports.
public struct InputCorrelation: Sendable, Hashable {
    public var first: String
    public var second: String
    /// Spearman's ρ, −1…1.
    public var rank: Double

    public init(first: String, second: String, rank: Double) {
        self.first = first
        self.second = second
        self.rank = rank
    }

    /// The rank correlation matrix over the inputs the correlations name, in the order they
    /// first appear (unnamed pairs: 0).
    public static func matrix(_ correlations: [InputCorrelation]) -> (names: [String], rows: [[Double]]) {
        var names: [String] = []
        for c in correlations {
            for name in [c.first, c.second] where !names.contains(name) { names.append(name) }
        }
        var rows = (0..<names.count).map { i in (0..<names.count).map { $0 == i ? 1.0 : 0.0 } }
        for c in correlations {
            let i = names.firstIndex(of: c.first)!, j = names.firstIndex(of: c.second)!
            rows[i][j] = c.rank
            rows[j][i] = c.rank
        }
        return (names, rows)
    }
}
