/// One input of a tornado chart: the outcome with the input at its low and at its high end.
public struct TornadoRow: Sendable, Equatable {
    /// The input, e.g. "costs[Implementation].amount"; cut short with "…" to fit the margin.
    public var label: String
    /// The outcome (e.g. NPV in NOK) with the input at its low end.
    public var low: Double
    /// The outcome with the input at its high end.
    public var high: Double
    /// Text at the end of the low bar, e.g. "P10: 120"; nil: the formatted `low`.
    public var lowLabel: String?
    /// Text at the end of the high bar; nil: the formatted `high`.
    public var highLabel: String?

    public init(label: String, low: Double, high: Double, lowLabel: String? = nil, highLabel: String? = nil) {
        self.label = label
        self.low = low
        self.high = high
        self.lowLabel = lowLabel
        self.highLabel = highLabel
    }
}

/// How much each input moves the outcome: one row per input, bars from the base value to the
/// outcome with the input low and high. Rows are drawn in the caller's order (usually the
/// widest swing first).
public struct Tornado: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    /// The outcome with every input at its base (e.g. the median NPV), in axis units.
    public var base: Double
    /// Label of the base line; nil: "Base" and the formatted value.
    public var baseLabel: String?
    public var rows: [TornadoRow]
    /// The outcome axis, e.g. `Axis(title: "NPV (NOK)")`.
    public var axis: Axis
    /// Formats bar-end values when a row has no label of its own.
    public var valueFormat: ValueFormat
    /// Key texts of the two bar shades.
    public var lowKey: String
    public var highKey: String

    /// `frame` nil: 720 px wide and as tall as the rows need (30 px a row, at least 240).
    public init(
        base: Double, rows: [TornadoRow], caption: ChartCaption, frame: ChartFrame? = nil,
        baseLabel: String? = nil, axis: Axis = Axis(), valueFormat: ValueFormat = .automatic,
        lowKey: String = "Input at its low end", highKey: String = "Input at its high end"
    ) {
        self.base = base
        self.rows = rows
        self.caption = caption
        self.frame = frame ?? ChartFrame(height: max(240, 150 + 30 * Double(rows.count)))
        self.baseLabel = baseLabel
        self.axis = axis
        self.valueFormat = valueFormat
        self.lowKey = lowKey
        self.highKey = highKey
    }

    var summary: String {
        guard !rows.isEmpty else { return "Tornado chart without data." }
        let f = valueFormat
        var s = "Tornado chart of \(rows.count) inputs around a base of \(f.string(base))."
        if let r = rows.first {
            s += " The first, \(r.label), moves the outcome from \(f.string(r.low)) to \(f.string(r.high))."
        }
        return s
    }
}
