import Foundation

/// The Linux control groups this process is in, and the folders where their limits are read:
/// a batch scheduler or a container runtime limits a job's CPU and memory there, and a limit set
/// on a parent cgroup (a Kubernetes pod, a systemd slice, a Slurm job above its step) holds for
/// everything below it — so a limit is the smallest over the cgroup and all its parents.
public enum ControlGroups {
    /// One cgroup folder: under cgroup v2's unified hierarchy, or under cgroup v1's hierarchy of
    /// one controller.
    public struct Folder: Equatable, Sendable {
        public let path: String
        public let isV2: Bool
    }

    /// The folders of this process's cgroups for `controller` (v1: the hierarchy whose line in
    /// /proc/self/cgroup names it, mounted at /sys/fs/cgroup/`controller`; v2: the line `0::`,
    /// mounted at /sys/fs/cgroup), each followed by the folders above it up to the mount point.
    /// In a container the path may name the host's cgroup while the container sees its own at
    /// the mount point; folders that do not exist simply have no files to read.
    public static func folders(controller: String,
                               cgroups: String? = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) -> [Folder] {
        guard let cgroups else { return [] }
        var folders: [Folder] = []
        for line in cgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            let isV2 = fields[0] == "0" && fields[1].isEmpty
            guard isV2 || fields[1].split(separator: ",").contains(Substring(controller)) else { continue }
            let root = isV2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/\(controller)"
            var parts = fields[2].split(separator: "/").map(String.init)
            while true {
                folders.append(Folder(path: ([root] + parts).joined(separator: "/"), isV2: isV2))
                guard !parts.isEmpty else { break }
                parts.removeLast()
            }
        }
        return folders
    }

    /// Reads a cgroup file (nil when it is not there).
    public static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
