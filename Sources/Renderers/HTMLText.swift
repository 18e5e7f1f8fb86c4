import ReportDocument

/// Escaping and the inline parts of ``HTMLRenderer``.
public enum HTMLText {
    /// Text safe in HTML content and in double-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func inline(_ runs: [Inline]) -> String {
        runs.map { run in
            switch run {
            case .plain(let s): return escape(s)
            case .strong(let inner): return "<strong>" + inline(inner) + "</strong>"
            case .code(let s): return "<code>" + escape(s) + "</code>"
            case .quantity(let q): return "<span class=\"q\">" + escape(q.text) + "</span>"
            case .link(let inner, let target):
                // Only links within the report folder or the page: nothing is fetched.
                let safe = target.contains("://") || target.hasPrefix("//") ? "#" : target
                return "<a href=\"\(escape(safe))\">" + inline(inner) + "</a>"
            case .lineBreak: return "<br>"
            }
        }.joined()
    }

    static func table(_ table: Table) -> String {
        var out = "<div class=\"table-wrap\"><table>\n"
        if let caption = table.caption { out += "<caption>\(escape(caption))</caption>\n" }
        out += "<thead><tr>"
        for c in table.columns { out += "<th\(align(c))>\(inline(c.title.runs))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += row.isTotal ? "<tr class=\"total\">" : "<tr>"
            for (k, cell) in row.cells.enumerated() {
                out += "<td\(align(table.columns[k]))>\(inline(cell.runs))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    private static func align(_ column: Table.Column) -> String {
        column.alignment == .trailing ? " class=\"num\"" : ""
    }
}
