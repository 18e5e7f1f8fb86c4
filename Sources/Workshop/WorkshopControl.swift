import CRMModel
import MonteCarlo

/// One control of the workshop page: an input the client may want to change, or a switch for a
/// risk event.
///
/// The controls are chosen by the baseline's sensitivity ranking: the inputs whose low and high
/// values move the expected NPV most (the tornado of the report), so the room talks about what
/// matters; every risk event gets a switch.
public struct WorkshopControl: Sendable, Equatable, Encodable {
    /// What the control changes.
    public enum Kind: String, Sendable, Encodable {
        /// An input: the user writes a value or a range as in the scenario file.
        case input
        /// A risk event: off, as in the scenario, or certain.
        case risk
    }

    public var kind: Kind
    /// The setting path a change is written to (`adoption.ceiling`,
    /// `risks[Data migration slips].probability`), as `--set` and variants files name it.
    public var path: String
    /// The label shown: the input's path, or the risk's name.
    public var label: String
    /// The value as the scenario file writes it (`pert(50%, 65%, 80%)`), shown until changed.
    public var baseline: String
    /// What the number measures, in words ("share", "amount per month").
    public var unit: String
    /// How much the input moves the expected NPV from its 10th to its 90th percentile (in the
    /// scenario's currency), for the page's ranking; 0 for risk switches.
    public var swing: Double

    /// The controls for a baseline: the `inputs` most influential inputs (risk probabilities
    /// and factors excluded: the switches cover the events), then one switch per risk event.
    public static func controls(for scenario: Scenario, sensitivity: Sensitivity?, inputs count: Int = 6) -> [WorkshopControl] {
        let byName = Dictionary(scenario.inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var controls: [WorkshopControl] = []
        let ranked = (sensitivity?.effects ?? []).filter { !$0.isRisk && !$0.name.hasPrefix("risks[") }
            .sorted { abs($0.swing) > abs($1.swing) }
        for effect in ranked {
            guard controls.count < count, let input = byName[effect.name] else { continue }
            controls.append(WorkshopControl(kind: .input, path: input.name, label: input.name, baseline: input.source,
                                            unit: input.unit.words, swing: abs(effect.swing)))
        }
        for risk in scenario.risks {
            controls.append(WorkshopControl(kind: .risk, path: risk.probability.name, label: risk.name,
                                            baseline: risk.probability.source, unit: risk.probability.unit.words, swing: 0))
        }
        return controls
    }
}
