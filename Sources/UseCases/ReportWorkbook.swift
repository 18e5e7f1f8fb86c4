import Foundation
import MonteCarlo
import Spreadsheet
import Tabular

/// The Excel workbook of a report (`report.xlsx`, `track.xlsx`, `compare.xlsx`,
/// `sweep.xlsx`): the report's CSV files as sheets, numbers as numbers, with the sheets a finance
/// team reads first laid out for people and native Excel charts drawn from their cells.
///
/// Built from the CSV files the report writes (RFC 4180, every number in its shortest exact
/// form), so the workbook and the CSV files cannot disagree: a test reads the workbook back with
/// openpyxl and compares every number with the CSV files. `trials.csv` stays a CSV file only
/// (one row per trial is for scripts, not a workbook).
public enum ReportWorkbook {
    /// The workbook for a report folder's `files`, and its file name; nil when the files are no
    /// report crmcase knows (no `report.md`, `track.md`, `compare.md` or `sweep.md`).
    public static func file(for files: [(name: String, contents: String)]) throws(XLSXWriter.Failure) -> (name: String, bytes: [UInt8])? {
        guard let workbook = workbook(for: files) else { return nil }
        let stem = ["report", "track", "compare", "sweep"].first { stem in files.contains { $0.name == "\(stem).md" } }!
        return ("\(stem).xlsx", try XLSXWriter.data(workbook))
    }

    /// The workbook as values (sheets and charts), before any file format.
    public static func workbook(for files: [(name: String, contents: String)]) -> Workbook? {
        guard let markdown = files.first(where: { ["report.md", "track.md", "compare.md", "sweep.md"].contains($0.name) }) else {
            return nil
        }
        let title = markdown.contents.split(separator: "\n").first.map { String($0.drop { $0 == "#" || $0 == " " }) } ?? "crmcase report"
        var tables: [String: CSVTable] = [:]
        var order: [String] = []
        for file in files where file.name.hasSuffix(".csv") && file.name != "trials.csv" {
            let name = String(file.name.dropLast(4))
            tables[name] = CSVTable(file.contents, textColumns: textColumns)
            order.append(name)
        }
        var sheets: [Sheet] = []
        if let summary = tables["summary"] { sheets.append(summarySheet(summary, title: title)) }
        if let cash = tables["cash-flow"] { sheets.append(cashFlowSheet(cash)) }
        if let monthly = tables["monthly"], let fan = cashFanSheet(monthly) { sheets.append(fan) }
        if let sensitivity = tables["sensitivity"] { sheets.append(driversSheet(sensitivity)) }
        if let track = tables["track"] { sheets += planVersusActualSheets(track) }
        if let sweep = tables["sweep"], let chart = sweepSheet(sweep) { sheets.append(chart) }
        if let compare = tables["compare"], let options = comparisonSheet(compare) { sheets.append(options) }
        // Then every CSV file as it is, one sheet each, named as the file — but one longer than
        // an Excel sheet (a very long horizon with many segments) stays a CSV file only, and the
        // workbook says so.
        var leftOut: [String] = []
        for name in order {
            let sheet = dataSheet(tables[name]!, name: "\(name).csv")
            if sheet.rows.count > maximumRows {
                leftOut.append("\(name).csv has \(sheet.rows.count) lines, more than an Excel sheet holds (\(maximumRows)); open it as a CSV file.")
            } else {
                sheets.append(sheet)
            }
        }
        if !leftOut.isEmpty {
            sheets.append(Sheet(name: "Left out", rows: leftOut.map { [.text($0)] }, columnWidths: [120]))
        }
        return Workbook(title: title, sheets: sheets)
    }

    /// Rows of an Excel worksheet.
    static let maximumRows = 1_048_576

    /// The columns of the report's CSV files that hold names and words, read as text even when
    /// one looks like a number (a segment called `2024`, a variant called `2`).
    static let textColumns: Set<String> = [
        "metric", "statistic", "segment", "option", "input", "line", "kind", "series", "verdict", "calendar_month",
        "period", "as_written", "unit",
    ]

    // MARK: Sheets for people

