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
    /// the HTML alike.
    static let drawFigure: @Sendable (Figure) -> String = FigureDrawing.svg
}
