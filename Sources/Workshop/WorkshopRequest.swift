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

    public init(tab: String, sequence: Int, trials: Int, values: [String: String] = [:], risks: [String: String] = [:],
                name: String? = nil) {
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
    func overrides(_ controls: [WorkshopControl]) -> [Override] {
        var changes: [Override] = []
        for control in controls {
            switch control.kind {
            case .input:
                guard let text = values[control.path]?.trimmingCharacters(in: .whitespacesAndNewlines),
                      !text.isEmpty, text != control.baseline else { continue }
                changes.append(Override(path: control.path, value: text, origin: "workshop"))
            case .risk:
                switch risks[control.path] {
                case "off": changes.append(Override(path: control.path, value: "0%", origin: "workshop"))
                case "certain": changes.append(Override(path: control.path, value: "100%", origin: "workshop"))
                default: break
                }
            }
        }
        return changes
    }
}
