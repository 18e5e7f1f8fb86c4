/// The size of a chart and the white space around its content, in CSS pixels.
public struct ChartFrame: Sendable, Equatable {
    /// Width in px; also the `viewBox` width. Default 720.
    public var width: Double
    /// Height in px; also the `viewBox` height. Default 360.
    public var height: Double
    /// Empty space between the edge of the SVG and the headline, labels and note.
    public var margins: Insets

    public init(width: Double = 720, height: Double = 360, margins: Insets = .standard) {
        self.width = max(120, width.isFinite ? width : 720)
        self.height = max(120, height.isFinite ? height : 360)
        self.margins = margins
    }

    /// 720 × 360 px with the standard margins.
    public static let standard = ChartFrame()
}

/// Space on each side, in px.
public struct Insets: Sendable, Equatable {
    public var top: Double
    public var right: Double
    public var bottom: Double
    public var left: Double

    public init(top: Double, right: Double, bottom: Double, left: Double) {
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }

    /// 14 px at the top and bottom, 18 px at the sides.
    public static let standard = Insets(top: 14, right: 18, bottom: 12, left: 18)
}

/// A rectangle in SVG user units (px), y growing downwards.
struct Rect: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var minX: Double { x }
    var maxX: Double { x + width }
    var minY: Double { y }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }

    func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}