    /// `summary.csv` as a table: one row per metric, one column per statistic.
    static func summarySheet(_ table: CSVTable, title: String) -> Sheet {
        var metrics: [String] = [], statistics: [String] = []
        var values: [String: Cell] = [:]
        for row in table.rows where row.count == 3 {
            guard case .text(let metric, _) = row[0], case .text(let statistic, _) = row[1] else { continue }
            if !metrics.contains(metric) { metrics.append(metric) }
            if !statistics.contains(statistic) { statistics.append(statistic) }
            values["\(metric)\u{1F}\(statistic)"] = row[2]
        }
        var rows: [[Cell]] = [[.text(title, bold: true)], [.text("Every statistic of summary.csv: amounts in the scenario's currency, shares shown as percentages (the cell holds 0.25 for 25 %), months as month numbers.")], []]
        rows.append([.text("metric", bold: true)] + statistics.map { .columnTitle($0) })
        for metric in metrics {
            // Shown as people read them (the values keep every digit): shares as percentages,
            // amounts with thousands separators, counts of trials whole, the rest (mean
            // customers, months, LTV : CAC) with two decimals.
            // By the metric's own name (after `segment[…].` or `risk[…].`), never by a name the
            // user chose: a segment called "Detroit" holds "roi".
            let leaf = metric.range(of: "].", options: .backwards).map { String(metric[$0.upperBound...]) } ?? metric
            let format: NumberFormat = ["probability", "roi", "irr", "occurred"].contains(where: leaf.hasPrefix) ? .percent
                : ["npv", "pv_", "peak_funding", "clv", "mean_npv"].contains(where: leaf.hasPrefix) ? .amount
                : ["trials", "seed"].contains(leaf) ? .whole : .decimal
            rows.append([.text(metric)] + statistics.map { statistic in
                let cell = values["\(metric)\u{1F}\(statistic)"] ?? .empty
                if statistic.hasPrefix("trials") { return cell.formatted(.whole) }
                return cell.formatted(format)
            })
        }
        return Sheet(name: "Summary", rows: rows, columnWidths: [48] + statistics.map { _ in 16 }, frozenRows: 4)
    }

