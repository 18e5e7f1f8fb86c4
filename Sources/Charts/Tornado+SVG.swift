extension Tornado {
    public func svg() -> String {
        var canvas = Canvas(kind: "tornado", frame: frame, caption: caption, summary: summary)
        let usable = rows.filter { $0.low.isFinite && $0.high.isFinite }
        let hasData = !usable.isEmpty && base.isFinite
        let key: [KeyItem] = hasData ? [
            KeyItem(symbol: .swatch(fill: Style.light, stroke: nil), text: lowKey),
            KeyItem(symbol: .swatch(fill: Style.dark, stroke: nil), text: highKey),
        ] : []
        let top = canvas.drawHeader(key: key, titleRow: hasData)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: axis.title != nil)
        let full = Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: bottom.plotBottom - top)
        guard hasData else {
            canvas.drawNoData(in: full)
            return canvas.finish()
        }
        let column = RowLabels(usable.map(\.label), frame: frame)
        let plot = Rect(x: full.minX + column.width + 12, y: full.minY, width: full.maxX - column.width - 12 - full.minX, height: full.height)
        let ends = usable.map(barEnds)
        let data = [base] + usable.flatMap { [$0.low, $0.high] }
        guard let (fit, xs) = axis.fitHorizontal(data: data, plot: plot, ends: ends.flatMap { $0 }, labelLimits: canvas.labelLimits) else { return canvas.finish() }
        let gridPlot = Rect(x: xs(fit.low), y: plot.minY, width: xs(fit.high) - xs(fit.low), height: plot.height)
        canvas.drawXGrid(fit, scale: xs, plot: gridPlot, labelBaseline: bottom.labelBaseline)
        canvas.drawXZeroLine(fit, scale: xs, plot: gridPlot)
        let rowHeight = plot.height / Double(usable.count)
        let thickness = min(rowHeight * 0.62, 22)
        canvas.writer.start("g", ["class": "rows"])
        for (i, (row, rowEnds)) in zip(usable, ends).enumerated() {
            let cy = plot.minY + (Double(i) + 0.5) * rowHeight
            column.draw(row.label, plotLeft: plot.minX, y: cy, on: &canvas)
            let sameSide = (row.low - base) * (row.high - base) > 0
            for (k, (value, fill)) in [(row.low, Style.light), (row.high, Style.dark)].enumerated() {
                let a = xs(min(base, value)), b = xs(max(base, value))
                let h = sameSide ? thickness / 2 : thickness
                let y = sameSide ? cy - thickness / 2 + Double(k) * h : cy - h / 2
                canvas.writer.leaf("rect", ["x": a, "y": y, "width": max(0.5, b - a), "height": h, "fill": fill])
            }
            for end in rowEnds {
                canvas.text(end.text, x: end.x(xs), y: cy + 4, size: Style.smallSize, fill: Style.text, anchor: end.leftward ? .end : .start, cls: "value-label", halo: true)
            }
        }
        canvas.writer.end()
        let bx = xs(base)
        canvas.writer.leaf("path", ["d": "M\(bx.svgText),\((plot.minY - 6).svgText)V\(plot.maxY.svgText)", "stroke": Style.ink, "stroke-width": 1.25, "class": "base"])
        canvas.rowLabel(baseLabel ?? "Base " + valueFormat.string(base), at: bx, fill: Style.text, cls: "marker-label")
        canvas.drawXTitle(axis.title, plot: gridPlot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }

    /// The texts at the outer ends of a row's bars: one a side, or one for both when both bars
    /// lie on the same side of the base ("low / high" at the longer one).
    private func barEnds(_ row: TornadoRow) -> [BarEndText] {
        let lowText = row.lowLabel ?? valueFormat.string(row.low)
        let highText = row.highLabel ?? valueFormat.string(row.high)
        if (row.low - base) * (row.high - base) > 0 {
            let far = abs(row.low - base) > abs(row.high - base) ? row.low : row.high
            return [BarEndText(value: far, text: lowText + " / " + highText, leftward: far < base)]
        }
        // Opposite sides (or one at the base): the low text goes on the low bar's side.
        let lowLeft = row.low <= row.high
        return [BarEndText(value: row.low, text: lowText, leftward: lowLeft), BarEndText(value: row.high, text: highText, leftward: !lowLeft)]
    }
}
