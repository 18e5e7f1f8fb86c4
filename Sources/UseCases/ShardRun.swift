import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import ScenarioFormat

/// `crmcase run|compare|sweep --shard K/N` and `crmcase merge`: a run, comparison or sweep cut
/// into ranges of trials that separate jobs (a Slurm job array, a Kubernetes Indexed Job, GNU
/// parallel) compute, and the report of the whole written from them — byte for byte the report
/// one `crmcase run` (`compare`, `sweep`) writes.
///
/// A shard is a JSON manifest and its trial tables (``MonteCarlo/TrialTable/writeBytes(_:)``):
/// one for a run, one per option of a comparison or value of a sweep, each over the shard's
/// trials. Shard K of N takes the blocks K·B/N ..< (K+1)·B/N of the run's B blocks of 256
/// trials, so shards start on block boundaries and their tables merge in trial order; every
/// random number is keyed by (seed, trial, …), so a trial is the same wherever it runs, and the
/// options or values of one shard face the same futures as in a single comparison or sweep.
public enum ShardRun {
    /// The manifest's and the tables' file names for shard `shard` of `shards` with `tables`
    /// trial tables: `shard-K-of-N.json` and `shard-K-of-N.table`, or, with several tables,
    /// `shard-K-of-N.P.table` (P from 0); K and P have leading zeros so that the files sort.
    public static func fileNames(shard: Int, of shards: Int, tables: Int = 1) -> (manifest: String, tables: [String]) {
        func padded(_ value: Int, below limit: Int) -> String {
            let width = String(max(1, limit - 1)).count
            return String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        let stem = "shard-\(padded(shard, below: shards))-of-\(shards)"
        let names = tables == 1 ? ["\(stem).table"] : (0..<tables).map { "\(stem).\(padded($0, below: tables)).table" }
        return ("\(stem).json", names)
    }

    /// Runs shard `shard` of `shards` of `job`: its files (the manifest first, then one trial
    /// table per part of the job), to be written into one folder.
    ///
    /// - Parameter progress: for part k, a callback for its trials done (or nil).
    public static func files(
        for job: ShardJob, shard: Int, of shards: Int,
        progress: (Int) -> (@Sendable (Int) -> Void)? = { _ in nil }
    ) throws -> [(name: String, contents: FilePieces)] {
        let range = TrialTable.blockAlignedRange(shard: shard, of: shards, trials: job.options.trials)
        let names = fileNames(shard: shard, of: shards, tables: job.parts.count)
        var tables: [ShardManifest.Table] = []
        var pieces: [(name: String, contents: FilePieces)] = []
        for (k, part) in job.parts.enumerated() {
            let table = Engine(model: part.model, options: job.options).table(for: range, progress: progress(k))
            // The table's checksum from its columns where they lie: no copy of a table that may
            // be gigabytes (it is written the same way, piece by piece).
            var hasher = SHA256.Hasher()
            _ = table.writeBytes { hasher.update($0); return 0 }
            tables.append(.init(label: part.label, file: names.tables[k], bytes: table.byteCount, sha256: hasher.finalize()))
            pieces.append((names.tables[k], FilePieces { write in table.writeBytes(write) }))
        }
        let manifest = ShardManifest(
            toolVersion: Provenance.toolVersion, gslVersion: GSL.version, command: job.command,
            scenarioFiles: job.scenarioFiles, scenarioSHA256: job.scenarioSHA256, fileSHA256: job.fileSHA256, assignments: job.assignments,
            vary: job.vary, seed: job.options.seed, trials: job.options.trials, sampling: job.options.sampling.rawValue,
            sampler: job.sampler.rawValue, sensitivity: job.sensitivity, trialsCSV: job.trialsCSV,
            shard: shard, shards: shards, firstTrial: range.lowerBound, endTrial: range.upperBound, tables: tables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return [(names.manifest, FilePieces(try encoder.encode(manifest) + Data("\n".utf8)))] + pieces
    }

    /// A shard read back: its manifest and its tables' files, checked against each other (each
    /// table's size, shape and trials); the tables are read, and their SHA-256 checked, when
    /// merged.
    public struct Shard: Sendable {
        public let manifestPath: String
        public let manifest: ShardManifest
        /// In the manifest's order.
        public let tables: [TrialTable.StoredTable]
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
              let format = try? JSONDecoder().decode(FormatOnly.self, from: data) else {
            throw .unusableInput("\(path) is not a shard manifest of crmcase (written by crmcase run, compare or sweep with --shard).")
        }
        guard format.format == ShardManifest.currentFormat else {
            throw .unusableInput("\(path) was written by another version of crmcase; compute the shards again with this one.")
        }
        // A manifest is JSON anyone can edit: every number is checked before it is used.
        guard let manifest = try? JSONDecoder().decode(ShardManifest.self, from: data), !manifest.tables.isEmpty,
              manifest.scenarioFiles.count == manifest.scenarioSHA256.count, manifest.scenarioFiles.count == manifest.fileSHA256.count,
              !manifest.scenarioFiles.isEmpty, (1...Limits.trials).contains(manifest.trials), manifest.shards >= 1,
              manifest.shards <= (manifest.trials + 255) / 256,
              (0..<manifest.shards).contains(manifest.shard), 0 <= manifest.firstTrial, manifest.firstTrial <= manifest.endTrial,
              manifest.endTrial <= manifest.trials else {
            throw .unusableInput("\(path) is not a shard manifest of crmcase (written by crmcase run, compare or sweep with --shard).")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var tables: [TrialTable.StoredTable] = []
        for entry in manifest.tables {
            let table = try readTable((folder as NSString).appendingPathComponent(entry.file), entry, manifestPath: path)
            guard table.shape.range == manifest.firstTrial..<manifest.endTrial, table.shape.runTrials == manifest.trials else {
                throw .unusableInput("\(table.path) holds other trials than its manifest says.")
            }
            tables.append(table)
        }
        return [Shard(manifestPath: path, manifest: manifest, tables: tables)]
    }

    /// Just the manifest's format, read first: a manifest of another format is refused by its
    /// format, not as unreadable.
    private struct FormatOnly: Decodable { var format: String }

    /// The table file at `tablePath`, checked against its entry in the manifest at
    /// `manifestPath`: its size and shape now; its SHA-256 as it is merged (``merge(_:scratchDirectory:)``),
    /// from the very bytes merged.
    private static func readTable(_ tablePath: String, _ entry: ShardManifest.Table, manifestPath: String) throws(CaseFailure) -> TrialTable.StoredTable {
        guard FileManager.default.fileExists(atPath: tablePath) else {
            throw .unusableInput("\(tablePath), a trial table of \(manifestPath), is missing.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: tablePath)[.size] as? NSNumber)?.intValue
        guard size == entry.bytes else { throw damaged(tablePath) }
        do {
            guard let opened = try TrialTable.StoredTable.open(tablePath) else {
                throw CaseFailure.unusableInput("\(tablePath), a trial table of \(manifestPath), could not be read.")
            }
            return opened
        } catch let error as TrialTable.BytesError {
            throw .unusableInput("\(tablePath): \(error.description)")
        } catch let error as CaseFailure {
            throw error
        } catch {
            throw .unusableInput("\(tablePath), a trial table of \(manifestPath), could not be read.")
        }
    }

    /// The sentence for a table file whose size or checksum is not its manifest's.
    private static func damaged(_ tablePath: String) -> CaseFailure {
        .unusableInput("\(tablePath) is not the table its manifest describes (its size or checksum differs): the file is damaged or from another run.")
    }

    /// One SHA-256 in progress per shard, each fed by one merge worker at a time.
    private final class Checksums: @unchecked Sendable {
        final class Box { var hasher = SHA256.Hasher() }
        let boxes: [Box]
        init(count: Int) { boxes = (0..<count).map { _ in Box() } }
    }

    /// The shards, checked to be one whole run: same tool, command, scenario, changes and
    /// settings, every shard of the run exactly once, ranges tiling the trials. Returns their
    /// common manifest (the first shard's) and the merged tables (one per part, in the
    /// manifest's order), which live in scratch files (deleted with the tables), not in memory: a
    /// merged run may be larger than the machine's memory. The files are made beside the first
    /// shard unless `scratchDirectory` says where: they are as large as the shards together, and
    /// where those fitted is the likeliest place with room (a cluster node's TMPDIR is often small).
    public static func merge(_ shards: [Shard], scratchDirectory: String? = nil,
                             threads: Int = Cores.available) throws(CaseFailure) -> (manifest: ShardManifest, tables: [TrialTable]) {
        let first = try check(shards)
        let scratch = scratchDirectory ?? (first.manifestPath as NSString).deletingLastPathComponent
        var tables: [TrialTable] = []
        for part in first.manifest.tables.indices {
            // Each shard's table is hashed as it is read into the merged one: one read per file,
            // and what is checked is exactly what was merged.
            let checksums = Checksums(count: shards.count)
            do throws(TrialTable.MergeError) {
                tables.append(try TrialTable.merged(files: shards.map { $0.tables[part] }, scratchDirectory: scratch.isEmpty ? "." : scratch,
                                                    threads: max(1, threads)) { i, bytes in checksums.boxes[i].hasher.update(bytes) })
            } catch {
                throw .unusableInput("The shards do not make one run: \(error.description)")
            }
            for (i, shard) in shards.enumerated() where checksums.boxes[i].hasher.finalize() != shard.manifest.tables[part].sha256 {
                throw damaged(shard.tables[part].path)
            }
        }
        return (first.manifest, tables)
    }

    /// The shards, checked to be one whole run written by this version of crmcase (without
    /// reading their tables): the first of them.
    public static func check(_ shards: [Shard]) throws(CaseFailure) -> Shard {
        guard let first = shards.first else { throw .unusableInput("There are no shards to merge.") }
        // The merge analyses and renders with its own code: byte for byte the single run's
        // report only if that is the code that computed the shards.
        if first.manifest.toolVersion != Provenance.toolVersion || first.manifest.gslVersion != GSL.version {
            throw .unusableInput("\(first.manifestPath) was written by crmcase \(first.manifest.toolVersion) (GSL \(first.manifest.gslVersion)), this is crmcase \(Provenance.toolVersion) (GSL \(GSL.version)); merge the shards with the crmcase that computed them.")
        }
        for s in shards where s.manifest.runSettings != first.manifest.runSettings {
            throw .unusableInput("\(s.manifestPath) is a shard of another run than \(first.manifestPath): "
                + first.manifest.difference(from: s.manifest) + ". Merge the shards of one run only.")
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
        return first
    }
}
