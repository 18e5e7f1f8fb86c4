import CRMModel
import GSLSupport
import ReportBuilders
import ScenarioFormat

/// Where a report comes from: the tool and library versions, the scenario file and its
/// SHA-256, and every value changed for the run — the rows of each report's reproducibility
/// footer. Built in one place so that every use case states it the same way.
public enum Provenance {
    /// The version of crmcase written into every report.
    public static let toolVersion = "0.1.0"

    /// The footer record of a run of `loaded` (as named by the user in `scenarioFile`).
    ///
    /// - Parameters:
    ///   - overrides: the changes to show; by default those the scenario was loaded with.
    ///   - sampler: the count sampler the run drew with.
    public static func runInfo(scenarioFile: String, loaded: LoadedScenario, overrides: [Override]? = nil,
                               sampler: CountSampler) -> RunInfo {
        RunInfo(toolVersion: toolVersion, gslVersion: GSL.version, scenarioFile: scenarioFile,
                scenarioSHA256: loaded.sha256,
                changes: (overrides ?? loaded.overrides).map { "\($0.path) = \($0.value) (\($0.origin))" },
                countSampler: sampler)
    }
}
