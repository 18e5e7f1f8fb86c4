import Foundation

/// A JSON value whose objects keep their keys in the order written, printed with two-space
/// indents: what `crmcase schema` writes, so that the schema reads in the order of the file
/// format and its bytes never change between runs.
indirect enum JSONText: Sendable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The value as JSON text, ending without a newline.
    func printed(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            let lines = members.map { "\(inner)\(Self.quoted($0.0)): \($0.1.printed(indent: inner))" }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            // Short arrays of scalars (a type list, a choice of words) stay on one line.
            let scalars = items.allSatisfy { if case .object = $0 { false } else if case .array = $0 { false } else { true } }
            let flat = items.map { $0.printed(indent: inner) }
            if scalars, flat.joined(separator: ", ").count <= 80 { return "[" + flat.joined(separator: ", ") + "]" }
            return "[\n" + flat.map { inner + $0 }.joined(separator: ",\n") + "\n\(indent)]"
        case .string(let s): return Self.quoted(s)
        case .number(let x):
            // Whole numbers without ".0"; others in the shortest form that reads back exactly.
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
            return "\(x)"
        case .bool(let b): return b ? "true" : "false"
        }
    }

    /// `s` as a JSON string: quotes, backslashes and control characters escaped; everything
    /// else (é, ø, –, ≥) as UTF-8.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
