extension BarChart {
    public func svg() -> String {
        var canvas = Canvas(kind: "bars", frame: frame, caption: caption, summary: summary)
        let values = series.flatMap { $0.values.prefix(categories.count) }.filter(\.isFinite)
        let hasData = !categories.isEmpty && !values.isEmpty
        let fills = series.indices.map { BarChart.fills[$0 % BarChart.fills.count] }
        let key = hasData && series.count > 1
            ? zip(series, fills).map { KeyItem(symbol: .swatch(fill: $1, stroke: $1 == Style.bandOuter ? "#c3ced7" : nil), text: $0.name) }
            : []
        let top = canvas.drawHeader(key: key, titleRow: false)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: axis.title != nil)
        let full = Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: bottom.plotBottom - top)
        guard hasData else {
            canvas.drawNoData(in: full)
            return canvas.finish()
        }
        let column = RowLabels(categories, frame: frame)
        let plot = Rect(x: full.minX + column.width + 12, y: full.minY, width: full.maxX - column.width - 12 - full.minX, height: full.height)
        var ends: [BarEndText] = []
        if let valueFormat {
            for s in series {
                for v in s.values.prefix(categories.count) where v.isFinite {
                    ends.append(BarEndText(value: v, text: valueFormat.string(v), leftward: v < 0))
                }
            }
        }
        var valueAxis = axis
        valueAxis.includesZero = true
        guard let (fit, xs) = valueAxis.fitHorizontal(data: values, plot: plot, ends: ends, labelLimits: canvas.labelLimits) else { return canvas.finish() }
        let gridPlot = Rect(x: xs(fit.low), y: plot.minY, width: xs(fit.high) - xs(fit.low), height: plot.height)
        canvas.drawXGrid(fit, scale: xs, plot: gridPlot, labelBaseline: bottom.labelBaseline)

        let rowHeight = plot.height / Double(categories.count)
        let barHeight = min((rowHeight - 10) / Double(series.count), 18)
        canvas.writer.start("g", ["class": "rows"])
        for (i, category) in categories.enumerated() {
            let cy = plot.minY + (Double(i) + 0.5) * rowHeight
            column.draw(category, plotLeft: plot.minX, y: cy, on: &canvas)
            let groupTop = cy - barHeight * Double(series.count) / 2
            for (k, s) in series.enumerated() where i < s.values.count && s.values[i].isFinite {
                let v = s.values[i]
                let a = xs(min(0, v)), b = xs(max(0, v))
                let y = groupTop + Double(k) * barHeight
                canvas.writer.leaf("rect", ["x": a, "y": y + 0.5, "width": max(0.5, b - a), "height": max(1, barHeight - 1), "fill": fills[k]])
                // Values only where bars are thick enough for 11 px text not to touch.
                if let valueFormat, barHeight >= 11 {
                    let end = BarEndText(value: v, text: valueFormat.string(v), leftward: v < 0)
                    canvas.text(end.text, x: end.x(xs), y: y + barHeight / 2 + 4, size: Style.smallSize, fill: Style.text,
                                anchor: end.leftward ? .end : .start, cls: "value-label", halo: true)
                }
            }
        }
        canvas.writer.end()
        canvas.drawXZeroLine(fit, scale: xs, plot: gridPlot)
        canvas.drawXTitle(axis.title, plot: gridPlot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }
}
