import Charts
import ReportDocument

/// Draws a report ``Figure`` (data) as SVG with the `Charts` module: the one place where the
/// document's figure kinds meet chart types, so `report.html`'s inline charts and the `.svg`
/// files beside `report.md` are the same bytes.
public enum FigureDrawing {
    /// The figure as a standalone SVG document (also valid inline in HTML).
    public static func svg(_ figure: Figure) -> String {
        chart(figure).svg()
    }

    static func chart(_ figure: Figure) -> any Chart {
        let caption = ChartCaption(figure.title, description: figure.description, id: figure.name)
        let small = figure.size == .small
        // Small multiples are drawn on a 600 px canvas and shown about 470 px wide: smaller than the full
        // charts, but with room for the headline, the key and the end labels at the same type sizes.
        let frame = small ? ChartFrame(width: 600, height: 320) : ChartFrame()
        switch figure.content {
        case .distribution(let d):
            // The chart counts; the document gives shares. Shares scaled to a large whole number
            // keep their proportions to far below a pixel.
            let bins = d.bins.map { HistogramBin(lower: $0.lower, upper: $0.upper, count: Int(($0.share * 1e9).rounded())) }
            return Histogram(bins: bins, caption: caption, frame: frame, xAxis: axis(d.axis),
                             zeroLabel: d.marker.map(\.label))
        case .bands(let b):
            if b.x.kind == .month, let fan = fan(b, caption: caption, frame: frame) { return fan }
            return line(b, caption: caption, frame: frame)
        case .tornado(let t):
            return Tornado(base: t.base, rows: t.rows.map { TornadoRow(label: $0.label, low: $0.low, high: $0.high) },
                           caption: caption, axis: axis(t.axis))
        case .intervals(let i):
            return IntervalChart(rows: i.rows.map { IntervalRow(label: $0.label, p5: $0.p5, p25: $0.p25, p50: $0.p50,
                                                                 p75: $0.p75, p95: $0.p95, mean: $0.mean) },
                                 caption: caption, axis: axis(i.axis),
                                 reference: i.reference.map { ReferenceLine(value: $0, label: "0") })
        case .bars(let b):
            return BarChart(categories: b.categories, series: b.series.map { BarSeries(name: $0.name, values: $0.values) },
                            caption: caption, axis: axis(b.axis, includesZero: true), valueFormat: format(b.axis.kind))
        }
    }

    /// A monthly fan: filled bands widest first, the first plain line as the median, a second
    /// as the mean, points as actuals, and the hatched series as the re-forecast from its first
    /// month with a value. Nil when the months are not whole consecutive numbers.
    static func fan(_ b: BandFigure, caption: ChartCaption, frame: ChartFrame) -> FanChart? {
        guard let first = b.xs.first, first == first.rounded(),
              b.xs.enumerated().allSatisfy({ $0.element == first + Double($0.offset) }) else { return nil }
        var bands: [(emphasis: Int, band: FanBand)] = []
        var lines: [(String, [Double])] = []
        var actuals: [MonthValue] = []
        var hatchedBand: (String, [Double], [Double])?
        var hatchedLine: (String, [Double])?
        for s in b.series {
            switch (s.shape, s.hatched) {
            case (.band(let lo, let hi), false): bands.append((s.emphasis, FanBand(label: s.name, lower: lo, upper: hi)))
            case (.band(let lo, let hi), true): hatchedBand = (s.name, lo, hi)
            case (.line(let v), false): lines.append((s.name, v))
            case (.line(let v), true): hatchedLine = (s.name, v)
            case (.points(let v), _):
                actuals += v.enumerated().compactMap { k, value in value.map { MonthValue(month: Int(first) + k, value: $0) } }
            }
        }
        // Widest (lightest, highest emphasis number) first.
        let ordered = bands.enumerated().sorted { ($0.element.emphasis, -$0.offset) > ($1.element.emphasis, -$1.offset) }.map(\.element.band)
        var reforecast: FanReforecast?
        if let (name, lo, hi) = hatchedBand, let start = lo.firstIndex(where: \.isFinite) {
            reforecast = FanReforecast(startMonth: Int(first) + start,
                                       band: FanBand(label: name, lower: Array(lo[start...]), upper: Array(hi[start...])),
                                       median: hatchedLine.map { Array($0.1[start...]) },
                                       medianLabel: hatchedLine?.0 ?? "Re-forecast median")
        }
        let median = lines.first ?? ("Median", Array(repeating: .nan, count: b.xs.count))
        return FanChart(months: Int(first), bands: ordered, median: median.1, caption: caption, frame: frame,
                        medianLabel: median.0, mean: lines.count > 1 ? lines[1].1 : nil,
                        meanLabel: lines.count > 1 ? lines[1].0 : "Mean",
                        reference: b.reference.map { ReferenceLine(value: $0.value, label: $0.label) },
                        actuals: actuals, reforecast: reforecast,
                        marker: b.marker.map { Marker(position: $0.value, label: $0.label) },
                        xAxis: axis(b.x), yAxis: axis(b.y))
    }

    /// Any other x axis (a swept value): lines and bands over the x values.
    static func line(_ b: BandFigure, caption: ChartCaption, frame: ChartFrame) -> LineChart {
        var series: [LineSeries] = []
        var bands: [LineBand] = []
        for s in b.series {
            switch s.shape {
            case .band(let lo, let hi):
                let points = b.xs.indices.map { BandPoint(x: b.xs[$0], lower: lo[$0], upper: hi[$0]) }
                bands.append(LineBand(name: s.name, points: points, shade: s.emphasis == 0 ? .medium : .light))
            case .line(let v):
                series.append(LineSeries(name: s.name, points: b.xs.indices.map { ChartPoint(x: b.xs[$0], y: v[$0]) }))
            case .points(let v):
                series.append(LineSeries(name: s.name, points: b.xs.indices.compactMap { k in v[k].map { ChartPoint(x: b.xs[k], y: $0) } }))
            }
        }
        // Widest band first, so the narrower one is drawn over it.
        bands.sort { ($0.shade == .light ? 0 : 1) < ($1.shade == .light ? 0 : 1) }
        return LineChart(series: series, caption: caption, frame: frame, bands: bands, xAxis: axis(b.x), yAxis: axis(b.y),
                         reference: b.reference.map { ReferenceLine(value: $0.value, label: $0.label) },
                         marker: b.marker.map { Marker(position: $0.value, label: $0.label) })
    }

    static func axis(_ a: FigureAxis, includesZero: Bool = false) -> Axis {
        var axis = Axis(title: a.title, format: format(a.kind), includesZero: includesZero)
        if a.kind == .month { axis.step = nil }
        return axis
    }

    static func format(_ kind: Quantity.Kind) -> ValueFormat {
        switch kind {
        case .share: return .percent()
        case .month: return .grouped(decimals: 0)
        default: return .automatic
        }
    }
}
