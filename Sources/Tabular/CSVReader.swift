import Foundation

/// Reads CSV text (RFC 4180) into records whose fields know their line and column.
///
/// - Fields are separated by ``delimiter``; a record ends at a line break: LF, CR or CR LF.
/// - A field may be put in double quotes; inside them a delimiter or a line break is text, and
///   `""` is one quote. A quoted field may span lines: its record then starts on one line and
///   ends on a later one (``CSVRecord/endLine``).
/// - A byte-order mark (U+FEFF) at the start is dropped; so is a second one, which some tools
///   write (it is dropped after comment lines are found, so it keeps a first-line comment from
///   being one).
/// - With ``trimsWhitespace``, spaces and tabs (Unicode white space but not line breaks) around
///   a field are dropped, as are those between a closing quote and the delimiter; inside quotes
///   they are kept.
/// - With a ``commentMarker``, a line whose first character other than white space is the marker
///   is a comment: it reads as an empty line, even inside a quoted field. Its line break stays,
///   so the lines after it keep their numbers.
/// - Lines are counted from 1, columns from 1 in characters (grapheme clusters) as an editor
///   shows them.
///
/// The reader does not stop at a misplaced quote: text after a closing quote or a quote that is
/// never closed is noted on its record (``CSVRecord/problem``), and reading goes on. After text
/// that follows a closing quote it reads on in quotes, as lenient readers (and spreadsheets)
/// do, so the record may take in the lines up to the next quote. A record of empty fields is
/// still a record (``CSVRecord/isBlank``); the caller decides what blank lines mean.
public struct CSVReader: Sendable {
    public var delimiter: Unicode.Scalar
    public var trimsWhitespace: Bool
    public var commentMarker: Character?

    public init(delimiter: Unicode.Scalar = ",", trimsWhitespace: Bool = false, commentMarker: Character? = nil) {
        self.delimiter = delimiter
        self.trimsWhitespace = trimsWhitespace
        self.commentMarker = commentMarker
    }

    /// Every record of `text`, blank ones included, in order.
    public func records(in text: String) -> [CSVRecord] {
        var lexer = Lexer(text: prepared(text), reader: self)
        var records: [CSVRecord] = []
        while let record = lexer.nextRecord() { records.append(record) }
        return records
    }

    /// `text` without its byte-order marks and with its comment lines emptied (line breaks kept).
    func prepared(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var result: String
        if let marker = commentMarker {
            result = Self.blankingComments(scalars, marker: String(marker))
        } else {
            result = String(scalars)
        }
        if result.unicodeScalars.first == "\u{FEFF}" { result.unicodeScalars.removeFirst() }
        return result
    }

    /// Each line (ended by LF or CR) whose text without surrounding white space starts with
    /// `marker`, emptied.
    static func blankingComments(_ scalars: Substring.UnicodeScalarView, marker: String) -> String {
        var result = String.UnicodeScalarView()
        var line = String.UnicodeScalarView()
        func flush() {
            if !String(line).trimmingCharacters(in: .whitespaces).hasPrefix(marker) { result.append(contentsOf: line) }
            line = String.UnicodeScalarView()
        }
        for scalar in scalars {
            if scalar == "\n" || scalar == "\r" {
                flush()
                result.append(scalar)
            } else {
                line.append(scalar)
            }
        }
        flush()
        return String(result)
    }
}

// MARK: - Lexing

/// A scalar of the text with the line and column of the character it belongs to.
private struct Unit {
    var scalar: Unicode.Scalar
    var character: Character
    var line: Int
    var column: Int

    var isLineBreak: Bool { scalar == "\n" || scalar == "\r" }
}

/// The text's scalars in order, each with its position; one unit can be put back.
private struct Cursor {
    private var characters: String.Iterator
    private var scalars: String.UnicodeScalarView.Iterator?
    private var character: Character = " "
    private var line = 1
    private var column = 1
    /// Where the next character stands.
    private var nextLine = 1
    private var nextColumn = 1
    private var endsWithLineBreak = false
    private var back: Unit?

    init(text: String) {
        characters = text.makeIterator()
    }

    mutating func next() -> Unit? {
        if let unit = back {
            back = nil
            return unit
        }
        while true {
            if let scalar = scalars?.next() {
                return Unit(scalar: scalar, character: character, line: line, column: column)
            }
            guard let next = characters.next() else { return nil }
            character = next
            scalars = next.unicodeScalars.makeIterator()
            (line, column) = (nextLine, nextColumn)
            // A line break is a character of its own (CR LF is one); no other character holds one.
            endsWithLineBreak = next == "\n" || next == "\r" || next == "\r\n"
            if endsWithLineBreak {
                (nextLine, nextColumn) = (nextLine + 1, 1)
            } else {
                nextColumn += 1
            }
        }
    }

