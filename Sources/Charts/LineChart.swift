/// A point of a line, in axis units.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A named line; its name is written at its right end.
public struct LineSeries: Sendable, Equatable {
    /// End label, e.g. "Hybrid, with CRM".
    public var name: String
    /// Points in x order; a point with a not-finite coordinate breaks the line.
    public var points: [ChartPoint]
    /// nil: the next style of `LineStyle.cycle`.
    public var style: LineStyle?

    public init(name: String, points: [ChartPoint], style: LineStyle? = nil) {
        self.name = name
        self.points = points
        self.style = style
    }

    /// A series of values at x = `firstX`, `firstX` + 1, … (months, say).
    public init(name: String, values: [Double], firstX: Double = 0, style: LineStyle? = nil) {
        self.init(name: name, points: values.enumerated().map { ChartPoint(x: firstX + Double($0.offset), y: $0.element) }, style: style)
    }
}

/// A range at one x, in axis units.
public struct BandPoint: Sendable, Equatable {
    public var x: Double
    public var lower: Double
    public var upper: Double

    public init(x: Double, lower: Double, upper: Double) {
        self.x = x
        self.lower = lower
        self.upper = upper
    }
}

/// A shaded range behind the lines, named in the key.
public struct LineBand: Sendable, Equatable {
    /// How dark the band is; nested bands read best light outside, darker inside.
    public enum Shade: Sendable, Equatable { case light, medium }

    public var name: String
    public var points: [BandPoint]
    public var shade: Shade

    public init(name: String, points: [BandPoint], shade: Shade = .light) {
        self.name = name
        self.points = points
        self.shade = shade
    }
}

/// Several named lines over a numeric x axis (e.g. customers with and without the CRM per
/// segment), labelled at their right ends instead of with a key, with optional bands, a
/// horizontal reference line and a vertical marker.
public struct LineChart: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    public var series: [LineSeries]
    public var bands: [LineBand]
    public var xAxis: Axis
    public var yAxis: Axis
    /// A horizontal accent line, labelled at its right end with the series.
    public var reference: ReferenceLine?
    /// A vertical dashed marker, labelled above the plot.
    public var marker: Marker?

    public init(
        series: [LineSeries], caption: ChartCaption, frame: ChartFrame = .standard, bands: [LineBand] = [],
        xAxis: Axis = Axis(), yAxis: Axis = Axis(), reference: ReferenceLine? = nil, marker: Marker? = nil
    ) {
        self.series = series
        self.caption = caption
        self.frame = frame
        self.bands = bands
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.reference = reference
        self.marker = marker
    }

    /// Each series' style: its own, or the next one of the cycle.
    var styles: [LineStyle] {
        series.enumerated().map { $0.element.style ?? LineStyle.cycle[$0.offset % LineStyle.cycle.count] }
    }

    var summary: String {
        let names = series.map(\.name)
        guard !names.isEmpty else { return "Line chart without data." }
        return "Line chart of \(names.count) series: " + names.joined(separator: "; ") + "."
    }
}
