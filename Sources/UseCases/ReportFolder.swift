import CRMModel
import Foundation
import Tabular

/// Writes a report folder all at once and replaces the old one only when the new one is whole.
///
/// Every file goes to a staging folder beside the target (`.NAME.tmp-PID`); the old report is
/// then renamed aside (`.NAME.old.tmp-PID`), the new one renamed in, and only then the old one
/// removed. A failure at any step before the last leaves the old report as it was; a process
/// killed part-way leaves staging folders that the next write beside them cleans up (and an
/// old report renamed aside is put back if no new one took its place).
///
/// Only a folder crmcase wrote itself is ever replaced: each report carries the marker file
/// ``markerName`` (see ``ReportTarget``).
public enum ReportFolder {
    /// One sentence a non-programmer understands; see ``isCommandLineMistake``.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// True when the folder chosen can never be a report folder (empty, `.`, `..`, `/`, a
        /// folder above the working folder or holding an input): the command line is wrong.
        public var isCommandLineMistake = false

        public init(description: String, isCommandLineMistake: Bool = false) {
            self.description = description
            self.isCommandLineMistake = isCommandLineMistake
        }
    }

    /// The marker file every report folder holds; a folder without it is never replaced.
    public static let markerName = ".crmcase-report"

    /// The marker's contents: one line for whoever opens it.
    static let markerText = "This folder is a report written by crmcase; the next run replaces it as a whole, so keep nothing else in it.\n"

    /// The default report folder of a scenario: `Reports/<base name><suffix>`. A base name made
    /// of dots only (from a file called `..yaml` or `...yaml`) would name `Reports` itself or
    /// the working folder, so leading dots are dropped and an empty name becomes `scenario`.
    ///
    /// A what-if run (`changes`: the values changed with `--set`, as `path=value`) gets a folder
    /// of its own, `Reports/<base name>-what-if-<changes><suffix>`, so it never replaces the base
    /// case's report: the changes spelled with only letters, digits and `.=_-` (anything else
    /// becomes `_`), cut to 60 characters with a short hash of the whole when longer.
    public static func defaultPath(baseName: String, suffix: String = "", changes: [String] = []) -> String {
        var name = String(baseName.drop { $0 == "." })
        if name.isEmpty { name = "scenario" }
        if !changes.isEmpty {
            let text = changes.joined(separator: "_")
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.=_-")
            var slug = String(text.map { allowed.contains($0) ? $0 : "_" })
            if slug.count > 60 {
                let hash = Uncertain.fnv1a(text)                  // of the full text
                slug = String(slug.prefix(51)) + "-" + String(String(hash, radix: 16).prefix(8))
            }
            name += "-what-if-" + slug
        }
        return "Reports/\(name)\(suffix)"
    }

    /// Writes a report's `files` with its Excel workbook (``ReportWorkbook``, made from the
    /// RFC 4180 CSV files before `dialect` respells them), as ``write(_:binary:to:inputs:)``
    /// does: the whole folder or, on any failure, nothing. Returns the names of the files
    /// written, in order.
    @discardableResult
    public static func writeReport(_ files: [(name: String, contents: String)], dialect: CSVDialect = .rfc4180,
                                   to path: String, inputs: [String] = []) throws(WriteError) -> [String] {
        let workbook: (name: String, bytes: [UInt8])?
        do {
            workbook = try ReportWorkbook.file(for: files)
        } catch {
            throw WriteError(description: "\(error.description) No report was written to \(path); any previous report there is unchanged.")
        }
        try write(dialect.convertingCSVFiles(files), binary: workbook.map { [$0] } ?? [], to: path, inputs: inputs)
        return files.map(\.name) + (workbook.map { [$0.name] } ?? [])
    }

    /// Removes staging folders of crmcase's own left in `folder` by a process that is gone, and
    /// puts back a report `name` that such a process had renamed aside (what every write does
    /// first; public so that tests and other callers can ask for it).
    public static func cleanStale(in folder: String, restoring name: String) {
        Staging.cleanStale(in: folder, restoring: name)
    }

    /// Whether `folder` holds the marker file, i.e. crmcase wrote it.
    public static func hasMarker(_ folder: String) -> Bool {
        var info = stat()
        return lstat(folder + "/" + markerName, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Writes `files` (name → text), `binary` (name → bytes, the Excel workbook) and the marker
    /// as the folder `path`, replacing the report there.
    ///
    /// - Parameter inputs: the files the command read, which the folder must not hold.
    public static func write(_ files: [(name: String, contents: String)], binary: [(name: String, bytes: [UInt8])] = [],
                             to path: String, inputs: [String] = []) throws(WriteError) {
        let target = try ReportTarget(path, inputs: inputs)
        func failure(_ what: String, _ code: Int32) -> WriteError {
            WriteError(description: "The report could not be written to \(path): \(what) (\(Staging.reason(code))); "
                + "any previous report there is unchanged.")
        }
        if mkdirs(target.parent) != 0 { throw failure("its folder could not be created", errno) }
        Staging.cleanStale(in: target.parent, restoring: target.name)
        if let problem = target.stateProblem() {
            throw WriteError(description: problem)
        }

        let pid = getpid()
        let staging = "\(target.parent)/.\(target.name).tmp-\(pid)"
        let aside = "\(target.parent)/.\(target.name).old.tmp-\(pid)"
        let created = Staging.shared.beginFolder(staging)
        guard created == 0 else { throw failure("its staging folder could not be created", created) }
        do throws(Staging.Failure) {
            try Staging.shared.writeFile(Data(markerText.utf8), name: markerName)
            for file in files { try Staging.shared.writeFile(Data(file.contents.utf8), name: file.name) }
            for file in binary { try Staging.shared.writeFile(Data(file.bytes), name: file.name) }
        } catch {
            Staging.shared.abandon()
            throw failure("\(error.name) could not be written", error.code)
        }

        // The swap: old aside, new in. Interrupting signals wait until it is done.
        let swapped = Staging.shared.swap(leaving: aside) { () -> (String, Int32)? in
            var info = stat()
            let hadOld = lstat(target.path, &info) == 0
            if hadOld, rename(target.path, aside) != 0 {
                // Gone since lstat: another run is replacing it at this moment.
                return errno == ENOENT ? (concurrentRun, 0) : ("the old report could not be moved aside", errno)
            }
            if rename(staging, target.path) != 0 {
                let code = errno
                if hadOld, rename(aside, target.path) != 0, hasMarker(target.path) {
                    // Another run's new report took the place meanwhile: the old one is out of
                    // date, and left aside it would be a stray folder.
                    try? FileManager.default.removeItem(atPath: aside)
                }
                // A folder there again (rename refuses a non-empty one): another run put its report in.
                return code == ENOTEMPTY || code == EEXIST ? (concurrentRun, 0) : ("the new report could not be moved into place", code)
            }
            return nil
        }
        if let (what, code) = swapped {
            Staging.shared.abandon()
            if what == concurrentRun {
                throw WriteError(description: "The report could not be written to \(path): another crmcase run replaced that "
                    + "folder at the same moment, and its report, whole, is the one there now.")
            }
            throw failure(what, code)
        }
        // The new report is in place; the old one, now aside, is removed (by the clean-up of an
        // interrupting signal if one comes first). One that cannot be removed now is removed by
        // the next write beside it.
        Staging.shared.abandon()
    }

    /// What a failed swap returns when another run replaced the same folder in between.
    private static let concurrentRun = "another run"

    /// Creates `folder` and the folders above it as needed; 0 or -1 with `errno` set.
    private static func mkdirs(_ folder: String) -> Int32 {
        var info = stat()
        if stat(folder, &info) == 0 { return info.st_mode & S_IFMT == S_IFDIR ? 0 : { errno = ENOTDIR; return -1 }() }
        let above = (folder as NSString).deletingLastPathComponent
        if above != folder, mkdirs(above) != 0 { return -1 }
        if mkdir(folder, 0o755) != 0, errno != EEXIST { return -1 }
        return 0
    }

    /// Removes the staging folder or file this process is writing, if any, then runs `finish`
    /// (which should end the process) before the writer can continue — for a signal handler on
    /// SIGINT or SIGTERM. Waits while a file is written or a swap is under way, so the report is
    /// then either the old one or the new one, whole.
    public static func abandonStaging(then finish: () -> Void) {
        Staging.shared.abandon(then: finish)
    }
}
