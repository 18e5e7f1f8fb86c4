/// One piece of a ``ReportDocument``, in reading order.
public enum Block: Sendable, Equatable {
    /// A section heading; level 2 is a section, 3 a sub-section (the title is level 1).
    /// `anchor` is a stable id for links (e.g. "key-outcomes").
    case heading(level: Int, text: String, anchor: String)
    /// A paragraph of running text.
    case paragraph(Text)
    /// A note set apart from the text, e.g. the "What if?" warning of a changed run.
    case callout(Text)
    /// A bulleted list.
    case list([Text])
    /// Short notes under a table (¹ ², …), one per line.
    case notes([Text])
    case table(Table)
    case figure(Figure)
    /// The end of the one-page summary (nothing in Markdown; a new page in print).
    case pageBreak
}
