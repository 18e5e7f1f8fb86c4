/// One entry of a chart's key: a small symbol and its text.
struct KeyItem {
    enum Symbol {
        /// A filled square; `stroke` outlines very light fills.
        case swatch(fill: String, stroke: String?)
        /// A square with the diagonal hatch (re-forecast bands).
        case hatch
        case line(LineStyle)
        /// An actual value: a dark dot.
        case dot
        /// Interval chart: the P25–P75 box, the P5–P95 whisker, the median tick, the mean.
        case box, whisker, median, mean
    }

    var symbol: Symbol
    var text: String

    var symbolWidth: Double {
        switch symbol {
        case .line, .whisker: 22
        case .box: 16
        case .swatch, .hatch: 12
        case .dot, .median, .mean: 10
        }
    }
}

extension Canvas {
    /// Draws the key in rows from the left margin, wrapping at the right one; returns the y
    /// below it.
    mutating func drawKey(_ items: [KeyItem], top: Double) -> Double {
        let rowHeight = 18.0
        var x = left
        var row = 0
        writer.start("g", ["class": "key"])
        for item in items {
            let textWidth = TextMetrics.width(item.text, size: Style.labelSize)
            let itemWidth = item.symbolWidth + 6 + textWidth
            if x > left, x + itemWidth > right {
                row += 1
                x = left
            }
            let baseline = top + Double(row) * rowHeight + 12
            drawSymbol(item.symbol, x: x, midY: baseline - 4)
            let shown = TextMetrics.truncate(item.text, toWidth: right - x - item.symbolWidth - 6, size: Style.labelSize)
            text(shown, x: x + item.symbolWidth + 6, y: baseline, fill: Style.text, cls: "key-label")
            x += itemWidth + 18
        }
        writer.end()
        return top + Double(row + 1) * rowHeight
    }

    /// The key symbol of width `symbolWidth` starting at `x`, centred on `midY`.
    mutating func drawSymbol(_ symbol: KeyItem.Symbol, x: Double, midY: Double) {
        switch symbol {
        case .swatch(let fill, let stroke):
            var a: SVGAttributes = ["x": x, "y": midY - 6, "width": 12, "height": 12, "fill": fill]
            if let stroke { a.set("stroke", stroke) }
            writer.leaf("rect", a)
        case .hatch:
            writer.leaf("rect", ["x": x, "y": midY - 6, "width": 12, "height": 12, "fill": hatchFill, "stroke": Style.mid])
        case .line(let style):
            var a = style.attributes
            a.set("d", "M\(x.svgText),\(midY.svgText)h22")
            writer.leaf("path", a)
        case .dot:
            writer.leaf("circle", ["cx": x + 5, "cy": midY, "r": 3.5, "fill": Style.ink, "stroke": Style.background])
        case .box:
            writer.leaf("rect", ["x": x, "y": midY - 5, "width": 16, "height": 10, "fill": Style.bandInner, "stroke": Style.mid])
        case .whisker:
            writer.leaf("path", [
                "d": "M\(x.svgText),\(midY.svgText)h22M\(x.svgText),\((midY - 4).svgText)v8M\((x + 22).svgText),\((midY - 4).svgText)v8",
                "fill": "none", "stroke": Style.axis, "stroke-width": 1.25,
            ])
        case .median:
            writer.leaf("path", ["d": "M\((x + 5).svgText),\((midY - 6).svgText)v12", "stroke": Style.dark, "stroke-width": 2.5])
        case .mean:
            writer.leaf("path", Canvas.diamond(x: x + 5, y: midY, r: 4.5))
        }
    }

    /// The mean marker of interval charts: a white diamond with a dark outline.
    static func diamond(x: Double, y: Double, r: Double) -> SVGAttributes {
        let d = "M\(x.svgText),\((y - r).svgText)L\((x + r).svgText),\(y.svgText)L\(x.svgText),\((y + r).svgText)L\((x - r).svgText),\(y.svgText)Z"
        return ["d": d, "fill": Style.background, "stroke": Style.ink, "stroke-width": 1.5]
    }
}
