/// Text at the right end of a line (its name instead of a key), nudged vertically so that no
/// two overlap. A short sample of the line's stroke stands before the text, so a label can be
/// matched to its line by dash and lightness even in grey-scale print.
struct EndLabel {
    var text: String
    /// Where the line ends, px (NaN: at the plot's right edge).
    var anchorX: Double
    var anchorY: Double
    var fill: String
    /// The line's stroke, drawn as a 14 px sample before the text; nil: none.
    var style: LineStyle?

    static let height = 15.0
    /// Sample length plus the gap after it.
    static let sampleWidth = 19.0

    /// Draws `labels` left-aligned at `x`, centred as near their line ends as the others
    /// allow inside `minY…maxY`; a thin leader joins a label to its line when moved.
    static func draw(_ labels: [EndLabel], x: Double, minY: Double, maxY: Double, maxWidth: Double, on canvas: inout Canvas) {
        guard !labels.isEmpty else { return }
        let centres = LabelLayout.spread(labels.map(\.anchorY), height: height, within: minY...max(minY, maxY))
        let hasSamples = labels.contains { $0.style != nil }
        canvas.writer.start("g", ["class": "end-labels"])
        for (label, y) in zip(labels, centres) {
            let anchorX = label.anchorX.isFinite ? label.anchorX : x - 8
            if abs(y - label.anchorY) > 3 || x - anchorX > 8 {
                canvas.writer.leaf("path", [
                    "d": "M\((anchorX + 2).svgText),\(label.anchorY.svgText)L\((x - 2).svgText),\(y.svgText)",
                    "stroke": "#8c8c8c", "stroke-width": 0.75, "fill": "none",
                ])
            }
            if let style = label.style {
                var a = style.attributes
                a.set("d", "M\(x.svgText),\(y.svgText)h14")
                canvas.writer.leaf("path", a)
            }
            let textX = hasSamples ? x + sampleWidth : x
            let shown = TextMetrics.truncate(label.text, toWidth: maxWidth, size: Style.labelSize)
            canvas.text(shown, x: textX, y: y + 4, fill: label.fill, cls: "end-label", tooltip: label.text)
        }
        canvas.writer.end()
    }

    /// Room the labels need right of the plot: 8 px gap, the samples, and the widest text (at
    /// most `limit`); and the width left for the text.
    static func width(_ labels: [EndLabel], limit: Double) -> (total: Double, text: Double) {
        guard !labels.isEmpty else { return (0, 0) }
        let widest = min(labels.map { TextMetrics.width($0.text, size: Style.labelSize) }.max() ?? 0, limit)
        let samples = labels.contains { $0.style != nil } ? sampleWidth : 0
        return (widest + samples + 8, widest)
    }
}