    /// `cash-flow.csv` in the layout of a Forrester TEI study: costs, benefits and net cash flow
    /// per year, their total and present value, with a column chart of the years.
    static func cashFlowSheet(_ table: CSVTable) -> Sheet {
        let periods = table.rows.filter { if case .text(let p, _) = $0[0] { return p != "total" && p != "present_value" } else { return false } }
        var header: [Cell] = [.text("", bold: true)]
        for row in periods {
            guard case .text(let p, _) = row[0] else { continue }
            let months = Int(row[1].number ?? 0)...Int(row[2].number ?? 0)
            header.append(.columnTitle(YearlyCashFlow.title(ofPeriod: p == "initial" ? 0 : Int(p.dropFirst(5)) ?? 0, months: months)))
        }
        header += [.columnTitle("Total"), .columnTitle("Present value")]
        var rows: [[Cell]] = [
            [.text("Cash flow by year, undiscounted (mean over the simulated futures); present value at the scenario's discount rate", bold: true)],
            [.text("Risk-adjusted: every uncertainty and risk event in. Unadjusted: every uncertain input at its median, no risk event.")],
            [],
            header,
        ]
        let columns = table.header.dropFirst(3)
        for (k, column) in columns.enumerated() {
            let isNet = column.hasPrefix("net")
            let label = column.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "risk adjusted", with: "(risk-adjusted)")
                .replacingOccurrences(of: "unadjusted", with: "(unadjusted)")
            let words = label.prefix(1).uppercased() + label.dropFirst()
            var cells: [Cell] = [.text(isNet ? words.replacingOccurrences(of: "Net", with: "Net cash flow") : words, bold: isNet)]
            for row in table.rows {
                let value = row[3 + k].number.map { Cell.number($0, isNet ? .totalAmount : .amount) } ?? .empty
                cells.append(value)
            }
            rows.append(cells)
        }
        let years = periods.count
        let chart = Chart(kind: .column, title: "Cash flow by year (risk-adjusted)", categoryAxis: "Year", valueAxis: "Amount",
                          categories: .row(3, columns: 1...years),
                          series: (0..<min(3, columns.count)).map { k in
                              Chart.Series(name: ["Costs", "Benefits", "Net cash flow"][k], values: .row(4 + k, columns: 1...years))
                          },
                          row: rows.count + 1, column: 0)
        return Sheet(name: "Cash flow", rows: rows, columnWidths: [34] + Array(repeating: 15, count: years + 2), frozenRows: 4,
                     charts: [chart])
    }

    /// The cumulative cash of `monthly.csv`, month by month, with its P10–P90 band as a chart.
    static func cashFanSheet(_ table: CSVTable) -> Sheet? {
        guard let series = table.header.firstIndex(of: "series"),
              let p10 = table.header.firstIndex(of: "p10"), let p50 = table.header.firstIndex(of: "p50"),
              let p90 = table.header.firstIndex(of: "p90"), let mean = table.header.firstIndex(of: "mean") else { return nil }
        let cash = table.rows.filter { $0[series] == .text("cumulative_cash", bold: false) }
        guard !cash.isEmpty else { return nil }
        var rows: [[Cell]] = [[.text("Cumulative cash of the CRM by month (what it changes; scenario's currency)", bold: true)], [],
                              [.text("month", bold: true), .text("calendar month", bold: true)] + ["P10", "P50", "mean", "P90"].map { .columnTitle($0) }]
        for row in cash {
            rows.append([row[0], row[1], row[p10].amount, row[p50].amount, row[mean].amount, row[p90].amount])
        }
        let last = rows.count - 1
        let chart = Chart(kind: .line, title: "Cumulative cash: P10, P50 and P90 of the simulated futures", categoryAxis: "Month",
                          valueAxis: "Cumulative cash", categories: .column(0, rows: 3...last),
                          series: [Chart.Series(name: "P10", values: .column(2, rows: 3...last), dashed: true),
                                   Chart.Series(name: "P50", values: .column(3, rows: 3...last)),
                                   Chart.Series(name: "P90", values: .column(5, rows: 3...last), dashed: true)],
                          row: 2, column: 7)
        return Sheet(name: "Cash fan", rows: rows, columnWidths: [8, 15, 15, 15, 15, 15], frozenRows: 3, charts: [chart])
    }

    /// The inputs and risks of `sensitivity.csv` by swing, largest first, with a bar chart of
    /// the ten largest.
    static func driversSheet(_ table: CSVTable) -> Sheet {
        let kind = table.header.firstIndex(of: "kind") ?? 1
        let effects = table.rows.filter { $0[kind] == .text("input", bold: false) || $0[kind] == .text("risk", bold: false) }
        var rows: [[Cell]] = [[.text("What drives the NPV: the mean NPV with each input at its P10 and at its P90 (a risk: without and with it)", bold: true)], [],
                              [.text("input", bold: true)] + ["NPV at P10", "NPV at P90", "swing", "rank correlation", "value of knowing (EVPPI)"].map { .columnTitle($0) }]
        for row in effects {
            rows.append([row[0], row[2].amount, row[3].amount, row[4].amount, row[5], row[6].amount])
        }
        let shown = min(10, effects.count)
        var charts: [Chart] = []
        if shown > 0 {
            charts.append(Chart(kind: .bar, title: "Swing of the mean NPV, the \(shown) largest", categoryAxis: "Input", valueAxis: "Swing of the NPV",
                                categories: .column(0, rows: 3...(2 + shown)),
                                series: [Chart.Series(name: "Swing (NPV at P90 − NPV at P10)", values: .column(3, rows: 3...(2 + shown)))],
                                row: 2, column: 7))
        }
        return Sheet(name: "Drivers", rows: rows, columnWidths: [52, 15, 15, 15, 15, 18], frozenRows: 3, charts: charts)
    }

    /// `track.csv` grouped by metric and segment, each group month by month beside its plan,
    /// with a chart of each company-wide metric: actual against the plan's P10, P50 and P90.
    static func planVersusActualSheets(_ table: CSVTable) -> [Sheet] {
        let h = table.header
        guard let metric = h.firstIndex(of: "metric"), let segment = h.firstIndex(of: "segment"),
              let actual = h.firstIndex(of: "actual"), let p10 = h.firstIndex(of: "forecast_p10"),
              let p50 = h.firstIndex(of: "forecast_p50"), let p90 = h.firstIndex(of: "forecast_p90"),
              let verdict = h.firstIndex(of: "verdict") else { return [] }
        var groups: [(String, [[Cell]])] = []
        for row in table.rows {
            let words = row[metric].text.replacingOccurrences(of: "_", with: " ")
            let key = "\(words)\(row[segment].text.isEmpty ? "" : " — \(row[segment].text)")"
            if let k = groups.firstIndex(where: { $0.0 == key }) { groups[k].1.append(row) } else { groups.append((key, [row])) }
        }
        var rows: [[Cell]] = [[.text("Plan versus actual, month by month: each metric beside the plan's P10, P50 and P90", bold: true)], [],
                              ["metric", "month", "calendar month"].map { .text($0, bold: true) } + ["actual", "plan P10", "plan P50", "plan P90"].map { .columnTitle($0) }
                                  + [.text("verdict", bold: true)]]
        var charts: [Chart] = []
        for (key, members) in groups {
            let first = rows.count
            for row in members {
                rows.append([.text(key), row[0], row[1], row[actual], row[p10], row[p50], row[p90], row[verdict]])
            }
            let last = rows.count - 1
            // A chart for each metric of the whole company; per-segment metrics are in the table.
            if members.first.map({ $0[segment].text.isEmpty }) == true {
                charts.append(Chart(kind: .line, title: "\(key): actual against the plan", categoryAxis: "Month", valueAxis: key,
                                    categories: .column(1, rows: first...last),
                                    series: [Chart.Series(name: "Actual", values: .column(3, rows: first...last)),
                                             Chart.Series(name: "Plan P10", values: .column(4, rows: first...last), dashed: true),
                                             Chart.Series(name: "Plan P50", values: .column(5, rows: first...last)),
                                             Chart.Series(name: "Plan P90", values: .column(6, rows: first...last), dashed: true)],
                                    row: 2 + 22 * charts.count, column: 9))
            }
        }
        return [Sheet(name: "Plan vs actual", rows: rows, columnWidths: [40, 8, 15, 15, 15, 15, 15, 22], frozenRows: 3, charts: charts)]
    }

    /// `sweep.csv` with a line chart of the mean NPV and its P5 and P95 against the value swept.
    static func sweepSheet(_ table: CSVTable) -> Sheet? {
        let h = table.header
        guard let mean = h.firstIndex(of: "npv_mean"), let p5 = h.firstIndex(of: "npv_p5"), let p95 = h.firstIndex(of: "npv_p95"),
              !table.rows.isEmpty else { return nil }
        var rows: [[Cell]] = [[.text("The NPV against the value swept", bold: true)], [],
                              [.text("value", bold: true)] + ["NPV P5", "mean NPV", "NPV P95"].map { .columnTitle($0) }]
        for row in table.rows { rows.append([row[0], row[p5].amount, row[mean].amount, row[p95].amount]) }
        let last = rows.count - 1
        let chart = Chart(kind: .line, title: "NPV against the value swept", categoryAxis: "Value", valueAxis: "NPV",
                          categories: .column(0, rows: 3...last),
                          series: [Chart.Series(name: "P5", values: .column(1, rows: 3...last), dashed: true),
                                   Chart.Series(name: "Mean", values: .column(2, rows: 3...last)),
                                   Chart.Series(name: "P95", values: .column(3, rows: 3...last), dashed: true)],
                          row: 2, column: 5)
        return Sheet(name: "Sweep chart", rows: rows, columnWidths: [12, 15, 15, 15], frozenRows: 3, charts: [chart])
    }

    /// `compare.csv` side by side: one column per option, one row per metric and statistic,
    /// with a column chart of the mean NPV and its P5 and P95 per option.
    static func comparisonSheet(_ table: CSVTable) -> Sheet? {
        guard table.header == ["option", "metric", "statistic", "value"], !table.rows.isEmpty else { return nil }
        var options: [String] = [], measures: [String] = []
        var values: [String: Cell] = [:]
        for row in table.rows {
            let option = row[0].text, measure = "\(row[1].text) \(row[2].text)"
            if !options.contains(option) { options.append(option) }
            if !measures.contains(measure) { measures.append(measure) }
            values["\(option)\u{1F}\(measure)"] = row[3]
        }
        var rows: [[Cell]] = [[.text("The options side by side (every value of compare.csv)", bold: true)], [],
                              [.text("metric and statistic", bold: true)] + options.map { .columnTitle($0) }]
        for measure in measures {
            // Shown as people read them; the values keep every digit.
            let shown: (Cell) -> Cell = measure.hasPrefix("probability") || measure.hasPrefix("roi")
                ? { $0.formatted(.percent) } : measure.hasPrefix("payback") ? { $0 } : { $0.amount }
            rows.append([.text(measure)] + options.map { shown(values["\($0)\u{1F}\(measure)"] ?? .empty) })
        }
        var charts: [Chart] = []
        let shown = ["npv p5", "npv mean", "npv p95"].compactMap { m in measures.firstIndex(of: m).map { (m, 3 + $0) } }
        if shown.count == 3 {
            charts.append(Chart(kind: .column, title: "NPV per option: P5, mean and P95", categoryAxis: "Option", valueAxis: "NPV",
                                categories: .row(2, columns: 1...options.count),
                                series: shown.map { Chart.Series(name: ["npv p5": "P5", "npv mean": "Mean", "npv p95": "P95"][$0.0]!,
                                                                 values: .row($0.1, columns: 1...options.count)) },
                                row: rows.count + 1, column: 0))
        }
        return Sheet(name: "Options", rows: rows, columnWidths: [36] + options.map { Double(min(40, max(14, $0.count + 2))) },
                     frozenRows: 3, charts: charts)
    }

    // MARK: The CSV files as they are

    /// A CSV file as a sheet: its comment lines, its header in bold, and its rows, numbers as
    /// numbers (in Excel's General format, so nothing is rounded on screen either).
    static func dataSheet(_ table: CSVTable, name: String) -> Sheet {
        var rows: [[Cell]] = table.comments.map { [.text("# " + $0)] }
        rows.append(table.header.map { .text($0, bold: true) })
        rows += table.rows
        let widths = table.header.map { Optional(Double(min(48, max(10, $0.count + 2)))) }
        return Sheet(name: name, rows: rows, columnWidths: widths, frozenRows: table.comments.count + 1)
    }
}

