/// A number in the text together with what it is and how the report writes it.
///
/// The words (`text`) are fixed by the report builder, which knows how precisely the number is
/// known (rounded to its Monte Carlo error, in one style per sentence); a renderer never
/// reformats it, but may use `value` and `kind` (e.g. to align or colour a figure, or to put the
/// exact value in an attribute for tools).
public struct Quantity: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An amount of money; the currency code when the text carries it, else nil (the table or
        /// sentence says the currency once). `value` is in currency units.
        case money(currency: String?)
        /// A share: `value` 0.25 is written "25 %".
        case share
        /// A month of the plan (0 = the start); `value` may be +∞ for "never".
        case month
        /// A count of things (trials, customers, seats).
        case count
        /// Any other number (a correlation, a ratio such as LTV : CAC).
        case number
    }

    public var kind: Kind
    /// The number itself (in the unit of `kind`); NaN or ±∞ where the text says "none"/"never".
    public var value: Double
    /// How the report writes it, e.g. "NOK 0.25 million", "49 %", "month 54".
    public var text: String

    public init(_ kind: Kind, _ value: Double, _ text: String) {
        self.kind = kind
        self.value = value
        self.text = text
    }
}
