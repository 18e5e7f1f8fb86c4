/// A table for spreadsheets and scripts, written as one CSV file: exact values, no words.
public struct DataTable: Sendable, Equatable {
    /// One cell: a number (written in its shortest exact form), text, or nothing (empty).
    public enum Value: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case number(Double)
        case text(String)
        case none

        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(integerLiteral value: Int) { self = .number(Double(value)) }
    }

    /// The file name, e.g. "summary.csv".
    public var fileName: String
    /// Comment lines written before the header (`# …`), e.g. an "illustrative" warning.
    public var comments: [String]
    public var header: [String]
    public var rows: [[Value]]

    public init(fileName: String, comments: [String] = [], header: [String], rows: [[Value]] = []) {
        self.fileName = fileName
        self.comments = comments
        self.header = header
        self.rows = rows
        for row in rows { precondition(row.count == header.count, "\(fileName): a row has \(row.count) values for \(header.count) columns") }
    }

    public mutating func append(_ row: [Value]) {
        precondition(row.count == header.count, "\(fileName): a row has \(row.count) values for \(header.count) columns")
        rows.append(row)
    }
}
