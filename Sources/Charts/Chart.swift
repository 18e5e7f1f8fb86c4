/// A chart that draws itself as a standalone SVG 1.1 document.
///
/// Every chart in this module is a plain value: the same value always gives the same bytes (no
/// clock, no random ids, no locale), so SVG files can be compared, cached and checked in.
/// Lengths in the SVG are CSS pixels (user units of a `viewBox` equal to the frame size).
public protocol Chart: Sendable {
    /// The chart as a standalone SVG 1.1 document: UTF-8 text without an XML declaration,
    /// ending in a newline. Charts without data draw their frame and say "No data".
    func svg() -> String
}

/// The words around a chart: a visible headline and subtitle, a source note, and the
/// `<title>`/`<desc>` pair that screen readers announce.
public struct ChartCaption: Sendable, Equatable {
    /// Headline and SVG `<title>`, e.g. "Net present value of 10,000 simulated futures".
    public var title: String
    /// A smaller line under the headline, e.g. "NOK, discounted at 8 % a year".
    public var subtitle: String?
    /// The SVG `<desc>`: one or two sentences for screen readers. `nil`: the chart writes a
    /// summary of its data.
    public var description: String?
    /// Small print at the bottom left, e.g. "Source: crmcase, seed 1".
    public var note: String?
    /// Whether the title is drawn as a headline (it is always in `<title>`). Turn it off when
    /// the chart sits under a heading that already says it.
    public var showsTitle: Bool
    /// Prefix of the element ids in the SVG (`<id>-title`, `<id>-hatch`). `nil`: derived from
    /// the chart kind and title with FNV-1a, so two different charts inlined in one HTML page
    /// do not share ids.
    public var id: String?

    public init(
        _ title: String, subtitle: String? = nil, description: String? = nil, note: String? = nil,
        showsTitle: Bool = true, id: String? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.description = description
        self.note = note
        self.showsTitle = showsTitle
        self.id = id
    }
}

/// A horizontal (value axis) or vertical (category or time axis) line that means something,
/// such as break-even at 0, drawn in the accent colour and labelled.
public struct ReferenceLine: Sendable, Equatable {
    /// Position in the units of the axis it sits on (e.g. NOK for break-even at 0).
    public var value: Double
    /// Text beside the line, e.g. "Break-even".
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// A vertical marker on a time axis, such as "Today", drawn as a dashed grey line.
public struct Marker: Sendable, Equatable {
    /// Position in x-axis units (e.g. months).
    public var position: Double
    /// Text above the plot at the marker, e.g. "Today".
    public var label: String

    public init(position: Double, label: String) {
        self.position = position
        self.label = label
    }
}
