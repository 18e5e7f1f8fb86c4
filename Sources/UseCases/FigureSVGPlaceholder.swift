import Foundation
import ReportDocument

/// A stand-in for the `Charts` module until it lands: a plain, deterministic SVG of a figure
/// (bands, lines, points, a marker; other kinds as a labelled frame). `FollowUpRun` calls it in
/// one place (``FollowUpRun/drawFigure``); swap that for `Charts` / `FigureDrawing.svg`.
enum FigureSVGPlaceholder {
    static func svg(_ figure: Figure) -> String {
        let small = figure.size == .small
        let width = small ? 360.0 : 720.0, height = small ? 230.0 : 360.0
        let id = "fig-" + figure.name
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(small ? 10 : 12)\">\n"
        out += "<title id=\"\(id)-title\">\(escape(figure.title))</title>\n<desc id=\"\(id)-desc\">\(escape(figure.description))</desc>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        out += "<text x=\"8\" y=\"\(small ? 14 : 18)\" font-weight=\"bold\" font-size=\"\(small ? 11 : 14)\">\(escape(figure.title))</text>\n"
        guard case .bands(let b) = figure.content else {
            out += "<rect x=\"8\" y=\"28\" width=\"\(n(width - 16))\" height=\"\(n(height - 36))\" fill=\"none\" stroke=\"#999\"/>\n"
            return out + "</svg>"
        }
        let left = small ? 52.0 : 80.0, right = width - 12, top = small ? 26.0 : 34.0, bottom = height - (small ? 34 : 64)
        var values: [Double] = []
        for s in b.series {
            switch s.shape {
            case .band(let lo, let hi): values += lo + hi
            case .line(let v): values += v
            case .points(let v): values += v.compactMap { $0 }
            }
        }
        values = values.filter(\.isFinite)
        var yMin = values.min() ?? 0, yMax = values.max() ?? 1
        if yMin == yMax { yMin -= 1; yMax += 1 }
        let yTicks = ticks(yMin, yMax, count: small ? 4 : 6)
        yMin = min(yMin, yTicks.first!); yMax = max(yMax, yTicks.last!)
        let xMin = b.xs.first ?? 0, xMax = max(b.xs.last ?? 1, xMin + 1)
        func x(_ v: Double) -> Double { left + (v - xMin) / (xMax - xMin) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (v - yMin) / (yMax - yMin) * (bottom - top) }

        out += "<defs>"
        for level in 0..<4 {
            out += "<pattern id=\"\(id)-hatch\(level)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            out += "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"\(level == 0 ? "#333" : "#888")\" stroke-width=\"\(level == 0 ? "1.6" : "1")\"/></pattern>"
        }
        out += "</defs>\n"
        // Grid and ticks.
        for t in yTicks {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(t)))\" x2=\"\(n(right))\" y2=\"\(n(y(t)))\" stroke=\"#e3e6ea\"/>"
            out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(t) + 4))\" text-anchor=\"end\">\(escape(label(t, b.y.kind)))</text>\n"
        }
        for t in ticks(xMin, xMax, count: small ? 5 : 8) where t >= xMin && t <= xMax {
            out += "<text x=\"\(n(x(t)))\" y=\"\(n(bottom + 14))\" text-anchor=\"middle\">\(escape(label(t, b.x.kind)))</text>\n"
        }
        out += "<line x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\" stroke=\"#333\"/>\n"
        // Series.
        let fills = ["#8d99a6", "#d3d9df", "#b9c2cb", "#e6e9ed"]
        for s in b.series {
            switch s.shape {
            case .band(let lo, let hi):
                for run in runs(b.xs.indices.filter { lo[$0].isFinite && hi[$0].isFinite }) {
                    let upper = run.map { "\(n(x(b.xs[$0]))),\(n(y(hi[$0])))" }
                    let lower = run.reversed().map { "\(n(x(b.xs[$0]))),\(n(y(lo[$0])))" }
                    let fill = s.hatched ? "url(#\(id)-hatch\(min(s.emphasis, 3)))" : fills[min(s.emphasis, 3)]
                    out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(fill)\" stroke=\"none\"/>\n"
                }
            case .line(let v):
                for run in runs(b.xs.indices.filter { v[$0].isFinite }) {
                    let points = run.map { "\(n(x(b.xs[$0]))),\(n(y(v[$0])))" }.joined(separator: " ")
                    out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1d2733\" stroke-width=\"2\"\(s.hatched ? " stroke-dasharray=\"6 3\"" : "")/>\n"
                }
            case .points(let v):
                for (k, value) in v.enumerated() {
                    guard let value, value.isFinite else { continue }
                    out += "<circle cx=\"\(n(x(b.xs[k])))\" cy=\"\(n(y(value)))\" r=\"\(small ? 2.5 : 3.5)\" fill=\"#000\" stroke=\"#fff\" stroke-width=\"1\"/>\n"
                }
            }
        }
        if let m = b.marker {
            out += "<line x1=\"\(n(x(m.value)))\" y1=\"\(n(top))\" x2=\"\(n(x(m.value)))\" y2=\"\(n(bottom))\" stroke=\"#9b1c1c\" stroke-dasharray=\"3 3\"/>"
            out += "<text x=\"\(n(x(m.value) + 4))\" y=\"\(n(top + 10))\" fill=\"#9b1c1c\">\(escape(m.label))</text>\n"
        }
        // Axis titles and, at full size, a legend.
        out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + (small ? 28 : 30)))\" text-anchor=\"middle\">\(escape(b.x.title))</text>\n"
        out += "<text transform=\"translate(\(small ? 11 : 14),\(n((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(b.y.title))</text>\n"
        if !small {
            var lx = left
            for s in b.series {
                let swatch: String
                switch s.shape {
                case .band: swatch = "<rect x=\"\(n(lx))\" y=\"\(n(height - 20))\" width=\"14\" height=\"10\" fill=\"\(s.hatched ? "url(#\(id)-hatch\(min(s.emphasis, 3)))" : fills[min(s.emphasis, 3)])\" stroke=\"#999\" stroke-width=\"0.5\"/>"
                case .line: swatch = "<line x1=\"\(n(lx))\" y1=\"\(n(height - 15))\" x2=\"\(n(lx + 14))\" y2=\"\(n(height - 15))\" stroke=\"#1d2733\" stroke-width=\"2\"\(s.hatched ? " stroke-dasharray=\"4 2\"" : "")/>"
                case .points: swatch = "<circle cx=\"\(n(lx + 7))\" cy=\"\(n(height - 15))\" r=\"3.5\" fill=\"#000\"/>"
                }
                out += swatch + "<text x=\"\(n(lx + 18))\" y=\"\(n(height - 11))\" font-size=\"10\">\(escape(s.name))</text>\n"
                lx += 22 + Double(s.name.count) * 5.2
            }
        }
        return out + "</svg>"
    }

    /// Consecutive index runs.
    private static func runs(_ indices: [Int]) -> [[Int]] {
        var out: [[Int]] = []
        for i in indices {
            if let last = out.last?.last, last == i - 1 { out[out.count - 1].append(i) } else { out.append([i]) }
        }
        return out
    }

    /// Round ticks covering lo…hi: steps of 1, 2, 2.5 or 5 times a power of ten.
    private static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let raw = (hi - lo) / Double(max(1, count - 1))
        let power = pow(10, floor(log10(raw)))
        let step = ([1, 2, 2.5, 5, 10].first { $0 * power >= raw } ?? 10) * power
        let first = floor(lo / step) * step
        return (0...Int(((hi - first) / step).rounded(.up))).map { first + Double($0) * step }
    }

    private static func label(_ v: Double, _ kind: Quantity.Kind) -> String {
        switch kind {
        case .share: return n(v * 100, decimals: 0) + " %"
        case .month: return n(v, decimals: 0)
        default:
            let a = abs(v)
            if a >= 1e6 { return n(v / 1e6, decimals: a >= 1e7 ? 0 : 1) + " M" }
            if a >= 1e4 { return n(v / 1e3, decimals: 0) + " k" }
            return n(v, decimals: v == v.rounded() ? 0 : 1)
        }
    }

    private static func n(_ v: Double, decimals: Int = 1) -> String {
        var s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-0") && Double(s) == 0 { s.removeFirst() }
        if decimals > 0, s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
