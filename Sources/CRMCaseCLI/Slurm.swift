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
            abstract: "Write Slurm batch scripts that run a case as a job array of shards and merge them.",
            usage: """
              crmcase slurm Scenarios/car-dealership.yaml --shards 100 --trials 100000000
              sh Shards/car-dealership/submit.sh          # on the cluster's login node
            """,
            discussion: """
            Writes shards.sbatch (a job array, one task per shard: crmcase run --shard K/N), merge.sbatch \
            (crmcase merge, started only when every shard succeeded: --dependency=afterok) and submit.sh \
            into the shard folder. The merged report is byte for byte the one a single crmcase run writes.
            """)

        @Argument(help: "The scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @Option(name: .long, help: "How many shards (jobs of the array).")
        var shards: Int

        @Option(name: .long, help: "Number of simulated futures (trials) of the whole run.")
        var trials: Int = 20_000

        @OptionGroup var changes: ScenarioOptions
        @OptionGroup var simulation: SimulationOptions

        @Option(name: .long, help: "Sampling plan: mc (plain Monte Carlo) or lhs (Latin hypercube).")
        var sampling: Sampling = .monteCarlo

        @Flag(name: .customLong("no-sensitivity"), help: "Leave out the sensitivity analysis.")
        var noSensitivity = false

        @Option(name: .long, help: ArgumentHelp("Shard folder, also for the scripts (default: Shards/<scenario file name>).", valueName: "dir"))
        var out: String?

        @Option(name: .customLong("report"), help: ArgumentHelp("Report folder the merge writes (default: as crmcase run would choose).", valueName: "dir"))
        var report: String?

        @Option(name: .long, help: "Wall-clock limit per job, HH:MM:SS.")
        var time: String = "02:00:00"

        func validate() throws {
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
            let loaded = try changes.load(scenario)
            let folder = out ?? "Shards/\(loaded.baseName)"
            var arguments = ["run", scenario, "--trials", String(trials), "--seed", String(simulation.seed),
                             "--sampling", sampling.rawValue, "--sampler", simulation.sampler.rawValue, "--quiet"]
            for assignment in changes.assignments { arguments += ["--set", assignment] }
            if noSensitivity { arguments.append("--no-sensitivity") }
            let perShard = BusinessCaseRun.memoryEstimate(loaded, trials: (trials + shards - 1) / shards + 256)
            let scripts = SlurmScripts(
                executable: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path,
                workingFolder: FileManager.default.currentDirectoryPath, runArguments: arguments, shards: shards,
                shardFolder: folder, reportFolder: report ?? BusinessCaseRun.defaultFolder(loaded),
                memoryMB: max(512, Int(perShard * 1.5 / 1_048_576) + 256),
                // The merged table is in a scratch file; the job needs the merge's own memory and
                // room for the page cache to hold some of the table (1 GB).
                mergeMemoryMB: max(1024, Int(MemoryBudget.mergeBytes(trials: trials, sensitivity: !noSensitivity) * 1.25 / 1_048_576) + 1024),
                timeLimit: time,
                jobName: "crmcase-\(loaded.baseName)")
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
