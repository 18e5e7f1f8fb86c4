import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import ScenarioFormat

/// `crmcase sweep`: one value varied over a range, every value run on the same futures.
public enum SweepRun {
    /// The scenario with the range's value `k` applied after `overrides`.
    public static func load(_ path: String, overrides: [Override], range: SweepRange, value k: Int) throws(CaseFailure) -> LoadedScenario {
        try ScenarioLoading.load(path, overrides: overrides + [Override(path: range.path, value: range.values[k], origin: "--vary")])
    }

    /// `Reports/<name>-sweep` (with changes, `…-what-if-<changes>-sweep`).
    public static func defaultFolder(_ loaded: LoadedScenario, overrides: [Override]) -> String {
        ReportFolder.defaultPath(baseName: loaded.baseName, suffix: "-sweep", changes: overrides.map(\.pathAndValue))
    }

    /// Refuses a sweep whose runs (all kept for the table) would not fit in memory; `shard` for
    /// one shard of `trials` trials of it.
    public static func checkMemory(_ loaded: LoadedScenario, range: SweepRange, trials: Int, shard: Bool = false) throws(CaseFailure) {
        // No monthly bands are kept (engineOptions): one band trial.
        try MemoryCheck.require(Double(range.values.count) * MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: trials, bandTrials: 1),
                                what: "\(range.values.count) values of \(Limits.grouped(trials)) trials",
                                option: shard ? "--trials, or make more shards" : "--trials, or cut the sweep into shards (--shard K/N) and merge them")
    }

    /// The engine options of every value's run: no monthly bands (the sweep shows none).
    public static func engineOptions(trials: Int, seed: UInt64, threads: Int?) -> Engine.Options {
        Engine.Options(trials: trials, seed: seed, threads: threads, bandTrials: 1)
    }

    /// Runs one value of the sweep.
    public static func point(_ loaded: LoadedScenario, trials: Int, seed: UInt64, threads: Int?,
                             sampler: CountSampler = .fast,
                             progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
        Engine(model: TrialModel(scenario: loaded.scenario, countSampler: sampler),
               options: engineOptions(trials: trials, seed: seed, threads: threads))
            .run(progress: progress)
    }

    /// Renders `sweep.md`, `sweep.csv`, `sweep.html` and one SVG file per chart from the
    /// values' runs, in range order.
    public static func files(scenarioFile: String, first: LoadedScenario, overrides: [Override], range: SweepRange,
                             points: [(value: String, result: SimulationResult)],
                             sampler: CountSampler = .fast) -> [(name: String, contents: String)] {
        rendered(document(scenarioFile: scenarioFile, first: first, overrides: overrides, range: range, points: points,
                          sampler: sampler))
    }

    /// The sweep as a document, with `sweep.csv`, from the values' runs in range order.
    public static func document(scenarioFile: String, first: LoadedScenario, overrides: [Override], range: SweepRange,
                                points: [(value: String, result: SimulationResult)],
                                sampler: CountSampler = .fast) -> ReportDocument {
        let info = Provenance.runInfo(scenarioFile: scenarioFile, loaded: first, overrides: overrides, sampler: sampler)
        let analysis = SweepAnalysis(path: range.path, points: points.enumerated().map { k, point in
            (label: point.value, value: range.numbers[k], result: point.result)
        })
        return SweepReport(analysis: analysis, info: info).document()
    }

    /// The files of a sweep document: `sweep.md`, its CSV, `sweep.html` and its charts.
    public static func rendered(_ document: ReportDocument) -> [(name: String, contents: String)] {
        ReportDocumentFiles.files(document, stem: "sweep")
    }
}
