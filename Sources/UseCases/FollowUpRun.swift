import CRMModel
import Foundation
import MonteCarlo
import ReportBuilders
import ReportDocument
import Renderers
import ScenarioFormat
import Tracking

/// `crmcase track`: holds a business case against its actuals and renders the follow-up files;
/// no file is written here.
public enum FollowUpRun {
    /// `<scenario folder>/<scenario name>.actuals.csv`.
    public static func defaultActualsPath(scenario: String, baseName: String) -> String {
        let folder = (scenario as NSString).deletingLastPathComponent
        let name = "\(baseName).actuals.csv"
        return folder.isEmpty ? name : "\(folder)/\(name)"
    }

    /// `Reports/<name>-follow-up` (with changes, `Reports/<name>-what-if-<changes>-follow-up`).
    public static func defaultFolder(_ loaded: LoadedScenario) -> String {
        ReportFolder.defaultPath(baseName: loaded.baseName, suffix: "-follow-up", changes: loaded.overrides.map(\.pathAndValue))
    }

    /// The actuals at `path`, read against the scenario; an unreadable file or one with no
    /// figures is a ``CaseFailure``.
    public static func actuals(at path: String, for loaded: LoadedScenario) throws(CaseFailure) -> Actuals {
        let parsed: Actuals
        do {
            parsed = try ActualsParser.load(path: path, scenario: loaded.scenario)
        } catch {
            throw .inputProblems(error, validate: nil)
        }
        guard !parsed.observations.isEmpty || !parsed.cohorts.isEmpty else {
            throw .unusableInput("\(path) holds no figures to compare.")
        }
        return parsed
    }

    /// Refuses a follow-up whose trials or re-forecast particles would not fit in memory.
    public static func checkMemory(_ loaded: LoadedScenario, actuals: Actuals, trials: Int, particles: Int) throws(CaseFailure) {
        // The run records 3 numbers per actual, every input and each tracked figure's monthly path
        // (for the charts) per trial; so does each particle.
        let recordWidth = FollowUp.recordWidth(actuals: actuals, inputs: loaded.scenario.inputs.count, horizon: loaded.scenario.horizon)
            + 3 * actuals.cohorts.count
        try MemoryCheck.require(MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: trials, recordWidth: recordWidth),
                                what: "its \(Limits.grouped(trials)) trials", option: "--trials")
        try MemoryCheck.require(MemoryBudget.particleBytes(scenario: loaded.scenario, particles: particles, recordWidth: recordWidth),
                                what: "its \(Limits.grouped(particles)) re-forecast particles", option: "--particles")
    }

    /// Runs the case with a recorder for the actuals and builds the follow-up.
    ///
    /// `progress` gets the trials done, as ``Engine/run(progress:)`` gives them; `reforecasting`
    /// is called once the trials are done, before the re-forecast, which has no count to show.
    public static func files(
        loaded: LoadedScenario, scenarioFile: String, actuals: Actuals, actualsFile: String,
        trials: Int, particles: Int, seed: UInt64, threads: Int?, sampler: CountSampler = .fast,
        progress: (@Sendable (Int) -> Void)? = nil, reforecasting: (() -> Void)? = nil
    ) -> (files: [(name: String, contents: String)], problems: [String]) {
        let model = TrialModel(scenario: loaded.scenario, countSampler: sampler)
        let recorder = FollowUp.recorder(for: actuals, model: model)
        let result = Engine(model: model, options: .init(trials: trials, seed: seed, threads: threads, bandTrials: 1, recorder: recorder))  // no monthly bands shown
            .run(progress: progress)
        reforecasting?()
        let followUp = FollowUp(actuals: actuals, result: result, particles: particles)
        let (fits, problems) = RetentionFit.fits(for: actuals, scenario: loaded.scenario)
        let info = Provenance.runInfo(scenarioFile: scenarioFile, loaded: loaded, sampler: sampler)
        let report = TrackReport(followUp: followUp, info: info, actualsFile: actualsFile, retentionFits: fits,
                                 retentionProblems: problems)
        return (files(of: report.document()), problems)
    }

    /// The follow-up's files: `track.md`, `track.csv`, `track.html` and one `NAME.svg` per
    /// figure (which `track.md` links), all rendered from the one document.
    public static func files(of document: ReportDocument) -> [(name: String, contents: String)] {
        ReportDocumentFiles.files(document, stem: "track")
    }
}