    mutating func putBack(_ unit: Unit?) {
        back = unit
    }

    /// The position just past the end of the text (once it is all read).
    var end: (line: Int, column: Int) { (nextLine, nextColumn) }

    /// The text's last line once it is all read: a final line break ends a line, it does not
    /// start another.
    var lastLine: Int { endsWithLineBreak ? nextLine - 1 : nextLine }
}

private struct Lexer {
    var cursor: Cursor
    let delimiter: Unicode.Scalar
    let trims: Bool
    let whitespace = CharacterSet.whitespaces
    /// The current record's first problem.
    var problem: CSVProblem?

    init(text: String, reader: CSVReader) {
        cursor = Cursor(text: text)
        delimiter = reader.delimiter
        trims = reader.trimsWhitespace
    }

    func isSpace(_ unit: Unit?) -> Bool {
        guard trims, let unit else { return false }
        return unit.scalar != delimiter && whitespace.contains(unit.scalar)
    }

    mutating func note(_ kind: CSVProblem.Kind, at unit: Unit) {
        if problem == nil { problem = CSVProblem(kind, line: unit.line, column: unit.column) }
    }

    mutating func nextRecord() -> CSVRecord? {
        guard var c = cursor.next() else { return nil }
        let line = c.line
        problem = nil
        var fields: [CSVField] = []
        while true {
            var unit: Unit? = c
            while isSpace(unit) { unit = cursor.next() }
            let field: CSVField
            let ending: Unit?
            if let start = unit, start.scalar == "\"" {
                (field, ending) = quotedField(opening: start)
            } else if let start = unit {
                cursor.putBack(start)
                (field, ending) = plainField(start: start)
            } else {
                let end = cursor.end
                (field, ending) = (CSVField(text: "", line: end.line, column: end.column), nil)
            }
            fields.append(field)
            guard let ending, ending.scalar == delimiter, !ending.isLineBreak else {
                // The record ends at a line break (whose line is its last) or at the end of the text.
                let endLine = ending?.line ?? cursor.lastLine
                return CSVRecord(fields: fields, line: line, endLine: max(line, endLine), problem: problem)
            }
            guard let after = cursor.next() else {
                // A delimiter at the very end: one more, empty field.
                let end = cursor.end
                fields.append(CSVField(text: "", line: end.line, column: end.column))
                return CSVRecord(fields: fields, line: line, endLine: max(line, cursor.lastLine), problem: problem)
            }
            c = after
        }
    }

    /// Reads a line break's second half (the LF of CR LF).
    mutating func finishLineBreak(_ unit: Unit) {
        guard unit.scalar == "\r" else { return }
        let next = cursor.next()
        if next?.scalar != "\n" { cursor.putBack(next) }
    }

    /// A field without quotes, from `start` (put back) to the delimiter or line break returned
    /// with it (nil at the end of the text).
    mutating func plainField(start: Unit) -> (CSVField, Unit?) {
        var text = String.UnicodeScalarView()
        var ending: Unit?
        while let unit = cursor.next() {
            if unit.isLineBreak {
                finishLineBreak(unit)
                ending = unit
                break
            }
            if unit.scalar == delimiter {
                ending = unit
                break
            }
            text.append(unit.scalar)
        }
        if trims {
            while let last = text.last, whitespace.contains(last) { text.removeLast() }
        }
        return (CSVField(text: String(text), line: start.line, column: start.column), ending)
    }

    /// A field in quotes, from its opening quote to the delimiter or line break after the closing
    /// one (nil at the end of the text).
    mutating func quotedField(opening: Unit) -> (CSVField, Unit?) {
        var text = String.UnicodeScalarView()
        func field() -> CSVField {
            CSVField(text: String(text), line: opening.line, column: opening.column, isQuoted: true)
        }
        while let unit = cursor.next() {
            guard unit.scalar == "\"" else {
                text.append(unit.scalar)
                continue
            }
            var next = cursor.next()
            var spaced = false
            while isSpace(next) {
                next = cursor.next()
                spaced = true
            }
            guard let after = next else { return (field(), nil) }
            if after.isLineBreak {
                finishLineBreak(after)
                return (field(), after)
            }
            if after.scalar == delimiter { return (field(), after) }
            if after.scalar == "\"" && !spaced {
                text.append("\"")  // "" inside quotes
                continue
            }
            // Text after the closing quote (a quote after spaces too): keep one quote, drop the
            // character after it, and read on in quotes.
            note(.textAfterClosingQuote(after.character), at: after)
            text.append("\"")
        }
        note(.unterminatedQuote, at: opening)
        return (field(), nil)
    }
}
