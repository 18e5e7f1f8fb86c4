/// One record (row) of CSV text, as ``CSVReader`` reads it, with where it stands in the text.
public struct CSVRecord: Sendable, Equatable {
    /// The fields, in order; a record has at least one.
    public var fields: [CSVField]
    /// The line the record starts on (1-based).
    public var line: Int
    /// The line its last field ends on: `line`, unless a quoted field holds a line break.
    public var endLine: Int
    /// The first misplaced double quote in the record, if any. The fields of such a record are
    /// read as well as they can be, but are not what the writer meant.
    public var problem: CSVProblem?

    public init(fields: [CSVField], line: Int, endLine: Int, problem: CSVProblem? = nil) {
        self.fields = fields
        self.line = line
        self.endLine = endLine
        self.problem = problem
    }

    /// The text of each field.
    public var texts: [String] { fields.map(\.text) }

    /// Whether every field is empty: a blank line, a line of only delimiters or white space.
    public var isBlank: Bool { fields.allSatisfy(\.text.isEmpty) }
}

/// One field of a ``CSVRecord``: its text (quotes removed, `""` read as `"`) and where it starts.
public struct CSVField: Sendable, Equatable {
    public var text: String
    /// The line of the field's first character (for a quoted field, its opening quote), 1-based.
    public var line: Int
    /// The column of that character on its line, 1-based, counted in characters as an editor
    /// shows them (grapheme clusters, not bytes). An empty field stands where it would start:
    /// at the delimiter or line break that ends it, or just past the end of the text.
    public var column: Int
    /// Whether the field was written in double quotes.
    public var isQuoted: Bool

    public init(text: String, line: Int, column: Int, isQuoted: Bool = false) {
        self.text = text
        self.line = line
        self.column = column
        self.isQuoted = isQuoted
    }
}

/// A misplaced double quote, with the position (1-based line and column) it is found at.
public struct CSVProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A quoted field's closing quote is followed by this character instead of a delimiter
        /// or the end of the line. The position is that character's. (The reader then takes the
        /// quote as part of the field and reads on in quotes, as lenient CSV readers do.)
        case textAfterClosingQuote(Character)
        /// The text ends inside a quoted field. The position is the field's opening quote.
        case unterminatedQuote
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    public var description: String {
        switch kind {
        case .textAfterClosingQuote(let character):
            return "\(line):\(column): “\(character)” after the closing quote of a field"
        case .unterminatedQuote:
            return "\(line):\(column): a quoted field that is never closed"
        }
    }
}
