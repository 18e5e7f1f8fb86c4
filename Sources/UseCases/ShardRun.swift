import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import ScenarioFormat

/// What a shard of a run says about itself: enough to refuse a shard that does not belong with
/// the others, and to write the run's report from the shards alone (`crmcase merge`).
public struct ShardManifest: Codable, Sendable, Equatable {
    /// The layout of this manifest and of its table's bytes.
    public var format = ShardManifest.currentFormat
    /// The layout this version writes and reads.
    public static let currentFormat = "crmcase-shard-1"
    public var toolVersion: String
    public var gslVersion: String
    /// The scenario file as the user named it, and its SHA-256.
    public var scenarioFile: String
    public var scenarioSHA256: String
    /// The `--set` changes, as given (`path=value`).
    public var assignments: [String]
    public var seed: UInt64
    /// Trials of the whole run.
    public var trials: Int
    public var sampling: String
    public var sampler: String
    /// What the report holds: the sensitivity analysis, `trials.csv`.
    public var sensitivity: Bool
    public var trialsCSV: Bool
    /// This shard: number `shard` (0 … `shards` − 1) of `shards`, trials `firstTrial ..< endTrial`.
    public var shard: Int
    public var shards: Int
    public var firstTrial: Int
    public var endTrial: Int
    /// The file of the trial table (beside the manifest), its size and its SHA-256.
    public var tableFile: String
    public var tableBytes: Int
    public var tableSHA256: String

    /// The settings every shard of one run shares (all but the shard's own place and data).
    var runSettings: [String] {
        [format, toolVersion, gslVersion, scenarioSHA256, assignments.joined(separator: "\u{1F}"), String(seed),
         String(trials), sampling, sampler, String(sensitivity), String(trialsCSV), String(shards)]
    }
}

/// `crmcase run --shard K/N` and `crmcase merge`: a run cut into ranges of trials that separate
/// jobs (a Slurm job array, a Kubernetes Indexed Job, GNU parallel) compute, and the report of
/// the whole run written from them — byte for byte the report one `crmcase run` writes.
///
/// A shard is its trial table (``MonteCarlo/TrialTable/bytes()``) and a JSON manifest. Shard K
/// of N takes the blocks K·B/N ..< (K+1)·B/N of the run's B blocks of 256 trials, so shards
/// start on block boundaries and their tables merge in trial order; every random number is keyed
/// by (seed, trial, …), so a trial is the same wherever it runs.
public enum ShardRun {
    /// The manifest's and the table's file names for shard `shard` of `shards`.
    public static func fileNames(shard: Int, of shards: Int) -> (manifest: String, table: String) {
        let width = String(max(1, shards - 1)).count
        let k = String(repeating: "0", count: max(0, width - String(shard).count)) + String(shard)
        return ("shard-\(k)-of-\(shards).json", "shard-\(k)-of-\(shards).table")
    }

