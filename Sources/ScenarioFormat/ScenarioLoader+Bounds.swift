import CRMModel

/// The allowed range of an input, with the words used when a value falls outside it, and
/// what the range implies for how the value is read.
///
/// Every field of a scenario belongs to one of these classes (see `docs/SCENARIO-FORMAT.md`,
/// "Bounded fields"):
///
/// | class | fields | range | `A to B` becomes |
/// |---|---|---|---|
/// | ``share`` | `adoption.ceiling`, `churn`, `churn_reduction`, risk `probability` (and `mix`, read apart) | 0…1 | a beta on 0…1 |
/// | ``uplift`` | `margin_uplift`, `win_rate_uplift` | 0…1000 % (``Limits/uplift``) | beta90 / lognormal90; from 0: exponential |
/// | ``rate`` | `discount_rate`, `escalation` | −0.99…10 | beta90 / lognormal90 / normal90 (may be negative) |
/// | ``wholeCount`` | `seats`, `users`, `customers` | whole, 0…10⁹ | lognormal90; from 0: exponential |
/// | ``count`` | `new_customers` (a monthly average) | 0…10⁹ | lognormal90; from 0: exponential |
/// | ``money`` | amounts, `price`, `cost_per_customer` (acquisition and segment) | 0…10¹⁵ | lognormal90; from 0: exponential |
/// | ``signedMoney`` | segment `margin` (a segment may lose money) | ±10¹⁵ | lognormal90 / normal90 |
/// | ``wholeMonths`` | `go_live`, risk `months` | whole, 0…∞ | lognormal90; from 0: exponential |
/// | ``nonNegative`` | `half_time`, `steepness`, Bass `p`, `q`, risk `factor` (also in `effects:`) | 0…∞ | lognormal90; from 0: exponential |
struct Bounds {
    /// What a 90 % interval `A to B` may become in this field (see `ValueSyntax`).
    enum Kind {
        /// 0…1: always a beta, which can never leave 0…1.
        case share
        /// 0…∞: a lognormal, or from 0 an exponential; never a normal.
        case nonNegative
        /// May be negative: the family follows the ends as written.
        case signed
    }

    var lower: Double
    var upper: Double
    var words: String
    var hint: String
    /// Shares and rates: a plain number above 1 (`9`, not `9%` or `0.09`) is taken for a
    /// percentage written without its sign and rejected, since 9 would mean 900 %.
    var readAsFraction = false
    /// Counts of seats or customers and months: a fixed or discrete value must be whole; the
    /// model would otherwise round it without a word. (Continuous draws are rounded, by design.)
    var whole = false
    /// What the field holds when it must be whole, for the message ("seats", "a month").
    var wholeWords = ""

    var kind: Kind {
        if lower == 0 && upper == 1 { return .share }
        return lower >= 0 ? .nonNegative : .signed
    }

    static let share = Bounds(lower: 0, upper: 1, words: "a share between 0 % and 100 %",
                              hint: "For an uncertain share use `pert(…)`, `beta90(p5, p95)` or `60% to 85%`.",
                              readAsFraction: true)
    static let nonNegative = Bounds(lower: 0, upper: .infinity, words: "0 or more",
                                    hint: "For an uncertain positive amount use `lognormal(mean, sd)`, `pert(…)` or `400k to 900k`.")
    /// Whole months (go-live, a delay): the model counts in months.
    static let wholeMonths = Bounds(lower: 0, upper: .infinity, words: "0 or more",
                                    hint: "For an uncertain month use `discrete(…)`, `pert(…)` or `3 to 9`.",
                                    whole: true, wholeWords: "month number")
    /// Yearly rates (discount rate, price escalation) may be negative: prices can fall.
    static let rate = Bounds(lower: -0.99, upper: 10, words: "a yearly rate between −99 % and 1000 %",
                             hint: "Write it as a percentage, e.g. `8%`.", readAsFraction: true)
    /// Relative increases brought by the CRM: a CRM that lowers margins or win rates is modelled
    /// with a risk (`crm_effects`), not with a negative uplift.
    /// At most ``Limits/uplift`` (1000 %): beyond it a slip would multiply customer counts past
    /// what the model can simulate.
    static let uplift = Bounds(lower: 0, upper: Limits.uplift,
                               words: "a relative increase between 0 % and \(Int(Limits.uplift * 100)) %",
                               hint: "Use `pert(…)`, `triangular(…)` or `2% to 8%`; an uplift above \(Int(Limits.uplift * 100)) % is almost surely a slip (a missing `%`?).",
                               readAsFraction: true)
    static let any = Bounds(lower: -.infinity, upper: .infinity, words: "any number", hint: "")
    /// Counts per month (new customers a month): an average, so fractions are fine; the model
    /// works with up to a billion.
    static let count = Bounds(lower: 0, upper: Double(Limits.customers), words: "between 0 and a billion",
                              hint: "For an uncertain count use `pert(…)`, `triangular(…)` or `400 to 900`.")
    /// Counts of seats and customers: whole numbers up to a billion.
    static let wholeCount = Bounds(lower: 0, upper: Double(Limits.customers), words: "between 0 and a billion",
                                   hint: "For an uncertain count use `pert(…)`, `triangular(…)` or `400 to 900`.",
                                   whole: true, wholeWords: "count")
    /// Amounts of money: non-negative and below 10¹⁵, beyond which no business case lives.
    static let money = Bounds(lower: 0, upper: 1e15, words: "between 0 and 10¹⁵",
                              hint: "For an uncertain amount use `lognormal(mean, sd)`, `pert(…)` or `400k to 900k`.")
    /// Margins may be negative (a loss-making segment), within ±10¹⁵.
    static let signedMoney = Bounds(lower: -1e15, upper: 1e15, words: "between −10¹⁵ and 10¹⁵",
                                    hint: "Use `pert(…)` or `normal(mean, sd)`.")
}
