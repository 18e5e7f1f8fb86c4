import ArgumentParser
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import Reports
import ScenarioFormat

extension CRMCase {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario and write its business-case report.",
            discussion: """
            Writes report.md (for people), summary.csv, monthly.csv, lines.csv and sensitivity.csv \
            (for spreadsheets; sensitivity.csv not with --no-sensitivity) and, with --trials-csv, \
            trials.csv to the report folder, all at once: if anything fails, no half-written report is left. \
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

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>; with --set, Reports/<name>-what-if-<changes>).", valueName: "dir"))
        var out: String?

        @Flag(name: .customLong("trials-csv"), help: "Also write trials.csv, one row per trial with its drawn inputs.")
        var trialsCSV = false

        @OptionGroup var progress: ProgressOptions

        @Flag(name: .customLong("no-sensitivity"), help: "Leave out the sensitivity analysis (swings, value of information, Sobol shares), which needs extra runs.")
        var noSensitivity = false

        @Option(name: .long, help: "Sampling plan: mc (plain Monte Carlo) or lhs (Latin hypercube).")
        var sampling: Sampling = .monteCarlo

        @Option(name: .long, help: ArgumentHelp(
            "Run until the 95 % interval of the mean NPV is within this share of it, e.g. 0.02 or 2%.", valueName: "share"))
        var precision: String?

        @Option(name: .customLong("max-trials"), help: "Most trials to use with --precision.")
        var maxTrials: Int = 1_000_000

        func validate() throws {
            try CommandLineLimits.trials(trials)
            try validateReportFolder(out, inputs: [scenario])
            if let precision {
                guard let p = NumberText.parse(precision), p > 0, p < 1 else {
                    throw ValidationError("--precision \(precision): give a share between 0 and 1, e.g. 0.02 or 2%.")
                }
                _ = p
                guard maxTrials >= trials else { throw ValidationError("--max-trials must be at least --trials.") }
                try CommandLineLimits.trials(maxTrials, option: "--max-trials")
            }
        }

        func run() throws {
            let loaded = try changes.load(scenario)
            let most = precision == nil ? trials : maxTrials
            try checkMemory(MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: most),
                            what: "its \(Limits.grouped(most)) trials", option: precision == nil ? "--trials" : "--max-trials")
            let folder = out ?? ReportFolder.defaultPath(baseName: loaded.baseName, changes: loaded.overrides.map(\.pathAndValue))
            try checkReportFolder(folder, inputs: [scenario])
            let options = Engine.Options(trials: trials, seed: simulation.seed, threads: simulation.threads,
                                         sampling: sampling)
            let target = precision.flatMap(NumberText.parse).map { (target: $0, cap: maxTrials) }
            let files = BusinessCaseRun.files(
                for: loaded, scenarioFile: scenario, options: options, trialsCSV: trialsCSV, precision: target,
                sensitivity: !noSensitivity,
                progress: progress.line(total: trials)?.update)
            progress.clear()
            try writeReport(files, to: folder, inputs: [scenario])
            print("Wrote \(folder)/report.md (\(files.map(\.name).joined(separator: ", "))).")
        }
    }
}

/// Runs a loaded scenario and renders every report file; no file is written here.
public enum BusinessCaseRun {
    ///
    /// With `precision`, trials are added (in runs of growing size, each a prefix-stable
    /// extension of the last) until the 95 % interval of the mean NPV is within `target` of it
    /// or `cap` trials are reached.
    public static func files(
        for loaded: LoadedScenario, scenarioFile: String, options: Engine.Options, trialsCSV: Bool = false,
        precision: (target: Double, cap: Int)? = nil, sensitivity withSensitivity: Bool = true,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> [(name: String, contents: String)] {
        let model = TrialModel(scenario: loaded.scenario)
        var options = options
        var result = Engine(model: model, options: options).run(progress: progress)
        if let precision {
            while options.trials < precision.cap {
                let halfWidth = 1.96 * result.npv.standardError
                let relative = halfWidth / max(abs(result.npv.mean), 1e-300)
                guard relative > precision.target else { break }
                // The interval shrinks as 1/√n: aim for the trials that would meet the target.
                let needed = Double(options.trials) * (relative / precision.target) * (relative / precision.target) * 1.1
                options.trials = min(precision.cap, max(options.trials * 2, Int(min(needed, 1e9))))
                result = Engine(model: model, options: options).run(progress: progress)
            }
        }
        var info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version,
                           scenarioFile: scenarioFile, scenarioSHA256: loaded.sha256,
                           changes: loaded.overrides.map { "\($0.path) = \($0.value) (\($0.origin))" })
        info.precision = precision
        let tables = CSVTables(result: result)
        let sensitivity = withSensitivity ? Sensitivity(result: result) : nil
        let shares = sensitivity.flatMap {
            VarianceShares.analyse(result: result, importance: $0.effects.map(\.name), threads: options.threads)
        }
        var files: [(name: String, contents: String)] = [
            ("report.md", BusinessCaseReport(result: result, info: info, sensitivity: sensitivity,
                                             varianceShares: shares).markdown()),
            ("summary.csv", tables.summary()),
            ("monthly.csv", tables.monthly()),
            ("lines.csv", tables.lines()),
        ]
        if let sensitivity { files.append(("sensitivity.csv", CSVTables.sensitivity(sensitivity, shares: shares))) }
        if trialsCSV { files.append(("trials.csv", tables.trials())) }
        return files
    }
}
