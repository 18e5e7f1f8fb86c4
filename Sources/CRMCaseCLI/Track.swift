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
            a verdict in the survey's categories (0–10 % worse, …), the calibration of the original case, \
            and a re-forecast that weights every simulated future by how likely it makes the actuals. \
            Survivors of each segment's starting customers (metric cohort_survivors) are fitted with the \
            shifted-beta-geometric retention model.

            By default the actuals are read from SCENARIO's folder as <scenario name>.actuals.csv and the \
            report goes to Reports/<scenario name>-follow-up/. The actuals format is in docs/ACTUALS-FORMAT.md.

            Examples:
              crmcase track Scenarios/car-dealership.yaml
              crmcase track Scenarios/car-dealership.yaml --actuals q1-2028.csv --out /tmp/follow-up
            """
        )

        @Argument(help: "The scenario file (YAML) of the business case.")
        var scenario: String

        @Option(name: .long, help: ArgumentHelp("The actuals file (CSV).", valueName: "file"))
        var actuals: String?

        @Option(name: .long, help: "Number of simulated futures to start with.")
        var trials: Int = 20_000

        @Option(name: .customLong("max-trials"), help: "Most trials to use when the actuals leave too few matching futures.")
        var maxTrials: Int = 320_000

        @Option(name: .long, help: "Random seed; the same seed gives the same report.")
        var seed: UInt64 = 1

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario name>-follow-up).", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: "Worker threads (default: one per core). Does not change any result.")
        var threads: Int?

        func validate() throws {
            guard trials >= 1 else { throw ValidationError("--trials must be at least 1.") }
            guard maxTrials >= trials else { throw ValidationError("--max-trials must be at least --trials.") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            let loaded: LoadedScenario
            do {
                loaded = try ScenarioLoader.load(path: scenario)
            } catch {
                reportFirst(error, command: "validate \(scenario)")
                throw Exit.badScenario
            }
            let actualsPath = actuals ?? FollowUpRun.defaultActualsPath(scenario: scenario, baseName: loaded.baseName)
            let parsed: Actuals
            do {
                parsed = try ActualsParser.load(path: actualsPath, scenario: loaded.scenario)
            } catch {
                reportFirst(error, command: nil)
                throw Exit.badScenario
            }
            guard !parsed.observations.isEmpty || !parsed.cohorts.isEmpty else {
                printError("error: \(actualsPath) holds no figures to compare.")
                throw Exit.badScenario
            }
            let files = FollowUpRun.files(loaded: loaded, scenarioFile: scenario, actuals: parsed, actualsFile: actualsPath,
                                          trials: trials, maxTrials: maxTrials, seed: seed, threads: threads)
            for problem in files.problems { printError("note: \(problem)") }
            let folder = out ?? "Reports/\(loaded.baseName)-follow-up"
            do {
                try ReportFolder.write(files.files, to: folder)
            } catch {
                printError("error: \(error.description)")
                throw Exit.cannotWrite
            }
            print("Wrote \(folder)/track.md (\(files.files.map(\.name).joined(separator: ", "))).")
        }

        private func reportFirst(_ error: ScenarioErrors, command: String?) {
            printError("error: \(error.issues[0])")
            if error.issues.count > 1 {
                var more = "(and \(error.issues.count - 1) more problem\(error.issues.count == 2 ? "" : "s")"
                if let command { more += "; `crmcase \(command)` lists them all" }
                printError(more + ")")
            }
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

    /// Runs the case with a recorder for the actuals, with 4× more trials while the effective
    /// sample size is below the minimum and `maxTrials` allows.
    public static func files(
        loaded: LoadedScenario, scenarioFile: String, actuals: Actuals, actualsFile: String,
        trials: Int, maxTrials: Int, seed: UInt64, threads: Int?
    ) -> (files: [(name: String, contents: String)], problems: [String]) {
        let model = TrialModel(scenario: loaded.scenario)
        let recorder = FollowUp.recorder(for: actuals, model: model)
        var count = trials
        var earlier: [Int] = []
        var followUp: FollowUp
        while true {
            let result = Engine(model: model, options: .init(trials: count, seed: seed, threads: threads, recorder: recorder)).run()
            followUp = FollowUp(actuals: actuals, result: result)
            if followUp.reforecast.isReliable || actuals.observations.isEmpty || count * 4 > maxTrials { break }
            earlier.append(count)
            count *= 4
        }
        let (fits, problems) = RetentionFit.fits(for: actuals, scenario: loaded.scenario)
        let info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version,
                           scenarioFile: scenarioFile, scenarioSHA256: loaded.sha256)
        let report = TrackReport(followUp: followUp, info: info, actualsFile: actualsFile,
                                 retentionFits: fits, earlierTrials: earlier)
        return ([("track.md", report.markdown()), ("track.csv", report.csv())], problems)
    }
}
