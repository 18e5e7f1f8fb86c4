import Foundation
import Testing
import MonteCarlo
import CRMModel
import ScenarioFormat

/// `crmcase run --shard K/N` and `crmcase merge`: the merged report is the single run's, byte for
/// byte, and a set of shards that is not one whole run is refused in one sentence.
@Suite("Sharded runs", .serialized)
struct ShardTests {
    static let base = ["run", "Scenarios/car-dealership.yaml", "--trials", "2000", "--seed", "3", "--trials-csv"]

    /// Every file of a report folder (not the marker), by name.
    static func contents(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    static func shard(_ crmcase: String, _ k: Int, of n: Int, into folder: URL, extra: [String] = []) throws {
        let result = try CLI.run(crmcase, base + ["--shard", "\(k)/\(n)", "--out", folder.path] + extra, in: CLI.packageRoot)
        try #require(result.status == 0, "shard \(k)/\(n): \(result.stderr)")
    }

    @Test("The merged shards write the single run's report byte for byte (1, 2, 3 and 7 shards)")
    func mergedEqualsSingle() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("shards")
        let single = scratch.url.appendingPathComponent("single")
        let run = try CLI.run(crmcase, Self.base + ["--out", single.path], in: CLI.packageRoot)
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try Self.contents(single)
        #expect(expected["trials.csv"] != nil && expected["sensitivity.csv"] != nil)
        for n in [1, 2, 3, 7] {
            let shards = scratch.url.appendingPathComponent("shards-\(n)")
            // In reverse order, as a scheduler may finish them.
            for k in (0..<n).reversed() { try Self.shard(crmcase, k, of: n, into: shards) }
            let merged = scratch.url.appendingPathComponent("merged-\(n)")
            let merge = try CLI.run(crmcase, ["merge", shards.path, "--out", merged.path, "--threads", "1"], in: CLI.packageRoot)
            try #require(merge.status == 0, "\(merge.stderr)")
            let produced = try Self.contents(merged)
            #expect(produced.keys.sorted() == expected.keys.sorted(), "\(n) shards: the same files")
            for (name, data) in expected { #expect(produced[name] == data, "\(n) shards: \(name) differs") }
        }
    }

    /// Shards `k` of `n` of `command` (a comparison or a sweep) into `folder`, in reverse order.
    static func shards(_ crmcase: String, _ command: [String], _ n: Int, into folder: URL) throws {
        for k in (0..<n).reversed() {
            let result = try CLI.run(crmcase, command + ["--shard", "\(k)/\(n)", "--out", folder.path, "--quiet"], in: CLI.packageRoot)
            try #require(result.status == 0, "shard \(k)/\(n) of \(command[0]): \(result.stderr)")
        }
    }

    @Test("Merged shards of a comparison and of a sweep write the single command's report byte for byte",
          arguments: [
            (["compare", "Scenarios/car-dealership-levers.variants.yaml", "--trials", "1300", "--seed", "3"], [1, 3]),
            (["compare", "Scenarios/car-dealership.yaml", "Scenarios/b2b-distributor.yaml", "--trials", "700",
              "--set", "discount_rate=9%"], [2]),
            (["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:60:20", "--trials", "1100", "--seed", "4"], [2, 3]),
          ])
    func mergedComparisonAndSweep(command: [String], shardCounts: [Int]) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("shards")
        let single = scratch.url.appendingPathComponent("single")
        let run = try CLI.run(crmcase, command + ["--out", single.path, "--quiet"], in: CLI.packageRoot)
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try Self.contents(single)
        #expect(expected["\(command[0]).md"] != nil)
        for n in shardCounts {
            let shards = scratch.url.appendingPathComponent("shards-\(n)")
            try Self.shards(crmcase, command, n, into: shards)
            let merged = scratch.url.appendingPathComponent("merged-\(n)")
            let merge = try CLI.run(crmcase, ["merge", shards.path, "--out", merged.path], in: CLI.packageRoot)
            try #require(merge.status == 0, "\(merge.stderr)")
            #expect(merge.stdout.contains("\(command[0]).md from \(n) shard"))
            let produced = try Self.contents(merged)
            #expect(produced.keys.sorted() == expected.keys.sorted(), "\(n) shards: the same files")
            for (name, data) in expected { #expect(produced[name] == data, "\(command[0]), \(n) shards: \(name) differs") }
        }
    }

    @Test("Shards of different commands, ranges or changed variants are refused in one sentence, and nothing is written")
    func comparisonAndSweepRefusals() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("shards")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Scenarios"),
                                         to: scratch.url.appendingPathComponent("Scenarios"))
        func shard(_ arguments: [String], _ k: Int, _ folder: String) throws {
            let result = try CLI.run(crmcase, arguments + ["--trials", "600", "--shard", "\(k)/2", "--out", folder, "--quiet"], in: scratch.url)
            try #require(result.status == 0, "\(result.stderr)")
        }
        let variants = "Scenarios/car-dealership-levers.variants.yaml"
        try shard(["compare", variants], 0, "compare")
        try shard(["compare", variants], 1, "compare")
        try shard(["run", "Scenarios/car-dealership-levers.variants.yaml"], 1, "run")
        try shard(["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:40:10"], 0, "sweep")
        try shard(["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:50:10"], 1, "sweep-other")

