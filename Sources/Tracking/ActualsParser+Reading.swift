import CRMModel
import ScenarioFormat
import Tabular

// One read of one actuals file: the records, the header, and every problem found on the way.

extension ActualsParser {
    /// One read of one actuals file; collects every problem, then throws them together.
    final class Reading {
        let records: [CSVRecord]
        let file: String
        let scenario: Scenario

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

        /// What one figure is about: a tracked metric, or the survivors of a segment's month-0 cohort.
        enum Quantity: Hashable {
            case tracked(TrackedMetric)
            case cohort(segment: Int)
        }

        /// A user's mistake, before the place in the file is added.
        struct Problem: Error {
            var message: String
            var hint: String?
            init(_ message: String, hint: String? = nil) {
                self.message = message
                self.hint = hint
            }
        }

        /// A record to read figures from: on one line, so every field has a column there.
        struct Row {
            /// The line (1-based).
            var line: Int
            var fields: [String]
            /// The 1-based column each field starts at.
            var columns: [Int]

            init(_ record: CSVRecord) {
                line = record.line
                fields = record.texts
                columns = record.fields.map(\.column)
            }

            /// The column where field `index` starts.
            func column(_ index: Int) -> Int? {
                columns.indices.contains(index) ? columns[index] : nil
            }
        }

        init(records: [CSVRecord], file: String, scenario: Scenario) {
            self.records = records
            self.file = file
            self.scenario = scenario
        }

        // MARK: Reporting

        /// A problem at `line` and `column`; one about a whole line (no column given) points at
        /// the line's start, so that every problem reads `file:line:column`.
        func report(line: Int?, column: Int? = nil, _ message: String, hint: String? = nil) {
            issues.append(ScenarioIssue(file: file, line: line, column: column ?? (line == nil ? nil : 1), message: message, hint: hint))
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
            let usable = usableRows()
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
                report(line: header.line, column: monthGuess.flatMap(header.column),
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

        /// The records with figures to read: not blank, on one line, their quotes in place. The
        /// others are reported. (A line break inside quotes usually means a missing closing quote.)
        func usableRows() -> [Row] {
            var usable: [Row] = []
            for record in records where !record.isBlank {
                if let problem = record.problem, problem.line == record.line, problem.kind != .unterminatedQuote {
                    report(words(for: problem), line: record.line, column: problem.column)
                } else if let field = record.fields.first(where: \.holdsLineBreak) {
                    // At the field's opening quote, where a missing closing quote would go after.
                    report(line: field.line, column: field.column,
                           "A quoted field that starts on this line runs on to line \(record.endLine); a field may not contain a line break.",
                           hint: "Check for a missing closing quote (\"), or remove the line break from the field.")
                } else if let problem = record.problem {
                    report(words(for: problem), line: record.line, column: problem.column)
                } else {
                    usable.append(Row(record))
                }
            }
            return usable
        }

        /// A misplaced quote, in words.
        func words(for problem: CSVProblem) -> Problem {
            switch problem.kind {
            case .textAfterClosingQuote(let character):
                return Problem("After the closing double quote of a field comes “\(character)”; a quoted field must end at its closing quote.",
                               hint: "Put the whole field in quotes, and write a quote inside it as two quotes (\"\").")
            case .unterminatedQuote:
                return Problem("The double quote that opens this field is never closed.",
                               hint: "Add the closing quote (\"), or remove the opening one.")
            }
        }

        /// Checks the number of fields; false (with an issue) when the row cannot be read by column.
        func hasColumnCount(_ row: Row, _ count: Int) -> Bool {
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
    }
}

private extension CSVField {
    /// Whether the field holds a line break: it was quoted and ran on to the next line, or (at the
    /// end of the file) its quote was never closed and the file's last line break is in it.
    var holdsLineBreak: Bool { text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" } }
}
