/// One problem found in an input file — a scenario or an actuals file — with where it is and
/// what to do about it.
public struct ScenarioIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line and column, when the problem has a place in the file.
    public var line: Int?
    public var column: Int?
    /// A sentence that says what is wrong, for a reader who is not a programmer.
    public var message: String
    /// What to write instead, when there is a good guess.
    public var hint: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: message (hint)`, the form editors and terminals link to; control
    /// characters quoted from the file are escaped (``TerminalText``).
    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        var text = "\(place): \(message)"
        if let hint { text += " \(hint)" }
        return TerminalText.escaped(text)
    }
}

/// Every problem found in an input file (scenario or actuals); never empty.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [ScenarioIssue]

    public init(_ issues: [ScenarioIssue]) {
        self.issues = issues
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
