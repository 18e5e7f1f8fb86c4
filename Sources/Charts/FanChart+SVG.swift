extension FanChart {
    public func svg() -> String {
        let e = extent
        var canvas = Canvas(kind: "fan", frame: frame, caption: caption, summary: summary, hatch: reforecast != nil)
        let hasData = !e.values.isEmpty
        let fills = bandFills
        var key: [KeyItem] = []
        if hasData {
            for (band, fill) in zip(bands, fills) {
                key.append(KeyItem(symbol: .swatch(fill: fill, stroke: fill == Style.bandOuter ? "#c3ced7" : nil), text: band.label))
            }
            if let r = reforecast { key.append(KeyItem(symbol: .hatch, text: r.band.label)) }
            if !actuals.isEmpty { key.append(KeyItem(symbol: .dot, text: actualsLabel)) }
        }
        let top = canvas.drawHeader(key: key, titleRow: yAxis.title != nil || marker != nil, leftTitle: yAxis.title)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: xAxis.title != nil)
        let height = bottom.plotBottom - top
        let yData = e.values + (reference.map { [$0.value] } ?? [])
        guard hasData,
              let yFit = yAxis.resolve(data: yData, length: height, nice: true, horizontal: false, maxLabelWidth: frame.width * 0.2)
        else {
            canvas.drawNoData(in: Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: height))
            return canvas.finish()
        }
        let ys = yFit.scale(top + height, top)

        // Lines with their end labels (x filled in once the plot width is known).
        var lines: [(values: [Double], start: Int, style: LineStyle, label: String)] = []
        lines.append((median, firstMonth, LineStyle(tone: .dark, width: 2.5), medianLabel))
        if let mean { lines.append((mean, firstMonth, LineStyle(tone: .dark, dash: .dotted, width: 2), meanLabel)) }
        if let r = reforecast, let m = r.median { lines.append((m, r.startMonth, LineStyle(tone: .mid, dash: .dashed, width: 2), r.medianLabel)) }
        // End labels; x in months until the plot is known (NaN: the right edge).
        var labels: [EndLabel] = []
        for line in lines {
            guard let last = line.values.lastIndex(where: \.isFinite) else { continue }
            labels.append(EndLabel(text: line.label, anchorX: Double(line.start + last), anchorY: ys(line.values[last]), fill: Style.text, style: line.style))
        }
        if let reference, reference.value.isFinite {
            labels.append(EndLabel(text: reference.label, anchorX: .nan, anchorY: ys(reference.value), fill: Style.accent, style: FanChart.referenceStyle))
        }
        let labelWidth = EndLabel.width(labels, limit: frame.width * 0.25)
        let plotLeft = canvas.left + Canvas.labelWidth(yFit) + 8
        let plot = Rect(x: plotLeft, y: top, width: canvas.right - labelWidth.total - plotLeft, height: height)

        var x = xAxis
        if x.step == nil, let m0 = e.months.min(), let m1 = e.months.max() {
            x.step = m1 - m0 >= 36 ? 12 : m1 - m0 >= 12 ? 6 : nil
        }
        let xData = e.months + (marker.map { [$0.position] } ?? [])
        guard let xFit = x.resolve(data: xData, length: plot.width, nice: false, horizontal: true, room: canvas.xLabelRoom(plot.minX, plot.maxX)) else { return canvas.finish() }
        let xs = xFit.scale(plot.minX, plot.maxX)

        canvas.drawYGrid(yFit, scale: ys, plot: plot)
        canvas.writer.start("g", ["class": "bands"])
        for (band, fill) in zip(bands, fills) {
            drawBand(band, start: firstMonth, fill: fill, stroke: nil, xs: xs, ys: ys, canvas: &canvas)
        }
        if let r = reforecast {
            drawBand(r.band, start: r.startMonth, fill: canvas.hatchFill, stroke: Style.mid, xs: xs, ys: ys, canvas: &canvas)
        }
        canvas.writer.end()
        canvas.drawYBaseline(yFit, scale: ys, plot: plot)
        if let reference, reference.value.isFinite {
            let y = ys(reference.value)
            var a = FanChart.referenceStyle.attributes
            a.set("d", "M\(plot.minX.svgText),\(y.svgText)H\(plot.maxX.svgText)")
            a.set("class", "reference")
            canvas.writer.leaf("path", a)
        }
        if let marker, marker.position.isFinite {
            let mx = xs(marker.position)
            canvas.writer.leaf("path", [
                "d": "M\(mx.svgText),\((plot.minY - 6).svgText)V\(plot.maxY.svgText)",
                "stroke": Style.muted, "stroke-width": 1, "stroke-dasharray": "4 3", "class": "marker",
            ])
            canvas.rowLabel(marker.label, at: mx, fill: Style.text, cls: "marker-label")
        }
        canvas.writer.start("g", ["class": "lines"])
        for line in lines {
            let points = line.values.enumerated().map { (x: xs(Double(line.start + $0.offset)), y: $0.element.isFinite ? ys($0.element) : .nan) }
            for run in finiteRuns(points) {
                var a = line.style.attributes
                a.set("d", pathData(run))
                canvas.writer.leaf("path", a)
            }
        }
        canvas.writer.end()
        if !actuals.isEmpty {
            canvas.writer.start("g", ["class": "actuals"])
            for a in actuals where a.value.isFinite {
                canvas.writer.leaf("circle", ["cx": xs(Double(a.month)), "cy": ys(a.value), "r": 3.5, "fill": Style.ink, "stroke": Style.background, "stroke-width": 1])
            }
            canvas.writer.end()
        }
        for i in labels.indices {
            if labels[i].anchorX.isFinite { labels[i].anchorX = xs(labels[i].anchorX) }
        }
        EndLabel.draw(labels, x: plot.maxX + 8, minY: plot.minY, maxY: plot.maxY, maxWidth: labelWidth.text, on: &canvas)
        canvas.drawXTicks(xFit, scale: xs, plot: plot, labelBaseline: bottom.labelBaseline)
        canvas.drawXTitle(xAxis.title, plot: plot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }

    /// The break-even line: thin, solid, in the accent.
    static let referenceStyle = LineStyle(tone: .accent, width: 1.25)

    /// Fills of the bands, widest (lightest) first.
    var bandFills: [String] {
        let ramp = [Style.bandOuter, Style.bandInner, Style.light, Style.mid]
        return bands.indices.map { ramp[min($0, ramp.count - 1)] }
    }

    private func drawBand(_ band: FanBand, start: Int, fill: String, stroke: String?, xs: LinearScale, ys: LinearScale, canvas: inout Canvas) {
        let n = min(band.lower.count, band.upper.count)
        var runs: [[Int]] = [[]]
        for i in 0..<n {
            if band.lower[i].isFinite && band.upper[i].isFinite {
                runs[runs.count - 1].append(i)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        for run in runs where !run.isEmpty {
            let upper = run.map { (x: xs(Double(start + $0)), y: ys(band.upper[$0])) }
            let lower = run.reversed().map { (x: xs(Double(start + $0)), y: ys(band.lower[$0])) }
            var a: SVGAttributes = ["d": pathData(upper + lower) + "Z", "fill": fill]
            if let stroke {
                a.set("stroke", stroke)
                a.set("stroke-width", 1)
            }
            canvas.writer.leaf("path", a)
        }
    }
}
