import ReportDocument
import Tabular

/// Writes a ``DataTable`` as CSV through the one checked ``CSVWriter``: comma-separated, a
/// header row, numbers in their shortest exact form (a value reads back as the same bits;
/// whole numbers without ".0"), an empty cell for none or a non-finite number, text quoted when
/// it holds a comma, quote or line break. A row whose length differs from the header's stops
/// the program (a programming error, never a file with shifted columns).
public enum CSVRenderer {
    public static func render(_ table: DataTable) -> String {
        var csv = CSVWriter(header: table.header, comments: table.comments)
        for row in table.rows {
            precondition(row.count == table.header.count, "\(table.fileName): a row has \(row.count) values for \(table.header.count) columns")
            csv.append(row.map(value))
        }
        return csv.text
    }

    /// A cell's raw text (``CSVWriter`` quotes it where needed).
    static func value(_ v: DataTable.Value) -> String {
        switch v {
        case .number(let x): return CSVWriter.number(x)
        case .text(let s): return s
        case .none: return ""
        }
    }
}
