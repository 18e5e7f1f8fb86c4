/// Running text: plain words, emphasis, code (names of inputs), typed quantities and links.
public struct Text: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public var runs: [Inline]

    public init(_ runs: [Inline] = []) { self.runs = runs }
    public init(stringLiteral value: String) { runs = value.isEmpty ? [] : [.plain(value)] }
    public init(_ plain: String) { runs = plain.isEmpty ? [] : [.plain(plain)] }

    /// Interpolation keeps the type of what is interpolated: `"mean \(q)"` with a
    /// ``Quantity`` `q` gives a quantity run, `\(code: name)` a code run, `\(strong: t)` emphasis.
    public init(stringInterpolation: Interpolation) { runs = stringInterpolation.runs }

    public struct Interpolation: StringInterpolationProtocol {
        var runs: [Inline] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { runs.append(.plain(literal)) } }
        public mutating func appendInterpolation(_ value: String) { if !value.isEmpty { runs.append(.plain(value)) } }
        /// A whole number written plainly, without grouping (a month number, a count of rows);
        /// a figure the reader compares should be a ``Quantity``.
        public mutating func appendInterpolation(_ value: Int) { runs.append(.plain(String(value))) }
        public mutating func appendInterpolation(_ quantity: Quantity) { runs.append(.quantity(quantity)) }
        public mutating func appendInterpolation(_ text: Text) { runs += text.runs }
        public mutating func appendInterpolation(code: String) { runs.append(.code(code)) }
        public mutating func appendInterpolation(strong: Text) { runs.append(.strong(strong.runs)) }
        public mutating func appendInterpolation(strong: String) { runs.append(.strong([.plain(strong)])) }
        public mutating func appendInterpolation(strong: Quantity) { runs.append(.strong([.quantity(strong)])) }
    }

    /// The words alone, without any markup (for a figure's description, a CSV cell).
    public var plainText: String { runs.map(\.plainText).joined() }

    public var isEmpty: Bool { runs.isEmpty }

    public static func + (a: Text, b: Text) -> Text { Text(a.runs + b.runs) }
    public static func += (a: inout Text, b: Text) { a.runs += b.runs }
}

/// A run of ``Text``.
public indirect enum Inline: Sendable, Equatable {
    case plain(String)
    case strong([Inline])
    /// A name the user wrote (an input path, a file name), shown in a code font.
    case code(String)
    case quantity(Quantity)
    /// A link: its words and where it goes (a file beside the report, or a section anchor "#…").
    case link([Inline], target: String)
    /// A line break inside a paragraph or a table cell.
    case lineBreak

    public var plainText: String {
        switch self {
        case .plain(let s), .code(let s): return s
        case .strong(let runs), .link(let runs, _): return runs.map(\.plainText).joined()
        case .quantity(let q): return q.text
        case .lineBreak: return "\n"
        }
    }
}
