import Foundation

/// The chain of variants files that lead to one another through `base:`; finds a loop in it.
enum BaseChain {
    /// When `next` is a file already in `files` (compared by their real paths, so that
    /// `a.yaml`, `./a.yaml` and a symbolic link to it count as one), the loop as the user
    /// named it, e.g. `a.yaml → b.yaml → a.yaml`; nil when there is none.
    static func loop(in files: [String], next: String) -> String? {
        let key = identity(next)
        guard let start = files.firstIndex(where: { identity($0) == key }) else { return nil }
        return (files[start...] + [next]).joined(separator: " → ")
    }

    /// The file's absolute path with symbolic links, `.` and `..` resolved, or the standardised
    /// path when it cannot be resolved (then the file is missing, which the loader reports).
    private static func identity(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
