/// Writes CSV text: comment lines, a header, then rows, each as many fields as the header.
///
/// Fields are separated by commas and every line ends with LF (in the default ``CSVDialect``;
/// the Excel dialects use semicolons, CRLF and a byte-order mark). A field is put in double quotes
/// (with `""` for a quote inside) when it holds the separator, a double quote or a line break;
/// other fields are written as they are. Numbers are formatted with ``number(_:)``.
///
/// A row with more or fewer fields than the header is a programming error, not a problem of the
/// data: ``append(_:)`` stops the program (a precondition) with a message naming the row, its
/// count and the header's, rather than write a file whose columns do not line up.
public struct CSVWriter: Sendable {
    /// The column names.
    public let header: [String]
    /// The text so far: comments, header and the rows appended.
    public private(set) var text: String
    /// The rows appended so far.
    public private(set) var rowCount = 0
    /// How the text is spelt.
    public let dialect: CSVDialect

    /// Starts a file with `comments` (each line written as `# line`) and the `header` line.
    public init(header: [String], comments: [String] = [], dialect: CSVDialect = .rfc4180) {
        precondition(!header.isEmpty, "CSVWriter: a header needs at least one column")
        self.header = header
        self.dialect = dialect
        text = dialect.preamble
        for comment in comments {
            for line in comment.split(omittingEmptySubsequences: false, whereSeparator: \.isLineBreak) {
                text += "# " + line + dialect.lineEnding
            }
        }
        write(header)
    }

    /// Adds a row; `fields` are raw text, quoted here where needed.
    ///
    /// - Precondition: `fields.count == header.count`.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count,
                     "CSVWriter: row \(rowCount + 1) has \(fields.count) fields, but the header has \(header.count) columns (\(header.joined(separator: ",")))")
        write(fields)
        rowCount += 1
    }

    /// Reserves room for about `count` more characters, for a large file.
    public mutating func reserveCapacity(_ count: Int) {
        text.reserveCapacity(text.utf8.count + count)
    }

    private mutating func write(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { text.append(dialect.separator) }
            text += Self.field(field, separator: dialect.separator)
        }
        text += dialect.lineEnding
    }

    /// `text` as a CSV field: in double quotes (a quote inside doubled) when it holds the
    /// `separator`, a double quote, a CR or an LF; otherwise as it is.
    public static func field(_ text: String, separator: Character = ",") -> String {
        let mark = separator.unicodeScalars.first!
        guard text.unicodeScalars.contains(where: { $0 == mark || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// A number in its shortest exact form (it reads back as the same `Double`): whole numbers
    /// below 10¹⁵ without a decimal point (`1200`, `-3`, `0` also for −0), others as Swift
    /// prints them (`0.25`, `2.5e-07`, `1e+16`). Not a number or an infinity is an empty field
    /// (no value).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

private extension Character {
    var isLineBreak: Bool { self == "\n" || self == "\r" || self == "\r\n" }
}
