import Foundation
import ScenarioFormat

/// `crmcase init`: a commented starting scenario for a new client, valid as written.
///
/// Every number is a placeholder to replace, and says so (`REPLACE:`), except the survey's base
/// rates, which come with their source: about half of CRM projects fail to deliver (CBS 2013),
/// and firms expect more than they get (50.5 % expected more revenue, 45.2 % got it). Amounts are
/// set for the kind of business and scaled roughly to the currency, so the file runs at once and
/// gives a case of a plausible size — but none of them is about the client.
public struct ScenarioTemplate: Sendable {
    /// The kind of business, which sets the segments and the size of the amounts.
    public enum Kind: String, Sendable, CaseIterable {
        /// Business-to-business accounts: few customers, large margins, sales reps as users.
        case b2b
        /// Retail or services with repeat customers: many customers, small margins.
        case retail
        /// Subscriptions: customers who pay every month and may cancel.
        case subscription

        /// In words, for help and the file's first comment.
        public var words: String {
            switch self {
            case .b2b: "business-to-business accounts"
            case .retail: "retail or services with repeat customers"
            case .subscription: "subscriptions"
            }
        }
    }

    public var kind: Kind
    /// The case's title.
    public var name: String
    /// ISO code of the currency of every amount.
    public var currency: String
    /// Licensed seats.
    public var seats: Int
    /// Licence price per seat per month, in `currency`.
    public var price: Double

    /// The client's own segments (name and customers today), replacing the kind's; each takes
    /// the placeholders of the kind's segment in the same place (the last one's beyond), and new
    /// customers are then split by segment size (no `mix:`).
    public var ownSegments: [(name: String, customers: Int)]?

    public init(kind: Kind, name: String? = nil, currency: String = "DKK", seats: Int? = nil, price: Double? = nil,
                segments: [(name: String, customers: Int)]? = nil) {
        self.kind = kind
        self.ownSegments = segments
        self.currency = currency.uppercased()
        self.name = name ?? "CRM business case (\(kind.words))"
        let scale = ScenarioTemplate.perDKK(self.currency)
        self.seats = seats ?? (kind == .b2b ? 40 : kind == .retail ? 25 : 30)
        self.price = price ?? ScenarioTemplate.rounded(650 * scale)
    }

    /// Currencies the amounts can be scaled to: units of the currency per Danish krone, rounded
    /// (2026). Only the size of the placeholders depends on it.
    public static let currencies: [String: Double] = ["DKK": 1, "NOK": 1.5, "SEK": 1.5, "EUR": 0.134, "USD": 0.15, "GBP": 0.115]

    static func perDKK(_ currency: String) -> Double { currencies[currency] ?? 1 }

    /// Two significant digits: placeholders should look like placeholders.
    static func rounded(_ value: Double) -> Double {
        guard value > 0 else { return 0 }
        let step = pow(10, floor(log10(value)) - 1)
        return (value / step).rounded() * step
    }

    /// An amount of DKK in this currency, as the scenario format writes it (`12k`, `1.5M`).
    func money(_ dkk: Double) -> String {
        let v = ScenarioTemplate.rounded(dkk * ScenarioTemplate.perDKK(currency))
        if v >= 1_000_000 { return "\(ScenarioTemplate.trimmed(v / 1_000_000))M" }
        if v >= 10_000 { return "\(ScenarioTemplate.trimmed(v / 1_000))k" }
        return ScenarioTemplate.trimmed(v)
    }

