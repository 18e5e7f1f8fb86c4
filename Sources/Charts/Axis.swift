/// One axis of a chart: its title (with the unit), how ticks are labelled and how many.
public struct Axis: Sendable {
    /// Axis title with the unit, e.g. "NPV (NOK)" or "Month"; nil: none.
    public var title: String?
    /// Tick labels.
    public var format: ValueFormat
    /// At most this many ticks (fewer when labels would collide); 4–7 reads well.
    public var maxTicks: Int
    /// Whether 0 is always inside the axis (value axes of bars are always drawn from 0).
    public var includesZero: Bool
    /// A fixed range in axis units instead of one that covers the data.
    public var bounds: ClosedRange<Double>?
    /// A fixed tick step in axis units (e.g. 12 for months); nil: a nice step.
    public var step: Double?

    public init(
        title: String? = nil, format: ValueFormat = .automatic, maxTicks: Int = 6,
        includesZero: Bool = false, bounds: ClosedRange<Double>? = nil, step: Double? = nil
    ) {
        self.title = title
        self.format = format
        self.maxTicks = maxTicks
        self.includesZero = includesZero
        self.bounds = bounds
        self.step = step
    }
}

/// An axis fitted to data and a length on screen: its domain, ticks and tick labels.
struct ResolvedAxis {
    var low: Double
    var high: Double
    var ticks: [Double]
    var labels: [String]

    /// Maps axis units to px along `range` (either direction).
    func scale(_ a: Double, _ b: Double) -> LinearScale { LinearScale(low: low, high: high, from: a, to: b) }
}

/// A linear map from a domain (axis units) to a pixel range.
struct LinearScale {
    var low: Double
    var high: Double
    var from: Double
    var to: Double

    init(low: Double, high: Double, from: Double, to: Double) {
        self.low = low
        self.high = high > low ? high : low + 1
        self.from = from
        self.to = to
    }

    func callAsFunction(_ v: Double) -> Double {
        from + (v - low) / (high - low) * (to - from)
    }
}

extension Axis {
    /// Fits the axis to `data` (not-finite values ignored) along `length` px.
    ///
    /// - `nice`: the domain runs from the first to the last nice tick (value axes); otherwise
    ///   it is the data range and only ticks inside it are drawn (time axes).
    /// - `horizontal`: labels sit side by side, so they must not overlap; vertical labels
    ///   only need 15 px between them and must be at most `maxLabelWidth` wide.
    /// Automatic labels switch to the compact form, then fewer ticks, until they fit.
    /// `room`: px beyond each end of a horizontal axis that its end labels may use.
    func resolve(
        data: [Double], length: Double, nice: Bool, horizontal: Bool, maxLabelWidth: Double = .infinity,
        room: (before: Double, after: Double) = (0, 0)
    ) -> ResolvedAxis? {
        var values = data.filter(\.isFinite)
        if includesZero { values.append(0) }
        if let bounds, bounds.lowerBound.isFinite, bounds.upperBound.isFinite {
            values = [bounds.lowerBound, bounds.upperBound]
        }
        guard let dataLow = values.min(), let dataHigh = values.max() else { return nil }
        var best: ResolvedAxis?
        for count in stride(from: max(2, maxTicks), through: 2, by: -1) {
            var ticks: [Double]
            var low = dataLow, high = dataHigh
            if let step, step > 0, step.isFinite {
                ticks = NiceScale.multiples(of: step, from: low, through: high)
                if low == high { low -= step; high += step }
            } else {
                ticks = NiceScale.ticks(min: low, max: high, maxTicks: count)
                if nice && bounds == nil, let f = ticks.first, let l = ticks.last {
                    low = f
                    high = l
                } else {
                    if low == high, let f = ticks.first, let l = ticks.last { low = f; high = l }
                    ticks = ticks.filter { $0 >= low - 1e-9 * abs(high - low) && $0 <= high + 1e-9 * abs(high - low) }
                }
            }
            let tickStep = ticks.count > 1 ? ticks[1] - ticks[0] : (step ?? max(abs(low), 1))
            for compact in format.mayCompact ? [false, true] : [false] {
                let labels = format.labels(for: ticks, step: tickStep, compact: compact)
                let axis = ResolvedAxis(low: low, high: high, ticks: ticks, labels: labels)
                if best == nil { best = axis }
                if axis.fits(length: length, horizontal: horizontal, maxLabelWidth: maxLabelWidth, room: room) { return axis }
            }
            if step != nil { break }
        }
        return best
    }
}

extension ResolvedAxis {
    /// Whether neighbouring tick labels keep apart (10 px between horizontal labels, 15 px
    /// between the centres of vertical ones) and vertical labels are narrow enough.
    /// Horizontal labels are first moved inside `room` the way `Canvas.drawXLabels` does.
    func fits(length: Double, horizontal: Bool, maxLabelWidth: Double, room: (before: Double, after: Double)) -> Bool {
        let scale = self.scale(0, length)
        let widths = labels.map { TextMetrics.width($0, size: Style.labelSize) }
        if !horizontal, (widths.max() ?? 0) > maxLabelWidth { return false }
        let centres = ticks.indices.map { i in
            horizontal ? ResolvedAxis.clamp(scale(ticks[i]), width: widths[i], from: -room.before, to: length + room.after) : scale(ticks[i])
        }
        for i in ticks.indices.dropFirst() {
            let gap = abs(centres[i] - centres[i - 1])
            let needed = horizontal ? (widths[i] + widths[i - 1]) / 2 + 10 : 15
            if gap < needed { return false }
        }
        return true
    }

    /// The centre of a label `width` px wide at `x`, moved so the label stays in `from…to`.
    static func clamp(_ x: Double, width: Double, from: Double, to: Double) -> Double {
        to - from < width ? (from + to) / 2 : min(max(x, from + width / 2), to - width / 2)
    }
}
