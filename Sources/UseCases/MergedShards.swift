import CRMModel
import MonteCarlo
import ScenarioFormat

/// `crmcase merge`: the report of a run, comparison or sweep from its merged shards
/// (``ShardRun/merge(_:scratchDirectory:)``) — byte for byte the report the single command
/// writes, since the tables are the ones it would have computed and the analysis is the same.
///
/// The scenario files are read again (the shards hold trials, not the scenario) and must be the
/// ones the shards were run on: the same SHA-256.
public struct MergedShards {
    private enum Work {
        case run(LoadedScenario, SimulationResult)
        case compare([ComparisonRun.Option], [SimulationResult])
        case sweep(SweepRange, [LoadedScenario], [SimulationResult])
    }

    public let manifest: ShardManifest
    /// The scenario files read: the manifest's, or the ones the user gave instead.
    public let scenarioFiles: [String]
    /// The report folder the single command would choose.
    public let defaultFolder: String
    /// The report's main file: `report.md`, `compare.md` or `sweep.md`.
    public var mainFile: String {
        switch work {
        case .run: "report.md"
        case .compare: "compare.md"
        case .sweep: "sweep.md"
        }
    }
    private let work: Work
    private let overrides: [Override]
    private let sampler: CountSampler

    /// Reads the scenario files again and pairs each merged table with its model.
    ///
    /// - Parameters:
    ///   - scenarioFiles: the scenario files to read instead of those the manifest names (where
    ///     the shards were run from), in the same order; nil for the manifest's.
    ///   - threads: worker threads for the analyses that rerun the model (a run's sensitivity
    ///     analysis and unadjusted plan); they do not change any result.
    public init(manifest: ShardManifest, tables: [TrialTable], scenarioFiles: [String]? = nil, threads: Int?) throws(CaseFailure) {
        let files = scenarioFiles ?? manifest.scenarioFiles
        guard files.count == manifest.scenarioFiles.count else {
            throw .unusableInput("The shards were run on \(manifest.scenarioFiles.count) scenario file\(manifest.scenarioFiles.count == 1 ? "" : "s") (\(manifest.scenarioFiles.joined(separator: ", "))); give as many with --scenario, in that order.")
        }
        guard let sampler = CountSampler(rawValue: manifest.sampler), let sampling = Sampling(rawValue: manifest.sampling) else {
            throw .unusableInput("The shards name a sampler or sampling plan this crmcase does not know.")
        }
        var overrides: [Override] = []
        for text in manifest.assignments {
            guard let change = Override.parse(text) else { throw .unusableInput("The shards name a --set change this crmcase cannot read (\(text)).") }
            overrides.append(change)
        }
        func changed(_ k: Int) -> CaseFailure {
            .unusableInput("\(files[k]) is not the scenario file the shards were run on (its SHA-256 differs): it was changed since, or give the right one with --scenario.")
        }
        // The files themselves first (a variants file's variants are not in the scenario it
        // leads to), before they are read as scenarios: an edited file is called changed, not
        // reported for whatever the edit broke.
        for (k, hash) in ShardJob.fileSHA256(files).enumerated() where hash != manifest.fileSHA256[k] { throw changed(k) }
        // The k-th file, read as leading to a scenario of `sha256` (the file its `base:` names
        // may have changed).
        func unchanged(_ k: Int, _ sha256: String) throws(CaseFailure) {
            guard sha256 == manifest.scenarioSHA256[k] else { throw changed(k) }
        }
        func result(_ model: TrialModel, _ options: Engine.Options, _ table: TrialTable) throws(CaseFailure) -> SimulationResult {
            guard table.isWholeRun(of: model, options: options) else {
                throw .unusableInput("The shards' trial tables do not fit the scenario they name (other segments, risks or horizon).")
            }
            return SimulationResult(model: model, options: options, table: table)
        }
        let labels = manifest.tables.map(\.label)

        switch manifest.command {
        case .run:
            let loaded = try ScenarioLoading.load(files[0], overrides: overrides)
            try unchanged(0, loaded.sha256)
            let options = Engine.Options(trials: manifest.trials, seed: manifest.seed, threads: threads, sampling: sampling)
            work = .run(loaded, try result(TrialModel(scenario: loaded.scenario, countSampler: sampler), options, tables[0]))
            defaultFolder = BusinessCaseRun.defaultFolder(loaded)
        case .compare:
            let options = try ComparisonRun.options(scenarios: files, overrides: overrides)
            if files.count == 1 {
                try unchanged(0, options[0].loaded.sha256)
            } else {
                for (k, option) in options.enumerated() { try unchanged(k, option.loaded.sha256) }
            }
            guard options.map(\.name) == labels else {
                throw .unusableInput("The options of \(files.joined(separator: ", ")) are not the ones the shards were run on (\(labels.joined(separator: ", "))).")
            }
            let engine = ComparisonRun.engineOptions(trials: manifest.trials, seed: manifest.seed, threads: threads)
            var results: [SimulationResult] = []
            for (option, table) in zip(options, tables) {
                results.append(try result(TrialModel(scenario: option.loaded.scenario, countSampler: sampler), engine, table))
            }
            work = .compare(options, results)
            defaultFolder = ComparisonRun.defaultFolder(options, overrides: overrides)
        case .sweep:
            let range: SweepRange
            do { range = try SweepRange(manifest.vary ?? "") } catch { throw .unusableInput("The shards' --vary cannot be read: \(error.description)") }
            guard range.values == labels else {
                throw .unusableInput("The values of --vary \(manifest.vary ?? "") are not the ones the shards were run on.")
            }
            var values: [LoadedScenario] = []
            for k in range.values.indices { values.append(try SweepRun.load(files[0], overrides: overrides, range: range, value: k)) }
            try unchanged(0, values[0].sha256)
            let engine = SweepRun.engineOptions(trials: manifest.trials, seed: manifest.seed, threads: threads)
            var results: [SimulationResult] = []
            for (loaded, table) in zip(values, tables) {
                results.append(try result(TrialModel(scenario: loaded.scenario, countSampler: sampler), engine, table))
            }
            work = .sweep(range, values, results)
            defaultFolder = SweepRun.defaultFolder(values[0], overrides: overrides)
        }
        self.manifest = manifest
        self.scenarioFiles = files
        self.overrides = overrides
        self.sampler = sampler
    }

    /// The report's files, as the single command renders them (a run's sensitivity analysis is
    /// computed here, on the merged trials).
    public func files() -> [(name: String, contents: String)] {
        switch work {
        case let .run(loaded, result):
            return BusinessCaseRun.files(for: loaded, scenarioFile: manifest.scenarioFiles[0], result: result,
                                         trialsCSV: manifest.trialsCSV, sensitivity: manifest.sensitivity)
        case let .compare(options, results):
            return ComparisonRun.rendered(ComparisonRun.document(options: options, results: results, scenarioFiles: manifest.scenarioFiles,
                                                                 overrides: overrides, sampler: sampler))
        case let .sweep(range, values, results):
            return SweepRun.files(scenarioFile: manifest.scenarioFiles[0], first: values[0], overrides: overrides, range: range,
                                  points: zip(range.values, results).map { (value: $0, result: $1) }, sampler: sampler)
        }
    }
}
