import Testing
import Tabular

// The CSV edges: the reader gives every field its line and column (through quoted line breaks,
// CR LF and a byte-order mark) and notes misplaced quotes; the writer quotes what needs it and
// refuses a row whose field count differs from the header's.

private func read(_ text: String, trim: Bool = false, comments: Bool = false) -> [CSVRecord] {
    CSVReader(trimsWhitespace: trim, commentMarker: comments ? "#" : nil).records(in: text)
}

/// Each field as `text@line:column`.
private func places(_ record: CSVRecord) -> [String] {
    record.fields.map { "\($0.text)@\($0.line):\($0.column)" }
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("Plain fields, empty ones included, with their columns")
    func plainFields() {
        let records = read("month,metric,value\n1,,12\n2,x,\n")
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map(\.texts) == [["month", "metric", "value"], ["1", "", "12"], ["2", "x", ""]])
        // An empty field stands at the delimiter or line break that ends it.
        #expect(places(records[1]) == ["1@2:1", "@2:3", "12@2:4"])
        #expect(places(records[2]) == ["2@3:1", "x@3:3", "@3:5"])
        // At the very end of the text, just past its last character.
        #expect(places(read("a,")[0]) == ["a@1:1", "@1:3"])
    }

    @Test("A quoted field keeps delimiters and line breaks; positions go on past it")
    func positionsThroughQuotedLineBreaks() {
        let records = read("a,\"b,\nc\",d\ne,f\n")
        #expect(records.count == 2)
        #expect(records[0].texts == ["a", "b,\nc", "d"])
        #expect(places(records[0]) == ["a@1:1", "b,\nc@1:3", "d@2:4"])
        #expect(records[0].fields.map(\.isQuoted) == [false, true, false])
        #expect((records[0].line, records[0].endLine) == (1, 2))
        #expect(places(records[1]) == ["e@3:1", "f@3:3"])
        #expect((records[1].line, records[1].endLine) == (3, 3))
        #expect(records.allSatisfy { $0.problem == nil })
    }

    @Test("Doubled quotes are one quote; a quote inside an unquoted field is text")
    func doubledQuotes() {
        let record = read("\"say \"\"hi\"\"\",\"\",ab\"c\n")[0]
        #expect(record.texts == ["say \"hi\"", "", "ab\"c"])
        #expect(record.fields.map(\.isQuoted) == [true, true, false])
        #expect(record.problem == nil)
    }

    @Test("LF, CR and CR LF end lines alike; CR LF inside quotes is one line break")
    func lineEndings() {
        for text in ["a,b\nc,d\n", "a,b\rc,d\r", "a,b\r\nc,d\r\n", "a,b\r\nc,d"] {
            let records = read(text)
            #expect(records.map(\.texts) == [["a", "b"], ["c", "d"]], "\(text.debugDescription)")
            #expect(places(records[1]) == ["c@2:1", "d@2:3"], "\(text.debugDescription)")
        }
        let records = read("\"x\r\ny\",z\r\nw\r\n")
        #expect(records[0].texts == ["x\r\ny", "z"])
        #expect((records[0].line, records[0].endLine) == (1, 2))
        #expect(places(records[1]) == ["w@3:1"])
    }

    @Test("A byte-order mark is dropped and takes no column")
    func byteOrderMark() {
        let records = read("\u{FEFF}month,value\n1,2\n")
        #expect(records[0].texts == ["month", "value"])
        #expect(places(records[0]) == ["month@1:1", "value@1:7"])
        // Also before a comment line.
        #expect(read("\u{FEFF}# note\nmonth\n", comments: true).map(\.texts) == [[""], ["month"]])
    }

    @Test("Columns count characters as shown, not bytes or scalars")
    func columnsInCharacters() {
        // é written as e + combining accent, and a thumb with a skin tone: one column each.
        let record = read("e\u{301},👍🏽,x")[0]
        #expect(record.fields.map(\.column) == [1, 3, 5])
    }

    @Test("A quote that is never closed is noted at the opening quote")
    func unterminatedQuote() {
        let record = read("a,\"bc")[0]
        #expect(record.texts == ["a", "bc"])
        #expect(record.problem == CSVProblem(.unterminatedQuote, line: 1, column: 3))
        // It takes the rest of the text; a final line break ends the last line, whatever its kind.
        for text in ["x\na,\"b\nc\n", "x\r\na,\"b\r\nc\r\n", "x\ra,\"b\rc\r"] {
            let records = read(text)
            #expect(records.count == 2, "\(text.debugDescription)")
            #expect(records[1].problem == CSVProblem(.unterminatedQuote, line: 2, column: 3), "\(text.debugDescription)")
            #expect((records[1].line, records[1].endLine) == (2, 3), "\(text.debugDescription)")
        }
    }

    @Test("Text after a closing quote is noted where it stands")
    func textAfterClosingQuote() {
        let records = read("1,\"customers\"x,5\n2,y\n")
        #expect(records[0].problem == CSVProblem(.textAfterClosingQuote("x"), line: 1, column: 14))
        // Reading goes on in quotes, as spreadsheets do: the record runs to the end here.
        #expect(records.count == 1)
        #expect(records[0].endLine == 2)
        // A quote after spaces is text after the closing quote too (when spaces are trimmed).
        let spaced = read("\"a\" \"b\",c\n", trim: true)[0]
        #expect(spaced.problem == CSVProblem(.textAfterClosingQuote("\""), line: 1, column: 5))
        #expect(read("\"a\"\t,c\n", trim: true)[0].problem == nil)
    }

    @Test("Trimming drops white space around fields, not inside quotes")
    func trimming() {
        let text = "  a  , \" b \" ,\u{A0}c\t\n"
        let trimmed = read(text, trim: true)[0]
        #expect(trimmed.texts == ["a", " b ", "c"])
        #expect(trimmed.fields.map(\.column) == [3, 8, 16])
        #expect(trimmed.fields.map(\.isQuoted) == [false, true, false])
        #expect(read(text)[0].texts == ["  a  ", " \" b \" ", "\u{A0}c\t"])
        #expect(read(" , \t\n", trim: true)[0].isBlank)
    }

    @Test("Comment lines read as blank lines and keep the line numbers")
    func commentLines() {
        let records = read("# source: the books\nmonth,value\n  # a note\n1,2\n", comments: true)
        #expect(records.map(\.texts) == [[""], ["month", "value"], [""], ["1", "2"]])
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records.map(\.isBlank) == [true, false, true, false])
        // Without a marker a # is text.
        #expect(read("# x\n")[0].texts == ["# x"])
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test("Fields with a comma, a quote or a line break are quoted; others are not")
    func quoting() {
        var csv = CSVWriter(header: ["name", "note"])
        csv.append(["Add-ons (ERP, e-mail)", "say \"hi\""])
        csv.append(["two\nlines", "cr\rhere"])
        csv.append(["plain", ""])
        #expect(csv.text == "name,note\n\"Add-ons (ERP, e-mail)\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"cr\rhere\"\nplain,\n")
        #expect(csv.rowCount == 3)
        #expect(CSVWriter.field("Hybrid") == "Hybrid")
        #expect(CSVWriter.field("a\r\nb") == "\"a\r\nb\"")
    }

    @Test("Comment lines come first, one # line per line of text")
    func comments() {
        let csv = CSVWriter(header: ["month", "value"], comments: ["Illustrative.", "Two\nlines"])
        #expect(csv.text == "# Illustrative.\n# Two\n# lines\nmonth,value\n")
    }

    @Test("Numbers in their shortest exact form; none is an empty field")
    func numbers() {
        #expect(CSVWriter.number(1200) == "1200")
        #expect(CSVWriter.number(-3) == "-3")
        #expect(CSVWriter.number(-0.0) == "0")
        #expect(CSVWriter.number(0.25) == "0.25")
        #expect(CSVWriter.number(0.1 + 0.2) == "0.30000000000000004")
        #expect(CSVWriter.number(1e15) == "1000000000000000.0")  // beyond 10¹⁵ Swift's own form
        #expect(CSVWriter.number(1e16) == "1e+16")
        #expect(CSVWriter.number(2.5e-7) == "2.5e-07")
        #expect(CSVWriter.number(.nan) == "")
        #expect(CSVWriter.number(-.infinity) == "")
    }

    @Test("What the writer writes, the reader reads back")
    func roundTrip() {
        let rows = [["a,b", "\"q\"", " spaced "], ["line\r\nbreak", "", "#"], ["x", "y", "z"]]
        var csv = CSVWriter(header: ["one", "two", "three"])
        for row in rows { csv.append(row) }
        let records = CSVReader().records(in: csv.text)
        #expect(records.map(\.texts) == [["one", "two", "three"]] + rows)
        #expect(records.allSatisfy { $0.problem == nil })
    }

    @Test("A row with fewer fields than the header stops the program")
    func tooFewFields() async {
        await #expect(processExitsWith: .failure) {
            var csv = CSVWriter(header: ["month", "value"])
            csv.append(["1"])
        }
    }

    @Test("A row with more fields than the header stops the program")
    func tooManyFields() async {
        await #expect(processExitsWith: .failure) {
            var csv = CSVWriter(header: ["month", "value"])
            csv.append(["1", "2", "3"])
        }
    }
}
