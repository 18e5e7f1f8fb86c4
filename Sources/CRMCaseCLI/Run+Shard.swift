import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

extension CRMCase.Run {
    /// `crmcase run … --shard K/N`: computes the shard's trials and writes its manifest and trial
    /// table into the shard folder (``ShardRun``); no report.
    func runShard(_ k: Int, of n: Int) throws {
        let loaded = try changes.load(scenario)
        try MemoryCheck.require(BusinessCaseRun.memoryEstimate(loaded, trials: (trials + n - 1) / n + 256),
                                what: "its shard of \(Limits.grouped((trials + n - 1) / n)) trials", option: "--trials")
        let folder = out ?? "Shards/\(loaded.baseName)"
        let options = Engine.Options(trials: trials, seed: simulation.seed, threads: simulation.threads, sampling: sampling)
        let range = TrialTable.blockAlignedRange(shard: k, of: n, trials: trials)
        let files = try ShardRun.files(
            for: loaded, scenarioFile: scenario, assignments: changes.assignments, options: options,
            sampler: simulation.sampler, shard: k, of: n, sensitivity: !noSensitivity, trialsCSV: trialsCSV,
            progress: progress.line(total: range.count)?.update)
        progress.clear()
        SignalCleanup.install()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CaseFailure.unusableInput("The shard folder \(folder) could not be made: \(error.localizedDescription)")
        }
        // The table first, then the manifest that vouches for it: a kill in between leaves no
        // manifest, so the merge says the shard is missing rather than reading half of one.
        for (name, data) in files.reversed() {
            do {
                try AtomicFile.write(data, to: (folder as NSString).appendingPathComponent(name))
            } catch {
                throw CaseFailure.cannotWrite(error)
            }
        }
        print("Wrote shard \(k) of \(n) (trials \(range.lowerBound)–\(range.upperBound - 1)) to \(folder)/\(files[0].name).")
    }
}

extension CRMCase {
    /// `crmcase merge`: the report of a run from its shards.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the report of a run from its shards (crmcase run --shard K/N).",
            usage: """
              crmcase merge Shards/car-dealership
              crmcase merge Shards/car-dealership/shard-*.json --out Reports/dealer-1e8
            """,
            discussion: """
            Checks that the shards are one whole run — the same crmcase and GSL, scenario file (its SHA-256), \
            --set changes, seed, trials, sampling and sampler, every shard once, their tables whole (SHA-256) — \
            and refuses with one sentence otherwise. The report is byte for byte the one a single \
            `crmcase run` with the same options writes. The scenario file is read again from the path the \
            shards name (or --scenario), and must be unchanged.
            """)

        @Argument(help: "Shard manifests (shard-K-of-N.json), or folders holding them.", completion: .file(extensions: ["json"]))
        var shards: [String]

        @Option(name: .long, help: ArgumentHelp("The scenario file, if not where the shards were run from.", valueName: "file"))
        var scenario: String?

        @Option(name: .long, help: ArgumentHelp("Report folder (default: as crmcase run would choose).", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: "Worker threads for the report's sensitivity analysis. Does not change any result.")
        var threads: Int?

        @OptionGroup var csv: CSVOptions

        func validate() throws {
            guard !shards.isEmpty else { throw ValidationError("Give the shards to merge (their manifests or folder).") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            var read: [ShardRun.Shard] = []
            for path in shards { read += try ShardRun.read(path) }
            let (manifest, table) = try ShardRun.merge(read)
            let file = scenario ?? manifest.scenarioFile
            let loaded = try ScenarioLoading.load(file, overrides: manifest.assignments.compactMap { Override.parse($0) })
            guard loaded.sha256 == manifest.scenarioSHA256 else {
                throw CaseFailure.unusableInput("\(file) is not the scenario file the shards were run on (its SHA-256 differs): it was changed since, or give the right one with --scenario.")
            }
            guard let sampler = CountSampler(rawValue: manifest.sampler), let sampling = Sampling(rawValue: manifest.sampling) else {
                throw CaseFailure.unusableInput("The shards name a sampler or sampling plan this crmcase does not know.")
            }
            let model = TrialModel(scenario: loaded.scenario, countSampler: sampler)
            let options = Engine.Options(trials: manifest.trials, seed: manifest.seed, threads: threads, sampling: sampling)
            let result = SimulationResult(model: model, options: options, table: table)
            let folder = out ?? BusinessCaseRun.defaultFolder(loaded)
            try checkReportFolder(folder, inputs: [file])
            let files = BusinessCaseRun.files(for: loaded, scenarioFile: manifest.scenarioFile, result: result,
                                              trialsCSV: manifest.trialsCSV, sensitivity: manifest.sensitivity)
            let written = try writeReport(files, to: folder, inputs: [file], csv: csv)
            print("Wrote \(folder)/report.md from \(read.count) shard\(read.count == 1 ? "" : "s") (\(written.joined(separator: ", "))).")
        }
    }
}
