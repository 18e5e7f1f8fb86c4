/// A table for people: typed columns, rows of text cells, and rows that sum up.
public struct Table: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public enum Alignment: Sendable, Equatable { case leading, trailing }
        /// What the column holds, so a renderer can align and format it (nil: words).
        public var kind: Quantity.Kind?
        public var title: Text
        public var alignment: Alignment

        /// A column of `kind`; numbers align right unless said otherwise.
        public init(_ title: Text, kind: Quantity.Kind? = nil, alignment: Alignment? = nil) {
            self.title = title
            self.kind = kind
            self.alignment = alignment ?? (kind == nil ? .leading : .trailing)
        }
    }

    public struct Row: Sendable, Equatable {
        public var cells: [Text]
        /// A total or summary row, shown in bold.
        public var isTotal: Bool

        public init(_ cells: [Text], isTotal: Bool = false) {
            self.cells = cells
            self.isTotal = isTotal
        }
    }

    public var columns: [Column]
    public var rows: [Row]
    /// Said of the table as a whole, for an accessible caption (not shown in Markdown).
    public var caption: String?

    /// A table whose rows must each have one cell per column.
    public init(columns: [Column], rows: [Row] = [], caption: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.caption = caption
        for row in rows { precondition(row.cells.count == columns.count, "a table row has \(row.cells.count) cells for \(columns.count) columns") }
    }

    public mutating func append(_ cells: [Text], isTotal: Bool = false) {
        precondition(cells.count == columns.count, "a table row has \(cells.count) cells for \(columns.count) columns")
        rows.append(Row(cells, isTotal: isTotal))
    }
}
