import Foundation

/// Writes a single file all at once: to a temporary file beside it (`.NAME.tmp-PID`), flushed
/// to the disk, then renamed over the target. A full disk or a kill part-way leaves the old file
/// (or none), never one cut mid-row.
public enum AtomicFile {
    /// Writes `contents` as the file `path`, replacing it.
    public static func write(_ contents: String, to path: String) throws(ReportFolder.WriteError) {
        try write(Data(contents.utf8), to: path)
    }

    /// Writes `contents` (any bytes) as the file `path`, replacing it.
    public static func write(_ contents: Data, to path: String) throws(ReportFolder.WriteError) {
        try write(FilePieces(contents), to: path)
    }

    /// Writes `contents`, given piece by piece, as the file `path`, replacing it.
    public static func write(_ contents: FilePieces, to path: String) throws(ReportFolder.WriteError) {
        func failure(_ what: String, _ code: Int32) -> ReportFolder.WriteError {
            ReportFolder.WriteError(description: "\(path) could not be written: \(what) (\(Staging.reason(code))); "
                + "any previous file there is unchanged.")
        }
        guard !path.isEmpty else {
            throw ReportFolder.WriteError(description: "The output file is empty (--out ''); give a file name.",
                                          isCommandLineMistake: true)
        }
        // A symbolic link is followed: the file it points to is replaced, the link kept.
        let full = FilePath.resolved(FilePath.canonical(path))
        let folder = (full as NSString).deletingLastPathComponent
        let name = (full as NSString).lastPathComponent
        var info = stat()
        if stat(full, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw ReportFolder.WriteError(description: "\(path) is a folder; give a file name for --out.",
                                              isCommandLineMistake: true)
            case S_IFREG:
                break
            default:
                // A device or pipe (/dev/stdout, a FIFO) is written into, never replaced.
                let code = writeInto(full, contents)
                if code != 0 {
                    throw ReportFolder.WriteError(description: "\(path) could not be written (\(Staging.reason(code))).")
                }
                return
            }
        }
        cleanStale(in: folder, name: name)
        let temporary = "\(folder)/.\(name).tmp-\(getpid())"
        Staging.shared.begin(temporary)
        do throws(Staging.Failure) {
            try Staging.shared.writeWhole(contents, name: name)
        } catch {
            Staging.shared.abandon()
            throw failure("writing it failed", error.code)
        }
        if let (what, code) = Staging.shared.swap({ rename(temporary, full) == 0 ? nil : ("it could not be moved into place", errno) }) {
            Staging.shared.abandon()
            throw failure(what, code)
        }
    }

    /// Writes `data` into the existing device or pipe `path`; 0 or the error number.
    private static func writeInto(_ path: String, _ data: FilePieces) -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        var code = data.write(to: fd)
        if close(fd) != 0, code == 0 { code = errno }
        return code
    }

    /// Removes temporary files for `name` left in `folder` by processes that no longer run.
    private static func cleanStale(in folder: String, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var info = stat()
        for entry in entries {
            guard let (stem, pid) = Staging.parse(entry), stem == name, Staging.isGone(pid) else { continue }
            let path = folder + "/" + entry
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }
}
