import CRMModel
import CSV
import Foundation
import ScenarioFormat

/// Reads an **actuals file**: the figures a firm realized month by month after the decision,
/// for `crmcase track SCENARIO --actuals FILE` to compare with the business case.
///
/// An actuals file is CSV text (UTF-8, comma-separated, a header line first). It comes in two
/// forms; the header decides which one a file uses: it is in the long form when the header has
/// both a `metric` and a `value` column, otherwise in the wide form.
///
/// **Long form**: one row per figure. The columns are `month`, `metric`, `value` and, optionally,
/// `segment`, in any order.
///
/// ```csv
/// month,metric,segment,value
/// 2027-02,active_users,,14
/// 2027-02,customers,Hybrid,1204
/// 2027-02,churned[Hybrid],,9
/// 2027-02,licence_cost,,1000
/// ```
///
/// A metric may carry its segment in brackets (`customers[Hybrid]`) instead of in the `segment`
/// column. A per-segment metric without a segment means all segments together.
///
/// **Wide form**: one row per month. The header has `month` and one column per metric, with
/// the segment in brackets where there is one; an empty cell means "not measured" and is
/// skipped.
///
/// ```csv
/// month,active_users,adoption,customers[Hybrid],churned[Hybrid],licence_cost
/// 1,12,60%,1190,11,1000
/// 2,14,70%,,9,1000
/// ```
///
/// **Header**: column names are matched without regard to capitals or surrounding spaces.
/// Blank lines (also lines of only commas) are skipped anywhere in the file, but they count
/// for the line numbers in messages. Spaces around fields are ignored. A field may be put in
/// double quotes (`"…"`, with `""` for a quote inside), but it may not contain a line break.
///
/// **Months**: a whole number from 0 to the scenario's `horizon` (the model month; 0 is the
/// decision month), or a calendar month `YYYY-MM` when the scenario has `start:` (the calendar
/// month of month 0; 2027-03 is month 2 when `start: 2027-01`). Both may be mixed in one file.
///
/// **Metrics** (names match without regard to capitals):
///
/// | metric | meaning | per segment |
/// |---|---|---|
/// | `active_users` | users in active use at the end of the month (≥ 0) | no |
/// | `adoption` | share of licensed seats in active use, 0…1 (`62%` or `0.62`) | no |
/// | `customers` | customers at the end of the month (whole, ≥ 0) | optional |
/// | `churned` | customers lost during the month (whole, ≥ 0) | optional |
/// | `new_customers` | customers won during the month (whole, ≥ 0) | optional |
/// | `licence_cost` | licence cost of the month (≥ 0) | no |
/// | `other_costs` | every other cost of the month together (≥ 0) | no |
/// | `contribution_margin` | contribution margin earned from customers in the month | optional |
/// | `cohort_survivors` | of the customers a segment had at month 0, how many are still customers at the end of the month (whole, ≥ 0) | required |
///
/// Amounts are in the scenario's currency per month. Segment names must be written exactly as
/// in the scenario (capitals included). `cohort_survivors` of a segment must start at month 0
/// (the cohort's size, more than 0), continue month by month without gaps, and never rise.
///
/// **Values** are numbers as in scenario files: `1200`, `1_200`, `-3.5`, `900k`, `1.2M`, `12%`.
/// Currency signs and thousands commas are not allowed. In the long form every row needs a
/// value; leave out figures that were not measured.
///
/// Each figure (month, metric and segment) may be given once. Every problem in the file is
/// reported at once, each with its line (the header is line 1) and, where it points at a field,
/// its column.
public enum ActualsParser {
    /// Every metric name an actuals file may use: ``TrackedMetric/fileNames`` and `cohort_survivors`.
    public static let metricNames = TrackedMetric.fileNames + [cohortName]

    /// The metrics that can be given for one segment.
    public static let segmentMetricNames = TrackedMetric.fileNames.filter(TrackedMetric.takesSegment) + [cohortName]

    static let cohortName = "cohort_survivors"

