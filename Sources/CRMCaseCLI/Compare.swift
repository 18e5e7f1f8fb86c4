import ArgumentParser
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import Reports
import ScenarioFormat

extension CRMCase {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare options of a decision on the same simulated futures.",
            discussion: """
            Give several scenario files, or one file with a `variants:` section (each variant changes \
            a few values of the base). Every option runs on common random numbers: the inputs they share \
            draw the same values in each future, so the paired differences (ΔNPV, the chance that an \
            option beats the first, the expected regret) show the options' own effect. Writes \
            compare.md and compare.csv, by default to Reports/<first scenario file name>-compare/.

            Several files are compared as given (crmcase compare A.yaml B.yaml: each file's \
            `variants:` are then left out); --set changes every option alike.

            Examples:
              crmcase compare Scenarios/car-dealership-levers.variants.yaml
              crmcase compare Scenarios/car-dealership-levers.variants.yaml --trials 50000
            """
        )

        @Argument(help: "Scenario files (YAML): several, or one with variants.")
        var scenarios: [String]

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: "Number of simulated futures per option.")
        var trials: Int = 20_000

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<first scenario file name>-compare).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            guard !scenarios.isEmpty else { throw ValidationError("Give at least one scenario file.") }
            try CommandLineLimits.trials(trials)
            try validateReportFolder(out, inputs: scenarios)
        }

        func run() throws {
            var options: [(name: String, loaded: LoadedScenario, changes: [String])] = []
            for path in scenarios {
                let loaded = try changes.load(path)
                options.append((loaded.scenario.name, loaded, []))
                if scenarios.count == 1 {
                    for variant in loaded.variants {
                        // Problems of a variant's values name the variant (their origin).
                        let variantLoaded = try changes.load(path, extra: variant.overrides)
                        options.append((variant.name, variantLoaded, variant.overrides.map(\.description)))
                    }
                }
            }
            if scenarios.count == 1 && options.count == 1 {
                printError("error: \(scenarios[0]) has no variants; add a `variants:` section or give a second scenario file to compare with.")
                throw Exit.badScenario
            }
            if scenarios.count == 1 { options[0].name = "Base case" }
            // Options with the same name (two files of one scenario) get their position added.
            for k in options.indices where options[..<k].contains(where: { $0.name == options[k].name }) {
                options[k].name += " (\(k + 1))"
            }
            // Every option's run is kept until the comparison is made.
            try checkMemory(options.map { MemoryBudget.trialStorageBytes(scenario: $0.loaded.scenario, trials: trials) }.reduce(0, +),
                            what: "\(options.count) options of \(Limits.grouped(trials)) trials", option: "--trials")
            let folder = out ?? ReportFolder.defaultPath(baseName: options[0].loaded.baseName, suffix: "-compare",
                                                           changes: changes.overrides.map(\.pathAndValue))
            try checkReportFolder(folder, inputs: scenarios)
            var compared: [Comparison.Option] = []
            for (k, option) in options.enumerated() {
                let model = TrialModel(scenario: option.loaded.scenario)
                let line = progress.line(total: trials, label: "option \(k + 1) of \(options.count) (\(option.name))")
                // bandTrials 1: a comparison shows no monthly bands, so their percentiles are not computed.
                let result = Engine(model: model, options: .init(trials: trials, seed: simulation.seed,
                                                                 threads: simulation.threads, bandTrials: 1)).run(progress: line?.update)
                compared.append(Comparison.Option(name: option.name, result: result))
            }
            progress.clear()
            let first = options[0].loaded
            let info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version, scenarioFile: scenarios.joined(separator: ", "),
                               scenarioSHA256: first.sha256,
                               changes: changes.overrides.map { "\($0.path) = \($0.value) (\($0.origin))" })
            let report = ComparisonReport(comparison: Comparison(options: compared), info: info, changes: options.map(\.changes))
            try writeReport([("compare.md", report.markdown()), ("compare.csv", report.csv())], to: folder, inputs: scenarios)
            print("Wrote \(folder)/compare.md (compare.md, compare.csv).")
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vary one value over a range and tabulate NPV, ROI and the chance of a loss.",
            discussion: """
            --vary path=from:to:step sets the value at path to from, from + step, … up to to, and runs the \
            scenario for each on the same simulated futures. Numbers are written as in scenarios (12%, 900k). \
            Writes sweep.md and sweep.csv, by default to Reports/<scenario file name>-sweep/.

            A value of one segment is named by the segment, e.g. \
            --vary "segments[Small teams (3-10 users)].churn_reduction=0%:40%:10%".

            Examples:
              crmcase sweep Scenarios/car-dealership.yaml --vary licences.seats=20:60:10
              crmcase sweep Scenarios/subscription-churn.yaml --vary discount_rate=6%:12%:2%
            """
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(name: .long, help: ArgumentHelp("The value to vary and its range.", valueName: "path=from:to:step"))
        var vary: String

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: "Number of simulated futures per value.")
        var trials: Int = 20_000

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>-sweep).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            try CommandLineLimits.trials(trials)
            try validateReportFolder(out, inputs: [scenario])
            _ = try SweepRange(vary)
        }

        func run() throws {
            let range = try SweepRange(vary)
            var points: [(value: String, result: SimulationResult)] = []
            var first: LoadedScenario?
            var folder = out ?? ""
            for (k, value) in range.values.enumerated() {
                progress.clear()    // a problem with this value is printed on a clean line
                let loaded = try changes.load(scenario, extra: [Override(path: range.path, value: value, origin: "--vary")])
                if first == nil {
                    first = loaded
                    folder = out ?? ReportFolder.defaultPath(baseName: loaded.baseName, suffix: "-sweep",
                                                               changes: changes.overrides.map(\.pathAndValue))
                    // Every value's run is kept for the table.
                    try checkMemory(Double(range.values.count) * MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: trials),
                                    what: "\(range.values.count) values of \(Limits.grouped(trials)) trials", option: "--trials")
                    try checkReportFolder(folder, inputs: [scenario])
                }
                let line = progress.line(total: trials, label: "\(range.path) = \(value) (value \(k + 1) of \(range.values.count))")
                let result = Engine(model: TrialModel(scenario: loaded.scenario),
                                    options: .init(trials: trials, seed: simulation.seed, threads: simulation.threads,
                                                   bandTrials: 1))   // a sweep shows no monthly bands
                    .run(progress: line?.update)
                points.append((value, result))
            }
            progress.clear()
            guard let first else { return }
            let info = RunInfo(toolVersion: CRMCase.version, gslVersion: GSL.version, scenarioFile: scenario,
                               scenarioSHA256: first.sha256,
                               changes: changes.overrides.map { "\($0.path) = \($0.value) (\($0.origin))" })
            let report = SweepReport(path: range.path, points: points, info: info)
            try writeReport([("sweep.md", report.markdown()), ("sweep.csv", report.csv())], to: folder, inputs: [scenario])
            print("Wrote \(folder)/sweep.md (sweep.md, sweep.csv).")
        }
    }
}

