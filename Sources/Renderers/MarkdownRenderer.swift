import Foundation
import ReportDocument

/// Writes a ``ReportDocument`` as Markdown (GitHub-flavoured: pipe tables, `<br>` in cells).
///
/// Each block ends with a blank line; a table's rows end with one newline and the blank line
/// after it. Figures become images linking the SVG file the report folder holds beside the
/// Markdown (`NAME.svg`), so they show on GitHub and in any Markdown viewer.
public enum MarkdownRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out = "# \(document.title)\n\n"
        for block in document.blocks { out += render(block) }
        // The file ends with one newline, not with the blank line after its last block.
        if out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    static func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let text, _):
            return String(repeating: "#", count: max(1, level)) + " " + text + "\n\n"
        case .paragraph(let text):
            return inline(text.runs) + "\n\n"
        case .callout(let text):
            return "> " + inline(text.runs) + "\n\n"
        case .list(let items):
            return items.map { "- " + inline($0.runs) + "\n" }.joined() + "\n"
        case .notes(let lines):
            return lines.map { inline($0.runs) }.joined(separator: "  \n") + "\n\n"
        case .table(let table):
            return render(table) + "\n"
        case .figure(let figure):
            var out = "![\(escapedAlt(figure.title))](\(figure.name).svg)\n\n"
            if let caption = figure.caption { out += inline(caption.runs) + "\n\n" }
            return out
        case .pageBreak:
            return ""
        }
    }

    /// The table's header, alignment row and rows, each ending with a newline.
    static func render(_ table: Table) -> String {
        var out = row(table.columns.map { inline($0.title.runs, inTable: true) })
        out += "|" + table.columns.map { $0.alignment == .trailing ? "---:|" : "---|" }.joined() + "\n"
        for r in table.rows {
            out += row(r.cells.map { cell in
                let text = inline(cell.runs, inTable: true)
                return r.isTotal && !text.isEmpty ? "**\(text)**" : text
            })
        }
        return out
    }

    /// `| a | b |` with a lone space for an empty cell (`| a | |`).
    static func row(_ cells: [String]) -> String {
        "|" + cells.map { $0.isEmpty ? " |" : " \($0) |" }.joined() + "\n"
    }

    /// Runs as Markdown; inside a table `|` is escaped and a line break is `<br>`.
    static func inline(_ runs: [Inline], inTable: Bool = false) -> String {
        runs.map { run in
            switch run {
            case .plain(let s): return inTable ? cell(s) : s
            case .strong(let inner): return "**" + inline(inner, inTable: inTable) + "**"
            case .code(let s): return "`" + (inTable ? cell(s) : s) + "`"
            case .quantity(let q): return q.text
            case .link(let inner, let target): return "[" + inline(inner, inTable: inTable) + "](" + target + ")"
            case .lineBreak: return inTable ? "<br>" : "  \n"
            }
        }.joined()
    }

    /// Text safe inside a table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    private static func escapedAlt(_ text: String) -> String {
        text.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
    }
}
