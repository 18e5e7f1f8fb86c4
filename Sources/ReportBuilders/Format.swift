import Foundation

/// How numbers look in reports: for people in the Markdown, exact in the CSV.
///
/// Markdown uses thousands separators (`1,234,567`), shares as percentages (`38.2 %`) and
/// "none" for values that do not exist. CSV uses Swift's shortest round-trip form of each
/// double (so a CSV value reads back as the same bits) and an empty cell for "none".
public enum Format {
    /// A whole amount with thousands separators: `-1,234,567`.
    public static func amount(_ value: Double) -> String {
        guard value.isFinite else { return "none" }
        let rounded = value.rounded()
        if rounded == 0 { return "0" }
        let negative = rounded < 0
        var digits = String(format: "%.0f", abs(rounded))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (negative ? "−" : "") + groups.joined(separator: ",")
    }

    /// An amount with the currency code: `DKK 1,234,567`.
    public static func money(_ value: Double, _ currency: String) -> String {
        guard value.isFinite else { return "none" }
        return "\(currency) \(amount(value))"
    }

    /// A share as a percentage with one decimal: `38.2 %`.
    public static func percent(_ share: Double, decimals: Int = 1) -> String {
        guard share.isFinite else { return "none" }
        var text = String(format: "%.\(decimals)f", share * 100)
        if text.hasPrefix("-") { text = "−" + text.dropFirst() }
        if text == "−0.0" || text == "−0" { text.removeFirst() }
        return text + " %"
    }

    /// A plain number with a few decimals: `12.35`.
    public static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "none" }
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-") { text = "−" + text.dropFirst() }
        return text
    }

    /// A month number, or "not within the horizon" for +∞.
    public static func month(_ value: Double) -> String {
        guard value.isFinite else { return "not within horizon" }
        if value == value.rounded() { return "month \(Int(value))" }
        return "month \(number(value, decimals: 1))"
    }

    /// Text safe inside a Markdown table cell.
    public static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
