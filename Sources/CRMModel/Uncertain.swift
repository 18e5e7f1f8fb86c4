/// One input of the model: a named number that may be uncertain.
public struct Uncertain: Sendable, Hashable {
    /// Where the input sits in the scenario, e.g. `segments[Hybrid].churn`. It names the
    /// input in reports and keys its random stream, so two scenarios that share an input
    /// share its draws.
    public var name: String
    public var distribution: Distribution
    /// The text the user wrote (`pert(5%, 15%, 30%)`), echoed in the report.
    public var source: String
    /// What the number measures, for the report ("per month", "share per year", …).
    public var unit: Unit
    /// A 64-bit FNV-1a hash of `name`: the key of this input's uniform random numbers.
    public let streamKey: UInt64

    public init(name: String, distribution: Distribution, source: String, unit: Unit) {
        self.name = name
        self.distribution = distribution
        self.source = source
        self.unit = unit
        self.streamKey = Uncertain.fnv1a(name)
    }

    /// A fixed number that the scenario did not mention (a default).
    public static func constant(_ name: String, _ value: Double, unit: Unit) -> Uncertain {
        Uncertain(name: name, distribution: .fixed(value), source: "default", unit: unit)
    }

    /// 64-bit FNV-1a over the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// What kind of number an input is; decides validation and formatting.
    public enum Unit: String, Sendable, Hashable {
        /// An amount of money (in the scenario's currency) per occurrence.
        case money
        /// Money per month.
        case moneyPerMonth
        /// A share, 0…1 (shown as a percentage).
        case share
        /// A share per year (churn, discount rate, escalation).
        case sharePerYear
        /// A whole count (seats, customers).
        case count
        /// A count per month (new customers).
        case countPerMonth
        /// A month number or a number of months.
        case months
        /// A multiplier (risk factors).
        case factor
        /// A rate per month (logistic steepness, Bass p and q).
        case ratePerMonth

        /// Plain words for the report's input table.
        public var words: String {
            switch self {
            case .money: return "amount"
            case .moneyPerMonth: return "amount per month"
            case .share: return "share"
            case .sharePerYear: return "share per year"
            case .count: return "count"
            case .countPerMonth: return "per month"
            case .months: return "months"
            case .factor: return "factor"
            case .ratePerMonth: return "per month"
            }
        }
    }
}
