import Foundation
import Testing

/// `crmcase slurm` on a real scheduler: Tests/Slurm/run_on_slurm.sh starts a single-node Slurm
/// (munged, slurmctld, slurmd on 127.0.0.1), submits the generated job array and merge job, and
/// compares the merged report with a single run byte for byte.
@Suite("Slurm")
struct SlurmTests {
    @Test("A 4-shard run and a 3-shard comparison, as job arrays and merge jobs on a real slurmctld/slurmd, give the single commands' reports")
    func realScheduler() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld"),
                     "Slurm is not installed: scripts/setup.sh installs slurm-wlm and munge")
        let scratch = try ScratchFolder("slurm")
        let script = CLI.packageRoot.appendingPathComponent("Tests/Slurm/run_on_slurm.sh").path
        let result = try CLI.run("/bin/bash", [script, crmcase, CLI.packageRoot.path, scratch.path("work"), "4", "3000"],
                                 in: scratch.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("ok: "), "\(result.stdout)")
        #expect(result.stdout.contains("run: job array") && result.stdout.contains("of 4 tasks"), "\(result.stdout)")
        #expect(result.stdout.contains("compare: job array") && result.stdout.contains("of 3 tasks"), "\(result.stdout)")
        print(result.stdout)
    }
}
