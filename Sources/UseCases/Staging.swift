import Foundation
import Synchronization

/// The staging folder (or temporary file) this process is writing, shared with a signal handler
/// so that an interrupted run leaves nothing behind; and the clean-up of staging left by a
/// process that was killed.
///
/// Staging names are `.NAME.tmp-PID` (the new report or file) and `.NAME.old.tmp-PID` (an old
/// report moved aside), where PID is the writing process.
final class Staging: Sendable {
    static let shared = Staging()

    /// A file that could not be written: its name and the system's error number.
    struct Failure: Error {
        var name: String
        var code: Int32
    }

    /// The staging path being written, if any. Held while a file is written or while the old
    /// and new reports are swapped, so that ``abandon()`` never removes half of either.
    private let current = Mutex<String?>(nil)

    func begin(_ path: String) {
        current.withLock { $0 = path }
    }

    /// Creates the staging folder `path` and makes it the one being written, in one step, so
    /// that a signal never finds a folder created but not yet known (which it would leave
    /// behind); 0 or the error number.
    func beginFolder(_ path: String) -> Int32 {
        current.withLock { current in
            guard mkdir(path, 0o755) == 0 else { return errno }
            current = path
            return 0
        }
    }

    /// Writes `data` as `name` inside the staging folder; fails (ECANCELED) once abandoned.
    func writeFile(_ data: Data, name: String) throws(Failure) {
        try current.withLock { (folder: inout String?) throws(Failure) in
            guard let folder else { throw Failure(name: name, code: ECANCELED) }
            let code = Staging.create(folder + "/" + name, data)
            if code != 0 { throw Failure(name: name, code: code) }
        }
    }

    /// Writes `data` as the staging file itself (see ``AtomicFile``).
    func writeWhole(_ data: FilePieces, name: String) throws(Failure) {
        try current.withLock { (file: inout String?) throws(Failure) in
            guard let file else { throw Failure(name: name, code: ECANCELED) }
            let code = Staging.create(file, data)
            if code != 0 { throw Failure(name: name, code: code) }
        }
    }

    /// Runs the renames that put the staged result in place, with signals' clean-up waiting;
    /// `body` returns nil on success (the staging is then gone) or what failed and its errno.
    ///
    /// - Parameter leftover: what the renames leave to remove on success (the old report moved
    ///   aside): it becomes the path ``abandon(then:)`` removes, so that a signal arriving
    ///   before the writer has removed it removes it instead of leaving it behind.
    func swap(leaving leftover: String? = nil, _ body: () -> (String, Int32)?) -> (String, Int32)? {
        current.withLock { path in
            let failed = body()
            if failed == nil { path = leftover }
            return failed
        }
    }

    /// Removes the staging being written, if any, then runs `finish` still holding the lock, so
    /// that the writer cannot go on (or report the removal as a failure) before it has run.
    func abandon(then finish: () -> Void = {}) {
        current.withLock { path in
            if let staged = path { try? FileManager.default.removeItem(atPath: staged) }
            path = nil
            finish()
        }
    }

    /// Creates the file `path` (which must not exist) holding `data`, flushed to the disk; 0 or
    /// the error number. A partial file is removed.
    static func create(_ path: String, _ data: Data) -> Int32 {
        create(path, FilePieces(data))
    }

    /// Creates the file `path` (which must not exist) holding `pieces`, flushed to the disk; 0 or
    /// the error number. A partial file is removed.
    static func create(_ path: String, _ pieces: FilePieces) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        var code = pieces.write(to: fd)
        if code == 0, fsync(fd) != 0, errno != EINVAL, errno != EROFS { code = errno }
        if close(fd) != 0, code == 0 { code = errno }
        if code != 0 { unlink(path) }
        return code
    }

    /// Writes all of `bytes` to the open file `fd`; 0 or the error number.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            // At most 1 GB per call: a column of a large shard can be more than some systems'
            // write() accepts at once.
            let n = Foundation.write(fd, bytes.baseAddress! + offset, min(bytes.count - offset, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    /// The system's words for an error number, e.g. "No space left on device".
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Removes the staging folders in `folder` left by crmcase processes that no longer run —
    /// recognised by their name, a dead process id, and their contents (the marker, or only
    /// report files) — except that an old report moved aside for `restoring` is put back when
    /// no report of that name is there.
    static func cleanStale(in folder: String, restoring name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var info = stat()
        for entry in entries.sorted() {
            guard let (stem, pid) = parse(entry), isGone(pid) else { continue }
            let path = folder + "/" + entry
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, isReportStaging(path) else { continue }
            let target = folder + "/" + name
            if stem == name + ".old", ReportFolder.hasMarker(path), lstat(target, &info) != 0,
               rename(path, target) == 0 {
                continue
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// `.STEM.tmp-PID` → (STEM, PID); nil for any other name.
    static func parse(_ entry: String) -> (stem: String, pid: pid_t)? {
        guard entry.hasPrefix("."), let range = entry.range(of: ".tmp-", options: .backwards) else { return nil }
        let stem = entry[entry.index(after: entry.startIndex)..<range.lowerBound]
        let digits = entry[range.upperBound...]
        guard !stem.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let pid = pid_t(digits), pid > 0 else { return nil }
        return (String(stem), pid)
    }

    /// Whether the process `pid` has ended (this process counts as ended for staging it is not
    /// writing now: that is left from an earlier failure).
    static func isGone(_ pid: pid_t) -> Bool {
        if pid == getpid() { return shared.current.withLock { $0 == nil } }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Whether the folder is crmcase staging: it holds the marker, or (from versions before
    /// the marker) only Markdown and CSV files, or nothing.
    private static func isReportStaging(_ path: String) -> Bool {
        if ReportFolder.hasMarker(path) { return true }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        var info = stat()
        return names.allSatisfy { name in
            (name.hasSuffix(".md") || name.hasSuffix(".csv"))
                && lstat(path + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }
}
