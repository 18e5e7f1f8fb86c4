import CRMModel
import ReportDocument

/// What the reproducibility footer says about how a report was made.
public struct RunInfo: Sendable {
    public var toolVersion: String
    public var gslVersion: String
    /// The scenario file as the user named it.
    public var scenarioFile: String
    public var scenarioSHA256: String
    /// Values changed for this run, as "path = value (origin)": shown in the report so that it
    /// never hides what was changed from the file.
    public var changes: [String]
    /// A `--precision` target, as the relative half-width of the 95 % interval of the mean NPV,
    /// and the trial cap it ran under.
    public var precision: (target: Double, cap: Int)?
    /// How the monthly customer counts were drawn: the same seed gives different (equally
    /// valid) trials under each sampler, so the footer names it.
    public var countSampler: CountSampler

    public init(toolVersion: String, gslVersion: String, scenarioFile: String, scenarioSHA256: String,
                changes: [String] = [], countSampler: CountSampler = .fast) {
        self.toolVersion = toolVersion
        self.gslVersion = gslVersion
        self.scenarioFile = scenarioFile
        self.scenarioSHA256 = scenarioSHA256
        self.changes = changes
        self.countSampler = countSampler
    }

    /// The paths of the changed values (the part before " = ").
    var changedPaths: Set<String> {
        Set(changes.compactMap { $0.components(separatedBy: " = ").first })
    }
}

extension RunInfo {
    /// The reproducibility section as blocks: the tool and GSL versions, the scenario file and
    /// its SHA-256, the values changed (`changedLabel` names what they apply to), then
    /// `extraRows` (label, value), e.g. the trials and the seed, and the count sampler.
    func reproducibilitySection(changedLabel: String, extraRows: [(String, Text)]) -> [Block] {
        var table = Table(columns: [Table.Column(""), Table.Column("")])
        table.append(["Tool", Text("crmcase \(toolVersion), GSL \(gslVersion)")])
        table.append(["Scenario file", "\(code: scenarioFile)"])
        table.append(["Scenario SHA-256", "\(code: scenarioSHA256)"])
        if !changes.isEmpty {
            var list = Text()
            for (k, change) in changes.enumerated() { list += k == 0 ? "\(code: change)" : ", \(code: change)" }
            table.append([Text(changedLabel), list])
        }
        for (label, value) in extraRows { table.append([Text(label), value]) }
        table.append(["Count sampler", Text("\(code: countSampler.rawValue) — \(countSampler.description)")])
        return [.heading(level: 2, text: "Reproducibility", anchor: "reproducibility"), .table(table)]
    }
}
