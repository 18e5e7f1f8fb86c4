/// Grid lines, ticks and tick labels. Quiet, in the style of business charts: light
/// horizontal grid lines, no frame, a darker line at zero (or at the bottom), labels in grey.
extension Canvas {
    /// Horizontal grid lines at the ticks of a vertical value axis, labels right-aligned left
    /// of `plot`; the line at 0 (or the bottom one when 0 is outside) is darker.
    mutating func drawYGrid(_ axis: ResolvedAxis, scale: LinearScale, plot: Rect) {
        writer.start("g", ["class": "y-axis"])
        let base = baselineValue(axis)
        for (tick, label) in zip(axis.ticks, axis.labels) where tick != base {
            let y = scale(tick)
            writer.leaf("path", ["d": "M\(plot.minX.svgText),\(y.svgText)H\(plot.maxX.svgText)", "stroke": Style.grid, "stroke-width": 1])
            text(label, x: plot.minX - 8, y: y + 4, fill: Style.muted, anchor: .end, cls: "tick-label")
        }
        if let i = axis.ticks.firstIndex(of: base) {
            text(axis.labels[i], x: plot.minX - 8, y: scale(base) + 4, fill: Style.muted, anchor: .end, cls: "tick-label")
        }
        writer.end()
    }

    /// The darker line of a vertical value axis, drawn after the data so it stays visible.
    mutating func drawYBaseline(_ axis: ResolvedAxis, scale: LinearScale, plot: Rect) {
        let y = scale(baselineValue(axis))
        writer.leaf("path", ["d": "M\(plot.minX.svgText),\(y.svgText)H\(plot.maxX.svgText)", "stroke": Style.axis, "stroke-width": 1, "class": "baseline"])
    }

    /// Vertical grid lines at the ticks of a horizontal value axis, with labels under `plot`;
    /// the line at 0 is darker and drawn later by `drawXZeroLine`.
    mutating func drawXGrid(_ axis: ResolvedAxis, scale: LinearScale, plot: Rect, labelBaseline: Double) {
        writer.start("g", ["class": "x-axis"])
        for tick in axis.ticks where tick != 0 {
            let x = scale(tick)
            writer.leaf("path", ["d": "M\(x.svgText),\(plot.minY.svgText)V\(plot.maxY.svgText)", "stroke": Style.grid, "stroke-width": 1])
        }
        drawXLabels(axis, scale: scale, labelBaseline: labelBaseline)
        writer.end()
    }

    /// The line at 0 of a horizontal value axis, when 0 is inside it.
    mutating func drawXZeroLine(_ axis: ResolvedAxis, scale: LinearScale, plot: Rect) {
        guard axis.low <= 0, axis.high >= 0 else { return }
        let x = scale(0)
        writer.leaf("path", ["d": "M\(x.svgText),\(plot.minY.svgText)V\(plot.maxY.svgText)", "stroke": Style.axis, "stroke-width": 1, "class": "baseline"])
    }

    /// Short tick marks under the bottom of `plot` and their labels (a time or measured x axis).
    mutating func drawXTicks(_ axis: ResolvedAxis, scale: LinearScale, plot: Rect, labelBaseline: Double) {
        writer.start("g", ["class": "x-axis"])
        var d = ""
        for tick in axis.ticks {
            d += "M\(scale(tick).svgText),\(plot.maxY.svgText)v5"
        }
        if !d.isEmpty { writer.leaf("path", ["d": d, "stroke": Style.axis, "stroke-width": 1]) }
        drawXLabels(axis, scale: scale, labelBaseline: labelBaseline)
        writer.end()
    }

    /// Tick labels centred under their ticks, shifted inwards where they would leave the frame.
    mutating func drawXLabels(_ axis: ResolvedAxis, scale: LinearScale, labelBaseline: Double) {
        let (lo, hi) = labelLimits
        for (tick, label) in zip(axis.ticks, axis.labels) {
            let w = TextMetrics.width(label, size: Style.labelSize)
            let x = ResolvedAxis.clamp(scale(tick), width: w, from: lo, to: hi)
            text(label, x: x, y: labelBaseline, fill: Style.muted, anchor: .middle, cls: "tick-label")
        }
    }

    /// How far x tick labels may reach: half-way into the side margins.
    var labelLimits: (Double, Double) { (frame.margins.left / 2, frame.width - frame.margins.right / 2) }

    /// `room` for `Axis.resolve` of an x axis from `x0` to `x1` px.
    func xLabelRoom(_ x0: Double, _ x1: Double) -> (before: Double, after: Double) {
        (max(0, x0 - labelLimits.0), max(0, labelLimits.1 - x1))
    }

    /// The x-axis title centred under the plot.
    mutating func drawXTitle(_ title: String?, plot: Rect, baseline: Double) {
        guard let title, !title.isEmpty else { return }
        let t = TextMetrics.truncate(title, toWidth: right - left, size: Style.labelSize)
        let w = TextMetrics.width(t, size: Style.labelSize)
        let x = min(max(plot.midX, left + w / 2), right - w / 2)
        text(t, x: x, y: baseline, fill: Style.muted, anchor: .middle, cls: "axis-title")
    }

    /// The value whose grid line is the dark baseline: 0 when inside the axis, else its low end.
    func baselineValue(_ axis: ResolvedAxis) -> Double {
        axis.low <= 0 && axis.high >= 0 && axis.ticks.contains(0) ? 0 : (axis.ticks.first ?? axis.low)
    }

    /// Width of the widest tick label.
    static func labelWidth(_ axis: ResolvedAxis) -> Double {
        axis.labels.map { TextMetrics.width($0, size: Style.labelSize) }.max() ?? 0
    }
}

/// Vertical room under a plot with a horizontal axis: tick labels, then the axis title.
struct BottomAxisPlan {
    var plotBottom: Double
    var labelBaseline: Double
    var titleBaseline: Double

    /// `floor`: the lowest y available (above the note).
    init(floor: Double, hasTitle: Bool) {
        titleBaseline = floor - 2
        labelBaseline = hasTitle ? floor - 22 : floor - 2
        plotBottom = labelBaseline - 17
    }
}

/// Cuts a series into runs of points where both coordinates are finite.
func finiteRuns(_ points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
    var runs: [[(x: Double, y: Double)]] = [[]]
    for p in points {
        if p.x.isFinite && p.y.isFinite {
            runs[runs.count - 1].append(p)
        } else if !runs[runs.count - 1].isEmpty {
            runs.append([])
        }
    }
    return runs.filter { !$0.isEmpty }
}

/// Path data through px points: `M x,y L x,y …`.
func pathData(_ points: [(x: Double, y: Double)]) -> String {
    var d = ""
    for (i, p) in points.enumerated() {
        d += (i == 0 ? "M" : "L") + p.x.svgText + "," + p.y.svgText
    }
    return d
}
