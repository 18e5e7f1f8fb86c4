import ArgumentParser
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import ScenarioFormat
import UseCases

extension CRMCase {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare options of a decision on the same simulated futures.",
            discussion: """
            Give several scenario files, or one file with a `variants:` section (each variant changes \
            a few values of the base). Every option runs on common random numbers: the inputs they share \
            draw the same values in each future, so the paired differences (ΔNPV, the chance that an \
            option beats the first, the expected regret) show the options' own effect. Writes \
            compare.md, compare.csv, compare.html (one self-contained page to open in a browser or print \
            to PDF) and the charts delta-npv.svg (each option's NPV minus the first's, in the same futures) \
            and npv-by-option.svg, by default to Reports/<first scenario file name>-compare/.

            Several files are compared as given (crmcase compare A.yaml B.yaml: each file's \
            `variants:` are then left out); --set changes every option alike.

            Examples:
              crmcase compare Scenarios/car-dealership-levers.variants.yaml
              crmcase compare Scenarios/car-dealership-levers.variants.yaml --trials 50000
            """
        )

        @Argument(help: "Scenario files (YAML): several, or one with variants.", completion: .file(extensions: ["yaml", "yml"]))
        var scenarios: [String]

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions
        @OptionGroup var csv: CSVOptions

        @Option(name: .long, help: "Number of simulated futures per option.")
        var trials: Int = 20_000

        @OptionGroup var sharding: ShardOptions

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<first scenario file name>-compare).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            guard !scenarios.isEmpty else { throw ValidationError("Give at least one scenario file.") }
            try CommandLineLimits.trials(trials)
            if try sharding.place(trials: trials) == nil { try validateReportFolder(out, inputs: scenarios) }
        }

        func run() throws {
            let options = try ComparisonRun.options(scenarios: scenarios, overrides: changes.overrides)
            if let (k, n) = try sharding.place(trials: trials) { return try compareShard(k, of: n, options: options) }
            try ComparisonRun.checkMemory(options, trials: trials)
            let folder = out ?? ComparisonRun.defaultFolder(options, overrides: changes.overrides)
            try checkReportFolder(folder, inputs: scenarios)
            let files = ComparisonRun.files(
                options: options, scenarioFiles: scenarios, overrides: changes.overrides, trials: trials,
                seed: simulation.seed, threads: simulation.threads, sampler: simulation.sampler,
                progress: { k, option in
                    progress.line(total: trials, label: "option \(k + 1) of \(options.count) (\(option.name))")?.update
                })
            progress.clear()
            let written = try writeReport(files, to: folder, inputs: scenarios, csv: csv)
            print("Wrote \(folder)/compare.md (\(written.joined(separator: ", "))).")
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vary one value over a range and tabulate NPV, ROI and the chance of a loss.",
            discussion: """
            --vary path=from:to:step sets the value at path to from, from + step, … up to to, and runs the \
            scenario for each on the same simulated futures. Numbers are written as in scenarios (12%, 900k). \
            Writes sweep.md, sweep.csv, sweep.html (one self-contained page to open in a browser or print \
            to PDF) and the charts npv-by-value.svg (the NPV and its spread against the value) and \
            loss-chance-by-value.svg, by default to Reports/<scenario file name>-sweep/.

            A value of one segment is named by the segment, e.g. \
            --vary "segments[Small teams (3-10 users)].churn_reduction=0%:40%:10%".

            Examples:
              crmcase sweep Scenarios/car-dealership.yaml --vary licences.seats=20:60:10
              crmcase sweep Scenarios/subscription-churn.yaml --vary discount_rate=6%:12%:2%
            """
        )

        @Argument(help: "The scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @Option(name: .long, help: ArgumentHelp("The value to vary and its range.", valueName: "path=from:to:step"))
        var vary: String

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions
        @OptionGroup var csv: CSVOptions

        @Option(name: .long, help: "Number of simulated futures per value.")
        var trials: Int = 20_000

        @OptionGroup var sharding: ShardOptions

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>-sweep).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            try CommandLineLimits.trials(trials)
            if try sharding.place(trials: trials) == nil { try validateReportFolder(out, inputs: [scenario]) }
            _ = try sweepRange()
        }

        func run() throws {
            let range = try sweepRange()
            if let (k, n) = try sharding.place(trials: trials) { return try sweepShard(k, of: n, range: range) }
            var points: [(value: String, result: SimulationResult)] = []
            var first: LoadedScenario?
            var folder = out ?? ""
            for k in range.values.indices {
                progress.clear()    // a problem with this value is printed on a clean line
                let loaded = try SweepRun.load(scenario, overrides: changes.overrides, range: range, value: k)
                if first == nil {
                    first = loaded
                    folder = out ?? SweepRun.defaultFolder(loaded, overrides: changes.overrides)
                    try SweepRun.checkMemory(loaded, range: range, trials: trials)
                    try checkReportFolder(folder, inputs: [scenario])
                }
                let line = progress.line(total: trials, label: "\(range.path) = \(range.values[k]) (value \(k + 1) of \(range.values.count))")
                points.append((range.values[k], SweepRun.point(loaded, trials: trials, seed: simulation.seed,
                                                               threads: simulation.threads, sampler: simulation.sampler,
                                                               progress: line?.update)))
            }
            progress.clear()
            guard let first else { return }
            let files = SweepRun.files(scenarioFile: scenario, first: first, overrides: changes.overrides, range: range, points: points,
                                       sampler: simulation.sampler)
            let written = try writeReport(files, to: folder, inputs: [scenario], csv: csv)
            print("Wrote \(folder)/sweep.md (\(written.joined(separator: ", "))).")
        }

        /// `--vary` expanded; a range that cannot be is a command-line mistake.
        private func sweepRange() throws -> SweepRange {
            do {
                return try SweepRange(vary)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
