import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

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

        @Argument(help: "The scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        @Option(name: .long, help: "Number of simulated futures (trials).")
        var trials: Int = 20_000

        @OptionGroup var simulation: SimulationOptions
        @OptionGroup var csv: CSVOptions

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

        @OptionGroup var sharding: ShardOptions

        func validate() throws {
            try CommandLineLimits.trials(trials)
            if try sharding.place(trials: trials) != nil {
                if precision != nil { throw ValidationError("--precision cannot be used with --shard: the shards of a run need its number of trials in advance.") }
            } else {
                try validateReportFolder(out, inputs: [scenario])
            }
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
            if let (k, n) = try sharding.place(trials: trials) { return try runShard(k, of: n) }
            let loaded = try changes.load(scenario)
            let most = precision == nil ? trials : maxTrials
            let table = BusinessCaseRun.memoryEstimate(loaded, trials: most)
            let withSensitivity = BusinessCaseRun.memoryEstimate(loaded, trials: most, sensitivity: !noSensitivity)
            let trialsOption = precision == nil ? "--trials, or cut the run into shards (--shard K/N) and merge them" : "--max-trials"
            // The sensitivity analysis may be what does not fit: then leaving it out is the fix.
            let fitsWithout = MemoryBudget.fits(table)
            try MemoryCheck.require(withSensitivity, what: "its \(Limits.grouped(most)) trials" + (noSensitivity ? "" : " and their sensitivity analysis"),
                                    // Shards would not help there: the merge needs the analysis's memory too.
                                    fix: fitsWithout && !noSensitivity ? "leave out the sensitivity analysis (--no-sensitivity), or use a smaller \(precision == nil ? "--trials" : "--max-trials")"
                                        : "use a smaller \(trialsOption)")
            let folder = out ?? BusinessCaseRun.defaultFolder(loaded)
            try checkReportFolder(folder, inputs: [scenario])
            let options = Engine.Options(trials: trials, seed: simulation.seed, threads: simulation.threads,
                                         sampling: sampling)
            let target = precision.flatMap(NumberText.parse).map { (target: $0, cap: maxTrials) }
            let files = BusinessCaseRun.files(
                for: loaded, scenarioFile: scenario, options: options, trialsCSV: trialsCSV, precision: target,
                sensitivity: !noSensitivity, sampler: simulation.sampler,
                progress: progress.line(total: trials)?.update)
            progress.clear()
            let written = try writeReport(files, to: folder, inputs: [scenario], csv: csv)
            print("Wrote \(folder)/report.md (\(written.joined(separator: ", "))).")
        }
    }
}
