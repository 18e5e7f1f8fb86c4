import Foundation

/// `crmcase slurm`: the batch scripts that run a case as a Slurm job array of shards and merge
/// them in a job that starts only when every shard succeeded.
///
/// The contract is the one of `crmcase run|compare|sweep --shard K/N` and `crmcase merge` (``ShardRun``), so the
/// same commands run under a Kubernetes Indexed Job (K = `JOB_COMPLETION_INDEX`) or GNU parallel
/// (`{}` from `seq 0 N-1`); the README shows all three.
public struct SlurmScripts: Sendable {
    /// The `crmcase` executable, as the compute nodes reach it (an absolute path).
    public var executable: String
    /// The folder the jobs run in (absolute), where the scenario path is valid.
    public var workingFolder: String
    /// The command's arguments without `--shard` and `--out`: `run`, `compare` or `sweep`, the
    /// scenario files and the options.
    public var runArguments: [String]
    public var shards: Int
    /// Where the shards go, and where the report goes (relative to `workingFolder` or absolute).
    public var shardFolder: String
    public var reportFolder: String
    /// Memory per shard job in MB (the shard's trial table and the model, with room to spare).
    public var memoryMB: Int
    /// Memory of the merge job in MB: its own (``MonteCarlo/MemoryBudget/mergeBytes(trials:sensitivity:)``);
    /// the merged trial table lives in a scratch file beside the shards.
    public var mergeMemoryMB: Int
    /// Wall-clock limit per job, as Slurm writes it (`HH:MM:SS`).
    public var timeLimit: String
    public var jobName: String

    public init(executable: String, workingFolder: String, runArguments: [String], shards: Int, shardFolder: String,
                reportFolder: String, memoryMB: Int, mergeMemoryMB: Int, timeLimit: String = "02:00:00", jobName: String) {
        self.executable = executable
        self.workingFolder = workingFolder
        self.runArguments = runArguments
        self.shards = shards
        self.shardFolder = shardFolder
        self.reportFolder = reportFolder
        self.memoryMB = memoryMB
        self.mergeMemoryMB = mergeMemoryMB
        self.timeLimit = timeLimit
        self.jobName = jobName
    }

    /// `text` as one shell word: as it is when it holds only safe characters, else in single
    /// quotes (a quote inside written as '\'').
    public static func quoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func command(_ words: [String]) -> String { words.map(Self.quoted).joined(separator: " ") }

    /// The job array: one task per shard, `SLURM_ARRAY_TASK_ID` = K.
    public var shardScript: String {
        """
        #!/bin/bash
        # Written by `crmcase slurm`: shard K of \(shards) of one crmcase \(runArguments.first ?? "run"), K = SLURM_ARRAY_TASK_ID.
        #SBATCH --job-name=\(jobName)
        #SBATCH --array=0-\(shards - 1)
        #SBATCH --cpus-per-task=2
        #SBATCH --mem=\(memoryMB)M
        #SBATCH --time=\(timeLimit)
        #SBATCH --output=\(shardFolder)/slurm-%A_%a.out
        set -euo pipefail
        cd \(Self.quoted(workingFolder))
        \(command([executable] + runArguments)) --shard "${SLURM_ARRAY_TASK_ID}/\(shards)" --out \(Self.quoted(shardFolder))

        """
    }

    /// The merge job (submitted with `--dependency=afterok:` on the array).
    public var mergeScript: String {
        """
        #!/bin/bash
        # Written by `crmcase slurm`: the report of the whole run from its \(shards) shards.
        #SBATCH --job-name=\(jobName)-merge
        #SBATCH --cpus-per-task=2
        #SBATCH --mem=\(mergeMemoryMB)M
        #SBATCH --time=\(timeLimit)
        #SBATCH --output=\(shardFolder)/slurm-merge-%j.out
        set -euo pipefail
        cd \(Self.quoted(workingFolder))
        \(command([executable, "merge", shardFolder, "--out", reportFolder]))

        """
    }

    /// Submits the array, then the merge to start when every task of it succeeded.
    public var submitScript: String {
        """
        #!/bin/sh
        # Written by `crmcase slurm`: run this on the cluster's login node.
        set -e
        cd \(Self.quoted(workingFolder))
        array=$(sbatch --parsable \(Self.quoted(shardFolder + "/shards.sbatch")))
        sbatch --dependency=afterok:"${array%%;*}" \(Self.quoted(shardFolder + "/merge.sbatch"))
        echo "Submitted job array ${array%%;*} (\(shards) shards) and its merge; the report will be in \(reportFolder)/."

        """
    }
}