    /// Runs shard `shard` of `shards` of the run `options` describes: its files (manifest and
    /// table), to be written into one folder.
    public static func files(
        for loaded: LoadedScenario, scenarioFile: String, assignments: [String], options: Engine.Options,
        sampler: CountSampler, shard: Int, of shards: Int, sensitivity: Bool, trialsCSV: Bool,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> [(name: String, contents: FilePieces)] {
        let model = TrialModel(scenario: loaded.scenario, countSampler: sampler)
        let range = TrialTable.blockAlignedRange(shard: shard, of: shards, trials: options.trials)
        let table = Engine(model: model, options: options).table(for: range, progress: progress)
        // The table's checksum from its columns where they lie: no copy of a table that may be
        // gigabytes (it is written the same way, piece by piece).
        var hasher = SHA256.Hasher()
        _ = table.writeBytes { hasher.update($0); return 0 }
        let names = fileNames(shard: shard, of: shards)
        let manifest = ShardManifest(
            toolVersion: Provenance.toolVersion, gslVersion: GSL.version, scenarioFile: scenarioFile,
            scenarioSHA256: loaded.sha256, assignments: assignments, seed: options.seed, trials: options.trials,
            sampling: options.sampling.rawValue, sampler: sampler.rawValue, sensitivity: sensitivity, trialsCSV: trialsCSV,
            shard: shard, shards: shards, firstTrial: range.lowerBound, endTrial: range.upperBound,
            tableFile: names.table, tableBytes: table.byteCount, tableSHA256: hasher.finalize())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return [(names.manifest, FilePieces(try encoder.encode(manifest) + Data("\n".utf8))),
                (names.table, FilePieces { write in table.writeBytes(write) })]
    }

    /// A shard read back: its manifest and its table's file, checked against each other (the
    /// table's size and SHA-256, its shape and trials); the table is read when merged.
    public struct Shard: Sendable {
        public let manifestPath: String
        public let manifest: ShardManifest
        public let table: TrialTable.StoredTable
    }

    /// Reads the shard whose manifest is at `path` (or, for a folder, every shard manifest in it).
    public static func read(_ path: String) throws(CaseFailure) -> [Shard] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .unusableInput("\(path): there is no shard here. Give the shard manifests (shard-K-of-N.json) or their folder.")
        }
        if isFolder.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
            guard !names.isEmpty else { throw .unusableInput("\(path) holds no shard manifests (shard-K-of-N.json).") }
            var shards: [Shard] = []
            for name in names { shards += try read((path as NSString).appendingPathComponent(name)) }
            return shards
        }
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONDecoder().decode(ShardManifest.self, from: data) else {
            throw .unusableInput("\(path) is not a shard manifest of crmcase (written by crmcase run --shard).")
        }
        guard manifest.format == ShardManifest.currentFormat else {
            throw .unusableInput("\(path) is a shard of another format (\(manifest.format)); merge shards of this version of crmcase.")
        }
        let tablePath = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(manifest.tableFile)
        guard let handle = FileHandle(forReadingAtPath: tablePath) else {
            throw .unusableInput("\(tablePath), the trial table of \(path), is missing.")
        }
        // Hashed as it is read, 8 MB at a time: a shard's table can be gigabytes.
        var hasher = SHA256.Hasher()
        var size = 0
        while let chunk = try? handle.read(upToCount: 1 << 23), !chunk.isEmpty {
            size += chunk.count
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        try? handle.close()
        guard size == manifest.tableBytes, hasher.finalize() == manifest.tableSHA256 else {
            throw .unusableInput("\(tablePath) is not the table its manifest describes (its size or checksum differs): the file is damaged or from another run.")
        }
        let table: TrialTable.StoredTable
        do {
            guard let opened = try TrialTable.StoredTable.open(tablePath) else {
                throw CaseFailure.unusableInput("\(tablePath), the trial table of \(path), could not be read.")
            }
            table = opened
        } catch let error as TrialTable.BytesError {
            throw .unusableInput("\(tablePath): \(error.description)")
        } catch let error as CaseFailure {
            throw error
        } catch {
            throw .unusableInput("\(tablePath), the trial table of \(path), could not be read.")
        }
        guard table.shape.range == manifest.firstTrial..<manifest.endTrial, table.shape.runTrials == manifest.trials else {
            throw .unusableInput("\(tablePath) holds other trials than its manifest says.")
        }
        return [Shard(manifestPath: path, manifest: manifest, table: table)]
    }

    /// The shards, checked to be one whole run: same tool, scenario, changes and settings, every
    /// shard of the run exactly once, ranges tiling the trials. Returns their common manifest
    /// (the first shard's) and the merged table, which lives in a scratch file (deleted with the
    /// table), not in memory: a merged run may be larger than the machine's memory. The file is
    /// made beside the first shard unless `scratchDirectory` says where: it is as large as the
    /// shards together, and where they fitted is the likeliest place with room (a cluster
    /// node's TMPDIR is often small).
    public static func merge(_ shards: [Shard], scratchDirectory: String? = nil) throws(CaseFailure) -> (manifest: ShardManifest, table: TrialTable) {
        guard let first = shards.first else { throw .unusableInput("There are no shards to merge.") }
        for s in shards where s.manifest.runSettings != first.manifest.runSettings {
            throw .unusableInput("\(s.manifestPath) is a shard of another run than \(first.manifestPath): "
                + difference(first.manifest, s.manifest) + ". Merge the shards of one run only.")
        }
        var seen: [Int: String] = [:]
        for s in shards {
            if let other = seen[s.manifest.shard] {
                throw .unusableInput("Shard \(s.manifest.shard) of \(first.manifest.shards) is given twice (\(other) and \(s.manifestPath)).")
            }
            seen[s.manifest.shard] = s.manifestPath
        }
        let missing = (0..<first.manifest.shards).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw .unusableInput("Shard\(missing.count == 1 ? "" : "s") \(list) of \(first.manifest.shards) \(missing.count == 1 ? "is" : "are") missing; a report needs every shard of the run.")
        }
        do {
            let scratch = scratchDirectory ?? (first.table.path as NSString).deletingLastPathComponent
            return (first.manifest, try TrialTable.merged(files: shards.map(\.table), scratchDirectory: scratch.isEmpty ? "." : scratch))
        } catch {
            throw .unusableInput("The shards do not make one run: \(error.description)")
        }
    }

    /// What two manifests of different runs differ in, in words.
    static func difference(_ a: ShardManifest, _ b: ShardManifest) -> String {
        if a.toolVersion != b.toolVersion || a.gslVersion != b.gslVersion || a.format != b.format {
            return "it was written by crmcase \(b.toolVersion) (GSL \(b.gslVersion)), the other by \(a.toolVersion) (GSL \(a.gslVersion))"
        }
        if a.scenarioSHA256 != b.scenarioSHA256 { return "its scenario file differs (another SHA-256)" }
        if a.assignments != b.assignments { return "its --set changes differ" }
        if a.seed != b.seed { return "its seed is \(b.seed), the other's \(a.seed)" }
        if a.trials != b.trials { return "it is a run of \(b.trials) trials, the other of \(a.trials)" }
        if a.shards != b.shards { return "it is one of \(b.shards) shards, the other one of \(a.shards)" }
        return "its settings (sampling, sampler, sensitivity or trials.csv) differ"
    }
}
