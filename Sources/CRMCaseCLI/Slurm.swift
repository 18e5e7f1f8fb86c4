import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

extension CRMCase {
    /// `crmcase slurm`: writes the batch scripts of a sharded run (``SlurmScripts``).
    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Slurm batch scripts that run a case, comparison or sweep as a job array of shards and merge them.",
            usage: """
              crmcase slurm Scenarios/car-dealership.yaml --shards 100 --trials 100000000
              crmcase slurm Scenarios/car-dealership-levers.variants.yaml --compare --shards 20 --trials 2000000
              crmcase slurm Scenarios/car-dealership.yaml --vary licences.seats=20:60:10 --shards 20 --trials 2000000
              sh Shards/car-dealership/submit.sh          # on the cluster's login node
            """,
            discussion: """
            Writes shards.sbatch (a job array, one task per shard: crmcase run --shard K/N, or compare or \
            sweep with --compare or --vary), merge.sbatch (crmcase merge, started only when every shard \
            succeeded: --dependency=afterok) and submit.sh into the shard folder. The merged report is \
            byte for byte the one the single command writes.
            """)

        @Argument(help: "The scenario file (YAML); with --compare, several, or one with variants.", completion: .file(extensions: ["yaml", "yml"]))
        var scenarios: [String]

        @Flag(name: .long, help: "Shard crmcase compare of the scenario files instead of a run.")
        var compare = false

        @Option(name: .long, help: ArgumentHelp("Shard crmcase sweep over this range instead of a run.", valueName: "path=from:to:step"))
        var vary: String?

        @Option(name: .long, help: "How many shards (jobs of the array).")
        var shards: Int

        @Option(name: .long, help: "Number of simulated futures (trials) of the whole run (per option or value).")
        var trials: Int = 20_000

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: "Sampling plan of a run: mc (plain Monte Carlo) or lhs (Latin hypercube).")
        var sampling: Sampling = .monteCarlo

        @Flag(name: .customLong("no-sensitivity"), help: "Leave out a run's sensitivity analysis.")
        var noSensitivity = false

        @Option(name: .long, help: ArgumentHelp("Shard folder, also for the scripts (default: Shards/<scenario file name>, or Shards/<name>-compare, Shards/<name>-sweep).", valueName: "dir"))
        var out: String?

        @Option(name: .customLong("report"), help: ArgumentHelp("Report folder the merge writes (default: as the single command would choose).", valueName: "dir"))
        var report: String?

        @Option(name: .long, help: "Wall-clock limit per job, HH:MM:SS.")
        var time: String = "02:00:00"

        func validate() throws {
            guard !scenarios.isEmpty else { throw ValidationError("Give the scenario file.") }
            if compare && vary != nil { throw ValidationError("--compare and --vary cannot go together: shard a comparison or a sweep.") }
            if !compare && scenarios.count > 1 {
                throw ValidationError(vary == nil ? "Several scenario files are compared: add --compare."
                                                  : "A sweep varies one scenario file: give one.")
            }
            if compare || vary != nil {
                if sampling != .monteCarlo { throw ValidationError("--sampling is an option of a run, not of a comparison or sweep.") }
                if noSensitivity { throw ValidationError("--no-sensitivity is an option of a run: a comparison or sweep has no sensitivity analysis.") }
            }
            if let vary {
                do { _ = try SweepRange(vary) } catch { throw ValidationError(error.description) }
            }
            try CommandLineLimits.trials(trials)
            let blocks = (trials + 255) / 256
            guard (1...blocks).contains(shards) else {
                throw ValidationError("--shards must be between 1 and \(blocks) (\(Limits.grouped(trials)) trials make \(blocks) blocks of 256).")
            }
            guard time.range(of: #"^[0-9]{1,3}:[0-5][0-9]:[0-5][0-9]$"#, options: .regularExpression) != nil else {
                throw ValidationError("--time \(TerminalText.escaped(time)): write it as HH:MM:SS, e.g. 02:00:00.")
            }
        }

        func run() throws {
            let perShardTrials = (trials + shards - 1) / shards + 256
            // The command each task runs (without --shard and --out), the folders, and the bytes of
            // per-trial storage of one shard and of the whole (every option or value).
            var arguments: [String]
            let folder: String, reportFolder: String, perShard: Double, whole: Int, name: String
            if compare {
                let options = try ComparisonRun.options(scenarios: scenarios, overrides: changes.overrides)
                arguments = ["compare"] + scenarios
                folder = out ?? "Shards/\(options[0].loaded.baseName)-compare"
                reportFolder = report ?? ComparisonRun.defaultFolder(options, overrides: changes.overrides)
                perShard = options.map { BusinessCaseRun.memoryEstimate($0.loaded, trials: perShardTrials) }.reduce(0, +)
                whole = options.count
                name = options[0].loaded.baseName + "-compare"
            } else if let vary {
                let range = try SweepRange(vary)
                let loaded = try SweepRun.load(scenarios[0], overrides: changes.overrides, range: range, value: 0)
                arguments = ["sweep", scenarios[0], "--vary", vary]
                folder = out ?? "Shards/\(loaded.baseName)-sweep"
                reportFolder = report ?? SweepRun.defaultFolder(loaded, overrides: changes.overrides)
                perShard = Double(range.values.count) * BusinessCaseRun.memoryEstimate(loaded, trials: perShardTrials)
                whole = range.values.count
                name = loaded.baseName + "-sweep"
            } else {
                let loaded = try changes.load(scenarios[0])
                arguments = ["run", scenarios[0], "--sampling", sampling.rawValue]
                if noSensitivity { arguments.append("--no-sensitivity") }
                folder = out ?? "Shards/\(loaded.baseName)"
                reportFolder = report ?? BusinessCaseRun.defaultFolder(loaded)
                perShard = BusinessCaseRun.memoryEstimate(loaded, trials: perShardTrials)
                whole = 1
                name = loaded.baseName
            }
            arguments += ["--trials", String(trials), "--seed", String(simulation.seed), "--sampler", simulation.sampler.rawValue, "--quiet"]
            for assignment in changes.assignments { arguments += ["--set", assignment] }
            let mergeBytes = MemoryBudget.mergeBytes(trials: trials * whole, sensitivity: !compare && vary == nil && !noSensitivity)
            let scripts = SlurmScripts(
                executable: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path,
                workingFolder: FileManager.default.currentDirectoryPath, runArguments: arguments, shards: shards,
                shardFolder: folder, reportFolder: reportFolder,
                memoryMB: max(512, Int(perShard * 1.5 / 1_048_576) + 256),
                // The merged table is in a scratch file; the job needs the merge's own memory and
                // room for the page cache to hold some of the table (1 GB).
                mergeMemoryMB: max(1024, Int(mergeBytes * 1.25 / 1_048_576) + 1024),
                timeLimit: time,
                jobName: "crmcase-\(name)")
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (name, text) in [("shards.sbatch", scripts.shardScript), ("merge.sbatch", scripts.mergeScript),
                                     ("submit.sh", scripts.submitScript)] {
                    try AtomicFile.write(text, to: (folder as NSString).appendingPathComponent(name))
                }
            } catch let error as ReportFolder.WriteError {
                throw CaseFailure.cannotWrite(error)
            } catch {
                throw CaseFailure.unusableInput("The shard folder \(folder) could not be made: \(error.localizedDescription)")
            }
            print("Wrote \(folder)/shards.sbatch (a job array of \(shards) shards), \(folder)/merge.sbatch and \(folder)/submit.sh.")
            print("On the cluster's login node, from this folder: sh \(folder)/submit.sh")
        }
    }
}
