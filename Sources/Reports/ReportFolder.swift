import Foundation

/// Writes a report folder all at once: every file goes to a temporary folder beside the
/// target, which then replaces the target. A failure part-way leaves the old report (or
/// none), never half a new one.
public enum ReportFolder {
    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `files` (name → contents) as the folder `path`, replacing what was there.
    public static func write(_ files: [(name: String, contents: String)], to path: String) throws(WriteError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: target.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    try? fm.removeItem(at: staging)
                    throw WriteError(description: "\(path) exists and is a file, not a report folder; choose another --out.")
                }
                try fm.removeItem(at: target)
            }
            try fm.moveItem(at: staging, to: target)
        } catch let error as WriteError {
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            throw WriteError(description: "The report could not be written to \(path): \(error.localizedDescription)")
        }
    }
}