/// `path=from:to:step`, expanded into the values it stands for, written as scenario numbers.
public struct SweepRange: Sendable {
    public let path: String
    public let values: [String]

    public init(_ text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("--vary \(text): write it as path=from:to:step, e.g. licences.seats=20:60:10.")
        }
        path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let parts = text[text.index(after: equals)...].split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3, let from = NumberText.parse(parts[0]), let to = NumberText.parse(parts[1]),
              let step = NumberText.parse(parts[2]) else {
            throw ValidationError("--vary \(text): the range must be three numbers from:to:step, e.g. 20:60:10 or 50%:90%:10%.")
        }
        guard step > 0, to >= from else {
            throw ValidationError("--vary \(text): the step must be above 0 and `to` at least `from`.")
        }
        // Counted in floating point first: a huge range or a tiny step gives a count (or an
        // infinity) that no Int holds.
        let steps = ((to - from) / step + 1e-9).rounded(.down)
        guard steps.isFinite, steps < Double(Limits.sweepValues) else {
            throw ValidationError("--vary \(text) has more than the limit of \(Limits.sweepValues) values; use a larger step or a shorter range.")
        }
        let count = Int(steps) + 1
        let percent = parts.contains { $0.hasSuffix("%") }
        values = (0..<count).map { k in
            let v = from + Double(k) * step
            return percent ? "\(SweepRange.plain(v * 100))%" : SweepRange.plain(v)
        }
    }

    /// A number without trailing zeros: 0.1, 25, 1250000.
    static func plain(_ v: Double) -> String {
        let rounded = (v * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
