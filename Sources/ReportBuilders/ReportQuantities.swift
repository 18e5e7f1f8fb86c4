import ReportDocument

/// The typed numbers of the reports, written as their tables and sentences have always
/// written them (``Format``, ``AmountWords``).
enum ReportQuantities {
    /// A whole amount for a table or sentence that names the currency once: `1,234,567`.
    static func amount(_ value: Double) -> Quantity {
        Quantity(.money(currency: nil), value, Format.amount(value))
    }

    /// An amount in a sentence's one style, with its currency: `NOK 0.49 million`.
    static func words(_ words: AmountWords, _ value: Double) -> Quantity {
        Quantity(.money(currency: words.currency), value, words(value))
    }

    /// A share as a percentage: `38.2 %` (or `38 %` with no decimals).
    static func share(_ value: Double, decimals: Int = 1) -> Quantity {
        Quantity(.share, value, Format.percent(value, decimals: decimals))
    }

    /// A month of the plan: `month 54`, or "not within horizon".
    static func month(_ value: Double) -> Quantity {
        Quantity(.month, value, Format.month(value))
    }

    /// A count with thousands separators: `20,000`.
    static func count(_ value: Int) -> Quantity {
        Quantity(.count, Double(value), Format.amount(Double(value)))
    }
}
