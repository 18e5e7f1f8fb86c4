import ArgumentParser
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import Reports
import ScenarioFormat
import Synchronization

extension CRMCase {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario and write its business-case report.",
            discussion: """
            Writes report.md (for people), summary.csv, monthly.csv and lines.csv (for spreadsheets) \
            to the report folder, all at once: if anything fails, no half-written report is left. \
            The same scenario, seed and number of trials give byte-identical files, whatever --threads.

            Examples:
              crmcase run Scenarios/car-dealership.yaml
              crmcase run Scenarios/car-dealership.yaml --trials 200000 --seed 42
              crmcase run Scenarios/subscription-churn.yaml --out /tmp/subs --trials-csv
            """
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        @Option(name: .long, help: "Number of simulated futures (trials).")
        var trials: Int = 20_000

        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>).", valueName: "dir"))
        var out: String?

        @Flag(name: .customLong("trials-csv"), help: "Also write trials.csv, one row per trial with its drawn inputs.")
        var trialsCSV = false

        @Flag(name: .long, help: "No progress indicator.")
        var quiet = false

        func validate() throws {
            guard trials >= 1 else { throw ValidationError("--trials must be at least 1.") }
            guard trials <= 50_000_000 else { throw ValidationError("--trials is capped at 50,000,000.") }
        }

        func run() throws {
            let loaded: LoadedScenario
            do {
                loaded = try ScenarioLoader.load(path: scenario, overrides: changes.overrides)
            } catch {
                printFirstProblem(error, validate: scenario)
                throw Exit.badScenario
            }
            let folder = out ?? "Reports/\(loaded.baseName)"
            let options = Engine.Options(trials: trials, seed: simulation.seed, threads: simulation.threads)
            let showProgress = !quiet && isatty(STDERR_FILENO) == 1
            let files = BusinessCaseRun.files(
                for: loaded, scenarioFile: scenario, options: options, trialsCSV: trialsCSV,
                progress: showProgress ? ProgressLine(total: trials).update : nil)
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            do {
                try ReportFolder.write(files, to: folder)
            } catch {
                printError("error: \(error.description)")
                throw Exit.cannotWrite
            }
            print("Wrote \(folder)/report.md (\(files.map(\.name).joined(separator: ", "))).")
        }
    }
}

/// Runs a loaded scenario and renders every report file; no file is written here.
public enum BusinessCaseRun {
    public static func files(
        for loaded: LoadedScenario, scenarioFile: String, options: Engine.Options, trialsCSV: Bool = false,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> [(name: String, contents: String)] {
        let model = TrialModel(scenario: loaded.scenario)
        let result = Engine(model: model, options: options).run(progress: progress)
        let info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version,
                           scenarioFile: scenarioFile, scenarioSHA256: loaded.sha256,
                           changes: loaded.overrides.map { "\($0.path) = \($0.value) (\($0.origin))" })
        let tables = CSVTables(result: result)
        let sensitivity = Sensitivity(result: result)
        var files: [(name: String, contents: String)] = [
            ("report.md", BusinessCaseReport(result: result, info: info, sensitivity: sensitivity).markdown()),
            ("sensitivity.csv", CSVTables.sensitivity(sensitivity)),
            ("summary.csv", tables.summary()),
            ("monthly.csv", tables.monthly()),
            ("lines.csv", tables.lines()),
        ]
        if trialsCSV { files.append(("trials.csv", tables.trials())) }
        return files
    }
}

/// A one-line progress indicator on standard error, redrawn at most five times a second.
final class ProgressLine: Sendable {
    private let total: Int
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(total: Int) {
        self.total = total
    }

    @Sendable func update(_ done: Int) {
        let now = ContinuousClock.now
        let due = last.withLock { previous -> Bool in
            if let previous, now - previous < .milliseconds(200), done < total { return false }
            previous = now
            return true
        }
        guard due else { return }
        let share = Double(done) / Double(max(total, 1))
        let text = String(format: "\r\u{1B}[Krunning trials: %3.0f%% (%d of %d)", share * 100, done, total)
        FileHandle.standardError.write(Data(text.utf8))
    }
}
