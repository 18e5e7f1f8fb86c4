/// A band of a fan chart: for each month, a lower and an upper value (e.g. P10 and P90).
public struct FanBand: Sendable, Equatable {
    /// Key text, e.g. "P10–P90".
    public var label: String
    /// Lower edge per month, in y-axis units (e.g. NOK); index 0 is the chart's first month.
    public var lower: [Double]
    /// Upper edge per month, aligned with `lower`.
    public var upper: [Double]

    public init(label: String, lower: [Double], upper: [Double]) {
        self.label = label
        self.lower = lower
        self.upper = upper
    }
}

/// A value observed in one month, e.g. an actual.
public struct MonthValue: Sendable, Equatable {
    public var month: Int
    /// In y-axis units.
    public var value: Double

    public init(month: Int, value: Double) {
        self.month = month
        self.value = value
    }
}

/// A second fan that starts later (a re-forecast from the actuals), drawn hatched.
public struct FanReforecast: Sendable, Equatable {
    /// The month of `band.lower[0]`.
    public var startMonth: Int
    /// Its band (key text from `band.label`, e.g. "Re-forecast P10–P90").
    public var band: FanBand
    /// Its median per month from `startMonth`; nil: none.
    public var median: [Double]?
    /// End label of the median line.
    public var medianLabel: String

    public init(startMonth: Int, band: FanBand, median: [Double]? = nil, medianLabel: String = "Re-forecast median") {
        self.startMonth = startMonth
        self.band = band
        self.median = median
        self.medianLabel = medianLabel
    }
}

/// How a monthly amount may develop: nested bands (e.g. P10–P90 light, P25–P75 darker) around
/// the median line, with an optional mean, a labelled reference line (break-even at 0),
/// actuals as dots, a hatched re-forecast fan and a vertical "today" marker.
public struct FanChart: Chart {
    public var caption: ChartCaption
    public var frame: ChartFrame
    /// The month of index 0 of every series.
    public var firstMonth: Int
    /// Bands from the widest to the narrowest; they get darker inwards.
    public var bands: [FanBand]
    /// Median per month, in y-axis units.
    public var median: [Double]
    public var medianLabel: String
    /// Mean per month; nil: none.
    public var mean: [Double]?
    public var meanLabel: String
    /// A horizontal accent line, e.g. `ReferenceLine(value: 0, label: "Break-even")`.
    public var reference: ReferenceLine?
    /// Observed values, drawn as dots.
    public var actuals: [MonthValue]
    public var actualsLabel: String
    public var reforecast: FanReforecast?
    /// A vertical marker, e.g. `Marker(position: 14, label: "Today")`.
    public var marker: Marker?
    /// Months; ticks every 12 months from 36 months on, every 6 from 12 (unless set).
    public var xAxis: Axis
    /// The amount, e.g. `Axis(title: "Cumulative net cash flow (NOK)")`.
    public var yAxis: Axis

    public init(
        months firstMonth: Int = 0, bands: [FanBand], median: [Double], caption: ChartCaption,
        frame: ChartFrame = .standard, medianLabel: String = "Median", mean: [Double]? = nil,
        meanLabel: String = "Mean", reference: ReferenceLine? = nil, actuals: [MonthValue] = [],
        actualsLabel: String = "Actuals", reforecast: FanReforecast? = nil, marker: Marker? = nil,
        xAxis: Axis = Axis(title: "Month"), yAxis: Axis = Axis()
    ) {
        self.firstMonth = firstMonth
        self.bands = bands
        self.median = median
        self.caption = caption
        self.frame = frame
        self.medianLabel = medianLabel
        self.mean = mean
        self.meanLabel = meanLabel
        self.reference = reference
        self.actuals = actuals
        self.actualsLabel = actualsLabel
        self.reforecast = reforecast
        self.marker = marker
        self.xAxis = xAxis
        self.yAxis = yAxis
    }

    /// Every month that has a value, and every finite y value, for the axes.
    var extent: (months: [Double], values: [Double]) {
        var months: [Double] = []
        var values: [Double] = []
        func add(_ series: [Double], from start: Int) {
            for (i, v) in series.enumerated() where v.isFinite {
                months.append(Double(start + i))
                values.append(v)
            }
        }
        for band in bands { add(band.lower, from: firstMonth); add(band.upper, from: firstMonth) }
        add(median, from: firstMonth)
        if let mean { add(mean, from: firstMonth) }
        if let r = reforecast {
            add(r.band.lower, from: r.startMonth)
            add(r.band.upper, from: r.startMonth)
            if let m = r.median { add(m, from: r.startMonth) }
        }
        for a in actuals where a.value.isFinite {
            months.append(Double(a.month))
            values.append(a.value)
        }
        return (months, values)
    }

    var summary: String {
        let e = extent
        guard let m0 = e.months.min(), let m1 = e.months.max() else { return "Fan chart without data." }
        var s = "Fan chart over months \(Int(m0)) to \(Int(m1))"
        if let last = median.last(where: \.isFinite) {
            s += "; the median ends at \(ValueFormat.automatic.string(last))"
        }
        if !bands.isEmpty { s += "; bands " + bands.map(\.label).joined(separator: ", ") }
        return s + "."
    }
}
