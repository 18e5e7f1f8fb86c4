/// The spread of one simulated amount as a box and whiskers: P5–P95 whisker, P25–P75 box,
/// median tick and mean diamond. All in axis units (e.g. ΔNPV in NOK).
public struct IntervalRow: Sendable, Equatable {
    /// e.g. the option's name; cut short with "…" to fit the left margin.
    public var label: String
    public var p5: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p95: Double
    public var mean: Double

    public init(label: String, p5: Double, p25: Double, p50: Double, p75: Double, p95: Double, mean: Double) {
        self.label = label
        self.p5 = p5
        self.p25 = p25
        self.p50 = p50
        self.p75 = p75
        self.p95 = p95
        self.mean = mean
    }

    var values: [Double] { [p5, p25, p50, p75, p95, mean] }
}

/// Horizontal box-and-whisker rows, one per option (e.g. the ΔNPV distribution of each
/// option), with an optional labelled accent line (e.g. 0: "No gain").
public struct IntervalChart: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    /// Rows top to bottom.
    public var rows: [IntervalRow]
    /// The value axis, e.g. `Axis(title: "ΔNPV against doing nothing (NOK)")`.
    public var axis: Axis
    /// A vertical accent line, labelled above the plot.
    public var reference: ReferenceLine?
    /// Text right of each whisker: the median; nil: none.
    public var valueFormat: ValueFormat?
    /// Key texts for the box, whisker, median and mean.
    public var boxLabel: String
    public var whiskerLabel: String
    public var medianLabel: String
    public var meanLabel: String

    /// `frame` nil: 720 px wide and as tall as the rows need (34 px a row, at least 240).
    public init(
        rows: [IntervalRow], caption: ChartCaption, frame: ChartFrame? = nil, axis: Axis = Axis(),
        reference: ReferenceLine? = nil, valueFormat: ValueFormat? = .automatic,
        boxLabel: String = "P25–P75", whiskerLabel: String = "P5–P95", medianLabel: String = "Median",
        meanLabel: String = "Mean"
    ) {
        self.rows = rows
        self.caption = caption
        self.frame = frame ?? ChartFrame(height: max(240, 150 + 34 * Double(rows.count)))
        self.axis = axis
        self.reference = reference
        self.valueFormat = valueFormat
        self.boxLabel = boxLabel
        self.whiskerLabel = whiskerLabel
        self.medianLabel = medianLabel
        self.meanLabel = meanLabel
    }

    var summary: String {
        guard !rows.isEmpty else { return "Interval chart without data." }
        let f = ValueFormat.automatic
        return "Box-and-whisker rows: " + rows.map {
            "\($0.label): median \(f.string($0.p50)), P5 \(f.string($0.p5)) to P95 \(f.string($0.p95))"
        }.joined(separator: "; ") + "."
    }
}
