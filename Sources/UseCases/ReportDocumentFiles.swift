import Renderers
import ReportDocument

/// The files of a report document: `STEM.md`, one CSV file per data table, the self-contained
/// `STEM.html` and one `NAME.svg` per figure (the Markdown links them; the HTML holds the same
/// drawings inline). Nothing in them depends on time, threads or machine, so the same seed gives
/// the same bytes.
enum ReportDocumentFiles {
    static func files(_ document: ReportDocument, stem: String) -> [(name: String, contents: String)] {
        var files: [(name: String, contents: String)] = [("\(stem).md", MarkdownRenderer.render(document))]
        files += document.dataTables.map { ($0.fileName, CSVRenderer.render($0)) }
        files.append(("\(stem).html", HTMLRenderer(drawFigure: drawFigure).render(document)))
        files += document.figures.map { ("\($0.name).svg", drawFigure($0)) }
        return files
    }

    /// Draws a figure as an SVG document — the one place that chooses how, for the files and
    /// the HTML alike. A stand-in until the `Charts` module draws figures (`FigureDrawing` in
    /// Renderers): a labelled frame with the figure's title and description.
    static let drawFigure: @Sendable (Figure) -> String = { figure in
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 120" width="720" height="120" role="img" \
        aria-labelledby="\(escape(figure.name))-title \(escape(figure.name))-desc">
        <title id="\(escape(figure.name))-title">\(escape(figure.title))</title>
        <desc id="\(escape(figure.name))-desc">\(escape(figure.description))</desc>
        <rect x="0.5" y="0.5" width="719" height="119" fill="#fff" stroke="#5b6673"/>
        <text x="16" y="34" font-family="sans-serif" font-size="15" fill="#1d2733">\(escape(figure.title))</text>
        <text x="16" y="62" font-family="sans-serif" font-size="12" fill="#5b6673">(chart to be drawn by the Charts module)</text>
        </svg>
        """
    }
}
