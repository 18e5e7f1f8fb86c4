import Foundation
import ScenarioFormat

/// What the page sends for one what-if: the values typed into the controls and the risk
/// switches, the trial count, and which tab asked (its own counter orders its requests).
public struct WorkshopRequest: Sendable, Decodable, Equatable {
    /// The tab's id, made by the page when it loads.
    public var tab: String
    /// The tab's request number, growing: an answer to an older request than the tab's latest
    /// is stale and is not computed.
    public var sequence: Int
    /// Trials of the run, 1 000…1 000 000.
    public var trials: Int
    /// Per input path, the text in its field (a value or a range as the scenario file writes
    /// them); a field left as the scenario has it or empty changes nothing.
    public var values: [String: String]
    /// Per risk probability path, "off", "scenario" or "certain".
    public var risks: [String: String]
    /// For "Save as variant": the variant's name.
    public var name: String?
    /// The position of a lever or variant (``WorkshopSession/variants``) whose changes come
    /// first, or nil for the scenario as written.
    public var variant: Int?

    public init(tab: String, sequence: Int, trials: Int, values: [String: String] = [:], risks: [String: String] = [:],
                name: String? = nil, variant: Int? = nil) {
        self.variant = variant
        self.tab = tab
        self.sequence = sequence
        self.trials = trials
        self.values = values
        self.risks = risks
        self.name = name
    }

    /// The smallest and largest trial counts the page accepts.
    public static let trialRange = 1_000...1_000_000

    /// The changes this request makes to the scenario, as overrides in the order of `controls`
    /// (so that the same settings always give the same report folder and variant).
    ///
    /// A chosen variant's changes come first; a control's change of the same value replaces it
    /// (one change per path, so that a saved variant is valid YAML).
    func overrides(_ controls: [WorkshopControl], variants: [WorkshopVariant] = []) -> [Override] {
        var changes: [Override] = []
        var shown: [String: String] = [:]   // what a field holds before the user types: the lever's value, if it sets one
        if let variant, variants.indices.contains(variant) {
            changes = variants[variant].overrides.map { Override(path: $0.path, value: $0.value, origin: "workshop") }
            for change in changes { shown[change.path] = change.value }
        }
        for control in controls {
            switch control.kind {
            case .input:
                // A field as the page filled it changes nothing; typed back to the scenario's
                // value under a lever, it puts the scenario's value back.
                guard let text = values[control.path]?.trimmingCharacters(in: .whitespacesAndNewlines),
                      !text.isEmpty, text != (shown[control.path] ?? control.baseline) else { continue }
                changes.append(Override(path: control.path, value: text, origin: "workshop"))
            case .risk:
                switch risks[control.path] {
                case "off": changes.append(Override(path: control.path, value: "0%", origin: "workshop"))
                case "certain": changes.append(Override(path: control.path, value: "100%", origin: "workshop"))
                default: break
                }
            }
        }
        // The last change of a path wins, at the place of the first.
        var last: [String: String] = [:]
        for change in changes { last[change.path] = change.value }
        var seen: Set<String> = []
        return changes.compactMap { change in
            guard seen.insert(change.path).inserted else { return nil }
            return Override(path: change.path, value: last[change.path]!, origin: "workshop")
        }
    }
}
