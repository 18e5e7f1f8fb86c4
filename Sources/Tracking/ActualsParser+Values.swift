import CRMModel
import ScenarioFormat

// The fields of an actuals file: months, metrics with their segments, and values.

extension ActualsParser.Reading {
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
}