    static func trimmed(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    /// The segments of each kind: name, customers, margin per customer per month (DKK), yearly
    /// churn, churn reduction, margin uplift, share of new customers.
    var segments: [(name: String, customers: Int, margin: Double, churn: String, reduction: String, uplift: String, mix: String)] {
        let kinds = kindSegments
        guard let own = ownSegments, !own.isEmpty else { return kinds }
        return own.enumerated().map { k, segment in
            let like = kinds[min(k, kinds.count - 1)]
            return (segment.name, segment.customers, like.margin, like.churn, like.reduction, like.uplift, "")
        }
    }

    /// Parses `--segment` values, `NAME=CUSTOMERS` (e.g. `Key accounts=120`): the segments, or
    /// the sentence that says what is wrong.
    public static func segments(_ texts: [String]) -> Result<[(name: String, customers: Int)], SegmentProblem> {
        var result: [(name: String, customers: Int)] = []
        for text in texts {
            guard let equals = text.lastIndex(of: "=") else {
                return .failure(SegmentProblem(description: "--segment \(text): write it as NAME=CUSTOMERS, e.g. --segment \"Key accounts=120\"."))
            }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces)
            let count = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard !name.isEmpty, !name.contains(where: \.isNewline) else {
                return .failure(SegmentProblem(description: "--segment \(text): give the segment a name on one line before the =."))
            }
            guard let customers = Int(count), (1...1_000_000_000).contains(customers) else {
                return .failure(SegmentProblem(description: "--segment \(text): the customers after the = must be a whole number from 1 to 1,000,000,000."))
            }
            if result.contains(where: { $0.name == name }) {
                return .failure(SegmentProblem(description: "--segment: “\(name)” is given twice; give each segment its own name."))
            }
            result.append((name, customers))
        }
        if result.count > 20 {
            return .failure(SegmentProblem(description: "--segment: at most 20 segments in a starting scenario; group customers into fewer."))
        }
        return .success(result)
    }

    /// A `--segment` value that cannot be used, in one sentence.
    public struct SegmentProblem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private var kindSegments: [(name: String, customers: Int, margin: Double, churn: String, reduction: String, uplift: String, mix: String)] {
        switch kind {
        case .b2b:
            return [("Key accounts", 120, 20_000, "4% to 10%", "pert(5%, 15%, 30%)", "1% to 5%", "5%"),
                    ("Other accounts", 900, 2_500, "triangular(10%, 15%, 25%)", "pert(2%, 8%, 15%)", "pert(0%, 2%, 4%)", "95%")]
        case .retail:
            return [("Loyal repeat customers", 6_000, 180, "pert(15%, 20%, 30%)", "pert(5%, 12%, 25%)", "pert(0%, 3%, 6%)", "30%"),
                    ("Occasional customers", 20_000, 35, "uniform(35%, 50%)", "pert(0%, 5%, 10%)", "pert(0%, 1%, 3%)", "70%")]
        case .subscription:
            return [("Subscribers", 3_000, 300, "pert(18%, 25%, 35%)", "pert(5%, 15%, 25%)", "uniform(0%, 3%)", "100%")]
        }
    }

    var newCustomers: String {
        switch kind {
        case .b2b: "pert(15, 20, 28)"
        case .retail: "pert(300, 400, 550)"
        case .subscription: "pert(60, 80, 110)"
        }
    }