/// A CSV file read back into cells: a field that is a number in the CSV writer's own form
/// (`CSVWriter.number`) becomes that number, anything else text, an empty field nothing.
struct CSVTable {
    var comments: [String] = []
    var header: [String] = []
    var rows: [[Cell]] = []

    /// - Parameter textColumns: the headers of columns read as text whatever they hold.
    init(_ text: String, textColumns: Set<String> = []) {
        var body = Substring(text)
        while body.hasPrefix("# ") {
            let end = body.firstIndex(of: "\n") ?? body.endIndex
            comments.append(String(body[body.index(body.startIndex, offsetBy: 2)..<end]))
            body = end < body.endIndex ? body[body.index(after: end)...] : ""
        }
        let records = CSVReader().records(in: String(body)).filter { !$0.isBlank }
        guard let first = records.first else { return }
        header = first.texts
        let isText = header.map(textColumns.contains)
        rows = records.dropFirst().map { record in
            record.fields.enumerated().map { k, field in
                if field.text.isEmpty { return .empty }
                let text = k < isText.count && isText[k]
                if !text, !field.isQuoted, let x = Double(field.text), CSVWriter.number(x) == field.text { return .number(x) }
                return .text(field.text)
            }
        }
    }
}

private extension Cell {
    /// The number, if the cell holds one.
    var number: Double? { if case .number(let x, _) = self { return x } else { return nil } }

    /// The text, or "" for a number or nothing.
    var text: String { if case .text(let s, _) = self { return s } else { return "" } }

    /// The same number shown as a whole amount with thousands separators.
    var amount: Cell { formatted(.amount) }

    /// The same number shown in `format`.
    func formatted(_ format: NumberFormat) -> Cell { if case .number(let x, _) = self { return .number(x, format) } else { return self } }
}
