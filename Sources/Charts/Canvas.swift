/// The drawing surface every chart shares: the SVG root with `<title>` and `<desc>`, the
/// headline, subtitle, key and axis-title row at the top, the note at the bottom, and text
/// helpers. Charts lay out their plot between the two.
struct Canvas {
    enum Anchor: String { case start, middle, end }

    var writer = SVGWriter()
    let frame: ChartFrame
    let caption: ChartCaption
    /// Prefix of element ids.
    let id: String
    /// Boxes taken in the axis-title row (titles, marker labels).
    private(set) var rowBoxes: [Rect] = []
    /// Baseline of the axis-title row.
    private(set) var rowBaseline = 0.0

    /// Writes the root element, `<title>`, `<desc>`, the hatch pattern when `hatch`, and a
    /// white background.
    init(kind: String, frame: ChartFrame, caption: ChartCaption, summary: String, hatch: Bool = false) {
        self.frame = frame
        self.caption = caption
        id = caption.id ?? "\(kind)-" + Canvas.hex(Canvas.fnv1a(kind + "\u{1F}" + caption.title))
        writer.start("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "version": "1.1",
            "viewBox": "0 0 \(frame.width.svgText) \(frame.height.svgText)",
            "width": frame.width, "height": frame.height, "role": "img",
            "aria-labelledby": "\(id)-title \(id)-desc", "font-family": Style.fontFamily,
            "font-size": Style.labelSize,
        ])
        writer.leaf("title", ["id": "\(id)-title"], text: caption.title)
        writer.leaf("desc", ["id": "\(id)-desc"], text: caption.description ?? summary)
        if hatch {
            writer.start("defs")
            writer.start("pattern", [
                "id": "\(id)-hatch", "patternUnits": "userSpaceOnUse", "width": 6, "height": 6,
                "patternTransform": "rotate(45)",
            ])
            writer.leaf("line", ["x1": 0, "y1": 0, "x2": 0, "y2": 6, "stroke": Style.mid, "stroke-width": 1.75])
            writer.end()
            writer.end()
        }
        writer.leaf("rect", ["width": frame.width, "height": frame.height, "fill": Style.background])
    }

    var hatchFill: String { "url(#\(id)-hatch)" }
    var left: Double { frame.margins.left }
    var right: Double { frame.width - frame.margins.right }

    /// Draws the headline, subtitle and key, and the axis-title row when `titleRow` (with the
    /// left and right axis titles); returns the top of the plot.
    mutating func drawHeader(key: [KeyItem], titleRow: Bool, leftTitle: String? = nil, rightTitle: String? = nil) -> Double {
        var y = frame.margins.top
        let width = right - left
        if caption.showsTitle, !caption.title.isEmpty {
            let t = TextMetrics.truncate(caption.title, toWidth: width, size: Style.headlineSize, bold: true)
            text(t, x: left, y: y + 14, size: Style.headlineSize, fill: Style.ink, bold: true, cls: "headline")
            y += 22
        }
        if let subtitle = caption.subtitle, !subtitle.isEmpty {
            let t = TextMetrics.truncate(subtitle, toWidth: width, size: Style.subtitleSize)
            text(t, x: left, y: y + 12, size: Style.subtitleSize, fill: Style.muted, cls: "subtitle")
            y += 19
        }
        if y > frame.margins.top { y += 4 }
        if !key.isEmpty { y = drawKey(key, top: y) + 4 }
        if titleRow {
            rowBaseline = y + 12
            if let leftTitle, !leftTitle.isEmpty {
                let t = TextMetrics.truncate(leftTitle, toWidth: width / 2 - 8, size: Style.labelSize)
                text(t, x: left, y: rowBaseline, fill: Style.muted, cls: "axis-title")
                rowBoxes.append(labelBox(t, x: left, baseline: rowBaseline, anchor: .start))
            }
            if let rightTitle, !rightTitle.isEmpty {
                let t = TextMetrics.truncate(rightTitle, toWidth: width / 2 - 8, size: Style.labelSize)
                text(t, x: right, y: rowBaseline, fill: Style.muted, anchor: .end, cls: "axis-title")
                rowBoxes.append(labelBox(t, x: right, baseline: rowBaseline, anchor: .end))
            }
            y += 16
        }
        return y + 8
    }

    /// Draws the note and returns the lowest y the axes may use.
    mutating func drawFooter() -> Double {
        var y = frame.height - frame.margins.bottom
        if let note = caption.note, !note.isEmpty {
            let t = TextMetrics.truncate(note, toWidth: right - left, size: Style.smallSize)
            text(t, x: left, y: y - 2, size: Style.smallSize, fill: Style.muted, cls: "note")
            y -= 19
        }
        return y
    }

    /// Puts a label into the axis-title row beside `x` (right of it, else left of it, else
    /// centred), clear of what is already there and inside the frame.
    mutating func rowLabel(_ s: String, at x: Double, fill: String, bold: Bool = false, cls: String) {
        let w = TextMetrics.width(s, size: Style.labelSize, bold: bold)
        let options: [(Double, Anchor)] = [(x + 5, .start), (x - 5, .end), (x, .middle)]
        var chosen = options[0]
        for option in options {
            let box = labelBox(s, x: option.0, baseline: rowBaseline, anchor: option.1, bold: bold)
            if box.minX >= left - 1, box.maxX <= right + 1, !rowBoxes.contains(where: box.intersects) {
                chosen = option
                break
            }
            if option.1 == .middle { chosen = (min(max(x, left + w / 2), right - w / 2), .middle) }
        }
        text(s, x: chosen.0, y: rowBaseline, fill: fill, anchor: chosen.1, bold: bold, cls: cls)
        rowBoxes.append(labelBox(s, x: chosen.0, baseline: rowBaseline, anchor: chosen.1, bold: bold))
    }

    /// A centred "No data" in `plot`.
    mutating func drawNoData(in plot: Rect) {
        writer.leaf("rect", [
            "x": plot.x, "y": plot.y, "width": plot.width, "height": max(0, plot.height),
            "fill": "none", "stroke": Style.grid,
        ])
        text("No data", x: plot.midX, y: plot.midY + 5, size: 14, fill: Style.muted, anchor: .middle, cls: "no-data")
    }

    /// A `<text>`; `halo` first draws it in white with a wide stroke so it stays readable on
    /// top of lines and bands.
    mutating func text(
        _ s: String, x: Double, y: Double, size: Double = Style.labelSize, fill: String = Style.text,
        anchor: Anchor = .start, bold: Bool = false, cls: String? = nil, halo: Bool = false, tooltip: String? = nil
    ) {
        var a: SVGAttributes = ["x": x, "y": y]
        if size != Style.labelSize { a.set("font-size", size) }
        if anchor != .start { a.set("text-anchor", anchor.rawValue) }
        if bold { a.set("font-weight", "700") }
        if halo {
            var h = a
            h.set("fill", "none")
            h.set("stroke", Style.background)
            h.set("stroke-width", 3)
            h.set("stroke-linejoin", "round")
            h.set("aria-hidden", "true")
            writer.leaf("text", h, text: s)
        }
        a.set("fill", fill)
        if let cls { a.set("class", cls) }
        if let tooltip, tooltip != s {
            writer.label(s, a, tooltip: tooltip)
        } else {
            writer.leaf("text", a, text: s)
        }
    }

    /// The estimated box of a 12 px label (or `size`) drawn at `x` with its baseline at `baseline`.
    func labelBox(_ s: String, x: Double, baseline: Double, anchor: Anchor, size: Double = Style.labelSize, bold: Bool = false) -> Rect {
        let w = TextMetrics.width(s, size: size, bold: bold)
        let x0 = anchor == .start ? x : anchor == .end ? x - w : x - w / 2
        return Rect(x: x0, y: baseline - size * 0.8, width: w, height: size * 1.05)
    }

    mutating func finish() -> String { writer.finish() }

    /// 32-bit FNV-1a over the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            h ^= UInt32(byte)
            h = h &* 0x0100_0193
        }
        return h
    }

    static func hex(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<8).map { digits[Int((v >> (28 - 4 * UInt32($0))) & 0xF)] })
    }
}
