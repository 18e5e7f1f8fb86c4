import CRMModel
import Yams

/// Walks a YAML node tree and collects every problem with its position, instead of stopping
/// at the first one, so `crmcase validate` can explain them all at once.
final class YAMLReader {
    let file: String
    /// The overrides applied to the tree, so a problem in an overridden value names the override.
    let overrides: [Override]
    private(set) var issues: [ScenarioIssue] = []

    init(file: String, overrides: [Override] = []) {
        self.file = file
        self.overrides = overrides
    }

    func report(_ node: Node?, _ message: String, hint: String? = nil) {
        if let (k, isPath) = OverrideApplier.overrideIndex(of: node), overrides.indices.contains(k) {
            issues.append(overrides[k].issue(message, hint: hint, aboutValue: !isPath))
            return
        }
        let mark = node?.mark
        issues.append(ScenarioIssue(file: file, line: mark?.line, column: mark?.column, message: message, hint: hint))
    }

    /// The keys of a mapping, checked against the keys the section allows.
    func mapping(_ node: Node, section: String, allowed: [String]) -> MappingReader? {
        guard case .mapping(let mapping) = node else {
            report(node, "“\(section)” should be a set of `key: value` lines, but it is \(describe(node)).")
            return nil
        }
        var seen: [String: Node] = [:]
        var entries: [(String, Node, Node)] = []
        var suggested: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(keyNode, "A key in “\(section)” is not a plain word.")
                continue
            }
            let key = scalar.string
            if seen[key] != nil {
                report(keyNode, "“\(key)” appears twice in “\(section)”.", hint: "Keep one of them.")
                continue
            }
            seen[key] = value
            if !allowed.contains(key) {
                let guess = Suggestions.nearest(to: key, in: allowed)
                if let guess { suggested.insert(guess) }
                report(keyNode, "“\(key)” is not a setting of “\(section)”.",
                       hint: guess.map { "Did you mean `\($0)`?" } ?? "Allowed here: \(allowed.joined(separator: ", ")).")
                continue
            }
            entries.append((key, keyNode, value))
        }
        return MappingReader(reader: self, node: node, section: section, entries: entries, suggested: suggested)
    }

    /// The items of a list.
    func sequence(_ node: Node, section: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, "“\(section)” should be a list (lines starting with `- `), but it is \(describe(node)).")
            return nil
        }
        return Array(sequence)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "the value “\(s.string)”"
        case .mapping: return "a set of `key: value` lines"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// The entries of one YAML mapping, read by key.
struct MappingReader {
    let reader: YAMLReader
    let node: Node
    let section: String
    let entries: [(String, Node, Node)]
    /// Keys already offered as "did you mean" for a misspelt key: not reported again as missing.
    let suggested: Set<String>

    func value(_ key: String) -> Node? {
        entries.first { $0.0 == key }?.2
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    /// Reports a missing required key at the mapping's position.
    func missing(_ key: String, hint: String? = nil) {
        guard !suggested.contains(key) else { return }
        reader.report(node, "“\(section)” needs the setting “\(key)”.", hint: hint)
    }

    /// A text value.
    func text(_ key: String, required: Bool = true) -> String? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let scalar) = node, !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
            reader.report(node, "“\(key)” in “\(section)” should be a short text, but it is \(reader.describe(node)).")
            return nil
        }
        return scalar.string.trimmingCharacters(in: .whitespaces)
    }

    /// A yes/no value.
    func flag(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        if case .scalar(let scalar) = node {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        reader.report(node, "“\(key)” in “\(section)” should be true or false, but it is \(reader.describe(node)).")
        return nil
    }

    /// A whole number in `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, meaning: String) -> Int? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node, let number = ValueSyntax.number(scalar.string),
              number.value == number.value.rounded(), !number.isPercent else {
            reader.report(node, "“\(key)” in “\(section)” should be a whole number (\(meaning)), but it is \(reader.describe(node)).")
            return nil
        }
        guard let whole = Int(exactly: number.value), range.contains(whole) else {
            reader.report(node, "“\(key)” in “\(section)” is \(formatted(number.value)); it must be between \(range.lowerBound) and \(range.upperBound) (\(meaning)).")
            return nil
        }
        return whole
    }
}

func formatted(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
