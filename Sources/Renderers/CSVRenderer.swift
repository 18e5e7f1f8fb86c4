import Foundation
import ReportDocument

/// Writes a ``DataTable`` as CSV: comma-separated, a header row, numbers in their shortest
/// exact form (a value reads back as the same bits; whole numbers without ".0"), an empty cell
/// for none or a non-finite number, text quoted when it holds a comma, quote or line break.
public enum CSVRenderer {
    public static func render(_ table: DataTable) -> String {
        var out = table.comments.map { "# \($0)\n" }.joined()
        out += table.header.map(text).joined(separator: ",") + "\n"
        for row in table.rows {
            precondition(row.count == table.header.count, "\(table.fileName): a row has \(row.count) values for \(table.header.count) columns")
            out += row.map(value).joined(separator: ",") + "\n"
        }
        return out
    }

    static func value(_ v: DataTable.Value) -> String {
        switch v {
        case .number(let x): return number(x)
        case .text(let s): return text(s)
        case .none: return ""
        }
    }

    /// The shortest exact form, or empty for none.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A text cell, quoted when it holds a comma, a quote or a line break.
    public static func text(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