    /// Reads and checks the actuals file at `path` against `scenario`.
    ///
    /// - Throws: ``ScenarioErrors`` listing every problem, sorted by line.
    public static func load(path: String, scenario: Scenario) throws(ScenarioErrors) -> Actuals {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue {
            throw ScenarioErrors([ScenarioIssue(file: path, message: "This is a folder, not an actuals file.",
                                                hint: "Give the path of the CSV file with the actual figures.")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioErrors([ScenarioIssue(
                file: path,
                message: exists ? "The actuals file cannot be read." : "There is no actuals file here.",
                hint: exists ? "Check its permissions." : "Check the path of the CSV file with the actual figures.")])
        }
        if let problem = utf16Problem(data) {
            throw ScenarioErrors([ScenarioIssue(file: path, message: problem,
                                                hint: "Save it as “CSV UTF-8” from your spreadsheet or editor.")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioErrors([ScenarioIssue(file: path, message: "The actuals file is not UTF-8 text.",
                                                hint: "Save it as “CSV UTF-8” from your spreadsheet or editor.")])
        }
        return try parse(csv: text, file: path, scenario: scenario)
    }

    /// Parses and checks actuals CSV text against `scenario`; `file` names it in messages.
    ///
    /// - Throws: ``ScenarioErrors`` listing every problem, sorted by line.
    public static func parse(csv: String, file: String, scenario: Scenario) throws(ScenarioErrors) -> Actuals {
        // Lines starting with `#` are comments (a note on where the figures come from); they
        // become blank lines, so every other line keeps its number.
        let uncommented = blankingComments(csv)
        let reading = ActualsReading(text: uncommented, file: file, scenario: scenario)
        return try reading.run()
    }
}

extension ActualsParser {
    /// `csv` with every comment line (first non-blank character `#`) emptied, its line break
    /// kept. Lines end at LF, CR or CR LF, as the CSV reader counts them: Swift reads CR LF as
    /// one character, so splitting at "\n" once missed every line of a Windows file and a
    /// comment on its first line blanked the whole file. A byte-order mark is dropped first, so
    /// a comment on the first line of a spreadsheet's file is still a comment.
    static func blankingComments(_ csv: String) -> String {
        var scalars = Substring(csv).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var result = String.UnicodeScalarView()
        var line = String.UnicodeScalarView()
        func flush() {
            let text = String(line)
            if !text.trimmingCharacters(in: .whitespaces).hasPrefix("#") { result.append(contentsOf: line) }
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

    /// A sentence when `data` is UTF-16 text (a byte-order mark FF FE or FE FF, or the zero
    /// bytes between ASCII letters UTF-16 writes), which would otherwise read as one garbled line.
    static func utf16Problem(_ data: Data) -> String? {
        let head = Array(data.prefix(64))
        let bom = head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))
        guard bom || (head.count >= 4 && head.contains(0)) else { return nil }
        return "The actuals file is UTF-16 text; crmcase reads CSV files in UTF-8."
    }
}

// MARK: - Reading

/// What one figure is about: a tracked metric, or the survivors of a segment's month-0 cohort.
private enum Quantity: Hashable {
    case tracked(TrackedMetric)
    case cohort(segment: Int)
}

/// A user's mistake, before the place in the file is added.
private struct Problem: Error {
    var message: String
    var hint: String?
    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// One CSV record and where it is in the file.
private struct Record {
    /// The physical line the record starts on (1-based).
    var line: Int
    /// How many physical lines it spans (more than 1 only with a line break in quotes).
    var span: Int
    var fields: [String]

    var isBlank: Bool { fields.allSatisfy(\.isEmpty) }
}

/// One read of one actuals file; collects every problem, then throws them together.
private final class ActualsReading {
    let text: String
    let file: String
    let scenario: Scenario
    /// The file's physical lines, split as the CSV reader splits them (LF, CR or CRLF).
    let physicalLines: [String]

    var issues: [ScenarioIssue] = []
    var observations: [Observation] = []
    /// Cohort survivors by segment: month, value (nil when the value was wrong), line.
    var cohortEntries: [Int: [(month: Int, value: Double?, line: Int)]] = [:]
    /// The line where each figure was first given, to report duplicates.
    var seen: [FigureKey: Int] = [:]

    struct FigureKey: Hashable {
        var month: Int
        var quantity: Quantity
    }

    init(text: String, file: String, scenario: Scenario) {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // the byte-order mark spreadsheets write
        self.text = text
        self.file = file
        self.scenario = scenario
        physicalLines = Self.splitLines(text)
    }

    // MARK: Reporting

    func report(line: Int?, column: Int? = nil, _ message: String, hint: String? = nil) {
        issues.append(ScenarioIssue(file: file, line: line, column: column, message: message, hint: hint))
    }

    func report(_ problem: Problem, line: Int, column: Int?) {
        report(line: line, column: column, problem.message, hint: problem.hint)
    }

    /// Every issue, in file order.
    func sortedIssues() -> [ScenarioIssue] {
        issues.enumerated().sorted { a, b in
            (a.element.line ?? Int.max, a.element.column ?? 0, a.offset)
                < (b.element.line ?? Int.max, b.element.column ?? 0, b.offset)
        }.map(\.element)
    }

    // MARK: The whole file

    func run() throws(ScenarioErrors) -> Actuals {
        let records: [Record]
        do {
            records = try readRecords()
        } catch {
            throw ScenarioErrors(sortedIssues())
        }

        // Line breaks inside quotes are not allowed (they usually mean a missing closing quote).
        var usable: [Record] = []
        for record in records where !record.isBlank {
            let quote = quoteProblem(line: record.line)
            if let quote, !quote.unclosed {
                report(quote.problem, line: record.line, column: quote.column)
            } else if record.span > 1 {
                // A field that runs to the end of a file ending in a line break ends on the last line.
                let lastLine = text.hasSuffix("\n") || text.hasSuffix("\r") ? physicalLines.count - 1 : physicalLines.count
                report(line: record.line,
                       "A quoted field that starts on this line runs on to line \(min(record.line + record.span - 1, lastLine)); a field may not contain a line break.",
                       hint: "Check for a missing closing quote (\"), or remove the line break from the field.")
            } else if let quote {
                report(quote.problem, line: record.line, column: quote.column)
            } else {
                usable.append(record)
            }
        }
        // A broken header leaves nothing to read the rest with.
        if let first = records.first(where: { !$0.isBlank }), first.line != usable.first?.line {
            throw ScenarioErrors(sortedIssues())
        }
        guard let header = usable.first else {
            report(line: 1, "The actuals file is empty.",
                   hint: "Start with a header line such as `month,metric,segment,value` (one figure per row) or `month,customers,licence_cost` (one month per row).")
            throw ScenarioErrors(sortedIssues())
        }
        let rows = Array(usable.dropFirst())

        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let monthIndex = names.firstIndex(of: "month")
        var monthGuess: Int?
        if monthIndex == nil {
            // A header that is no header (figures, or semicolons) makes every column a mistake: say it once.
            if names.count == 1, header.fields[0].contains(";") {
                report(line: header.line, "The header has no commas; the columns of an actuals file are separated by commas.",
                       hint: "If your spreadsheet wrote semicolons, save the file as “CSV UTF-8 (comma delimited)”, or replace the semicolons by commas.")
                throw ScenarioErrors(sortedIssues())
            }
            if let first = header.fields.first, Int(first) != nil || calendarParts(first) != nil {
                report(line: header.line, "The first line should be a header naming the columns, but it looks like figures.",
                       hint: "Add a header line such as `month,metric,segment,value` or `month,customers,licence_cost` at the top.")
                throw ScenarioErrors(sortedIssues())
            }
            monthGuess = names.firstIndex { ["date", "period", "months"].contains($0) }
                ?? Suggestions.nearest(to: "month", in: names.filter { !$0.isEmpty }).flatMap { names.firstIndex(of: $0) }
            report(line: header.line, column: monthGuess.flatMap { column(ofField: $0, line: header.line) },
                   "The header has no “month” column.",
                   hint: monthGuess.map { "Rename the column “\(header.fields[$0])” to `month`." }
                       ?? "Add a column `month` with the model month (0, 1, 2, …) or the calendar month (2027-03) of each figure.")
        }
        if names.contains("metric") && names.contains("value") {
            readLong(header: header, names: names, rows: rows, monthIndex: monthIndex, monthGuess: monthGuess)
        } else {
            readWide(header: header, names: names, rows: rows, monthIndex: monthIndex, monthGuess: monthGuess)
        }
        checkCohorts()

        if issues.isEmpty && observations.isEmpty && cohortEntries.isEmpty {
            report(line: header.line, "The actuals file has a header but no figures.",
                   hint: "Add a row for each figure (long form) or each month (wide form) below the header.")
        }
        if !issues.isEmpty { throw ScenarioErrors(sortedIssues()) }

        let ordered = observations.enumerated().sorted { a, b in
            (a.element.month, a.element.line, a.offset) < (b.element.month, b.element.line, b.offset)
        }.map(\.element)
        let cohorts = cohortEntries.keys.sorted().map { segment in
            CohortSurvival(segment: segment,
                           survivors: cohortEntries[segment]!.sorted { $0.month < $1.month }.map { $0.value ?? 0 })
        }
        return Actuals(file: file, observations: ordered, cohorts: cohorts)
    }

    /// Reads every record with CSV.swift and works out which physical line each starts on.
    func readRecords() throws(Problem) -> [Record] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: true)
        } catch {
            report(line: 1, "The file cannot be read as CSV (\(error)).",
                   hint: "Save it as “CSV UTF-8 (comma delimited)” from your spreadsheet.")
            throw Problem("")
        }
        var records: [Record] = []
        var line = 1
        while let fields = reader.next() {
            let breaks = fields.reduce(0) { $0 + Self.lineBreaks(in: $1) }
            records.append(Record(line: line, span: 1 + breaks, fields: fields))
            line += 1 + breaks
        }
        if let error = reader.error {
            report(line: min(line, max(physicalLines.count, 1)), "The file cannot be read as CSV here (\(error)).",
                   hint: "Save it as “CSV UTF-8 (comma delimited)” from your spreadsheet.")
            throw Problem("")
        }
        return records
    }

    /// Checks the number of fields; false (with an issue) when the row cannot be read by column.
    func hasColumnCount(_ row: Record, _ count: Int) -> Bool {
        if row.fields.count == count { return true }
        if row.fields.count > count && row.fields[count...].allSatisfy(\.isEmpty) { return true }
        let noun = row.fields.count == 1 ? "field" : "fields"
        if row.fields.count > count {
            report(line: row.line, "This row has \(row.fields.count) \(noun), but the header has \(count) columns.",
                   hint: "Write numbers without thousands commas (1200 or 1_200, not 1,200), and put text that contains a comma in double quotes.")
        } else {
            report(line: row.line, "This row has \(row.fields.count) \(noun), but the header has \(count) columns.",
                   hint: "Give every row a field for each column of the header; an empty field is nothing between two commas.")
        }
        return false
    }

    // MARK: Header

    /// Reports header columns named twice; returns the indices to ignore.
    func reportRepeatedColumns(header: Record, keys: [String?]) -> Set<Int> {
        var firstIndex: [String: Int] = [:]
        var repeated: Set<Int> = []
        for (index, key) in keys.enumerated() {
            guard let key else { continue }
            if let first = firstIndex[key] {
                report(line: header.line, column: column(ofField: index, line: header.line),
                       "The column “\(header.fields[index])” appears twice in the header (columns \(first + 1) and \(index + 1)).",
                       hint: "Keep one of them.")
                repeated.insert(index)
            } else {
                firstIndex[key] = index
            }
        }
        return repeated
    }

    /// Reports a header field without a name, unless its column is empty throughout.
    func unnamedColumnHoldsData(_ index: Int, header: Record, rows: [Record], hint: String) -> Bool {
        let holdsData = rows.contains { index < $0.fields.count && !$0.fields[index].isEmpty }
        if holdsData {
            report(line: header.line, column: column(ofField: index, line: header.line),
                   "Column \(index + 1) has no name in the header, but it holds figures.", hint: hint)
        }
        return holdsData
    }

    // MARK: Long form

    func readLong(header: Record, names: [String], rows: [Record], monthIndex: Int?, monthGuess: Int?) {
        let known = ["month", "metric", "segment", "value"]
        _ = reportRepeatedColumns(header: header, keys: names.map { $0.isEmpty ? nil : $0 })
        for (index, name) in names.enumerated() where !known.contains(name) && index != monthGuess {
            if name.isEmpty {
                _ = unnamedColumnHoldsData(index, header: header, rows: rows,
                                           hint: "A long-form file has the columns month, metric, value and optionally segment; delete the others.")
            } else {
                let guess = Suggestions.nearest(to: name, in: known)
                report(line: header.line, column: column(ofField: index, line: header.line),
                       "“\(header.fields[index])” is not a column of a long-form actuals file.",
                       hint: guess.map { "Did you mean `\($0)`?" }
                           ?? "The columns are month, metric, value and optionally segment.")
            }
        }
        guard let monthIndex,
              let metricIndex = names.firstIndex(of: "metric"),
              let valueIndex = names.firstIndex(of: "value") else { return }
        let segmentIndex = names.firstIndex(of: "segment")

        for row in rows {
            guard hasColumnCount(row, header.fields.count) else { continue }
            let monthText = row.fields[monthIndex]
            let metricText = row.fields[metricIndex]
            let segmentText = segmentIndex.map { row.fields[$0] } ?? ""
            let valueText = row.fields[valueIndex]

            var resolvedMonth: Int?
            switch month(monthText) {
            case .success(let m): resolvedMonth = m
            case .failure(let problem): report(problem, line: row.line, column: column(ofField: monthIndex, line: row.line))
            }

            var resolved: (quantity: Quantity, name: String)?
            if metricText.isEmpty {
                report(line: row.line, column: column(ofField: metricIndex, line: row.line), "The metric is missing.",
                       hint: "Write one of: \(ActualsParser.metricNames.joined(separator: ", ")).")
            } else {
                switch quantity(metricText, segmentColumn: segmentText) {
                case .success(let q): resolved = q
                case .failure(let failure):
                    let at = failure.inSegmentColumn ? segmentIndex ?? metricIndex : metricIndex
                    report(failure.problem, line: row.line, column: column(ofField: at, line: row.line))
                }
            }

            var value: Double?
            var valueFailed = false
            if valueText.isEmpty {
                report(line: row.line, column: column(ofField: valueIndex, line: row.line), "The value is missing.",
                       hint: "Write the figure, or leave the row out if it was not measured.")
                valueFailed = true
            } else if let resolved {
                switch self.value(valueText, of: resolved.quantity, name: resolved.name) {
                case .success(let v): value = v
                case .failure(let problem):
                    report(problem, line: row.line, column: column(ofField: valueIndex, line: row.line))
                    valueFailed = true
                }
            } else if NumberText.parse(valueText) == nil {
                report(notANumber(valueText), line: row.line, column: column(ofField: valueIndex, line: row.line))
            }

            if let resolvedMonth, let resolved, value != nil || valueFailed {
                record(month: resolvedMonth, resolved.quantity, name: resolved.name, value: value, line: row.line)
            }
        }
    }

    // MARK: Wide form

    func readWide(header: Record, names: [String], rows: [Record], monthIndex: Int?, monthGuess: Int?) {
        var columns: [Int: (quantity: Quantity, name: String)] = [:]
        var keys: [String?] = names.map { _ in nil }
        for (index, name) in names.enumerated() where index != monthGuess {
            let field = header.fields[index]
            let at = column(ofField: index, line: header.line)
            if name == "month" {
                keys[index] = "month"
            } else if name.isEmpty {
                _ = unnamedColumnHoldsData(index, header: header, rows: rows,
                                           hint: "Name it after the metric it holds, e.g. customers[\(scenario.segments.first?.name ?? "Segment")].")
            } else if name == "segment" || name == "metric" || name == "value" {
                report(line: header.line, column: at,
                       "A “\(name)” column belongs to the long form, which needs both a `metric` and a `value` column.",
                       hint: "Either use the columns month, metric, value (and segment), one figure per row, or name each column after its metric, e.g. customers[\(scenario.segments.first?.name ?? "Segment")], one month per row.")
            } else {
                switch quantity(field, segmentColumn: "") {
                case .success(let q):
                    columns[index] = q
                    keys[index] = q.name
                case .failure(let failure):
                    report(failure.problem, line: header.line, column: at)
                }
            }
        }
        let repeated = reportRepeatedColumns(header: header, keys: keys)
        for index in repeated { columns[index] = nil }
        guard let monthIndex else { return }
        if names.count == 1 || (columns.isEmpty && issues.isEmpty) {
            report(line: header.line, "The header names no metrics, only the month.",
                   hint: "Add a column for each metric, e.g. `month,active_users,customers[\(scenario.segments.first?.name ?? "Segment")],licence_cost`, or use the long form `month,metric,segment,value`.")
            return
        }

        var monthRows: [Int: Int] = [:]
        for row in rows {
            guard hasColumnCount(row, header.fields.count) else { continue }
            var resolvedMonth: Int?
            switch month(row.fields[monthIndex]) {
            case .success(let m):
                if let first = monthRows[m] {
                    report(line: row.line, column: column(ofField: monthIndex, line: row.line),
                           "\(describeMonth(m).prefix(1).uppercased() + describeMonth(m).dropFirst()) already has a row, on line \(first).",
                           hint: "Put all the figures of a month on one row.")
                } else {
                    monthRows[m] = row.line
                    resolvedMonth = m
                }
            case .failure(let problem):
                report(problem, line: row.line, column: column(ofField: monthIndex, line: row.line))
            }
            for index in columns.keys.sorted() {
                let text = row.fields[index]
                guard !text.isEmpty, let metric = columns[index] else { continue }
                switch value(text, of: metric.quantity, name: metric.name) {
                case .success(let v):
                    if let resolvedMonth { record(month: resolvedMonth, metric.quantity, name: metric.name, value: v, line: row.line) }
                case .failure(let problem):
                    report(problem, line: row.line, column: column(ofField: index, line: row.line))
                    if let resolvedMonth { record(month: resolvedMonth, metric.quantity, name: metric.name, value: nil, line: row.line) }
                }
            }
        }
    }

    // MARK: Figures

    /// Keeps a figure (value nil: the value was wrong and has been reported) unless it repeats one.
    func record(month: Int, _ quantity: Quantity, name: String, value: Double?, line: Int) {
        let key = FigureKey(month: month, quantity: quantity)
        if let first = seen[key] {
            report(line: line, "\(name) for \(describeMonth(month)) is given twice; it was first given on line \(first).",
                   hint: "Keep one of the two.")
            return
        }
        seen[key] = line
        switch quantity {
        case .tracked(let metric):
            if let value { observations.append(Observation(month: month, metric: metric, value: value, line: line)) }
        case .cohort(let segment):
            cohortEntries[segment, default: []].append((month, value, line))
        }
    }

    /// Survivors of a month-0 cohort: from month 0, month by month, never rising.
    func checkCohorts() {
        for segment in cohortEntries.keys.sorted() {
            let name = "\(ActualsParser.cohortName)[\(scenario.segments[segment].name)]"
            let entries = cohortEntries[segment]!.sorted { $0.month < $1.month }
            guard let first = entries.first else { continue }
            if first.month != 0 {
                report(line: first.line,
                       "\(name) starts at \(describeMonth(first.month)); it must start at month 0 with the customers the segment had then.",
                       hint: "Add the size of the cohort for month 0\(scenario.start.map { " (\($0))" } ?? "").")
            } else if let size = first.value, size <= 0 {
                report(line: first.line, "\(name) is 0 in month 0; the cohort must have at least one customer.",
                       hint: "Give the number of customers the segment had in month 0.")
            }
            var last: (month: Int, value: Double)?
            for (previous, next) in zip(entries, entries.dropFirst()) where next.month > previous.month + 1 {
                let missing = next.month - previous.month - 1
                let gap = missing == 1 ? "month \(previous.month + 1)" : "months \(previous.month + 1)…\(next.month - 1)"
                report(line: next.line,
                       "\(name) skips \(gap): it is given for \(describeMonth(previous.month)) (line \(previous.line)) and then for \(describeMonth(next.month)).",
                       hint: "Give the survivors for every month from 0 on, without gaps.")
            }
            for entry in entries {
                guard let value = entry.value else { continue }
                if let last, value > last.value {
                    report(line: entry.line,
                           "\(name) rises from \(formatted(last.value)) in \(describeMonth(last.month)) to \(formatted(value)) in \(describeMonth(entry.month)); the survivors of a cohort can only stay the same or fall.",
                           hint: "Count only customers who were already customers in month 0; customers won later belong in new_customers.")
                }
                last = (entry.month, value)
            }
        }
    }

    // MARK: Fields

    /// A month as written: a model month number or a calendar month `YYYY-MM`.
    func month(_ raw: String) -> Result<Int, Problem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let horizon = scenario.horizon
        let calendarRange = scenario.start.map { " (\($0) to \($0.adding(months: horizon)))" } ?? ""
        if text.isEmpty {
            return .failure(Problem("The month is missing.",
                                    hint: "Write the model month (0…\(horizon))\(scenario.start == nil ? "" : " or the calendar month, e.g. \(scenario.start!.adding(months: 1))").")) }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let m = Int(text), (0...horizon).contains(m) else {
                return .failure(Problem("Month \(text) is outside the business case, which covers months 0…\(horizon)\(calendarRange).",
                                        hint: "Give figures for months 0…\(horizon) only."))
            }
            return .success(m)
        }
        if let (year, monthOfYear) = calendarParts(text) {
            guard (1...12).contains(monthOfYear) else {
                return .failure(Problem("“\(text)” is not a calendar month: the month must be 01…12.",
                                        hint: "Write calendar months as YYYY-MM, e.g. 2027-03."))
            }
            let written = CalendarMonth(year: year, month: monthOfYear)
            guard let start = scenario.start else {
                return .failure(Problem("“\(text)” is a calendar month, but the scenario has no `start:`, so it cannot tell which model month that is.",
                                        hint: "Add `start: YYYY-MM` (the calendar month of month 0) to the scenario, or write model month numbers 0…\(horizon)."))
            }
            let index = (written.year * 12 + written.month) - (start.year * 12 + start.month)
            guard (0...horizon).contains(index) else {
                return .failure(Problem("\(written) (month \(index)) is outside the business case, which covers \(start) to \(start.adding(months: horizon)) (months 0…\(horizon)).",
                                        hint: "Give figures for \(start) to \(start.adding(months: horizon)) only."))
            }
            return .success(index)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), parts[0].count == 4 {
            return .failure(Problem("“\(text)” is a date; an actuals file gives months.",
                                    hint: "Write the month without the day: \(parts[0])-\(parts[1])."))
        }
        if let number = Double(text), number.isFinite {
            return .failure(Problem("Month “\(text)” is not a whole number.",
                                    hint: "Write the model month as a whole number, 0…\(horizon)."))
        }
        return .failure(Problem("“\(text)” is not a month.",
                                hint: scenario.start == nil
                                    ? "Write the model month as a whole number, 0…\(horizon)."
                                    : "Write the model month (0…\(horizon)) or the calendar month as YYYY-MM, e.g. \(scenario.start!.adding(months: 1))."))
    }

