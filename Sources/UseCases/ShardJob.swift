import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat

/// What the shards of one run, comparison or sweep compute: the command whose report the merge
/// writes, what its manifest records, and the models whose trials each shard runs — one for a
/// run, one per option or value — all on the same options (seed, trials, sampling).
public struct ShardJob: Sendable {
    /// One trial table of each shard: what it is of, and the model that fills it.
    public struct Part: Sendable {
        public var label: String
        public var model: TrialModel
    }

    public var command: ShardManifest.Command
    /// The scenario files as the user named them and, in the same order, the SHA-256 of the
    /// scenario each leads to and of the file itself (``ShardManifest/fileSHA256``).
    public var scenarioFiles: [String]
    public var scenarioSHA256: [String]
    public var fileSHA256: [String]
    /// The `--set` changes, as given (`path=value`).
    public var assignments: [String]
    /// A sweep's `--vary`.
    public var vary: String?
    public var parts: [Part]
    public var options: Engine.Options
    public var sampler: CountSampler
    /// What a run's report holds (false for a comparison or a sweep).
    public var sensitivity: Bool
    public var trialsCSV: Bool

    /// The shards of `crmcase run`.
    public static func run(_ loaded: LoadedScenario, scenarioFile: String, assignments: [String], options: Engine.Options,
                           sampler: CountSampler, sensitivity: Bool, trialsCSV: Bool) -> ShardJob {
        ShardJob(command: .run, scenarioFiles: [scenarioFile], scenarioSHA256: [loaded.sha256],
                 fileSHA256: fileSHA256([scenarioFile]), assignments: assignments,
                 vary: nil, parts: [Part(label: loaded.scenario.name, model: TrialModel(scenario: loaded.scenario, countSampler: sampler))],
                 options: options, sampler: sampler, sensitivity: sensitivity, trialsCSV: trialsCSV)
    }

    /// The shards of `crmcase compare` of `options` (``ComparisonRun/options(scenarios:overrides:)``
    /// of `scenarioFiles`).
    public static func compare(_ options: [ComparisonRun.Option], scenarioFiles: [String], assignments: [String],
                               trials: Int, seed: UInt64, threads: Int?, sampler: CountSampler) -> ShardJob {
        // One SHA-256 per file: with one file, every option is read from it.
        let hashes = scenarioFiles.count == 1 ? [options[0].loaded.sha256] : options.map(\.loaded.sha256)
        return ShardJob(command: .compare, scenarioFiles: scenarioFiles, scenarioSHA256: hashes,
                        fileSHA256: fileSHA256(scenarioFiles), assignments: assignments,
                        vary: nil, parts: options.map { Part(label: $0.name, model: TrialModel(scenario: $0.loaded.scenario, countSampler: sampler)) },
                        options: ComparisonRun.engineOptions(trials: trials, seed: seed, threads: threads),
                        sampler: sampler, sensitivity: false, trialsCSV: false)
    }

    /// The shards of `crmcase sweep` of `scenarioFile` over `range` (`vary` as the user wrote
    /// it), `values` being the scenario at each of the range's values.
    public static func sweep(_ values: [LoadedScenario], scenarioFile: String, assignments: [String], vary: String,
                             range: SweepRange, trials: Int, seed: UInt64, threads: Int?, sampler: CountSampler) -> ShardJob {
        ShardJob(command: .sweep, scenarioFiles: [scenarioFile], scenarioSHA256: [values[0].sha256],
                 fileSHA256: fileSHA256([scenarioFile]), assignments: assignments,
                 vary: vary, parts: zip(range.values, values).map { Part(label: $0, model: TrialModel(scenario: $1.scenario, countSampler: sampler)) },
                 options: SweepRun.engineOptions(trials: trials, seed: seed, threads: threads),
                 sampler: sampler, sensitivity: false, trialsCSV: false)
    }

    /// The SHA-256 of each file's own bytes ("" for one that cannot be read: the merge then
    /// finds it changed).
    static func fileSHA256(_ paths: [String]) -> [String] {
        paths.map { path in FileManager.default.contents(atPath: path).map { SHA256.hex(of: Array($0)) } ?? "" }
    }
}
