extension Histogram {
    public func svg() -> String {
        let usable = bins.filter { $0.lower.isFinite && $0.upper.isFinite && $0.upper > $0.lower }
        let total = Double(usable.reduce(0) { $0 + max(0, $1.count) })
        var canvas = Canvas(kind: "histogram", frame: frame, caption: caption, summary: summary)
        let hasData = total > 0
        let belowZero = hasData && shadesBelowZero && usable[0].lower < 0
        var key: [KeyItem] = []
        if belowZero {
            key.append(KeyItem(symbol: .swatch(fill: Style.accentFill, stroke: nil), text: belowZeroLabel))
            key.append(KeyItem(symbol: .swatch(fill: Style.light, stroke: nil), text: aboveZeroLabel))
        }
        if hasData, showsCumulative {
            key.append(KeyItem(symbol: .line(LineStyle(tone: .dark, width: 2)), text: cumulativeLabel))
        }
        let top = canvas.drawHeader(key: key, titleRow: yAxis.title != nil || zeroLabel != nil, leftTitle: yAxis.title)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: xAxis.title != nil)
        var y = yAxis
        y.includesZero = true
        let shares = usable.map { Double(max(0, $0.count)) / total }
        guard hasData,
              let yAxisFit = y.resolve(data: shares, length: bottom.plotBottom - top, nice: true, horizontal: false, maxLabelWidth: frame.width * 0.2)
        else {
            canvas.drawNoData(in: Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: bottom.plotBottom - top))
            return canvas.finish()
        }
        let rightLabels = showsCumulative ? ["0 %", "25 %", "50 %", "75 %", "100 %"] : []
        let rightWidth = rightLabels.isEmpty ? 0 : TextMetrics.width("100 %", size: Style.labelSize) + 8
        let plotLeft = canvas.left + Canvas.labelWidth(yAxisFit) + 8
        let plot = Rect(x: plotLeft, y: top, width: canvas.right - rightWidth - plotLeft, height: bottom.plotBottom - top)
        var xData = [usable[0].lower, usable[usable.count - 1].upper]
        if zeroLabel != nil { xData.append(0) }
        guard let xAxisFit = xAxis.resolve(data: xData, length: plot.width, nice: false, horizontal: true, room: canvas.xLabelRoom(plot.minX, plot.maxX)) else {
            return canvas.finish()
        }
        let xs = xAxisFit.scale(plot.minX, plot.maxX)
        let ys = yAxisFit.scale(plot.maxY, plot.minY)

        canvas.drawYGrid(yAxisFit, scale: ys, plot: plot)
        canvas.writer.start("g", ["class": "bars"])
        for (bin, share) in zip(usable, shares) where share > 0 {
            let top = ys(share), base = ys(0)
            var parts: [(Double, Double, String)] = []
            if shadesBelowZero && bin.lower < 0 && bin.upper > 0 {
                parts = [(bin.lower, 0, Style.accentFill), (0, bin.upper, Style.light)]
            } else {
                parts = [(bin.lower, bin.upper, shadesBelowZero && bin.upper <= 0 ? Style.accentFill : Style.light)]
            }
            for (a, b, fill) in parts {
                var x0 = xs(a), x1 = xs(b)
                if x1 - x0 > 3 {
                    // A hairline of white between neighbouring bars (not at 0, where the
                    // marker is).
                    if a != 0 { x0 += 0.5 }
                    if b != 0 { x1 -= 0.5 }
                }
                canvas.writer.leaf("rect", ["x": x0, "y": top, "width": max(0, x1 - x0), "height": max(0, base - top), "fill": fill])
            }
        }
        canvas.writer.end()
        canvas.drawYBaseline(yAxisFit, scale: ys, plot: plot)

        if showsCumulative {
            let cs = LinearScale(low: 0, high: 1, from: plot.maxY, to: plot.minY)
            var points: [(x: Double, y: Double)] = [(xs(usable[0].lower), cs(0))]
            var sum = 0.0
            for (bin, share) in zip(usable, shares) {
                sum += share
                points.append((xs(bin.upper), cs(min(sum, 1))))
            }
            var a = LineStyle(tone: .dark, width: 2).attributes
            a.set("d", pathData(points))
            a.set("class", "cumulative")
            canvas.writer.leaf("path", a)
            for (i, label) in rightLabels.enumerated() {
                canvas.text(label, x: plot.maxX + 8, y: cs(Double(i) / 4) + 4, fill: Style.muted, cls: "tick-label")
            }
        }
        if let zeroLabel, xAxisFit.low <= 0, xAxisFit.high >= 0 {
            let x = xs(0)
            canvas.writer.leaf("path", [
                "d": "M\(x.svgText),\((plot.minY - 6).svgText)V\(plot.maxY.svgText)",
                "stroke": Style.accent, "stroke-width": 1.5, "class": "marker",
            ])
            canvas.rowLabel(zeroLabel, at: x, fill: Style.accent, bold: true, cls: "marker-label")
        }
        canvas.drawXTicks(xAxisFit, scale: xs, plot: plot, labelBaseline: bottom.labelBaseline)
        canvas.drawXTitle(xAxis.title, plot: plot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }
}
