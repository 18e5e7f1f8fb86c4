/// Builds SVG (XML) text element by element: one element a line, two spaces of indentation a
/// level, attributes in the order they were given, every attribute value and text escaped.
///
/// ```swift
/// var w = SVGWriter()
/// w.start("g", ["class": "bars"])
/// w.leaf("rect", ["x": 10.0, "y": 20.5, "width": 4, "height": 30, "fill": "#5f7a8e"])
/// w.end()
/// ```
public struct SVGWriter: Sendable {
    /// The text so far.
    public private(set) var text = ""
    private var stack: [String] = []

    public init() {}

    /// Opens `<name …>`; close it with `end()`.
    public mutating func start(_ name: String, _ attributes: SVGAttributes = [:]) {
        line("<\(name)\(attributes.rendered)>")
        stack.append(name)
    }

    /// Closes the innermost open element.
    public mutating func end() {
        guard let name = stack.popLast() else { return }
        line("</\(name)>")
    }

    /// A complete element: `<name …/>`, or `<name …>text</name>` when `text` is given.
    public mutating func leaf(_ name: String, _ attributes: SVGAttributes = [:], text content: String? = nil) {
        if let content {
            line("<\(name)\(attributes.rendered)>\(XML.escape(content))</\(name)>")
        } else {
            line("<\(name)\(attributes.rendered)/>")
        }
    }

    /// A `<text>` element with a `<title>` child (a tooltip with the full text, e.g. of a label
    /// cut short with an ellipsis).
    public mutating func label(_ content: String, _ attributes: SVGAttributes, tooltip: String) {
        line("<text\(attributes.rendered)><title>\(XML.escape(tooltip))</title>\(XML.escape(content))</text>")
    }

    /// The document with every open element closed.
    public mutating func finish() -> String {
        while !stack.isEmpty { end() }
        return text
    }

    private mutating func line(_ s: String) {
        text += String(repeating: "  ", count: stack.count)
        text += s
        text += "\n"
    }
}

/// Attributes in a fixed order: the order of the literal, then of `set` calls.
public struct SVGAttributes: ExpressibleByDictionaryLiteral, Sendable, Equatable {
    public private(set) var names: [String] = []
    public private(set) var values: [String] = []

    public init(dictionaryLiteral elements: (String, any SVGAttributeValue)...) {
        for (name, value) in elements { set(name, value) }
    }

    /// Adds the attribute, or replaces its value where it is already set (XML forbids two).
    public mutating func set(_ name: String, _ value: any SVGAttributeValue) {
        if let i = names.firstIndex(of: name) {
            values[i] = value.svgText
        } else {
            names.append(name)
            values.append(value.svgText)
        }
    }

    var rendered: String {
        var s = ""
        for (name, value) in zip(names, values) {
            s += " \(name)=\"\(XML.escape(value))\""
        }
        return s
    }
}

/// A value that can stand in an SVG attribute. Numbers are written with at most two decimals
/// (`NumberFormat.coordinate`), so output does not depend on floating-point noise.
public protocol SVGAttributeValue: Sendable {
    var svgText: String { get }
}

extension String: SVGAttributeValue {
    public var svgText: String { self }
}

extension Double: SVGAttributeValue {
    public var svgText: String { NumberFormat.coordinate(self) }
}

extension Int: SVGAttributeValue {
    public var svgText: String { String(self) }
}

/// XML text rules.
public enum XML {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, so it is safe both as
    /// element text and inside a double- or single-quoted attribute. Characters XML 1.0 forbids
    /// (controls other than tab, newline and carriage return) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