    /// The scenario file's text.
    public var yaml: String {
        let seatWord = kind == .b2b ? "sales reps, customer service and managers" : "staff who will use the CRM"
        var t = """
        # yaml-language-server: $schema=\(ScenarioKeys.schemaFileName)
        # A starting scenario for \(kind.words), written by `crmcase init`.
        # Every line marked REPLACE is a placeholder, not a fact about your client: replace it, ideally with a
        # range (e.g. `400k to 900k`, a 90 % range) rather than one number. Then:
        #   crmcase validate FILE     (explains every problem, with line and column)
        #   crmcase run FILE          (the report, in Reports/<file name>/)
        # Keys, units and distributions: docs/SCENARIO-FORMAT.md. An editor with a YAML language server (VS Code's
        # YAML extension) completes keys and marks typos as you type, from \(ScenarioKeys.schemaFileName) beside this file.

        name: \(yamlString(name))
        currency: \(currency)
        horizon: 60                # months: five years
        discount_rate: 8%          # REPLACE: the firm's cost of capital, per year

        licences:
          seats: \(seats)                # REPLACE: \(seatWord)
          price: \(ScenarioTemplate.trimmed(price))                # \(currency) per seat per month. REPLACE with the vendor's quote
          from: 3                  # licences are paid from month 3 (set-up, training)
          escalation: uniform(2%, 5%)   # REPLACE: yearly price increase

        adoption:
          model: logistic          # S-curve: slow start, take-off, levelling off
          go_live: 5               # REPLACE: planned go-live month
          ceiling: 60% to 85%      # REPLACE: share of seats in weekly use at saturation (90 % range)
          half_time: triangular(3, 5, 9)   # months from go-live to half the ceiling
          steepness: 0.7           # per month

        costs:
          - name: Implementation partner — configuration and integration
            amount: pert(\(money(600_000)), \(money(900_000)), \(money(1_500_000)))   # REPLACE: the partner's quote, with a margin for surprises
            per: once
            from: 0
            to: 4

          - name: Training and change management
            amount: triangular(\(money(100_000)), \(money(150_000)), \(money(250_000)))   # REPLACE
            per: once
            from: 3
            to: 6

          - name: Internal project team
            amount: pert(\(money(40_000)), \(money(60_000)), \(money(90_000)))   # REPLACE: \(currency) per month while the project runs
            per: month
            from: 0
            to: 7

          - name: Support and administration after go-live
            amount: lognormal90(\(money(10_000)), \(money(30_000)))   # REPLACE: \(currency) per month
            per: month
            from: 5
            to: 60

        benefits:
          # CBS 2013 (sect. 6, fig. 14): 50.5 % of firms expected their CRM to increase revenue,
          # 45.2 % experienced it. Expected gains run ahead of realized ones: estimate with that in mind.
          - name: Productivity — less administration per user
            amount: pert(\(money(300)), \(money(800)), \(money(1_500)))   # REPLACE: \(currency) per ACTIVE user per month
            per: active_user_month
            from: 5

        acquisition:
          new_customers: \(newCustomers)   # REPLACE: new customers per month without a CRM
          win_rate_uplift: pert(0%, 4%, 10%)   # REPLACE: more new customers won at full adoption
          cost_per_customer: lognormal90(\(money(kind == .b2b ? 5_000 : 150)), \(money(kind == .b2b ? 15_000 : 600)))   # REPLACE: \(currency) per new customer

        segments:

        """
        for s in segments {
            t += """
              - name: \(yamlString(s.name))
                customers: \(s.customers)          # REPLACE: customers today
                margin: \(money(s.margin))             # REPLACE: \(currency) contribution per customer per month
                churn: \(s.churn)    # REPLACE: share of customers lost per year
                churn_reduction: \(s.reduction)   # REPLACE: relative churn reduction at full adoption
                margin_uplift: \(s.uplift)   # REPLACE: margin gained per customer at full adoption

            """
            // With the client's own segments, new customers are split by segment size.
            if !s.mix.isEmpty { t += "    mix: \(s.mix)                # share of new customers in this segment\n" }
        }
        t += """

        risks:
          - name: CRM project fails to deliver its effects
            # CBS 2013 (sect. 2, fig. 1): across studies the failure rate averages 53 %, median 51 %
            # ("en fejlrate på ca. 50 pct."). A failed project still delivers something, so its
            # effects shrink to 10-70 % of plan (an assumption) rather than to zero.
            probability: 50%
            effect: crm_effects
            factor: pert(0.1, 0.35, 0.7)

          - name: Implementation budget overrun
            probability: 40%       # REPLACE: an assumption, not a survey figure
            effect: one_off_costs
            factor: pert(1.05, 1.3, 2.0)

          - name: Go-live delay
            probability: 50%       # REPLACE: an assumption, not a survey figure
            effect: go_live
            months: "discrete(2: 50%, 4: 35%, 8: 15%)"

        """
        return t
    }

    /// `text` as a YAML scalar: plain when that reads back as the same string, else quoted.
    private func yamlString(_ text: String) -> String {
        let plain = text.range(of: #"^[A-Za-z][^:#\"'\n]*$"#, options: .regularExpression) != nil && !text.hasSuffix(" ")
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
