extension LineChart {
    public func svg() -> String {
        var canvas = Canvas(kind: "line", frame: frame, caption: caption, summary: summary)
        let finitePoints = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let bandPoints = bands.flatMap(\.points).filter { $0.x.isFinite && $0.lower.isFinite && $0.upper.isFinite }
        let hasData = !finitePoints.isEmpty || !bandPoints.isEmpty
        let key = hasData ? bands.map {
            KeyItem(symbol: .swatch(fill: $0.shade == .light ? Style.bandOuter : Style.bandInner, stroke: $0.shade == .light ? "#c3ced7" : nil), text: $0.name)
        } : []
        let top = canvas.drawHeader(key: key, titleRow: yAxis.title != nil || marker != nil, leftTitle: yAxis.title)
        let bottom = BottomAxisPlan(floor: canvas.drawFooter(), hasTitle: xAxis.title != nil)
        let height = bottom.plotBottom - top
        let yData = finitePoints.map(\.y) + bandPoints.flatMap { [$0.lower, $0.upper] } + (reference.map { [$0.value] } ?? [])
        guard hasData,
              let yFit = yAxis.resolve(data: yData, length: height, nice: true, horizontal: false, maxLabelWidth: frame.width * 0.2)
        else {
            canvas.drawNoData(in: Rect(x: canvas.left, y: top, width: canvas.right - canvas.left, height: height))
            return canvas.finish()
        }
        let ys = yFit.scale(top + height, top)
        var labels = endLabels(ys: ys)
        let labelWidth = EndLabel.width(labels, limit: frame.width * 0.25)
        let plotLeft = canvas.left + Canvas.labelWidth(yFit) + 8
        let plot = Rect(x: plotLeft, y: top, width: canvas.right - labelWidth.total - plotLeft, height: height)
        let xData = finitePoints.map(\.x) + bandPoints.map(\.x) + (marker.map { [$0.position] } ?? [])
        guard let xFit = xAxis.resolve(data: xData, length: plot.width, nice: false, horizontal: true, room: canvas.xLabelRoom(plot.minX, plot.maxX)) else { return canvas.finish() }
        let xs = xFit.scale(plot.minX, plot.maxX)

        canvas.drawYGrid(yFit, scale: ys, plot: plot)
        canvas.writer.start("g", ["class": "bands"])
        for band in bands {
            let pts = band.points.filter { $0.x.isFinite && $0.lower.isFinite && $0.upper.isFinite }
            guard !pts.isEmpty else { continue }
            let upper = pts.map { (x: xs($0.x), y: ys($0.upper)) }
            let lower = pts.reversed().map { (x: xs($0.x), y: ys($0.lower)) }
            canvas.writer.leaf("path", ["d": pathData(upper + lower) + "Z", "fill": band.shade == .light ? Style.bandOuter : Style.bandInner])
        }
        canvas.writer.end()
        canvas.drawYBaseline(yFit, scale: ys, plot: plot)
        if let reference, reference.value.isFinite {
            let y = ys(reference.value)
            var a = LineChart.referenceStyle.attributes
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
        for (s, style) in zip(series, styles) {
            for run in finiteRuns(s.points.map { (x: $0.x, y: $0.y) }) {
                var a = style.attributes
                a.set("d", pathData(run.map { (x: xs($0.x), y: ys($0.y)) }))
                canvas.writer.leaf("path", a)
            }
        }
        canvas.writer.end()
        for i in labels.indices where labels[i].anchorX.isFinite { labels[i].anchorX = xs(labels[i].anchorX) }
        EndLabel.draw(labels, x: plot.maxX + 8, minY: plot.minY, maxY: plot.maxY, maxWidth: labelWidth.text, on: &canvas)
        canvas.drawXTicks(xFit, scale: xs, plot: plot, labelBaseline: bottom.labelBaseline)
        canvas.drawXTitle(xAxis.title, plot: plot, baseline: bottom.titleBaseline)
        return canvas.finish()
    }

    /// A reference line: thin, solid, in the accent.
    static let referenceStyle = LineStyle(tone: .accent, width: 1.25)

    /// One label per series with a finite point (at its last one; x still in axis units) and
    /// one for the reference line.
    private func endLabels(ys: LinearScale) -> [EndLabel] {
        var labels: [EndLabel] = []
        for (s, style) in zip(series, styles) {
            guard let last = s.points.last(where: { $0.x.isFinite && $0.y.isFinite }) else { continue }
            labels.append(EndLabel(text: s.name, anchorX: last.x, anchorY: ys(last.y), fill: Style.text, style: style))
        }
        if let reference, reference.value.isFinite {
            labels.append(EndLabel(text: reference.label, anchorX: .nan, anchorY: ys(reference.value), fill: Style.accent, style: LineChart.referenceStyle))
        }
        return labels
    }
}
