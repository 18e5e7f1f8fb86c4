import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import UseCases

extension CRMCase {
    /// `crmcase merge`: the report of a run, comparison or sweep from its shards.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the report of a run, comparison or sweep from its shards (--shard K/N).",
            usage: """
              crmcase merge Shards/car-dealership
              crmcase merge Shards/car-dealership/shard-*.json --out Reports/dealer-1e8
            """,
            discussion: """
            Checks that the shards are one whole run — the same command (run, compare or sweep), crmcase \
            and GSL, scenario files (their SHA-256), --set changes, --vary, seed, trials, sampling and \
            sampler, every shard once, their tables whole (SHA-256) — and refuses with one sentence \
            otherwise. The report is byte for byte the one a single `crmcase run` (`compare`, `sweep`) \
            with the same options writes. The scenario files are read again from the paths the shards \
            name (or --scenario), and must be unchanged.
            """)

        @Argument(help: "Shard manifests (shard-K-of-N.json), or folders holding them.", completion: .file(extensions: ["json"]))
        var shards: [String]

        @Option(name: .long, help: ArgumentHelp("A scenario file, if not where the shards were run from (repeat it for a comparison of several files, in their order).", valueName: "file"))
        var scenario: [String] = []

        @Option(name: .long, help: ArgumentHelp("Report folder (default: as the single command would choose).", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: "Worker threads for reading the shards and for the report's sensitivity analysis. Does not change any result.")
        var threads: Int?

        @OptionGroup var csv: CSVOptions

        func validate() throws {
            guard !shards.isEmpty else { throw ValidationError("Give the shards to merge (their manifests or folder).") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            var read: [ShardRun.Shard] = []
            for path in shards { read += try ShardRun.read(path) }
            let first = try ShardRun.check(read).manifest
            // What the merge holds besides the merged tables (which live in scratch files).
            let parts = first.tables.count
            let what = (parts == 1 ? "" : "\(parts) \(first.command == .sweep ? "values" : "options") of ")
                + "\(Limits.grouped(first.trials)) trials" + (first.sensitivity ? " with their sensitivity analysis" : "")
            try MemoryCheck.require(MemoryBudget.mergeBytes(trials: first.trials * parts, sensitivity: first.sensitivity),
                                    what: "merging " + what,
                                    fix: first.sensitivity ? "merge on a machine with more memory, or run the shards again with --no-sensitivity"
                                        : "merge on a machine with more memory")
            let (manifest, tables) = try ShardRun.merge(read, threads: threads ?? Cores.available)
            let merged = try MergedShards(manifest: manifest, tables: tables, scenarioFiles: scenario.isEmpty ? nil : scenario,
                                          threads: threads)
            let folder = out ?? merged.defaultFolder
            try checkReportFolder(folder, inputs: merged.scenarioFiles)
            let written = try writeReport(merged.files(), to: folder, inputs: merged.scenarioFiles, csv: csv)
            print("Wrote \(folder)/\(merged.mainFile) from \(read.count) shard\(read.count == 1 ? "" : "s") (\(written.joined(separator: ", "))).")
        }
    }
}
