import Foundation

/// Runs the `crmcase` executable of the build the tests belong to, for tests of the command
/// line as a user sees it (exit codes, messages, files written).
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The configuration the tests were built in: the executable beside them is the one tested.
    #if DEBUG
    static let configuration = "debug"
    #else
    static let configuration = "release"
    #endif

    static let binaryMissing = """
    The crmcase executable was not found under .build/…/\(configuration)/ of the package. `swift test` \
    builds it; run the tests from the package root.
    """

    /// `.build/<configuration>/crmcase`, or the newest one under `.build/<triple>/<configuration>/`.
    static func binary() -> String? {
        let fm = FileManager.default
        let build = packageRoot.appendingPathComponent(".build")
        var candidates = [build.appendingPathComponent("\(configuration)/crmcase").path]
        if let triples = try? fm.contentsOfDirectory(atPath: build.path) {
            candidates += triples.map { build.appendingPathComponent("\($0)/\(configuration)/crmcase").path }
        }
        let found = candidates.filter { fm.isExecutableFile(atPath: $0) }
        func modified(_ path: String) -> Date {
            ((try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return found.max { modified($0) < modified($1) }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` in `folder`, capturing its output in files (no pipe can
    /// fill up and block it), with no standard input. Standard output goes to `stdout` when given
    /// (then `Result.stdout` is empty).
    /// `environment` adds variables to the inherited ones (e.g. `CRMCASE_MEMORY_AVAILABLE`).
    static func run(_ executable: String, _ arguments: [String], in folder: URL, stdout: FileHandle? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        try start(executable, arguments, in: folder, stdout: stdout, environment: environment).wait()
    }

    /// Starts `executable` as ``run(_:_:in:stdout:environment:)`` does, without waiting: for
    /// tests that signal a run part-way or run two at once.
    static func start(_ executable: String, _ arguments: [String], in folder: URL, stdout: FileHandle? = nil,
                      environment: [String: String] = [:]) throws -> Running {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = stdout ?? out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        return Running(process: process, scratch: scratch, out: out, err: err)
    }

    /// A started `crmcase`: its process id for signals, and its result once it has ended.
    final class Running {
        let process: Process
        private let scratch: URL
        private let out: FileHandle
        private let err: FileHandle

        fileprivate init(process: Process, scratch: URL, out: FileHandle, err: FileHandle) {
            self.process = process
            self.scratch = scratch
            self.out = out
            self.err = err
        }

        var pid: pid_t { process.processIdentifier }

        /// Waits for the process to end. `Result.status` is its exit code, or the number of the
        /// signal that ended it (then ``endedBySignal`` is true).
        func wait() throws -> Result {
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: scratch) }
            try out.close()
            try err.close()
            return Result(status: process.terminationStatus,
                          stdout: try String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8),
                          stderr: try String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8))
        }

        /// Whether a signal ended the process (after ``wait()``).
        var endedBySignal: Bool { process.terminationReason == .uncaughtSignal }
    }
}