    /// `YYYY-MM` (also `YYYY-M`) split into year and month, without checking the month's range.
    func calendarParts(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        return (year, month)
    }

    struct QuantityFailure: Error {
        var problem: Problem
        /// Whether the problem is the long form's `segment` field rather than the metric field.
        var inSegmentColumn = false
    }

    /// A metric as written (`customers`, `customers[Hybrid]`), with the long form's segment field.
    func quantity(_ raw: String, segmentColumn: String) -> Result<(quantity: Quantity, name: String), QuantityFailure> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var nameText = text
        var bracketSegment: String?
        if text.contains("[") || text.contains("]") {
            guard let open = text.firstIndex(of: "["), text.hasSuffix("]"),
                  text.firstIndex(of: "]") == text.index(before: text.endIndex),
                  text[text.index(after: open)...].dropLast().firstIndex(of: "[") == nil else {
                return .failure(QuantityFailure(problem: Problem(
                    "“\(text)” is not a metric name.",
                    hint: "Write a segment in square brackets after the metric, e.g. customers[\(scenario.segments.first?.name ?? "Segment")].")))
            }
            nameText = String(text[..<open]).trimmingCharacters(in: .whitespaces)
            bracketSegment = String(text[text.index(after: open)...].dropLast()).trimmingCharacters(in: .whitespaces)
            if bracketSegment!.isEmpty {
                return .failure(QuantityFailure(problem: Problem(
                    "“\(text)” has empty brackets.",
                    hint: "Write the segment inside them, e.g. \(nameText)[\(scenario.segments.first?.name ?? "Segment")], or leave them out for all segments together.")))
            }
        }
        let name = nameText.lowercased()
        guard ActualsParser.metricNames.contains(name) else {
            let guess = Suggestions.nearest(to: name, in: ActualsParser.metricNames)
            return .failure(QuantityFailure(problem: Problem(
                "“\(nameText)” is not a metric an actuals file can give.",
                hint: guess.map { "Did you mean `\($0)`?" }
                    ?? "The metrics are \(ActualsParser.metricNames.joined(separator: ", ")).")))
        }

