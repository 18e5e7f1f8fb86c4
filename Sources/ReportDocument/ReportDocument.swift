/// A report as content, before any format: what `report.md`, `report.html` and the other
/// renderers all show, built once from the analysis so that no renderer makes a judgement
/// (the verdict, "behind plan", the risk that matters most are already words here).
///
/// Blocks are in reading order. The first ``Block/pageBreak`` ends the one-page summary: the
/// HTML renderer gives that part its own printed page; Markdown simply runs on.
public struct ReportDocument: Sendable, Equatable {
    /// The title, e.g. "Business case: Car dealership — cloud CRM".
    public var title: String
    public var blocks: [Block]
    /// Tables for spreadsheets (`summary.csv`, `track.csv`, …): each one CSV file.
    public var dataTables: [DataTable]

    public init(title: String, blocks: [Block] = [], dataTables: [DataTable] = []) {
        self.title = title
        self.blocks = blocks
        self.dataTables = dataTables
    }

    /// Every figure, in reading order (a renderer writes one SVG file per figure).
    public var figures: [Figure] {
        blocks.compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } }
    }
}
