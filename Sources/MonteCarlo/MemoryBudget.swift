import CRMModel
import Foundation

/// How much memory a run's per-trial (and per-particle) storage will take, checked against what
/// the machine has before any of it is allocated: a run too large for memory would otherwise
/// swap for hours or be killed half-way, with nothing written.
public enum MemoryBudget {
    /// Bytes of a run's ``TrialTable``: the columns of the very shape the run's table gets
    /// (``TrialTable/Shape``) — per trial its outcome columns, five per segment, one byte per risk
    /// and `recordWidth` recorded numbers; the monthly band paths (single precision) of the first
    /// `bandTrials`; the line statistics of every block. A `Double`, so an absurd request cannot
    /// overflow the estimate. Takes the scenario, not its ``TrialModel``, so that the check
    /// costs nothing to make (the model's lines are its licences, each cost and benefit line, and
    /// two per segment: ``CRMModel/TrialModel/lines``).
    public static func trialStorageBytes(scenario: Scenario, trials: Int, bandTrials: Int = 20_000,
                                         recordWidth: Int = 0) -> Double {
        let n = max(1, trials)
        let segments = scenario.segments.count
        let shape = TrialTable.Shape(
            range: 0..<n, runTrials: n, segments: segments, risks: scenario.risks.count,
            lines: 1 + scenario.costs.count + scenario.benefits.count + 2 * segments, months: scenario.horizon + 1,
            bandTrials: min(max(0, bandTrials), n), periods: YearlyCashFlow.periods(horizon: scenario.horizon),
            recordWidth: max(0, recordWidth))
        return shape.estimatedBytes
    }

    /// Bytes of memory `crmcase merge` of a run of `trials` trials needs besides the merged table,
    /// which lives in a scratch file (``TrialTable/merged(files:scratchDirectory:threads:observe:)``) and of which
    /// the kernel keeps in memory only what fits: each summary worker copies a column and its
    /// radix keys (16 bytes per trial, two workers on a two-core job) and the per-segment sums
    /// another 8, so about 48 bytes per trial with room to spare (measured: 86 MB at 2·10⁶
    /// trials); the sensitivity analysis's ranks and bins about 300 more per trial it uses (631 MB
    /// at 2·10⁶; at most ``Sensitivity/maximumTrials`` trials), taken as 352. Plus 256 MB for the
    /// program and the report.
    public static func mergeBytes(trials: Int, sensitivity: Bool) -> Double {
        256e6 + Double(max(0, trials)) * 48 + (sensitivity ? Double(min(max(0, trials), Sensitivity.maximumTrials)) * 352 : 0)
    }

    /// Bytes the sensitivity analysis of a run of `trials` trials holds besides the run's table:
    /// each input's ranks and values, the swing windows and the EVPPI bins over every trial it
    /// uses (at most ``Sensitivity/maximumTrials``; measured: 631 MB at 2·10⁶ trials, about 315
    /// bytes per trial), taken as 320 per trial.
    public static func sensitivityBytes(trials: Int) -> Double {
        Double(min(max(0, trials), Sensitivity.maximumTrials)) * 320
    }

    /// Bytes of a re-forecast population of `particles` (`track --particles`): each particle's
    /// uniforms (one per input and risk), drawn inputs, risk events, recorded row of
    /// `recordWidth` numbers and a handful of outcomes.
    public static func particleBytes(scenario: Scenario, particles: Int, recordWidth: Int) -> Double {
        let inputs = Double(scenario.inputs.count), risks = Double(scenario.risks.count)
        let perParticle = 8 * (inputs + risks) + 8 * inputs + risks + 8 * Double(recordWidth) + 5 * 8
        return Double(max(1, particles)) * perParticle
    }

    /// Bytes of memory available now: the smaller of `MemAvailable` of /proc/meminfo on Linux
    /// (else the machine's physical memory) and the room under the memory limits of this
    /// process's cgroups (``cgroupHeadroom(folders:read:)``) — a Slurm job's `--mem` or a
    /// container's limit, which /proc/meminfo does not show and which the kernel enforces by
    /// killing the process. `CRMCASE_MEMORY_AVAILABLE` (bytes) replaces all of them, so tests
    /// can show the refusal without a machine that lacks memory.
    public static func availableBytes(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
        if let text = environment["CRMCASE_MEMORY_AVAILABLE"], let bytes = Double(text), bytes > 0 { return bytes }
        var available = Double(ProcessInfo.processInfo.physicalMemory)
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let kilobytes = Double(parts[1]) { available = kilobytes * 1024 }
            }
        }
        if let headroom = cgroupHeadroom() { available = min(available, headroom) }
        return available
    }

    /// The smallest room, in bytes, under the memory limit of this process's cgroup and of every
    /// cgroup above it (``CRMModel/ControlGroups``): the limit less what the cgroup uses that the
    /// kernel cannot simply drop — its usage less its inactive file pages (the working set, as
    /// container runtimes count it). cgroup v2: `memory.max`, `memory.current`, `inactive_file`
    /// of `memory.stat`; v1: `memory.limit_in_bytes`, `memory.usage_in_bytes`,
    /// `total_inactive_file`. nil when no cgroup sets a limit (v1 writes "none" as about 2⁶³).
    @_spi(Testing) public static func cgroupHeadroom(
        folders: [ControlGroups.Folder] = ControlGroups.folders(controller: "memory"),
        read: (String) -> String? = ControlGroups.read
    ) -> Double? {
        func number(_ text: String?) -> Double? {
            text.flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        func statistic(_ name: String, in stat: String?) -> Double {
            for line in (stat ?? "").split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, parts[0] == name, let value = Double(parts[1]) { return value }
            }
            return 0
        }
        return folders.compactMap { folder -> Double? in
            let (limitFile, usageFile, inactive) = folder.isV2
                ? ("memory.max", "memory.current", "inactive_file") : ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
            guard let limit = number(read(folder.path + "/" + limitFile)), limit < 0x1p60 else { return nil }
            let usage = number(read(folder.path + "/" + usageFile)) ?? 0
            let workingSet = max(0, usage - statistic(inactive, in: read(folder.path + "/memory.stat")))
            return max(0, limit - workingSet)
        }.min()
    }

    /// A sentence refusing `estimate` bytes for `what` (e.g. "its 50,000,000 trials") when they
    /// exceed ``Limits/memoryShare`` of `available`, naming the option that would help; nil
    /// when they fit.
    public static func problem(estimate: Double, available: Double, what: String, option: String) -> String? {
        problem(estimate: estimate, available: available, what: what, fix: "use a smaller \(option)")
    }

    /// The same sentence with `fix` (e.g. "leave out the sensitivity analysis") as what to do.
    public static func problem(estimate: Double, available: Double, what: String, fix: String) -> String? {
        guard !fits(estimate, available: available) else { return nil }
        return "This run would need about \(bytesText(estimate)) for \(what), more than \(Int(Limits.memoryShare * 100)) % of the \(bytesText(available)) of memory available; \(fix)."
    }

    /// Whether `estimate` bytes are within ``Limits/memoryShare`` of `available` (false for NaN).
    public static func fits(_ estimate: Double, available: Double = availableBytes()) -> Bool {
        estimate <= Limits.memoryShare * available
    }

    /// 1.5 GB, 320 MB, 12 kB.
    public static func bytesText(_ bytes: Double) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (size, unit) in units where bytes >= size {
            return String(format: bytes / size >= 100 ? "%.0f %@" : "%.1f %@", bytes / size, unit)
        }
        return "\(Int(bytes)) bytes"
    }
}
