/// Text at the end of a bar or whisker on a horizontal value axis.
struct BarEndText {
    /// Where the bar ends, in axis units.
    var value: Double
    var text: String
    /// Whether the text sits left of the end (bars growing leftwards).
    var leftward: Bool
    var size: Double = Style.smallSize

    /// The x of the text's anchor: 5 px beyond the end.
    func x(_ xs: LinearScale) -> Double { leftward ? xs(value) - 5 : xs(value) + 5 }
}

extension Axis {
    /// Fits a horizontal value axis into `plot` so that the texts at bar ends stay inside it:
    /// the axis is narrowed on a side until no text sticks out there. Tick labels may reach
    /// from `labelLimits.0` to `labelLimits.1` px.
    func fitHorizontal(data: [Double], plot: Rect, ends: [BarEndText], labelLimits: (Double, Double)) -> (axis: ResolvedAxis, scale: LinearScale)? {
        var padLeft = 0.0, padRight = 0.0
        var result: (axis: ResolvedAxis, scale: LinearScale)?
        for _ in 0..<5 {
            let length = plot.width - padLeft - padRight
            let room = (max(0, plot.minX + padLeft - labelLimits.0), max(0, labelLimits.1 - plot.maxX + padRight))
            guard length > 20, let fit = resolve(data: data, length: length, nice: true, horizontal: true, room: room) else { break }
            let xs = fit.scale(plot.minX + padLeft, plot.maxX - padRight)
            result = (fit, xs)
            var overLeft = 0.0, overRight = 0.0
            for end in ends where end.value.isFinite {
                let w = TextMetrics.width(end.text, size: end.size)
                if end.leftward {
                    overLeft = max(overLeft, plot.minX - (end.x(xs) - w))
                } else {
                    overRight = max(overRight, end.x(xs) + w - plot.maxX)
                }
            }
            if overLeft <= 0.5 && overRight <= 0.5 { break }
            padLeft += max(0, overLeft)
            padRight += max(0, overRight)
        }
        return result
    }
}

/// The left column of category labels of a row chart (tornado, bars, intervals).
struct RowLabels {
    /// Width of the column: the widest label, at most 40 % of the frame.
    var width: Double

    init(_ labels: [String], frame: ChartFrame) {
        width = min(frame.width * 0.4, labels.map { TextMetrics.width($0, size: Style.labelSize) }.max() ?? 0)
    }

    /// Draws `label`, cut short to the column with "…" (full text as a tooltip), right-aligned
    /// 12 px left of `plotLeft`, centred on `y`.
    func draw(_ label: String, plotLeft: Double, y: Double, on canvas: inout Canvas) {
        let shown = TextMetrics.truncate(label, toWidth: width, size: Style.labelSize)
        canvas.text(shown, x: plotLeft - 12, y: y + 4, fill: Style.text, anchor: .end, cls: "row-label", tooltip: label)
    }
}
