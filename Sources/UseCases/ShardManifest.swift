import Foundation

/// What a shard says about itself: enough to refuse a shard that does not belong with the
/// others, and to write the report of the whole run, comparison or sweep from the shards alone
/// (`crmcase merge`).
public struct ShardManifest: Codable, Sendable, Equatable {
    /// The command a set of shards computes: its report is the one that command writes.
    public enum Command: String, Codable, Sendable {
        /// `crmcase run`: one trial table.
        case run
        /// `crmcase compare`: one trial table per option, in the comparison's order.
        case compare
        /// `crmcase sweep`: one trial table per value of the range, in range order.
        case sweep
    }

    /// One trial table of the shard: its file (beside the manifest), size and SHA-256.
    public struct Table: Codable, Sendable, Equatable {
        /// What the table is of: the option's name (compare), the value (sweep); the scenario's
        /// name for a run.
        public var label: String
        public var file: String
        public var bytes: Int
        public var sha256: String
    }

    /// The layout of this manifest and of its tables' bytes.
    public var format = ShardManifest.currentFormat
    /// The layout this version writes and reads. (`crmcase-shard-1` had one table and one
    /// scenario file, for `run` only.)
    public static let currentFormat = "crmcase-shard-2"
    public var toolVersion: String
    public var gslVersion: String
    public var command: Command
    /// The scenario files as the user named them (several only for a comparison of files), and
    /// for each, in the same order, the SHA-256 of the scenario it leads to (for a variants file,
    /// the scenario its `base:` names; the one a report's footer shows) and of the file itself
    /// (for a variants file, its variants).
    public var scenarioFiles: [String]
    public var scenarioSHA256: [String]
    public var fileSHA256: [String]
    /// The `--set` changes, as given (`path=value`).
    public var assignments: [String]
    /// `crmcase sweep`'s `--vary` (`path=from:to:step`); nil for other commands.
    public var vary: String?
    public var seed: UInt64
    /// Trials of the whole run (per option or value for a comparison or sweep).
    public var trials: Int
    public var sampling: String
    public var sampler: String
    /// What a run's report holds: the sensitivity analysis, `trials.csv` (false for the other commands).
    public var sensitivity: Bool
    public var trialsCSV: Bool
    /// This shard: number `shard` (0 … `shards` − 1) of `shards`, trials `firstTrial ..< endTrial`.
    public var shard: Int
    public var shards: Int
    public var firstTrial: Int
    public var endTrial: Int
    /// The shard's trial tables: one for a run, one per option or value otherwise.
    public var tables: [Table]

    /// The settings every shard of one run shares (all but the shard's own place and data).
    var runSettings: [String] {
        // Not the scenario files' paths: the shards of one run may name the same file from
        // different folders; its SHA-256 is what must agree. Each list goes in with its length
        // first, so that no two different lists give the same settings.
        func list(_ values: [String]) -> [String] { [String(values.count)] + values }
        return [format, toolVersion, gslVersion, command.rawValue, vary ?? "", String(seed), String(trials), sampling,
                sampler, String(sensitivity), String(trialsCSV), String(shards)]
            + list(scenarioSHA256) + list(fileSHA256) + list(assignments) + list(tables.map(\.label))
    }

    /// What `other`, a manifest of another run, differs in from this one, in words.
    func difference(from other: ShardManifest) -> String {
        let a = self, b = other
        if a.toolVersion != b.toolVersion || a.gslVersion != b.gslVersion || a.format != b.format {
            return "it was written by crmcase \(b.toolVersion) (GSL \(b.gslVersion)), the other by \(a.toolVersion) (GSL \(a.gslVersion))"
        }
        if a.command != b.command { return "it is a shard of crmcase \(b.command.rawValue), the other of crmcase \(a.command.rawValue)" }
        if a.scenarioSHA256 != b.scenarioSHA256 || a.fileSHA256 != b.fileSHA256 {
            return "its scenario file differs (another SHA-256)"
        }
        if a.assignments != b.assignments { return "its --set changes differ" }
        if a.vary != b.vary { return "it varies \(b.vary ?? "nothing"), the other \(a.vary ?? "nothing")" }
        if a.seed != b.seed { return "its seed is \(b.seed), the other's \(a.seed)" }
        if a.trials != b.trials { return "it is a run of \(b.trials) trials, the other of \(a.trials)" }
        if a.shards != b.shards { return "it is one of \(b.shards) shards, the other one of \(a.shards)" }
        if a.tables.map(\.label) != b.tables.map(\.label) { return "its options or values differ" }
        return "its settings (sampling, sampler, sensitivity or trials.csv) differ"
    }
}
