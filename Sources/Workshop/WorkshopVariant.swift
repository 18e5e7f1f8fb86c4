import Foundation
import ScenarioFormat

/// A lever or variant the page can switch on: a named set of changes, from the scenario's own
/// `variants:` section or from a variants file beside it whose `base:` is the scenario (such as
/// `car-dealership-levers.variants.yaml`, or the workshop's own saved variants).
public struct WorkshopVariant: Sendable, Equatable {
    /// The name shown, with its file when it comes from a variants file.
    public var label: String
    public var overrides: [Override]

    /// Every variant for `scenarioFile`: its own first, then those of each variants file in its
    /// folder that names it as `base:` (files in name order). A variants file that cannot be
    /// read is left out; `crmcase validate` on it says why.
    public static func all(for scenarioFile: String, own: [Variant]) -> [WorkshopVariant] {
        var result = own.map { WorkshopVariant(label: $0.name, overrides: $0.overrides) }
        let scenario = URL(fileURLWithPath: scenarioFile).standardizedFileURL
        let folder = scenario.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".variants.yaml") || name.hasSuffix(".variants.yml") {
            let file = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                  let base = baseLine(text),
                  URL(fileURLWithPath: base, relativeTo: folder).standardizedFileURL.path == scenario.path,
                  let variants = try? ScenarioLoader.variants(yaml: text, file: file.path) else { continue }
            result += variants.map { WorkshopVariant(label: "\($0.name) (\(name))", overrides: $0.overrides) }
        }
        return result
    }

    /// The value of a top-level `base:` line, unquoted; nil without one.
    static func baseLine(_ text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("base:") {
            var value = line.dropFirst("base:".count).trimmingCharacters(in: .whitespaces)
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
