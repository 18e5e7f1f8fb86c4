import CXLSXWriter
import Foundation

/// Writes a ``Workbook`` as an Excel `.xlsx` file through libxlsxwriter (Debian's
/// `libxlsxwriter-dev`, a system C library like GSL), with native Excel charts.
///
/// The same workbook always gives the same bytes: the document's creation time, which would
/// otherwise be now, is pinned to ``pinnedCreationTime`` (libxlsxwriter dates the zip entries
/// 1980-01-01 whatever the time). Numbers are written with 16 significant digits (what
/// libxlsxwriter writes, `%.16G`; Excel itself computes with about 15), so a value reads back
/// equal to the CSV file's to 16 significant digits, not always to the last bit.
public enum XLSXWriter {
    /// A workbook that could not be written, in one sentence.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// 2000-01-01T00:00:00Z, the creation time every workbook carries (seconds since 1970).
    public static let pinnedCreationTime = 946_684_800

    /// The workbook's bytes (a zip file, `.xlsx`).
    public static func data(_ workbook: Workbook) throws(Failure) -> [UInt8] {
        let path = NSTemporaryDirectory() + "crmcase-\(getpid())-\(UUID().uuidString).xlsx"
        defer { unlink(path) }
        try write(workbook, to: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "The Excel workbook could not be read back from the temporary folder \(NSTemporaryDirectory()).")
        }
        return [UInt8](data)
    }

    /// Writes the workbook to `path`.
    static func write(_ workbook: Workbook, to path: String) throws(Failure) {
        var names: Set<String> = []
        for sheet in workbook.sheets {
            if let problem = nameProblem(sheet.name) { throw Failure(description: problem) }
            // Excel compares sheet names without regard to case.
            guard names.insert(sheet.name.lowercased()).inserted else {
                throw Failure(description: "Two sheets of the Excel workbook would be called “\(sheet.name)”.")
            }
        }
        let owner = WorkbookHandle(path: path)
        guard let book = owner.book else {
            throw Failure(description: "The Excel workbook could not be started in \(NSTemporaryDirectory()).")
        }
        var title = Array(workbook.title.utf8CString)
        var creator = Array("crmcase".utf8CString)
        title.withUnsafeMutableBufferPointer { titlePointer in
            creator.withUnsafeMutableBufferPointer { creatorPointer in
                var properties = lxw_doc_properties()
                properties.title = titlePointer.baseAddress
                properties.author = creatorPointer.baseAddress
                properties.created = time_t(pinnedCreationTime)
                _ = workbook_set_properties(book, &properties)
            }
        }
        let formats = Formats(book)
        for sheet in workbook.sheets {
            guard let worksheet = workbook_add_worksheet(book, sheet.name) else {
                throw Failure(description: "The Excel workbook could not take a sheet called “\(sheet.name)”.")
            }
            for (column, width) in sheet.columnWidths.enumerated() {
                if let width { worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil) }
            }
            for (r, row) in sheet.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    let status: lxw_error
                    switch cell {
                    case .number(let x, let format):
                        guard x.isFinite else { continue }   // no value: an empty cell, never a #NUM!
                        status = worksheet_write_number(worksheet, lxw_row_t(r), lxw_col_t(c), x, formats[format])
                    case .text(let s, let bold):
                        status = worksheet_write_string(worksheet, lxw_row_t(r), lxw_col_t(c), Self.fitting(s), bold ? formats.bold : nil)
                    case .columnTitle(let s):
                        status = worksheet_write_string(worksheet, lxw_row_t(r), lxw_col_t(c), s, formats.boldRight)
                    case .empty:
                        continue
                    }
                    if status != LXW_NO_ERROR {
                        throw Failure(description: "Cell \(r + 1), \(c + 1) of sheet “\(sheet.name)” could not be written (\(String(cString: lxw_strerror(status)))).")
                    }
                }
            }
            if sheet.frozenRows > 0 { worksheet_freeze_panes(worksheet, lxw_row_t(sheet.frozenRows), 0) }
            // Printed (or saved as PDF) landscape, one page wide, so no column is cut off.
            worksheet_set_landscape(worksheet)
            worksheet_set_paper(worksheet, 9)   // A4
            worksheet_fit_to_pages(worksheet, 1, 0)
            for chart in sheet.charts {
                try insert(chart, in: worksheet, named: sheet.name, book: book)
            }
        }
        let status = owner.close()
        if status != LXW_NO_ERROR {
            throw Failure(description: "The Excel workbook could not be written (\(String(cString: lxw_strerror(status)))).")
        }
    }

    private static func insert(_ chart: Chart, in worksheet: UnsafeMutablePointer<lxw_worksheet>, named sheet: String,
                               book: UnsafeMutablePointer<lxw_workbook>) throws(Failure) {
        let type: lxw_chart_type = switch chart.kind {
        case .line: LXW_CHART_LINE
        case .column: LXW_CHART_COLUMN
        case .bar: LXW_CHART_BAR
        }
        guard let drawn = workbook_add_chart(book, UInt8(type.rawValue)) else {
            throw Failure(description: "The chart “\(chart.title)” could not be added to sheet “\(sheet)”.")
        }
        for series in chart.series {
            guard let added = chart_add_series(drawn, nil, nil) else {
                throw Failure(description: "The chart “\(chart.title)” could not take the series “\(series.name)”.")
            }
            let c = chart.categories, v = series.values
            chart_series_set_categories(added, sheet, lxw_row_t(c.firstRow), lxw_col_t(c.firstColumn),
                                        lxw_row_t(c.lastRow), lxw_col_t(c.lastColumn))
            chart_series_set_values(added, sheet, lxw_row_t(v.firstRow), lxw_col_t(v.firstColumn),
                                    lxw_row_t(v.lastRow), lxw_col_t(v.lastColumn))
            chart_series_set_name(added, series.name)
            if series.dashed {
                var line = lxw_chart_line()
                line.dash_type = UInt8(LXW_CHART_LINE_DASH_DASH.rawValue)
                line.width = 1.5
                chart_series_set_line(added, &line)
            }
        }
        chart_title_set_name(drawn, chart.title)
        chart_axis_set_name(drawn.pointee.x_axis, chart.categoryAxis)
        chart_axis_set_name(drawn.pointee.y_axis, chart.valueAxis)
        chart_legend_set_position(drawn, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        chart_axis_set_num_format(drawn.pointee.y_axis, Formats.code(chart.valueFormat))
        // Category labels at the bottom of the plot, clear of negative bars and values.
        chart_axis_set_label_position(drawn.pointee.x_axis, UInt8(LXW_CHART_AXIS_LABEL_POSITION_LOW.rawValue))
        // Excel draws a bar chart's first category at the bottom; a ranking reads from the top.
        if chart.kind == .bar { chart_axis_set_reverse(drawn.pointee.x_axis) }
        var options = lxw_chart_options()
        options.x_scale = 1.6
        options.y_scale = 1.4
        let status = worksheet_insert_chart_opt(worksheet, lxw_row_t(chart.row), lxw_col_t(chart.column), drawn, &options)
        if status != LXW_NO_ERROR {
            throw Failure(description: "The chart “\(chart.title)” could not be placed on sheet “\(sheet)”.")
        }
    }

    /// Characters a cell holds at most (Excel's limit).
    static let maximumCellText = 32_767

    /// `text` cut, with "…", to what a cell holds (a distribution written over thousands of
    /// characters); anything shorter as it is.
    static func fitting(_ text: String) -> String {
        text.utf16.count <= maximumCellText ? text : String(text.prefix(maximumCellText / 2 - 1)) + "…"
    }

    /// Why Excel would refuse `name` as a sheet's name, or nil.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty || name.count > 31 || name.contains(where: { "[]:*?/\\".contains($0) }) {
            return "“\(name)” cannot name an Excel sheet (1 to 31 characters, none of [ ] : * ? / \\)."
        }
        return nil
    }
}

