import ScenarioFormat

// The header of an actuals file, and its rows in the long form (one figure per row) and the
// wide form (one month per row).

extension ActualsParser.Reading {
    // MARK: Header

    /// Reports header columns named twice; returns the indices to ignore.
    func reportRepeatedColumns(header: Row, keys: [String?]) -> Set<Int> {
        var firstIndex: [String: Int] = [:]
        var repeated: Set<Int> = []
        for (index, key) in keys.enumerated() {
            guard let key else { continue }
            if let first = firstIndex[key] {
                report(line: header.line, column: header.column(index),
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
    func unnamedColumnHoldsData(_ index: Int, header: Row, rows: [Row], hint: String) -> Bool {
        let holdsData = rows.contains { index < $0.fields.count && !$0.fields[index].isEmpty }
        if holdsData {
            report(line: header.line, column: header.column(index),
                   "Column \(index + 1) has no name in the header, but it holds figures.", hint: hint)
        }
        return holdsData
    }

    // MARK: Long form

    func readLong(header: Row, names: [String], rows: [Row], monthIndex: Int?, monthGuess: Int?) {
        let known = ["month", "metric", "segment", "value"]
        _ = reportRepeatedColumns(header: header, keys: names.map { $0.isEmpty ? nil : $0 })
        for (index, name) in names.enumerated() where !known.contains(name) && index != monthGuess {
            if name.isEmpty {
                _ = unnamedColumnHoldsData(index, header: header, rows: rows,
                                           hint: "A long-form file has the columns month, metric, value and optionally segment; delete the others.")
            } else {
                let guess = Suggestions.nearest(to: name, in: known)
                report(line: header.line, column: header.column(index),
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
            case .failure(let problem): report(problem, line: row.line, column: row.column(monthIndex))
            }

            var resolved: (quantity: Quantity, name: String)?
            if metricText.isEmpty {
                report(line: row.line, column: row.column(metricIndex), "The metric is missing.",
                       hint: "Write one of: \(ActualsParser.metricNames.joined(separator: ", ")).")
            } else {
                switch quantity(metricText, segmentColumn: segmentText) {
                case .success(let q): resolved = q
                case .failure(let failure):
                    let at = failure.inSegmentColumn ? segmentIndex ?? metricIndex : metricIndex
                    report(failure.problem, line: row.line, column: row.column(at))
                }
            }

            var value: Double?
            var valueFailed = false
            if valueText.isEmpty {
                report(line: row.line, column: row.column(valueIndex), "The value is missing.",
                       hint: "Write the figure, or leave the row out if it was not measured.")
                valueFailed = true
            } else if let resolved {
                switch self.value(valueText, of: resolved.quantity, name: resolved.name) {
                case .success(let v): value = v
                case .failure(let problem):
                    report(problem, line: row.line, column: row.column(valueIndex))
                    valueFailed = true
                }
            } else if NumberText.parse(valueText) == nil {
                report(notANumber(valueText), line: row.line, column: row.column(valueIndex))
            }

            if let resolvedMonth, let resolved, value != nil || valueFailed {
                record(month: resolvedMonth, resolved.quantity, name: resolved.name, value: value, line: row.line)
            }
        }
    }

    // MARK: Wide form

    func readWide(header: Row, names: [String], rows: [Row], monthIndex: Int?, monthGuess: Int?) {
        var columns: [Int: (quantity: Quantity, name: String)] = [:]
        var keys: [String?] = names.map { _ in nil }
        for (index, name) in names.enumerated() where index != monthGuess {
            let field = header.fields[index]
            let at = header.column(index)
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
                    report(line: row.line, column: row.column(monthIndex),
                           "\(describeMonth(m).prefix(1).uppercased() + describeMonth(m).dropFirst()) already has a row, on line \(first).",
                           hint: "Put all the figures of a month on one row.")
                } else {
                    monthRows[m] = row.line
                    resolvedMonth = m
                }
            case .failure(let problem):
                report(problem, line: row.line, column: row.column(monthIndex))
            }
            for index in columns.keys.sorted() {
                let text = row.fields[index]
                guard !text.isEmpty, let metric = columns[index] else { continue }
                switch value(text, of: metric.quantity, name: metric.name) {
                case .success(let v):
                    if let resolvedMonth { record(month: resolvedMonth, metric.quantity, name: metric.name, value: v, line: row.line) }
                case .failure(let problem):
                    report(problem, line: row.line, column: row.column(index))
                    if let resolvedMonth { record(month: resolvedMonth, metric.quantity, name: metric.name, value: nil, line: row.line) }
                }
            }
        }
    }
}
