/// The look shared by every chart: one font stack, a few greys, one blue-grey for the main
/// series and one dark red accent for loss and break-even. Series differ by lightness and dash
/// pattern as well as colour, so the charts read in grey-scale print.
enum Style {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

    // Text, px.
    static let headlineSize = 16.0
    static let subtitleSize = 13.0
    static let labelSize = 12.0
    static let smallSize = 11.0

    // Greys.
    static let ink = "#1a1a1a"
    static let text = "#333333"
    static let muted = "#595959"
    static let grid = "#e1e1e1"
    static let axis = "#4d4d4d"
    static let background = "#ffffff"

    // Series and bands, darkest first (grey-scale lightness about 25 %, 45 %, 65 %, 80 %, 90 %).
    static let dark = "#22394d"
    static let mid = "#5f7a8e"
    static let light = "#98adbd"
    static let bandInner = "#b9c7d2"
    static let bandOuter = "#dfe6ec"

    // Accent: loss and break-even. `accentFill` is a lighter red for large areas.
    static let accent = "#a6262b"
    static let accentFill = "#b8474c"
}

/// How a line series is drawn: lightness, dash pattern and width, so that lines stay apart in
/// grey-scale print.
public struct LineStyle: Sendable, Equatable {
    /// Lightness of the line (the accent is the dark red kept for loss and break-even).
    public enum Tone: Sendable, Equatable { case dark, mid, light, accent }
    /// Dash pattern.
    public enum Dash: Sendable, Equatable { case solid, dashed, dotted, dashDot }

    public var tone: Tone
    public var dash: Dash
    /// Stroke width in px.
    public var width: Double

    public init(tone: Tone = .dark, dash: Dash = .solid, width: Double = 2) {
        self.tone = tone
        self.dash = dash
        self.width = width
    }

    /// The styles series get in order when the caller does not choose: six combinations that
    /// differ in grey-scale.
    public static let cycle: [LineStyle] = [
        LineStyle(tone: .dark, dash: .solid, width: 2.25),
        LineStyle(tone: .mid, dash: .dashed, width: 2),
        LineStyle(tone: .dark, dash: .dotted, width: 2.25),
        LineStyle(tone: .light, dash: .solid, width: 2.5),
        LineStyle(tone: .mid, dash: .dashDot, width: 2),
        LineStyle(tone: .dark, dash: .dashed, width: 1.75),
    ]

    var color: String {
        switch tone {
        case .dark: Style.dark
        case .mid: Style.mid
        case .light: Style.light
        case .accent: Style.accent
        }
    }

    /// `stroke-dasharray`, or nil for a solid line.
    var dashArray: String? {
        switch dash {
        case .solid: nil
        case .dashed: "7 4"
        case .dotted: "2 3"
        case .dashDot: "8 3 2 3"
        }
    }

    /// Stroke attributes for a `<path>` drawing this line.
    var attributes: SVGAttributes {
        var a: SVGAttributes = ["fill": "none", "stroke": color, "stroke-width": width]
        if let dashArray { a.set("stroke-dasharray", dashArray) }
        a.set("stroke-linejoin", "round")
        return a
    }
}
