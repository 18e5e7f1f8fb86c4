import Foundation
import ScenarioFormat

/// A lever or variant the page can switch on: a named set of changes, from the scenario's own
/// `variants:` section or from a variants file beside it whose `base:` is the scenario (such as
/// `car-dealership-levers.variants.yaml`, or the workshop's own saved variants).
public struct WorkshopVariant: Sendable, Equatable {
    /// The name shown, with its file when it comes from a variants file.
    public var label: String
    public var overrides: [Override]

    /// Every variant for the scenario `baseline` loaded from `scenarioFile`: its own first, then
    /// those of each variants file in its folder whose `base:` leads to that scenario (files in
    /// name order). Each file is read by the scenario loader itself, so `base:` is resolved as
    /// `crmcase compare` resolves it; a file that cannot be read is left out (`crmcase
    /// validate` on it says why).
    public static func all(for scenarioFile: String, baseline: LoadedScenario) -> [WorkshopVariant] {
        var result = baseline.variants.map { WorkshopVariant(label: $0.name, overrides: $0.overrides) }
        let scenario = URL(fileURLWithPath: scenarioFile).standardizedFileURL
        let folder = scenario.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".variants.yaml") || name.hasSuffix(".variants.yml") {
            let file = folder.appendingPathComponent(name).path
            guard file != scenario.path,
                  let loaded = try? ScenarioLoader.load(path: file),
                  loaded.variantsFile != nil, loaded.sha256 == baseline.sha256 else { continue }
            result += loaded.variants.map { WorkshopVariant(label: "\($0.name) (\(name))", overrides: $0.overrides) }
        }
        return result
    }
}
