/// One series of a bar chart: a value per category.
public struct BarSeries: Sendable, Equatable {
    /// Key text, e.g. "This case" or "Survey share".
    public var name: String
    /// One value per category (same order), in axis units; not-finite values draw no bar.
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// Horizontal bars from 0, one row per category, series side by side within a row (e.g. this
/// case's chance against the survey share for the "outside view"). Bar ends carry their value.
public struct BarChart: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    /// Row labels, top to bottom; cut short with "…" to fit the left margin.
    public var categories: [String]
    /// Darkest first; a key names them when there is more than one.
    public var series: [BarSeries]
    /// The value axis (always includes 0), e.g. `Axis(title: "Share of projects", format: .percent())`.
    public var axis: Axis
    /// Bar-end texts; nil: no texts.
    public var valueFormat: ValueFormat?

    /// `frame` nil: 720 px wide and as tall as the rows need.
    public init(
        categories: [String], series: [BarSeries], caption: ChartCaption, frame: ChartFrame? = nil,
        axis: Axis = Axis(), valueFormat: ValueFormat? = .automatic
    ) {
        self.categories = categories
        self.series = series
        self.caption = caption
        let rowHeight = Double(max(1, series.count)) * 16 + 14
        self.frame = frame ?? ChartFrame(height: max(240, 140 + rowHeight * Double(categories.count)))
        self.axis = axis
        self.valueFormat = valueFormat
    }

    /// Fills of the series in order: dark, light, mid, pale — apart in grey-scale.
    static let fills = [Style.dark, Style.light, Style.mid, Style.bandOuter]

    var summary: String {
        guard !categories.isEmpty, !series.isEmpty else { return "Bar chart without data." }
        return "Bar chart of \(series.map(\.name).joined(separator: " and ")) for \(categories.count) categories: "
            + categories.joined(separator: "; ") + "."
    }
}
