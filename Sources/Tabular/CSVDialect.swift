/// How a CSV file is spelt for the program that opens it.
///
/// crmcase's CSV files are RFC 4180 by default: comma-separated, a point as the decimal mark,
/// LF line ends, no byte-order mark — what scripts, R, pandas and an English-language Excel
/// read. A Danish or Norwegian Excel expects the list separator of its locale, a semicolon, and a
/// decimal comma: it reads `1234.56` as text or as a date, and a comma-separated line as one
/// column. The Excel dialects write what it opens directly: semicolons, decimal commas, CRLF line
/// ends and a UTF-8 byte-order mark (without it Excel reads “æ ø å” as Latin-1). Only the
/// spelling changes: every number keeps all its digits (it reads back as the same `Double`).
public enum CSVDialect: String, Sendable, CaseIterable {
    /// Comma, decimal point, LF, no byte-order mark.
    case rfc4180 = "rfc4180"
    /// Excel with Danish settings: semicolon, decimal comma, CRLF, UTF-8 byte-order mark.
    case excelDanish = "excel-da"
    /// Excel with Norwegian (bokmål) settings: the same spelling as Danish.
    case excelNorwegian = "excel-nb"

    /// The field separator.
    public var separator: Character { self == .rfc4180 ? "," : ";" }
    /// Whether numbers are written with a decimal comma.
    public var decimalComma: Bool { self != .rfc4180 }
    /// The end of every line.
    public var lineEnding: String { self == .rfc4180 ? "\n" : "\r\n" }
    /// What the file starts with: the UTF-8 byte-order mark for Excel, else nothing.
    public var preamble: String { self == .rfc4180 ? "" : "\u{FEFF}" }

    /// `value` as this dialect writes a number: ``CSVWriter/number(_:)`` with a decimal comma
    /// where the dialect uses one.
    public func number(_ value: Double) -> String {
        let text = CSVWriter.number(value)
        return decimalComma ? text.replacing(".", with: ",") : text
    }

    /// RFC 4180 text as ``CSVWriter`` writes it (comment lines, a header, rows), spelt in this
    /// dialect: fields that are numbers in ``CSVWriter/number(_:)``'s form get the dialect's
    /// decimal mark, every other field stays as it is, and the separators, quoting, line ends
    /// and byte-order mark become the dialect's.
    public func converted(_ text: String) -> String {
        guard self != .rfc4180 else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var comments: [String] = []
        while let first = lines.first, first.hasPrefix("# ") {
            comments.append(String(first.dropFirst(2)))
            lines.removeFirst()
        }
        let records = CSVReader().records(in: lines.joined(separator: "\n")).filter { !$0.fields.isEmpty && !$0.isBlank }
        guard let header = records.first else { return preamble + text }
        var writer = CSVWriter(header: header.texts, comments: comments, dialect: self)
        for record in records.dropFirst() {
            writer.append(record.fields.map { field in
                !field.isQuoted && CSVDialect.isNumber(field.text) ? field.text.replacing(".", with: ",") : field.text
            })
        }
        return writer.text
    }

    /// Whether `text` is a number as ``CSVWriter/number(_:)`` writes one: an optional minus,
    /// digits, at most one point, an optional exponent — and a finite `Double`.
    static func isNumber(_ text: String) -> Bool {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ "0123456789.-+e".unicodeScalars.contains($0) }),
              let value = Double(text) else { return false }
        return value.isFinite
    }
}

extension CSVDialect {
    /// `files` with every `.csv` file spelt in this dialect (``converted(_:)``); the others
    /// unchanged.
    public func convertingCSVFiles(_ files: [(name: String, contents: String)]) -> [(name: String, contents: String)] {
        guard self != .rfc4180 else { return files }
        return files.map { file in file.name.hasSuffix(".csv") ? (file.name, converted(file.contents)) : file }
    }
}
