import Foundation

/// The folder a report is about to replace, and whether crmcase may replace it.
///
/// A report folder is replaced as a whole, so a careless `--out` would delete whatever folder it
/// names. crmcase therefore replaces only a folder it wrote itself — one holding its marker file
/// ``ReportFolder/markerName`` — and never the working folder, a folder above it, a folder
/// holding an input file, or `/`.
public struct ReportTarget: Sendable {
    /// The folder as the user named it, for messages.
    public let given: String
    /// The folder that holds it: absolute, with `.`, `..` and symbolic links resolved.
    public let parent: String
    /// Its own name inside ``parent`` (never empty, `.` or `..`).
    public let name: String
    /// `parent/name`.
    public var path: String { parent == "/" ? "/" + name : parent + "/" + name }

    /// Checks the choice of folder and what is there now.
    ///
    /// - Parameter inputs: the files the command reads (scenario, actuals), which the report
    ///   folder must not contain.
    /// - Throws: a ``ReportFolder/WriteError`` whose sentence says why crmcase will not write there.
    public init(_ given: String, inputs: [String] = []) throws(ReportFolder.WriteError) {
        if let problem = ReportTarget.choiceProblem(given, inputs: inputs) {
            throw ReportFolder.WriteError(description: problem, isCommandLineMistake: true)
        }
        let full = FilePath.canonical(given)
        self.given = given
        self.parent = (full as NSString).deletingLastPathComponent
        self.name = (full as NSString).lastPathComponent
        if let problem = stateProblem() {
            throw ReportFolder.WriteError(description: problem, isCommandLineMistake: false)
        }
    }

    /// What is wrong with choosing `given` as a report folder whatever it holds — empty, `/`,
    /// the working folder or one above it, or a folder holding an input file — or nil.
    /// Checked before any work starts (a command-line mistake, exit 64).
    public static func choiceProblem(_ given: String, inputs: [String] = []) -> String? {
        let again = "crmcase replaces a report folder as a whole and will not replace that. Choose another --out."
        guard !given.isEmpty else {
            return "The report folder is empty (--out ''); give a folder of its own, e.g. --out Reports/my-case."
        }
        let full = FilePath.canonical(given)
        // A symbolic link as the last part is judged by where it points, too.
        let candidates = Set([full, FilePath.resolved(full)])
        if candidates.contains("/") { return "\(given) is the root folder; \(again)" }
        let working = FilePath.resolved(FileManager.default.currentDirectoryPath)
        for candidate in candidates where FilePath.contains(candidate, working) {
            return candidate == working
                ? "\(given) is the working folder; \(again)"
                : "\(given) is a folder above the working folder; \(again)"
        }
        for input in inputs {
            let file = FilePath.resolved(FilePath.canonical(input))
            for candidate in candidates where FilePath.contains(candidate, file) {
                return "\(given) holds the input file \(input); \(again)"
            }
        }
        return nil
    }

    /// What stops replacing the folder as it is now — a file, a link, a folder crmcase did not
    /// write, or a read-only one — or nil when it may be replaced (or does not exist yet).
    func stateProblem() -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFLNK {
            return "\(given) is a symbolic link; crmcase will not replace it. Choose another --out."
        }
        guard kind == S_IFDIR else {
            return "\(given) is a file, not a report folder; crmcase will not replace it. Choose another --out."
        }
        if !ReportFolder.hasMarker(path) {
            // Moved aside since lstat, by another run replacing the report at this moment: that
            // is no reason to refuse (and the folder there next is that run's report).
            guard lstat(path, &info) == 0 else { return nil }
            guard ReportFolder.hasMarker(path) else {
                return "\(given) is not a crmcase report folder (it has no \(ReportFolder.markerName) file); "
                    + "crmcase will not replace it. Choose another --out."
            }
        }
        if let readOnly = FilePath.firstReadOnlyFolder(in: path) {
            let which = readOnly == path ? given : "\(given) (its folder \((readOnly as NSString).lastPathComponent))"
            return "\(which) is read-only, so crmcase cannot replace the report; make it writable or choose another --out."
        }
        if access(parent, W_OK) != 0 {
            return "The folder \(parent) that holds \(given) is read-only, so crmcase cannot replace the report; "
                + "make it writable or choose another --out."
        }
        return nil
    }
}

/// Path arithmetic on the real file system.
enum FilePath {
    /// `path` made absolute (against the working folder) with `.` and `..` removed and every
    /// symbolic link resolved — except the last part, which stays as named unless it is `.` or
    /// `..`, so that a link can be recognised as one.
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts = absolute.split(separator: "/").map(String.init)
        var last: String?
        if let final = parts.last, final != ".", final != ".." { last = parts.removeLast() }
        // The longest leading part that exists is resolved by the system, the rest by its text.
        var tail: [String] = []
        var base = "/"
        while true {
            if let real = resolvedIfExists("/" + parts.joined(separator: "/")) { base = real; break }
            guard let part = parts.popLast() else { break }
            tail.insert(part, at: 0)
        }
        var result = base.split(separator: "/").map(String.init)
        for part in tail + (last.map { [$0] } ?? []) {
            switch part {
            case ".": continue
            case "..": _ = result.popLast()
            default: result.append(part)
            }
        }
        return "/" + result.joined(separator: "/")
    }

    /// `path` with every symbolic link resolved when it exists, else `path` itself.
    static func resolved(_ path: String) -> String {
        resolvedIfExists(path) ?? path
    }

    private static func resolvedIfExists(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// Whether `inner` is `folder` or lies somewhere inside it (both absolute and resolved).
    static func contains(_ folder: String, _ inner: String) -> Bool {
        folder == "/" || inner == folder || inner.hasPrefix(folder + "/")
    }

    /// The first folder at or below `path` that this process may not change, or nil. Replacing
    /// a report needs every one writable: the old one is removed once the new one is in place.
    static func firstReadOnlyFolder(in path: String) -> String? {
        // Gone (another run replacing the report at this moment) is not read-only.
        if access(path, W_OK) != 0 { return errno == ENOENT ? nil : path }
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: path) else { return nil }
        for name in names.sorted() {
            let inner = path + "/" + name
            var info = stat()
            if lstat(inner, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, access(inner, W_OK) != 0 { return inner }
        }
        return nil
    }
}