        let cases: [(String, [String], String)] = [
            ("run with compare", ["compare/shard-0-of-2.json", "run/shard-1-of-2.json"],
             "is a shard of another run than compare/shard-0-of-2.json: it is a shard of crmcase run, the other of crmcase compare"),
            ("other range", ["sweep/shard-0-of-2.json", "sweep-other/shard-1-of-2.json"],
             "it varies licences.seats=20:50:10, the other licences.seats=20:40:10"),
            ("missing part", ["compare/shard-1-of-2.json"], "Shard 0 of 2 is missing"),
        ]
        for (label, arguments, sentence) in cases {
            let result = try CLI.run(crmcase, ["merge"] + arguments + ["--out", "report"], in: scratch.url)
            #expect(result.status == 1, "\(label): exit \(result.status)")
            #expect(result.stderr.contains(sentence), "\(label): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("report")), "\(label): a report was written")
        }
        // Shards whose merge would not fit in memory are refused before anything is merged.
        let small = try CLI.run(crmcase, ["merge", "compare", "--out", "report"], in: scratch.url,
                                environment: ["CRMCASE_MEMORY_AVAILABLE": "100000000"])
        #expect(small.status != 0 && small.stderr.contains("for merging 5 options of 600 trials") && small.stderr.contains("merge on a machine with more memory"),
                "\(small.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("report")))
        // Manifests edited by hand: another crmcase's, or numbers that cannot be.
        let manifestText = try String(contentsOfFile: scratch.path("compare/shard-0-of-2.json"), encoding: .utf8)
        for (label, from, to, sentence) in [
            ("version", "\"toolVersion\" : \"", "\"toolVersion\" : \"0.0.9-", "this is crmcase"),
            ("range", "\"firstTrial\" : 0", "\"firstTrial\" : 900", "is not a shard manifest of crmcase"),
            ("shards", "\"shards\" : 2", "\"shards\" : -2", "is not a shard manifest of crmcase"),
        ] {
            let folder = scratch.url.appendingPathComponent("edited-\(label)")
            try FileManager.default.copyItem(at: scratch.url.appendingPathComponent("compare"), to: folder)
            #expect(manifestText.contains(from), "\(label)")
            try manifestText.replacingOccurrences(of: from, with: to)
                .write(to: folder.appendingPathComponent("shard-0-of-2.json"), atomically: true, encoding: .utf8)
            let result = try CLI.run(crmcase, ["merge", folder.path, "--out", "report"], in: scratch.url)
            #expect(result.status == 1 && result.stderr.contains(sentence), "\(label): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("report")), "\(label)")
        }
        // A table of another option in place of one: its checksum gives it away.
        try FileManager.default.removeItem(atPath: scratch.path("compare/shard-1-of-2.2.table"))
        try FileManager.default.copyItem(atPath: scratch.path("compare/shard-1-of-2.3.table"), toPath: scratch.path("compare/shard-1-of-2.2.table"))
        let swapped = try CLI.run(crmcase, ["merge", "compare", "--out", "report"], in: scratch.url)
        #expect(swapped.status == 1 && swapped.stderr.contains("its size or checksum differs"), "\(swapped.stderr)")
        try FileManager.default.removeItem(atPath: scratch.path("compare/shard-1-of-2.2.table"))
        try shard(["compare", variants], 1, "compare")
        // The variants file changed after the shards were run: they no longer describe it.
        let file = scratch.url.appendingPathComponent(variants)
        try (try String(contentsOf: file, encoding: .utf8) + "\n# edited\n").write(to: file, atomically: true, encoding: .utf8)
        let changed = try CLI.run(crmcase, ["merge", "compare", "--out", "report"], in: scratch.url)
        #expect(changed.status == 1, "exit \(changed.status)")
        #expect(changed.stderr.contains("is not the scenario file the shards were run on (its SHA-256 differs)"), "\(changed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("report")))
    }

    @Test("Sets of shards that are not one whole run are refused in one sentence, and nothing is written")
    func refusals() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("shards")
        let good = scratch.url.appendingPathComponent("good")
        for k in 0..<3 { try Self.shard(crmcase, k, of: 3, into: good) }
        let otherSeed = scratch.url.appendingPathComponent("seed")
        try Self.shard(crmcase, 2, of: 3, into: otherSeed, extra: ["--seed", "4"])
        func manifest(_ folder: URL, _ k: Int) -> String { folder.appendingPathComponent("shard-\(k)-of-3.json").path }

        let damaged = scratch.url.appendingPathComponent("damaged")
        try FileManager.default.copyItem(at: good, to: damaged)
        let table = damaged.appendingPathComponent("shard-1-of-3.table")
        var bytes = try Data(contentsOf: table)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: table)
        let truncated = scratch.url.appendingPathComponent("truncated")
        try FileManager.default.copyItem(at: good, to: truncated)
        let cut = truncated.appendingPathComponent("shard-2-of-3.table")
        try Data(contentsOf: cut).prefix(1000).write(to: cut)

        let cases: [(String, [String], String)] = [
            ("missing", [manifest(good, 0), manifest(good, 2)], "Shard 1 of 3 is missing"),
            ("duplicate", [manifest(good, 0), manifest(good, 1), manifest(good, 1), manifest(good, 2)], "given twice"),
            ("mixed seeds", [manifest(good, 0), manifest(good, 1), manifest(otherSeed, 2)], "its seed is 4, the other's 3"),
            ("damaged", [damaged.path], "its size or checksum differs"),
            ("truncated", [truncated.path], "its size or checksum differs"),
            ("not a shard", [CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path], "is not a shard manifest"),
        ]
        for (label, arguments, sentence) in cases {
            let out = scratch.url.appendingPathComponent("report-\(label.replacingOccurrences(of: " ", with: "-"))")
            let result = try CLI.run(crmcase, ["merge"] + arguments + ["--out", out.path], in: CLI.packageRoot)
            #expect(result.status == 1, "\(label): exit \(result.status)")
            #expect(result.stderr.contains(sentence), "\(label): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(label): a report was written")
        }
        let bad = try CLI.run(crmcase, Self.base + ["--shard", "3/3"], in: CLI.packageRoot)
        #expect(bad.status == 64 && bad.stderr.contains("0 ≤ K < N"))
        let precision = try CLI.run(crmcase, Self.base + ["--shard", "0/3", "--precision", "2%"], in: CLI.packageRoot)
        #expect(precision.status == 64)
    }

    /// A scratch copy of the examples to run the cluster scripts in, and the single run's report
    /// of `arguments` there to compare with.
    static func clusterCase(_ crmcase: String, _ arguments: [String]) throws -> (ScratchFolder, [String: Data]) {
        let scratch = try ScratchFolder("cluster")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Scenarios"),
                                         to: scratch.url.appendingPathComponent("Scenarios"))
        let single = try CLI.run(crmcase, arguments + ["--out", "single"], in: scratch.url)
        try #require(single.status == 0, "\(single.stderr)")
        return (scratch, try contents(scratch.url.appendingPathComponent("single")))
    }

    /// What the scheduler does with the scripts `crmcase slurm` wrote into `shards/`: every task
    /// of the array with its SLURM_ARRAY_TASK_ID (the #SBATCH lines are comments to bash), in the
    /// order `tasks`, then the merge; the files of the merged report (`merged/`).
    static func runAsSlurm(in scratch: ScratchFolder, tasks: [Int]) throws -> [String: Data] {
        for k in tasks {
            let task = try CLI.run("/bin/bash", [scratch.path("shards/shards.sbatch")], in: scratch.url,
                                   environment: ["SLURM_ARRAY_TASK_ID": String(k)])
            try #require(task.status == 0, "task \(k): \(task.stderr)")
        }
        let merge = try CLI.run("/bin/bash", [scratch.path("shards/merge.sbatch")], in: scratch.url)
        try #require(merge.status == 0, "\(merge.stderr)")
        return try contents(scratch.url.appendingPathComponent("merged"))
    }

    @Test("crmcase slurm's scripts, run as Slurm would run them (each array task, then the merge), give the single run's report")
    func slurmScripts() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let run = ["run", "Scenarios/car-dealership.yaml", "--trials", "1500", "--seed", "5", "--set", "licences.seats=40"]
        let (scratch, expected) = try Self.clusterCase(crmcase, run)
        let made = try CLI.run(crmcase, ["slurm", "Scenarios/car-dealership.yaml", "--shards", "4", "--trials", "1500", "--seed", "5",
                                         "--set", "licences.seats=40", "--out", "shards", "--report", "merged"], in: scratch.url)
        try #require(made.status == 0, "\(made.stderr)")
        let array = try String(contentsOfFile: scratch.path("shards/shards.sbatch"), encoding: .utf8)
        #expect(array.contains("#SBATCH --array=0-3"))
        let submit = try String(contentsOfFile: scratch.path("shards/submit.sh"), encoding: .utf8)
        #expect(submit.contains("--dependency=afterok:"))
        let produced = try Self.runAsSlurm(in: scratch, tasks: [3, 1, 0, 2])
        #expect(produced.keys.sorted() == expected.keys.sorted())
        for (name, data) in expected { #expect(produced[name] == data, "\(name) differs") }
    }

    @Test("crmcase slurm --compare and --vary write scripts whose tasks and merge give the single comparison's and sweep's report",
          arguments: [
            (["compare", "Scenarios/car-dealership-levers.variants.yaml"], ["--compare"]),
            (["sweep", "Scenarios/car-dealership.yaml", "--vary", "adoption.go_live=3:9:3"], []),
          ])
    func slurmComparisonAndSweep(command: [String], slurmFlags: [String]) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let settings = ["--trials", "800", "--seed", "6"]
        let (scratch, expected) = try Self.clusterCase(crmcase, command + settings)
        let made = try CLI.run(crmcase, ["slurm"] + command.dropFirst() + slurmFlags + settings
                                   + ["--shards", "3", "--out", "shards", "--report", "merged"], in: scratch.url)
        try #require(made.status == 0, "\(made.stderr)")
        let array = try String(contentsOfFile: scratch.path("shards/shards.sbatch"), encoding: .utf8)
        #expect(array.contains("crmcase \(command[0]) "), "\(array)")
        let produced = try Self.runAsSlurm(in: scratch, tasks: [2, 0, 1])
        #expect(produced.keys.sorted() == expected.keys.sorted())
        for (name, data) in expected { #expect(produced[name] == data, "\(name) differs") }
    }

    @Test("The same shards through GNU parallel, then merged, give the single run's report")
    func gnuParallel() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let parallel = try #require(["/usr/bin/parallel", "/usr/local/bin/parallel"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "GNU parallel is not installed: scripts/setup.sh installs it")
        let run = ["run", "Scenarios/b2b-distributor.yaml", "--trials", "1300", "--no-sensitivity"]
        let (scratch, expected) = try Self.clusterCase(crmcase, run)
        let shards = try CLI.run(parallel, ["--will-cite", "--halt", "now,fail=1", crmcase] + run + ["--shard", "{}/5", "--out", "shards", ":::"]
                                 + (0..<5).map(String.init), in: scratch.url)
        try #require(shards.status == 0, "\(shards.stderr)")
        let merge = try CLI.run(crmcase, ["merge", "shards", "--out", "merged"], in: scratch.url)
        try #require(merge.status == 0, "\(merge.stderr)")
        let produced = try Self.contents(scratch.url.appendingPathComponent("merged"))
        #expect(produced.keys.sorted() == expected.keys.sorted())
        for (name, data) in expected { #expect(produced[name] == data, "\(name) differs") }
    }

    @Test("A trial table read back from its bytes is the same table; cut or altered bytes never crash")
    func bytes() throws {
        let model = TrialModel(scenario: try ScenarioLoader.load(
            path: CLI.packageRoot.appendingPathComponent("Scenarios/b2b-distributor.yaml").path).scenario)
        let engine = Engine(model: model, options: .init(trials: 700, seed: 9, bandTrials: 300))
        let table = engine.table(for: 256..<700)
        let data = table.bytes()
        let back = try TrialTable.fromBytes(data)
        #expect(back.bytes() == data)
        #expect(back.range == 256..<700)
        for cut in [0, 7, 8, 16, 95, 96, 200, data.count / 3, data.count - 1] {
            #expect(throws: TrialTable.BytesError.self) { try TrialTable.fromBytes(data.prefix(cut)) }
        }
        #expect(throws: TrialTable.BytesError.self) { try TrialTable.fromBytes(data + Data([0])) }
        var shape = data
        shape[8 + 8 + 8 * 3] = 0x7F   // segments: absurd
        #expect(throws: TrialTable.BytesError.self) { try TrialTable.fromBytes(shape) }
    }

    @Test("Shards merged from their files into a scratch file are the shards merged in memory, byte for byte")
    func mergedFromFiles() throws {
        let model = TrialModel(scenario: try ScenarioLoader.load(
            path: CLI.packageRoot.appendingPathComponent("Scenarios/b2b-distributor.yaml").path).scenario)
        let trials = 1_900
        let engine = Engine(model: model, options: .init(trials: trials, seed: 9, bandTrials: 600))
        let scratch = try ScratchFolder("stored-tables")
        for n in [1, 2, 3, 7] {
            let tables = (0..<n).map { engine.table(for: TrialTable.blockAlignedRange(shard: $0, of: n, trials: trials)) }
            var stored: [TrialTable.StoredTable] = []
            for (k, table) in tables.enumerated().reversed() {
                let path = scratch.url.appendingPathComponent("\(n)-\(k).table").path
                try table.bytes().write(to: URL(fileURLWithPath: path))
                let opened = try #require(try TrialTable.StoredTable.open(path))
                #expect(opened.shape == table.shape)
                stored.append(opened)
            }
            // Read on two workers, each file's bytes shown in order to the observer: exactly the
            // file (what the shard's checksum is taken of).
            let seen = ObservedBytes(count: stored.count)
            let fromFiles = try TrialTable.merged(files: stored, scratchDirectory: scratch.url.path, threads: 2) { i, bytes in
                seen.parts[i].data.append(contentsOf: bytes)
            }
            for (i, file) in stored.enumerated() {
                #expect(seen.parts[i].data == (try Data(contentsOf: URL(fileURLWithPath: file.path))), "\(n) shards: file \(i) as observed")
            }
            #expect(fromFiles.bytes() == (try TrialTable.merged(tables)).bytes(), "\(n) shards")
            #expect(fromFiles.bytes() == engine.table(for: 0..<trials).bytes(), "\(n) shards against one table")
        }
        // The scratch file is unlinked as soon as it is made: nothing is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("crmcase-merge") }
        #expect(left.isEmpty)

        // A table file cut short, or padded, is refused by its size; a scratch folder that does not
        // exist gives a sentence naming it and what to do.
        let whole = scratch.url.appendingPathComponent("1-0.table")
        let data = try Data(contentsOf: whole)
        for (name, bytes) in [("cut", data.prefix(data.count - 8)), ("padded", data + Data([0]))] {
            let path = scratch.url.appendingPathComponent("\(name).table")
            try bytes.write(to: path)
            #expect(throws: TrialTable.BytesError.damaged) { _ = try TrialTable.StoredTable.open(path.path) }
        }
        let good = try #require(try TrialTable.StoredTable.open(whole.path))
        #expect(throws: TrialTable.MergeError.self) {
            _ = try TrialTable.merged(files: [good], scratchDirectory: "/nonexistent-crmcase-folder")
        }
        do {
            _ = try TrialTable.merged(files: [good], scratchDirectory: "/nonexistent-crmcase-folder")
        } catch {
            #expect(error.description.hasPrefix("No scratch file for the merged trial table could be made in /nonexistent-crmcase-folder"))
            #expect(error.description.hasSuffix("(No such file or directory)."), "\(error.description)")
        }
    }
}

/// What the merge showed of each file, one buffer per file (each filled by one worker).
private final class ObservedBytes: @unchecked Sendable {
    final class Part { var data = Data() }
    let parts: [Part]
    init(count: Int) { parts = (0..<count).map { _ in Part() } }
}
