/// A chart as data: what to draw, not how. The HTML and SVG renderers draw it (with the
/// `Charts` module); Markdown links the SVG file the renderer wrote beside it.
public struct Figure: Sendable, Equatable {
    /// The file stem of the figure's SVG, unique in its report, e.g. "npv-distribution".
    public var name: String
    public var title: String
    /// What the chart shows in one or two sentences, for readers who cannot see it (the SVG's
    /// `<desc>`, the Markdown image's alt text).
    public var description: String
    /// Shown under the chart (how to read it).
    public var caption: Text?
    public var content: FigureContent
    /// How large the report shows the chart.
    public var size: Size

    /// A chart's size in the report.
    public enum Size: Sendable, Equatable {
        /// The full width of the text (side by side in the summary).
        case full
        /// One of a set of small multiples: consecutive small figures share a grid, several
        /// to a row (e.g. the follow-up's figures that are in line with the plan).
        case small
    }

    public init(name: String, title: String, description: String, caption: Text? = nil, content: FigureContent,
                size: Size = .full) {
        self.name = name
        self.title = title
        self.description = description
        self.caption = caption
        self.content = content
        self.size = size
    }
}

/// An axis: its title with the unit in words (e.g. "NPV (NOK)", "Month") and what its
/// numbers are, so the renderer writes ticks as money, shares or months.
public struct FigureAxis: Sendable, Equatable {
    public var title: String
    public var kind: Quantity.Kind

    public init(_ title: String, kind: Quantity.Kind) {
        self.title = title
        self.kind = kind
    }
}

/// The kinds of chart a report draws.
public enum FigureContent: Sendable, Equatable {
    /// A histogram of an outcome over trials, with its cumulative curve.
    case distribution(DistributionFigure)
    /// Values along an x axis (months, or a swept value): bands, lines and points.
    case bands(BandFigure)
    /// Swings of the inputs around a base value, largest first.
    case tornado(TornadoFigure)
    /// One box-and-whisker row per option (P5, P25, P50, P75, P95 and the mean).
    case intervals(IntervalFigure)
    /// Bars per category, one per series (e.g. this case beside a survey).
    case bars(BarFigure)
}

public struct DistributionFigure: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        /// The share of trials in [lower, upper) (the last bin includes its upper edge).
        public var share: Double
        public init(lower: Double, upper: Double, share: Double) {
            self.lower = lower
            self.upper = upper
            self.share = share
        }
    }

    public var axis: FigureAxis
    public var bins: [Bin]
    /// A vertical line (e.g. at NPV 0) and its label (e.g. "loss in 49 % of trials"); bars
    /// left of it are the ones that count against.
    public var marker: (value: Double, label: String)?

    public init(axis: FigureAxis, bins: [Bin], marker: (value: Double, label: String)? = nil) {
        self.axis = axis
        self.bins = bins
        self.marker = marker
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.axis == b.axis && a.bins == b.bins && a.marker?.value == b.marker?.value && a.marker?.label == b.marker?.label
    }
}

public struct BandFigure: Sendable, Equatable {
    /// One drawn series, over the figure's `xs`. A band or line value that is NaN is not drawn:
    /// the series starts, stops or has a gap there (e.g. a re-forecast only after "today").
    public struct Series: Sendable, Equatable {
        public enum Shape: Sendable, Equatable {
            /// A shaded band between two curves (e.g. P10 and P90).
            case band(lower: [Double], upper: [Double])
            case line([Double])
            /// Separate points; nil where there is none (e.g. months without an actual).
            case points([Double?])
        }
        public var name: String
        public var shape: Shape
        /// 0 is the main series; higher levels are drawn lighter (for bands: inner bands use 0).
        public var emphasis: Int
        /// A second set of bands drawn over the first (e.g. the re-forecast over the original
        /// forecast): a band hatched rather than filled, a line dashed, so that both read apart
        /// in grey-scale print.
        public var hatched: Bool

        public init(name: String, shape: Shape, emphasis: Int = 0, hatched: Bool = false) {
            self.name = name
            self.shape = shape
            self.emphasis = emphasis
            self.hatched = hatched
        }
    }

    public var x: FigureAxis
    public var y: FigureAxis
    public var xs: [Double]
    public var series: [Series]
    /// A horizontal line (e.g. break-even at 0) and its label.
    public var reference: (value: Double, label: String)?
    /// A vertical line (e.g. "today", the last month with actuals) and its label.
    public var marker: (value: Double, label: String)?

    public init(x: FigureAxis, y: FigureAxis, xs: [Double], series: [Series],
                reference: (value: Double, label: String)? = nil, marker: (value: Double, label: String)? = nil) {
        self.x = x
        self.y = y
        self.xs = xs
        self.series = series
        self.reference = reference
        self.marker = marker
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.x == b.x && a.y == b.y && a.xs == b.xs && a.series == b.series
            && a.reference?.value == b.reference?.value && a.reference?.label == b.reference?.label
            && a.marker?.value == b.marker?.value && a.marker?.label == b.marker?.label
    }
}

public struct TornadoFigure: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// The outcome with the input at its low end (P10; a risk: without it) and high end.
        public var low: Double
        public var high: Double
        public init(label: String, low: Double, high: Double) {
            self.label = label
            self.low = low
            self.high = high
        }
    }

    public var axis: FigureAxis
    /// The outcome the bars swing around (e.g. the mean NPV).
    public var base: Double
    public var rows: [Row]

    public init(axis: FigureAxis, base: Double, rows: [Row]) {
        self.axis = axis
        self.base = base
        self.rows = rows
    }
}

public struct IntervalFigure: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var p5: Double, p25: Double, p50: Double, p75: Double, p95: Double
        public var mean: Double
        public init(label: String, p5: Double, p25: Double, p50: Double, p75: Double, p95: Double, mean: Double) {
            self.label = label
            self.p5 = p5
            self.p25 = p25
            self.p50 = p50
            self.p75 = p75
            self.p95 = p95
            self.mean = mean
        }
    }

    public var axis: FigureAxis
    public var rows: [Row]
    /// A vertical reference line (e.g. 0: no better than the baseline), if any.
    public var reference: Double?

    public init(axis: FigureAxis, rows: [Row], reference: Double? = nil) {
        self.axis = axis
        self.rows = rows
        self.reference = reference
    }
}

public struct BarFigure: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// One value per category.
        public var values: [Double]
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var axis: FigureAxis
    public var categories: [String]
    public var series: [Series]

    public init(axis: FigureAxis, categories: [String], series: [Series]) {
        self.axis = axis
        self.categories = categories
        self.series = series
    }
}