        let columnSegment = segmentColumn.trimmingCharacters(in: .whitespaces)
        var segmentText = bracketSegment
        var fromColumn = false
        if !columnSegment.isEmpty {
            if let bracketSegment, bracketSegment != columnSegment {
                return .failure(QuantityFailure(problem: Problem(
                    "The segment is given twice and differs: “\(bracketSegment)” in the metric and “\(columnSegment)” in the segment column.",
                    hint: "Give the segment once, either as \(name)[\(columnSegment)] or in the segment column."), inSegmentColumn: true))
            }
            segmentText = columnSegment
            fromColumn = bracketSegment == nil
        }
        let isCohort = name == ActualsParser.cohortName
        guard let segmentText else {
            if isCohort {
                let example = scenario.segments.first?.name ?? "Segment"
                return .failure(QuantityFailure(problem: Problem(
                    "cohort_survivors needs a segment: it follows the customers one segment had at month 0.",
                    hint: "Write cohort_survivors[\(example)], or give the segment in a segment column. \(segmentList())")))
            }
            return .success((.tracked(TrackedMetric.named(name, segment: nil)!), name))
        }
        guard isCohort || TrackedMetric.takesSegment(name) else {
            return .failure(QuantityFailure(problem: Problem(
                "\(name) is not given by segment, but it has the segment “\(segmentText)”.",
                hint: fromColumn
                    ? "Leave the segment field empty for \(name). Only \(ActualsParser.segmentMetricNames.joined(separator: ", ")) take a segment."
                    : "Write \(name) without [\(segmentText)]. Only \(ActualsParser.segmentMetricNames.joined(separator: ", ")) take a segment."),
                inSegmentColumn: fromColumn))
        }
        let segment: Int
        switch segmentIndex(segmentText) {
        case .success(let s): segment = s
        case .failure(let problem): return .failure(QuantityFailure(problem: problem, inSegmentColumn: fromColumn))
        }
        let display = "\(name)[\(scenario.segments[segment].name)]"
        if isCohort { return .success((.cohort(segment: segment), display)) }
        return .success((.tracked(TrackedMetric.named(name, segment: segment)!), display))
    }

    /// The index of a segment, written exactly as in the scenario.
    func segmentIndex(_ text: String) -> Result<Int, Problem> {
        let names = scenario.segments.map(\.name)
        if let index = names.firstIndex(of: text) { return .success(index) }
        if scenario.segments.isEmpty {
            return .failure(Problem("The scenario has no segments, so there is no segment “\(text)”.",
                                    hint: "Leave the segment out."))
        }
        if let match = names.first(where: { $0.lowercased() == text.lowercased() }) {
            return .failure(Problem("There is no segment “\(text)” in the scenario.",
                                    hint: "Did you mean “\(match)”? Segment names must be written exactly as in the scenario, capitals included."))
        }
        if let guess = Suggestions.nearest(to: text, in: names) {
            return .failure(Problem("There is no segment “\(text)” in the scenario.", hint: "Did you mean “\(guess)”?"))
        }
        return .failure(Problem("There is no segment “\(text)” in the scenario.", hint: segmentList()))
    }

    func segmentList() -> String {
        let names = scenario.segments.map(\.name)
        return names.count == 1 ? "The scenario's segment is “\(names[0])”."
            : "The scenario's segments are \(names.map { "“\($0)”" }.joined(separator: ", "))."
    }

    func notANumber(_ text: String) -> Problem {
        Problem("“\(text)” is not a number.",
                hint: "Write a plain number such as 1200, 1_200, 900k, 1.2M or 12%, without currency signs or thousands commas.")
    }

    /// A value as written, checked for its metric.
    func value(_ raw: String, of quantity: Quantity, name: String) -> Result<Double, Problem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard let value = NumberText.parse(text), value.isFinite else { return .failure(notANumber(text)) }
        let base: String
        switch quantity {
        case .cohort: base = ActualsParser.cohortName
        case .tracked(let metric): base = metric.fileName
        }
        switch base {
        case "customers", "churned", "new_customers", ActualsParser.cohortName:
            if value < 0 {
                return .failure(Problem("\(name) is \(text); a number of customers cannot be negative.",
                                        hint: base == "churned" ? "Write customers lost as a positive number." : nil))
            }
            if value != value.rounded() {
                return .failure(Problem("\(name) is \(text); it counts customers, so it must be a whole number.",
                                        hint: "Round it to whole customers."))
            }
            if value > 1e9 {
                return .failure(Problem("\(name) is \(text); this tool models up to a billion customers per segment."))
            }
        case "active_users":
            if value < 0 {
                return .failure(Problem("\(name) is \(text); a number of users cannot be negative."))
            }
            if value > 1e9 {
                return .failure(Problem("\(name) is \(text); this tool models up to a billion users."))
            }
        case "adoption":
            if !(0...1).contains(value) {
                if !text.hasSuffix("%"), value > 1, value <= 100 {
                    return .failure(Problem("adoption is \(text); it is a share of licensed seats between 0 and 1.",
                                            hint: "Write \(text)% for a percentage, or \(formatted(value / 100)) as a share."))
                }
                return .failure(Problem("adoption is \(text); it is a share of licensed seats between 0% and 100%.",
                                        hint: "Write it as a percentage such as 62% or as a share such as 0.62."))
            }
        case "licence_cost", "other_costs":
            if value < 0 {
                return .failure(Problem("\(name) is \(text); costs are written as positive amounts.",
                                        hint: "Write \(formatted(-value)) instead of \(text)."))
            }
        default:
            break  // contribution margin may be negative
        }
        if abs(value) > 1e15 {
            return .failure(Problem("\(name) is \(text); amounts beyond 10¹⁵ are not plausible here."))
        }
        return .success(value)
    }

    // MARK: Text

    /// "month 3 (2027-04)" or "month 3".
    func describeMonth(_ m: Int) -> String {
        if let start = scenario.start { return "month \(m) (\(start.adding(months: m)))" }
        return "month \(m)"
    }

    func formatted(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// Line breaks in a field as the CSV reader counts them: LF, CR, or CR LF as one.
    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var afterCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\r" {
                count += 1
                afterCR = true
            } else {
                if scalar == "\n" && !afterCR { count += 1 }
                afterCR = false
            }
        }
        return count
    }

    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines
    }

    /// A misplaced double quote on a one-line record, which CSV.swift reads without complaint
    /// but not as meant: text after a closing quote, or a quote that is never closed.
    func quoteProblem(line: Int) -> (problem: Problem, column: Int, unclosed: Bool)? {
        guard line >= 1, line <= physicalLines.count else { return nil }
        let characters = Array(physicalLines[line - 1])
        var position = 0
        while position < characters.count {
            while position < characters.count, characters[position] == " " || characters[position] == "\t" {
                position += 1
            }
            if position < characters.count, characters[position] == "\"" {
                let opening = position
                position += 1
                var closed = false
                while position < characters.count {
                    if characters[position] == "\"" {
                        if position + 1 < characters.count, characters[position + 1] == "\"" {
                            position += 2
                            continue
                        }
                        position += 1
                        closed = true
                        break
                    }
                    position += 1
                }
                guard closed else {
                    return (Problem("The double quote that opens this field is never closed.",
                                    hint: "Add the closing quote (\"), or remove the opening one."), opening + 1, true)
                }
                while position < characters.count, characters[position] == " " || characters[position] == "\t" {
                    position += 1
                }
                if position < characters.count, characters[position] != "," {
                    return (Problem("After the closing double quote of a field comes “\(characters[position])”; a quoted field must end at its closing quote.",
                                    hint: "Put the whole field in quotes, and write a quote inside it as two quotes (\"\")."), position + 1, false)
                }
            }
            while position < characters.count, characters[position] != "," { position += 1 }
            position += 1
        }
        return nil
    }

    /// The 1-based column (in characters) where field `index` of the one-line record on `line`
    /// starts, after any leading spaces.
    func column(ofField index: Int, line: Int) -> Int? {
        guard line >= 1, line <= physicalLines.count else { return nil }
        let characters = Array(physicalLines[line - 1])
        var position = 0
        var field = 0
        while true {
            while position < characters.count, characters[position] == " " || characters[position] == "\t" {
                position += 1
            }
            if field == index { return position + 1 }
            // Skip the field.
            if position < characters.count, characters[position] == "\"" {
                position += 1
                while position < characters.count {
                    if characters[position] == "\"" {
                        if position + 1 < characters.count, characters[position + 1] == "\"" {
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    position += 1
                }
            }
            while position < characters.count, characters[position] != "," { position += 1 }
            guard position < characters.count else { return nil }
            position += 1
            field += 1
        }
    }
}
