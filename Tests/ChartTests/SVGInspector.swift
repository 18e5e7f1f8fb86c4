import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Charts

/// An SVG parsed with `XMLParser`: whether it is well-formed XML, and its elements in document
/// order with attributes and their own text (not that of child elements).
struct SVGInspector {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// Text of a `<title>` child (the tooltip of a shortened label).
        var tooltip: String?

        func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    }

    let wellFormed: Bool
    let error: String?
    let elements: [Element]

    init(_ svg: String) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        wellFormed = parser.parse()
        error = parser.parserError.map { "\($0)" }
        elements = delegate.done
    }

    /// Elements named `name` (and of class `cls`).
    func all(_ name: String, class cls: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (cls == nil || $0.attributes["class"] == cls) }
    }

    /// Texts of `<text>` elements of class `cls`.
    func texts(_ cls: String) -> [String] { all("text", class: cls).map(\.text) }

    private final class Collector: NSObject, XMLParserDelegate {
        var open: [Element] = []
        var done: [Element] = []
        /// Index in `done` reserved for each open element, so the order is document order.
        var slots: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            open.append(Element(name: name, attributes: attributes, text: ""))
            slots.append(done.count)
            done.append(Element(name: name, attributes: attributes, text: ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !open.isEmpty else { return }
            open[open.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = open.popLast(), let slot = slots.popLast() else { return }
            done[slot].text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if element.name == "title", let parent = slots.last, done[parent].name == "text" {
                done[parent].tooltip = done[slot].text
            }
        }
    }
}
