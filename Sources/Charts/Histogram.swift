/// One bar of a histogram: the values in `lower ..< upper` (the last bin includes `upper`).
public struct HistogramBin: Sendable, Equatable {
    /// Lower edge in x-axis units (e.g. NOK).
    public var lower: Double
    /// Upper edge in x-axis units.
    public var upper: Double
    /// How many values fall in the bin.
    public var count: Int

    public init(lower: Double, upper: Double, count: Int) {
        self.lower = lower
        self.upper = upper
        self.count = count
    }
}

/// The distribution of a simulated amount, e.g. NPV over all trials: bars for the share of
/// values per bin, bars below zero in the accent (loss), an optional cumulative curve on a
/// right-hand 0–100 % axis and an optional marker at 0 with a caller-given label
/// ("P(loss) 49 %").
public struct Histogram: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    public var bins: [HistogramBin]
    /// The measured amount, e.g. `Axis(title: "NPV (NOK)")`.
    public var xAxis: Axis
    /// Share of all values in each bin (a share 0–1, shown as percent by default).
    public var yAxis: Axis
    /// Whether to draw the cumulative share (0–100 %, right-hand axis).
    public var showsCumulative: Bool
    /// Label of a vertical accent line at 0, e.g. "P(loss) 49 %"; nil: no line.
    public var zeroLabel: String?
    /// Whether bars (and parts of bars) below 0 are drawn in the accent.
    public var shadesBelowZero: Bool
    /// Key texts for the bars below and above 0 and the cumulative curve.
    public var belowZeroLabel: String
    public var aboveZeroLabel: String
    public var cumulativeLabel: String

    /// A histogram of bins counted elsewhere.
    public init(
        bins: [HistogramBin], caption: ChartCaption, frame: ChartFrame = .standard,
        xAxis: Axis = Axis(), yAxis: Axis = Axis(title: "Share of trials", format: .percent()),
        showsCumulative: Bool = true, zeroLabel: String? = nil, shadesBelowZero: Bool = true,
        belowZeroLabel: String = "Below 0 (loss)", aboveZeroLabel: String = "0 or more",
        cumulativeLabel: String = "Cumulative share (right scale)"
    ) {
        self.bins = bins
        self.caption = caption
        self.frame = frame
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.showsCumulative = showsCumulative
        self.zeroLabel = zeroLabel
        self.shadesBelowZero = shadesBelowZero
        self.belowZeroLabel = belowZeroLabel
        self.aboveZeroLabel = aboveZeroLabel
        self.cumulativeLabel = cumulativeLabel
    }

    /// A histogram of raw values (NaN and ±∞ are ignored) in at most about `binCount` bins of
    /// a nice width (1, 2, 2.5 or 5 × 10^k) whose edges are multiples of the width, so 0 is
    /// always an edge and no bar straddles it.
    public init(
        values: [Double], binCount: Int = 40, caption: ChartCaption, frame: ChartFrame = .standard,
        xAxis: Axis = Axis(), yAxis: Axis = Axis(title: "Share of trials", format: .percent()),
        showsCumulative: Bool = true, zeroLabel: String? = nil
    ) {
        self.init(
            bins: Histogram.bins(of: values, count: binCount), caption: caption, frame: frame,
            xAxis: xAxis, yAxis: yAxis, showsCumulative: showsCumulative, zeroLabel: zeroLabel
        )
    }

    /// Bins of a nice width covering the finite `values`: no more than `count` + 1 of them.
    public static func bins(of values: [Double], count: Int) -> [HistogramBin] {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return [] }
        let span = hi - lo
        let width = NiceScale.niceStep(atLeast: span > 0 ? span / Double(max(1, count)) : max(abs(lo) * 0.1, 1))
        guard width.isFinite, width > 0 else { return [] }
        let first = (lo / width).rounded(.down)
        // The top edge is the first multiple at or above the largest value; a value exactly on
        // it goes into the last bin.
        var last = (hi / width).rounded(.up)
        if last <= first { last = first + 1 }
        let n = Int(min(last - first, 10_000))
        var counts = [Int](repeating: 0, count: max(1, n))
        for v in finite {
            let i = Int(((v / width).rounded(.down) - first))
            counts[min(max(i, 0), counts.count - 1)] += 1
        }
        return counts.indices.map { i in
            let a = (first + Double(i)) * width, b = (first + Double(i + 1)) * width
            return HistogramBin(lower: a == 0 ? 0 : a, upper: b == 0 ? 0 : b, count: counts[i])
        }
    }

    /// A sentence describing the data, for `<desc>` when the caption has none.
    var summary: String {
        let total = bins.reduce(0) { $0 + $1.count }
        guard total > 0, let first = bins.first, let last = bins.last else { return "Histogram without data." }
        let f = ValueFormat.automatic
        var s = "Histogram of \(NumberFormat.grouped(Double(total))) values from \(f.string(first.lower)) to \(f.string(last.upper)) in \(bins.count) bins."
        if let zeroLabel { s += " " + zeroLabel + "." }
        return s
    }
}
