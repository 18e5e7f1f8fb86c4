extension IntervalChart {
    public func svg() -> String {
        var canvas = Canvas(kind: "intervals", frame: frame, caption: caption, summary: summary)
        let usable = rows.filter { $0.values.allSatisfy(\.isFinite) }
        let hasData = !usable.isEmpty
        let key: [KeyItem] = hasData ? [
            KeyItem(symbol: .whisker, text: whiskerLabel), KeyItem(symbol: .box, text: boxLabel),
            KeyItem(symbol: .median, text: medianLabel), KeyItem(symbol: .mean, text: meanLabel),
        ] : []
        let top = canvas.drawHeader(key: key, titleRow: hasData && reference != nil)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: axis.title != nil)
        let full = Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: bottom.plotBottom - top)
        guard hasData else {
            canvas.drawNoData(in: full)
            return canvas.finish()
        }
        let column = RowLabels(usable.map(\.label), frame: frame)
        let plot = Rect(x: full.minX + column.width + 12, y: full.minY, width: full.maxX - column.width - 12 - full.minX, height: full.height)
        let ends = valueFormat.map { f in
            usable.map { BarEndText(value: max($0.p95, $0.mean), text: f.string($0.p50), leftward: false) }
        } ?? []
        let data = usable.flatMap(\.values) + (reference.map { [$0.value] } ?? [])
        guard let (fit, xs) = axis.fitHorizontal(data: data, plot: plot, ends: ends, labelLimits: canvas.labelLimits) else { return canvas.finish() }
        let gridPlot = Rect(x: xs(fit.low), y: plot.minY, width: xs(fit.high) - xs(fit.low), height: plot.height)
        canvas.drawXGrid(fit, scale: xs, plot: gridPlot, labelBaseline: bottom.labelBaseline)
        canvas.drawXZeroLine(fit, scale: xs, plot: gridPlot)
        if let reference, reference.value.isFinite {
            let x = xs(reference.value)
            canvas.writer.leaf("path", ["d": "M\(x.svgText),\((plot.minY - 6).svgText)V\(plot.maxY.svgText)", "stroke": Style.accent, "stroke-width": 1.5, "class": "reference"])
            canvas.rowLabel(reference.label, at: x, fill: Style.accent, bold: true, cls: "marker-label")
        }

        let rowHeight = plot.height / Double(usable.count)
        let box = min(rowHeight * 0.5, 16)
        canvas.writer.start("g", ["class": "rows"])
        for (i, row) in usable.enumerated() {
            let cy = plot.minY + (Double(i) + 0.5) * rowHeight
            column.draw(row.label, plotLeft: plot.minX, y: cy, on: &canvas)
            let (x5, x25, x50, x75, x95) = (xs(row.p5), xs(row.p25), xs(row.p50), xs(row.p75), xs(row.p95))
            canvas.writer.leaf("path", [
                "d": "M\(x5.svgText),\(cy.svgText)H\(x95.svgText)M\(x5.svgText),\((cy - 4).svgText)v8M\(x95.svgText),\((cy - 4).svgText)v8",
                "fill": "none", "stroke": Style.axis, "stroke-width": 1.25,
            ])
            canvas.writer.leaf("rect", ["x": min(x25, x75), "y": cy - box / 2, "width": max(1, abs(x75 - x25)), "height": box, "fill": Style.bandInner, "stroke": Style.mid, "stroke-width": 1])
            canvas.writer.leaf("path", ["d": "M\(x50.svgText),\((cy - box / 2 - 2).svgText)v\((box + 4).svgText)", "stroke": Style.dark, "stroke-width": 2.5])
            canvas.writer.leaf("path", Canvas.diamond(x: xs(row.mean), y: cy, r: 4.5))
            if let f = valueFormat {
                let end = BarEndText(value: max(row.p95, row.mean), text: f.string(row.p50), leftward: false)
                canvas.text(end.text, x: end.x(xs), y: cy + 4, size: Style.smallSize, fill: Style.text, cls: "value-label", halo: true)
            }
        }
        canvas.writer.end()
        canvas.drawXTitle(axis.title, plot: gridPlot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }
}
