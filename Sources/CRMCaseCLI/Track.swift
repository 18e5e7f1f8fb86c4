import ArgumentParser
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import Reports
import ScenarioFormat
import Tracking

extension CRMCase {
    struct Track: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a business case with what really happened, and re-forecast it.",
            discussion: """
            Reads realized monthly figures (an actuals CSV file) and writes track.md and track.csv: \
            every actual against the forecast for its month, where it falls among the simulated futures, \
            a verdict, the calibration of the original case, and a re-forecast that weights every \
            simulated future by how likely it makes the actuals. An actual inside the forecast's central \
            half (P25–P75) is as expected. Outside it, costs, margin and counts with a forecast median of \
            at least 20 are judged by their deviation from the median in the survey's categories \
            (0–10 %, 10–25 %, more than 25 % worse or better); small counts, a median of 0 and adoption \
            by where the actual falls: worse/better than expected inside the forecast's P5–P95, far \
            worse/better outside it. Survivors of each segment's starting customers (metric \
            cohort_survivors) are fitted with the shifted-beta-geometric retention model.

            By default (no --actuals) the actuals are read from SCENARIO's folder as <scenario file name>.actuals.csv \
            and the report goes to Reports/<scenario file name>-follow-up/ (with --set, \
            Reports/<name>-what-if-<changes>-follow-up/). The actuals format is in docs/ACTUALS-FORMAT.md.

            Examples:
              crmcase track Scenarios/car-dealership.yaml
              crmcase track Scenarios/subscription-churn.yaml --out /tmp/follow-up
            """
        )

        @Argument(help: "The scenario file (YAML) of the business case.")
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        @Option(name: .long, help: ArgumentHelp("The actuals file (CSV).", valueName: "file"))
        var actuals: String?

        @Option(name: .long, help: "Number of simulated futures for the forecast.")
        var trials: Int = 20_000

        @Option(name: .long, help: "Population of the resample-move re-forecast, used when the actuals are informative.")
        var particles: Int = 4_000

        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>-follow-up).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            try CommandLineLimits.trials(trials)
            try CommandLineLimits.particles(particles)
            try validateReportFolder(out, inputs: [scenario] + (actuals.map { [$0] } ?? []))
        }

        func run() throws {
            let loaded = try changes.load(scenario)
            let actualsPath = actuals ?? FollowUpRun.defaultActualsPath(scenario: scenario, baseName: loaded.baseName)
            let parsed: Actuals
            do {
                parsed = try ActualsParser.load(path: actualsPath, scenario: loaded.scenario)
            } catch {
                printFirstProblem(error)
                throw Exit.badScenario
            }
            guard !parsed.observations.isEmpty || !parsed.cohorts.isEmpty else {
                printError("error: \(actualsPath) holds no figures to compare.")
                throw Exit.badScenario
            }
            // The run records 3 numbers per figure and every input per trial; so does each particle.
            let recordWidth = 3 * (parsed.observations.count + parsed.cohorts.count) + loaded.scenario.inputs.count
            try checkMemory(MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: trials, recordWidth: recordWidth),
                            what: "its \(Limits.grouped(trials)) trials", option: "--trials")
            try checkMemory(MemoryBudget.particleBytes(scenario: loaded.scenario, particles: particles, recordWidth: recordWidth),
                            what: "its \(Limits.grouped(particles)) re-forecast particles", option: "--particles")
            let folder = out ?? ReportFolder.defaultPath(baseName: loaded.baseName, suffix: "-follow-up", changes: loaded.overrides.map(\.pathAndValue))
            try checkReportFolder(folder, inputs: [scenario, actualsPath])
            let files = FollowUpRun.files(loaded: loaded, scenarioFile: scenario, actuals: parsed, actualsFile: actualsPath,
                                          trials: trials, particles: particles, seed: simulation.seed,
                                          threads: simulation.threads, progress: progress.line(total: trials)?.update,
                                          reforecasting: { progress.status("re-forecasting with the actuals …") })
            progress.clear()
            try writeReport(files.files, to: folder, inputs: [scenario, actualsPath])
            print("Wrote \(folder)/track.md (\(files.files.map(\.name).joined(separator: ", "))).")
        }
    }
}

/// Runs a follow-up and renders its files; no file is written here.
public enum FollowUpRun {
    /// `<scenario folder>/<scenario name>.actuals.csv`.
    public static func defaultActualsPath(scenario: String, baseName: String) -> String {
        let folder = (scenario as NSString).deletingLastPathComponent
        let name = "\(baseName).actuals.csv"
        return folder.isEmpty ? name : "\(folder)/\(name)"
    }

    /// Runs the case with a recorder for the actuals and builds the follow-up.
    ///
    /// `progress` gets the trials done, as ``Engine/run(progress:)`` gives them; `reforecasting`
    /// is called once the trials are done, before the re-forecast, which has no count to show.
    public static func files(
        loaded: LoadedScenario, scenarioFile: String, actuals: Actuals, actualsFile: String,
        trials: Int, particles: Int, seed: UInt64, threads: Int?,
        progress: (@Sendable (Int) -> Void)? = nil, reforecasting: (() -> Void)? = nil
    ) -> (files: [(name: String, contents: String)], problems: [String]) {
        let model = TrialModel(scenario: loaded.scenario)
        let recorder = FollowUp.recorder(for: actuals, model: model)
        // bandTrials 1: the follow-up shows no monthly bands, so their percentiles are not computed.
        let result = Engine(model: model, options: .init(trials: trials, seed: seed, threads: threads, bandTrials: 1,
                                                         recorder: recorder))
            .run(progress: progress)
        reforecasting?()
        let followUp = FollowUp(actuals: actuals, result: result, particles: particles)
        let (fits, problems) = RetentionFit.fits(for: actuals, scenario: loaded.scenario)
        let info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version,
                           scenarioFile: scenarioFile, scenarioSHA256: loaded.sha256,
                           changes: loaded.overrides.map { "\($0.path) = \($0.value) (\($0.origin))" })
        let report = TrackReport(followUp: followUp, info: info, actualsFile: actualsFile, retentionFits: fits,
                                 retentionProblems: problems)
        return ([("track.md", report.markdown()), ("track.csv", report.csv())], problems)
    }
}
