import ReportDocument

/// Writes a ``ReportDocument`` as one self-contained HTML file: inline CSS and inline SVG
/// figures, no script, nothing loaded from the network, so it opens anywhere and prints to an
/// A4 PDF from the browser (Print → Save as PDF).
///
/// The blocks before the first ``Block/pageBreak`` are the one-page summary (figures side by
/// side); the rest follows on the next printed page.
public struct HTMLRenderer: Sendable {
    /// Draws a figure as an inline `<svg>` element.
    public var drawFigure: @Sendable (Figure) -> String

    public init(drawFigure: @escaping @Sendable (Figure) -> String) {
        self.drawFigure = drawFigure
    }

    /// The start of a page in the report's style, up to and including `<body>`: every HTML page
    /// crmcase writes (reports, the workshop) begins so; `css` is added after the report's style.
    public static func head(title: String, css: String = "") -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(HTMLStyle.css)\(css)</style>\n</head>\n<body>\n"
        return out
    }

    public func render(_ document: ReportDocument) -> String {
        var out = HTMLRenderer.head(title: document.title) + "<main>\n"
        out += "<h1>\(HTMLText.escape(document.title))</h1>\n"
        let split = document.blocks.firstIndex(of: .pageBreak)
        if let split {
            out += "<section class=\"summary\">\n" + blocks(document.blocks[..<split], summary: true) + "</section>\n"
            out += "<section class=\"details\">\n" + blocks(document.blocks[(split + 1)...], summary: false) + "</section>\n"
        } else {
            out += blocks(document.blocks[...], summary: false)
        }
        return out + "</main>\n</body>\n</html>\n"
    }

    /// Blocks as a piece of a page (no `<html>`, no style): the workshop shows a report's
    /// first page this way inside its own page, laid out as the report's summary.
    public func fragment(_ blocks: [Block]) -> String {
        "<section class=\"summary\">\n" + self.blocks(blocks[...], summary: true) + "</section>\n"
    }

    /// Blocks in order; in the summary, consecutive figures share a row; consecutive small
    /// figures (``Figure/Size/small``) share a grid anywhere.
    func blocks(_ blocks: ArraySlice<Block>, summary: Bool) -> String {
        var out = ""
        var pendingFigures: [Figure] = []
        func flush() {
            guard !pendingFigures.isEmpty else { return }
            if pendingFigures.allSatisfy({ $0.size == .small }) {
                out += "<div class=\"figure-grid\">\n" + pendingFigures.map(figure).joined() + "</div>\n"
            } else if summary && pendingFigures.count > 1 {
                out += "<div class=\"figure-row\">\n" + pendingFigures.map(figure).joined() + "</div>\n"
            } else {
                out += pendingFigures.map(figure).joined()
            }
            pendingFigures = []
        }
        for block in blocks {
            if case .figure(let f) = block {
                // A small figure after a full one (or the reverse) starts a new group.
                if let last = pendingFigures.last, (last.size == .small) != (f.size == .small) { flush() }
                pendingFigures.append(f)
                continue
            }
            flush()
            out += render(block)
        }
        flush()
        return out
    }

    func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let text, let anchor):
            let h = min(max(level, 1), 6)
            return "<h\(h) id=\"\(HTMLText.escape(anchor))\">\(HTMLText.escape(text))</h\(h)>\n"
        case .paragraph(let text):
            return "<p>\(HTMLText.inline(text.runs))</p>\n"
        case .callout(let text):
            return "<aside class=\"callout\"><p>\(HTMLText.inline(text.runs))</p></aside>\n"
        case .list(let items):
            return "<ul>\n" + items.map { "<li>\(HTMLText.inline($0.runs))</li>\n" }.joined() + "</ul>\n"
        case .notes(let lines):
            return "<p class=\"notes\">" + lines.map { HTMLText.inline($0.runs) }.joined(separator: "<br>\n") + "</p>\n"
        case .table(let table):
            return HTMLText.table(table)
        case .figure(let f):
            return figure(f)
        case .pageBreak:
            return ""
        }
    }

    func figure(_ f: Figure) -> String {
        var out = "<figure id=\"figure-\(HTMLText.escape(f.name))\">\n"
        out += drawFigure(f) + "\n"
        if let caption = f.caption { out += "<figcaption>\(HTMLText.inline(caption.runs))</figcaption>\n" }
        return out + "</figure>\n"
    }
}
