import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import ScenarioFormat

/// `crmcase compare`: options of one decision side by side on common random numbers — the
/// variants of one scenario file, or several scenario files.
public enum ComparisonRun {
    /// One option: its display name, its scenario and what it changes from the baseline (one
    /// line per change; empty for the baseline and for another scenario file).
    public struct Option: Sendable {
        public var name: String
        public var loaded: LoadedScenario
        public var changes: [String]
    }

    /// The options to compare: with one file, its base case and every variant; with several,
    /// each file. Names shared by two options get their position added.
    ///
    /// Every variant is read before any problem is reported, so the failure holds the problems
    /// of all of them at once (the list `crmcase validate` prints), not just the first's.
    public static func options(scenarios: [String], overrides: [Override]) throws(CaseFailure) -> [Option] {
        var options: [Option] = []
        for path in scenarios {
            let loaded = try ScenarioLoading.load(path, overrides: overrides)
            options.append(Option(name: loaded.scenario.name, loaded: loaded, changes: []))
            if scenarios.count == 1 {
                var problems: [ScenarioIssue] = []
                for variant in loaded.variants {
                    // Problems of a variant's values name the variant (their origin).
                    do throws(ScenarioErrors) {
                        let variantLoaded = try ScenarioLoader.load(path: path, overrides: overrides + variant.overrides)
                        options.append(Option(name: variant.name, loaded: variantLoaded, changes: variant.overrides.map(\.description)))
                    } catch {
                        problems += error.issues
                    }
                }
                if !problems.isEmpty { throw .inputProblems(ScenarioErrors(problems), validate: path) }
            }
        }
        if scenarios.count == 1 && options.count == 1 {
            throw .unusableInput("\(scenarios[0]) has no variants; add a `variants:` section or give a second scenario file to compare with.")
        }
        if scenarios.count == 1 { options[0].name = "Base case" }
        for k in options.indices where options[..<k].contains(where: { $0.name == options[k].name }) {
            options[k].name += " (\(k + 1))"
        }
        return options
    }

    /// Refuses a comparison whose runs (all kept until the comparison is made) would not fit;
    /// `shard` for one shard of `trials` trials of it.
    public static func checkMemory(_ options: [Option], trials: Int, shard: Bool = false) throws(CaseFailure) {
        // No monthly bands are kept (engineOptions): one band trial.
        let scenario = options[0].loaded.scenario
        let keptDraws = shard ? 0 : Double(BaselineDraws.bytes(trials: min(trials, baselineDrawTrials), segments: scenario.segments.count,
                                                        horizon: scenario.horizon))
        try MemoryCheck.require(options.map { MemoryBudget.trialStorageBytes(scenario: $0.loaded.scenario, trials: trials, bandTrials: 1) }.reduce(0, +)
                                + keptDraws,
                                what: "\(options.count) options of \(Limits.grouped(trials)) trials",
                                option: shard ? "--trials, or make more shards" : "--trials, or cut the comparison into shards (--shard K/N) and merge them")
    }

    /// The most trials whose without-CRM draws a comparison keeps for its options (72 MB for
    /// the car dealer's three segments over 60 months; ``BaselineDraws``).
    public static let baselineDrawTrials = 100_000

    /// `Reports/<first file's name>-compare` (with changes, `…-what-if-<changes>-compare`).
    public static func defaultFolder(_ options: [Option], overrides: [Override]) -> String {
        ReportFolder.defaultPath(baseName: options[0].loaded.baseName, suffix: "-compare",
                                 changes: overrides.map(\.pathAndValue))
    }

    /// Runs every option on the same seed and renders `compare.md`, `compare.csv`,
    /// `compare.html` and one SVG file per chart.
    ///
    /// - Parameter progress: for option k, a callback for its trials done (or nil).
    public static func files(
        options: [Option], scenarioFiles: [String], overrides: [Override], trials: Int, seed: UInt64, threads: Int?,
        sampler: CountSampler = .fast, progress: (Int, Option) -> (@Sendable (Int) -> Void)? = { _, _ in nil }
    ) -> [(name: String, contents: String)] {
        rendered(document(options: options, scenarioFiles: scenarioFiles, overrides: overrides, trials: trials,
                          seed: seed, threads: threads, sampler: sampler, progress: progress))
    }

    /// The engine options of every option's run: no monthly bands (the comparison shows none).
    public static func engineOptions(trials: Int, seed: UInt64, threads: Int?) -> Engine.Options {
        Engine.Options(trials: trials, seed: seed, threads: threads, bandTrials: 1)
    }

    /// Runs every option on the same seed: the comparison as a document, with `compare.csv`.
    public static func document(
        options: [Option], scenarioFiles: [String], overrides: [Override], trials: Int, seed: UInt64, threads: Int?,
        sampler: CountSampler = .fast, progress: (Int, Option) -> (@Sendable (Int) -> Void)? = { _, _ in nil }
    ) -> ReportDocument {
        // The first option records its without-CRM draws (for its first `baselineDrawTrials`
        // trials); the others use them wherever their without-CRM world is the same — every
        // trial of a variant that changes only CRM levers — with the same numbers, faster.
        let first = TrialModel(scenario: options[0].loaded.scenario, countSampler: sampler)
        let kept = BaselineDraws(capacity: min(trials, baselineDrawTrials), segments: first.segmentCount, horizon: first.horizon)
        let results = options.enumerated().map { k, option in
            var engine = engineOptions(trials: trials, seed: seed, threads: threads)
            engine.baseline = k == 0 ? .record(kept) : .reuse(kept)
            return Engine(model: k == 0 ? first : TrialModel(scenario: option.loaded.scenario, countSampler: sampler),
                          options: engine)
                .run(progress: progress(k, option))
        }
        return document(options: options, results: results, scenarioFiles: scenarioFiles, overrides: overrides, sampler: sampler)
    }

    /// The comparison of `options` whose runs are done (`results`, in the same order, from
    /// ``Engine/run(progress:)`` or merged shards): the document, with `compare.csv`.
    public static func document(options: [Option], results: [SimulationResult], scenarioFiles: [String],
                                overrides: [Override], sampler: CountSampler) -> ReportDocument {
        let compared = zip(options, results).map { Comparison.Option(name: $0.name, result: $1) }
        let info = Provenance.runInfo(scenarioFile: scenarioFiles.joined(separator: ", "), loaded: options[0].loaded,
                                      overrides: overrides, sampler: sampler)
        return ComparisonReport(comparison: Comparison(options: compared), info: info, changes: options.map(\.changes)).document()
    }

    /// The files of a comparison document: `compare.md`, its CSV, `compare.html` and its charts.
    public static func rendered(_ document: ReportDocument) -> [(name: String, contents: String)] {
        ReportDocumentFiles.files(document, stem: "compare")
    }
}