/// The one open libxlsxwriter workbook: closed exactly once, by ``close()`` or, if an error
/// leaves it open, when the owner goes away (libxlsxwriter frees its memory only on close).
private struct WorkbookHandle: ~Copyable {
    let book: UnsafeMutablePointer<lxw_workbook>?
    private var closed = false

    init(path: String) {
        book = workbook_new(path)
    }

    /// Writes the file and frees the workbook.
    consuming func close() -> lxw_error {
        closed = true
        guard let book else { return LXW_ERROR_CREATING_XLSX_FILE }
        return workbook_close(book)
    }

    deinit {
        if !closed, let book { _ = workbook_close(book) }
    }
}

/// The cell formats of one workbook, made once (libxlsxwriter keeps them until it closes).
private struct Formats {
    let bold: UnsafeMutablePointer<lxw_format>?
    let boldRight: UnsafeMutablePointer<lxw_format>?
    private let byKind: [NumberFormat: UnsafeMutablePointer<lxw_format>?]

    init(_ book: UnsafeMutablePointer<lxw_workbook>) {
        bold = workbook_add_format(book)
        if let bold { format_set_bold(bold) }
        boldRight = workbook_add_format(book)
        if let boldRight {
            format_set_bold(boldRight)
            format_set_align(boldRight, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        func make(_ code: String, bold: Bool = false) -> UnsafeMutablePointer<lxw_format>? {
            let format = workbook_add_format(book)
            if let format {
                format_set_num_format(format, code)
                if bold { format_set_bold(format) }
            }
            return format
        }
        byKind = [
            .general: nil,
            .amount: make(Self.code(.amount)),
            .percent: make(Self.code(.percent)),
            .whole: make(Self.code(.whole)),
            .decimal: make(Self.code(.decimal)),
            .totalAmount: make(Self.code(.totalAmount), bold: true),
        ]
    }

    /// Excel's format code for `kind`.
    static func code(_ kind: NumberFormat) -> String {
        switch kind {
        case .general: "General"
        case .amount, .totalAmount: "#,##0"
        case .percent: "0.0%"
        case .whole: "0"
        case .decimal: "#,##0.00"
        }
    }

    subscript(_ kind: NumberFormat) -> UnsafeMutablePointer<lxw_format>? { byKind[kind] ?? nil }
}
