/// A workbook as plain values — sheets of cells and the native charts drawn from them — before
/// any file format: what ``XLSXWriter`` writes as an Excel `.xlsx` file.
///
/// Numbers stay numbers (a cell's value is the double itself, not its text), so a finance team
/// can compute with them; the number format only decides how Excel shows them.
public struct Workbook: Sendable, Equatable {
    /// The document title (File → Properties in Excel).
    public var title: String
    public var sheets: [Sheet]

    public init(title: String, sheets: [Sheet] = []) {
        self.title = title
        self.sheets = sheets
    }
}

/// One worksheet: rows of cells from A1, optional column widths and frozen rows, and charts.
public struct Sheet: Sendable, Equatable {
    /// The tab's name: at most 31 characters, none of `[]:*?/\` (Excel's rule; ``XLSXWriter``
    /// refuses others).
    public var name: String
    public var rows: [[Cell]]
    /// Column widths in Excel's units (characters of the default font), from column A; a
    /// missing or nil entry keeps Excel's default.
    public var columnWidths: [Double?]
    /// Rows kept in view when scrolling (the header); 0 for none.
    public var frozenRows: Int
    public var charts: [Chart]

    public init(name: String, rows: [[Cell]] = [], columnWidths: [Double?] = [], frozenRows: Int = 0, charts: [Chart] = []) {
        self.name = name
        self.rows = rows
        self.columnWidths = columnWidths
        self.frozenRows = frozenRows
        self.charts = charts
    }
}

/// One cell.
public enum Cell: Sendable, Equatable {
    /// A number, shown in `format`.
    case number(Double, NumberFormat)
    /// Text; `bold` for headings and totals.
    case text(String, bold: Bool)
    /// The bold title of a column of numbers, aligned right over them.
    case columnTitle(String)
    /// Nothing (an undefined value: no IRR, no payback).
    case empty

    /// Plain text.
    public static func text(_ s: String) -> Cell { .text(s, bold: false) }
    /// A number in the general format.
    public static func number(_ x: Double) -> Cell { .number(x, .general) }
}

/// How Excel shows a number; the stored value keeps all its digits whatever the format.
public enum NumberFormat: Sendable, Equatable {
    /// Excel's "General": as many digits as fit.
    case general
    /// Whole amounts with thousands separators (`#,##0`), negatives in minus form.
    case amount
    /// A share shown as a percentage with one decimal (`0.0%`): 0.253 shows "25.3%".
    case percent
    /// A whole count (`0`).
    case whole
    /// A number with two decimals and thousands separators (`#,##0.00`): a mean count, a month, a ratio.
    case decimal
    /// A bold amount (a total row).
    case totalAmount
}

/// A native Excel chart drawn from ranges of one sheet, so the client's own edits to the
/// numbers move it.
public struct Chart: Sendable, Equatable {
    /// `bar` draws horizontal bars, the first category at the top (as a ranked list reads).
    public enum Kind: Sendable, Equatable { case line, column, bar }

    /// A block of cells of the chart's sheet, zero-based and inclusive.
    public struct Range: Sendable, Equatable {
        public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
        public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
            self.firstRow = firstRow
            self.firstColumn = firstColumn
            self.lastRow = lastRow
            self.lastColumn = lastColumn
        }

        /// Rows `rows` of column `column`.
        public static func column(_ column: Int, rows: ClosedRange<Int>) -> Range {
            Range(firstRow: rows.lowerBound, firstColumn: column, lastRow: rows.upperBound, lastColumn: column)
        }

        /// Columns `columns` of row `row`.
        public static func row(_ row: Int, columns: ClosedRange<Int>) -> Range {
            Range(firstRow: row, firstColumn: columns.lowerBound, lastRow: row, lastColumn: columns.upperBound)
        }
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: Range
        /// For a line: drawn dashed (a band's edges beside its median).
        public var dashed: Bool
        public init(name: String, values: Range, dashed: Bool = false) {
            self.name = name
            self.values = values
            self.dashed = dashed
        }
    }

    public var kind: Kind
    public var title: String
    public var categoryAxis: String
    public var valueAxis: String
    public var categories: Range
    public var series: [Series]
    /// How the value axis writes its numbers: whole amounts with thousands separators, or
    /// shares as percentages.
    public var valueFormat: NumberFormat = .amount
    /// The cell the chart's top-left corner sits on (zero-based).
    public var row: Int, column: Int

    public init(kind: Kind, title: String, categoryAxis: String, valueAxis: String, categories: Range, series: [Series],
                row: Int, column: Int) {
        self.kind = kind
        self.title = title
        self.categoryAxis = categoryAxis
        self.valueAxis = valueAxis
        self.categories = categories
        self.series = series
        self.row = row
        self.column = column
    }
}
