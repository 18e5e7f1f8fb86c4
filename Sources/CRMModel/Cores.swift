import Foundation

/// The cores this process may use: what the default thread counts and the parallel summaries
/// size themselves by.
///
/// `ProcessInfo.activeProcessorCount` counts the machine's cores, which on a cluster node is
/// often far more than a job was given: Slurm confines a job with `--cpus-per-task=2` to two
/// cores by its CPU affinity, and Kubernetes limits a container by a CPU quota. Starting a
/// worker per machine core there would only make the workers take turns — and each worker of a
/// summary may hold a copy of a whole column, so their memory would multiply too.
public enum Cores {
    /// The smallest of the machine's cores, the cores in this process's CPU affinity mask
    /// (`Cpus_allowed` in /proc/self/status) and the CPU quota of its cgroups rounded up
    /// (``cgroupQuotaCores(folders:read:)``); at least 1. Read once.
    public static let available: Int = {
        var cores = ProcessInfo.processInfo.activeProcessorCount
        if let allowed = affinityCores() { cores = min(cores, allowed) }
        if let quota = cgroupQuotaCores() { cores = min(cores, quota) }
        return max(1, cores)
    }()

    /// The smallest CPU quota, in whole cores rounded up, of this process's cgroup and every
    /// cgroup above it (``ControlGroups``): cgroup v2's `cpu.max`, or cgroup v1's
    /// `cpu.cfs_quota_us` over `cpu.cfs_period_us`. nil when no cgroup sets a quota.
    @_spi(Testing) public static func cgroupQuotaCores(
        folders: [ControlGroups.Folder] = ControlGroups.folders(controller: "cpu"),
        read: (String) -> String? = ControlGroups.read
    ) -> Int? {
        folders.compactMap { folder in
            folder.isV2 ? quotaCores(cpuMax: read(folder.path + "/cpu.max"))
                : quotaCores(cfsQuota: read(folder.path + "/cpu.cfs_quota_us"), cfsPeriod: read(folder.path + "/cpu.cfs_period_us"))
        }.min()
    }

    /// Bits set in the hexadecimal mask of `Cpus_allowed:` (comma-separated groups of 32 bits).
    @_spi(Testing) public static func affinityCores(status: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) -> Int? {
        guard let status else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            var count = 0
            for character in line.dropFirst("Cpus_allowed:".count) where character != "," && !character.isWhitespace {
                guard let digit = character.hexDigitValue else { return nil }
                count += digit.nonzeroBitCount
            }
            return count > 0 ? count : nil
        }
        return nil
    }

    /// ⌈quota / period⌉ from cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us` (in µs);
    /// nil for a quota of −1 (none) or no file.
    @_spi(Testing) public static func quotaCores(cfsQuota: String?, cfsPeriod: String?) -> Int? {
        guard let quotaText = cfsQuota?.trimmingCharacters(in: .whitespacesAndNewlines),
              let periodText = cfsPeriod?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        return quotaCores(cpuMax: quotaText + " " + periodText)
    }

    /// ⌈quota / period⌉ from cgroup v2's `cpu.max` ("200000 100000"); nil for "max" or no file.
    @_spi(Testing) public static func quotaCores(cpuMax: String?) -> Int? {
        guard let words = cpuMax?.split(separator: " ").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              words.count == 2, let quota = Double(words[0]), let period = Double(words[1]), quota > 0, period > 0
        else { return nil }
        return max(1, Int((quota / period).rounded(.up)))
    }
}
