import UseCases
import Foundation
import Testing
import CRMModel
import ScenarioFormat
import ReportBuilders

// crmcase replaces a report folder as a whole, so it must never replace a folder it did not
// write (the working folder, one above it, someone's own folder), must replace its own
// atomically, must see a failed write to standard output, and must refuse sizes it cannot hold
// before starting. These tests run the built binary in a fresh temporary folder.

@Suite("Report folders: crmcase replaces only what it wrote")
struct ReportFolderSafetyTests {
    /// Every command that writes a report folder, with the arguments it needs besides --out.
    static let commands: [[String]] = [
        ["run", "case.yaml", "--trials", "50", "--quiet", "--no-sensitivity"],
        ["track", "case.yaml", "--actuals", "case.actuals.csv", "--trials", "50"],
        ["compare", "case.yaml", "case.yaml", "--trials", "50"],
        ["sweep", "case.yaml", "--vary", "licences.seats=20:30:10", "--trials", "50"],
    ]

    @Test("--out '', . and .. are refused with exit 64 on every command, and nothing is deleted",
          arguments: commands, ["", ".", ".."])
    func outThatIsNoReportFolder(command: [String], out: String) throws {
        let sandbox = try Sandbox()
        let work = try sandbox.folder("work")
        try sandbox.scenario(in: work)
        try "keep".write(toFile: work.path + "/../keep.txt", atomically: true, encoding: .utf8)

        let result = try sandbox.crmcase(command + ["--out", out], in: work)
        #expect(result.status == 64, "exit \(result.status); stderr: \(result.stderr)")
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("Choose another --out") || first.contains("--out ''"), "stderr: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.path + "/case.yaml"))
        #expect(FileManager.default.fileExists(atPath: sandbox.url.path + "/keep.txt"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--out naming the folder that holds the scenario file is refused")
    func outHoldingTheScenario() throws {
        let sandbox = try Sandbox()
        let inputs = try sandbox.folder("inputs")
        try sandbox.scenario(in: inputs)
        let result = try sandbox.crmcase(["run", "inputs/case.yaml", "--out", "inputs", "--trials", "50", "--quiet"],
                                         in: sandbox.url)
        #expect(result.status == 64, "exit \(result.status); stderr: \(result.stderr)")
        #expect(result.stderr.contains("holds the input file inputs/case.yaml"))
        #expect(FileManager.default.fileExists(atPath: inputs.path + "/case.yaml"))
    }

    @Test("A scenario named ..yaml or ...yaml gets Reports/scenario; other reports and the folder survive",
          arguments: ["..yaml", "./...yaml"])
    func dotsScenarioName(name: String) throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url, as: (name as NSString).lastPathComponent)
        try sandbox.scenario(in: sandbox.url)
        try "keep".write(toFile: sandbox.url.path + "/keep.txt", atomically: true, encoding: .utf8)
        let other = try sandbox.crmcase(["run", "case.yaml", "--trials", "50", "--quiet", "--no-sensitivity"], in: sandbox.url)
        #expect(other.status == 0, "stderr: \(other.stderr)")

        let result = try sandbox.crmcase(["run", name, "--trials", "50", "--quiet", "--no-sensitivity"], in: sandbox.url)
        #expect(result.status == 0, "exit \(result.status); stderr: \(result.stderr)")
        #expect(result.stdout.contains("Reports/scenario/report.md"), "stdout: \(result.stdout)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: sandbox.url.path + "/Reports").sorted()
        #expect(reports == ["case", "scenario"])
        #expect(ReportFolder.hasMarker(sandbox.url.path + "/Reports/scenario"))
        #expect(FileManager.default.fileExists(atPath: sandbox.url.path + "/Reports/case/report.md"))
        #expect(FileManager.default.fileExists(atPath: sandbox.url.path + "/keep.txt"))
    }

    @Test("An existing folder without the marker is refused (exit 2) and left untouched")
    func existingForeignFolder() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        let mine = try sandbox.folder("my-notes")
        try "mine".write(toFile: mine.path + "/notes.txt", atomically: true, encoding: .utf8)

        let result = try sandbox.crmcase(["run", "case.yaml", "--out", "my-notes", "--trials", "50", "--quiet"], in: sandbox.url)
        #expect(result.status == 2, "exit \(result.status); stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.contains("my-notes is not a crmcase report folder (it has no .crmcase-report file)") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path) == ["notes.txt"])
        #expect(try String(contentsOfFile: mine.path + "/notes.txt", encoding: .utf8) == "mine")
        #expect(try sandbox.leftovers().isEmpty)
    }

    @Test("Replacing a report keeps the marker, replaces every file and leaves no staging")
    func replaceKeepsMarker() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        let arguments = ["run", "case.yaml", "--out", "out/report", "--trials", "50", "--quiet", "--no-sensitivity"]
        let first = try sandbox.crmcase(arguments + ["--seed", "1"], in: sandbox.url)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let report = sandbox.url.path + "/out/report"
        try "stale".write(toFile: report + "/old-extra.csv", atomically: true, encoding: .utf8)
        let before = try String(contentsOfFile: report + "/summary.csv", encoding: .utf8)

        let second = try sandbox.crmcase(arguments + ["--seed", "2"], in: sandbox.url)
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: report).sorted()
        #expect(names == [".crmcase-report", "adoption.svg", "cash-flow.csv", "cumulative-cash.svg", "inputs.csv", "lines.csv", "monthly.csv",
                          "npv-distribution.svg", "outside-view.svg", "report.html", "report.md", "report.xlsx", "summary.csv"])
        #expect(try String(contentsOfFile: report + "/summary.csv", encoding: .utf8) != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.url.path + "/out") == ["report"])
    }

    @Test("A read-only report folder gives exit 2, one sentence, and the old report whole")
    func readOnlyTarget() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        let arguments = ["run", "case.yaml", "--out", "report", "--trials", "50", "--quiet", "--no-sensitivity"]
        #expect(try sandbox.crmcase(arguments, in: sandbox.url).status == 0)
        let report = sandbox.url.path + "/report"
        let before = try FileManager.default.contentsOfDirectory(atPath: report).sorted()
        let readOnly = try ReadOnly(report)
        defer { readOnly.undo() }

        let result = try sandbox.crmcase(arguments + ["--seed", "9"], in: sandbox.url)
        #expect(result.status == 2, "exit \(result.status); stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.contains("report is read-only") == true, "stderr: \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: report).sorted() == before)
        #expect(try sandbox.leftovers().isEmpty)
    }

    @Test("Staging left by a killed run is cleaned; someone else's look-alike folder is not")
    func staleStagingCleaned() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        let dead = try #require(deadProcessID())
        let fm = FileManager.default
        // Ours: with the marker (new staging) and with only report files (before the marker).
        for (name, file) in [(".report.tmp-\(dead)", ".crmcase-report"), (".other.tmp-\(dead)", "report.md")] {
            try fm.createDirectory(atPath: sandbox.url.path + "/" + name, withIntermediateDirectories: false)
            try "x".write(toFile: sandbox.url.path + "/\(name)/\(file)", atomically: true, encoding: .utf8)
        }
        // Not ours: a folder of the same name pattern holding a file crmcase never writes.
        let foreign = ".photos.tmp-\(dead)"
        try fm.createDirectory(atPath: sandbox.url.path + "/" + foreign, withIntermediateDirectories: false)
        try "x".write(toFile: sandbox.url.path + "/\(foreign)/holiday.jpg", atomically: true, encoding: .utf8)

        let result = try sandbox.crmcase(["run", "case.yaml", "--out", "report", "--trials", "50", "--quiet", "--no-sensitivity"],
                                         in: sandbox.url)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try sandbox.leftovers() == [foreign])
    }

    @Test("An old report moved aside by a killed run is put back when no new report replaced it")
    func asideRestored() throws {
        let sandbox = try Sandbox()
        let dead = try #require(deadProcessID())
        let aside = sandbox.url.path + "/.report.old.tmp-\(dead)"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: false)
        try "marker".write(toFile: aside + "/.crmcase-report", atomically: true, encoding: .utf8)
        try "old".write(toFile: aside + "/report.md", atomically: true, encoding: .utf8)

        ReportFolder.cleanStale(in: sandbox.url.path, restoring: "report")
        #expect(try String(contentsOfFile: sandbox.url.path + "/report/report.md", encoding: .utf8) == "old")
        #expect(try sandbox.leftovers().isEmpty)
    }

    @Test("Default report folder names never climb out of Reports")
    func defaultNames() {
        #expect(ReportFolder.defaultPath(baseName: ".") == "Reports/scenario")
        #expect(ReportFolder.defaultPath(baseName: "..") == "Reports/scenario")
        #expect(ReportFolder.defaultPath(baseName: "..", suffix: "-compare") == "Reports/scenario-compare")
        #expect(ReportFolder.defaultPath(baseName: ".hidden") == "Reports/hidden")
        #expect(ReportFolder.defaultPath(baseName: "car-dealership", suffix: "-sweep") == "Reports/car-dealership-sweep")
        // A what-if run never lands in the base case's folder.
        #expect(ReportFolder.defaultPath(baseName: "car-dealership", changes: ["licences.seats=25"])
                == "Reports/car-dealership-what-if-licences.seats=25")
        #expect(ReportFolder.defaultPath(baseName: "b2b", suffix: "-follow-up", changes: ["adoption.ceiling=70% to 95%", "costs[A b].amount=1k"])
                == "Reports/b2b-what-if-adoption.ceiling=70__to_95__costs_A_b_.amount=1k-follow-up")
        let long = ReportFolder.defaultPath(baseName: "x", changes: [String(repeating: "segments[Key accounts].churn=9% ", count: 5)])
        #expect(long.count == "Reports/x-what-if-".count + 60 && !long.contains(" ") && !long.contains("/x-what-if-/"))
    }
}

@Suite("Writing actuals: a failed write is seen")
struct ActualsOutputTests {
    @Test("synthesize-actuals > /dev/full exits 2 with one sentence")
    func standardOutputFull() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "this system has no /dev/full")
        let result = try sandbox.crmcase(["synthesize-actuals", "case.yaml", "--months", "3"], in: sandbox.url, stdout: full)
        #expect(result.status == 2, "exit \(result.status); stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.contains("could not be written to standard output") == true)
    }

    @Test("synthesize-actuals --out replaces the file whole and leaves no temporary file")
    func outFile() throws {
        let sandbox = try Sandbox()
        try sandbox.scenario(in: sandbox.url)
        try "old".write(toFile: sandbox.url.path + "/actuals.csv", atomically: true, encoding: .utf8)
        let result = try sandbox.crmcase(["synthesize-actuals", "case.yaml", "--months", "3", "--out", "actuals.csv"],
                                         in: sandbox.url)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let text = try String(contentsOfFile: sandbox.url.path + "/actuals.csv", encoding: .utf8)
        #expect(text.contains("ILLUSTRATIVE ACTUALS"))
        #expect(text.hasSuffix("\n"))
        #expect(try sandbox.leftovers().isEmpty)
    }
}

@Suite("Limits are checked before any work starts")
struct LimitTests {
    // The command-line limits (--trials, --particles, --vary) as a user meets them are in
    // BadInput/BadCommandLineTests.swift; two files naming each other in BadReferenceTests.swift.

    @Test("A variants file whose base: names itself is one clear problem, not a crash")
    func baseNamesItself() throws {
        let sandbox = try Sandbox()
        let file = sandbox.url.path + "/self.yaml"
        try variants(base: "self.yaml").write(toFile: file, atomically: true, encoding: .utf8)
        let issues = try loadIssues(file)
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("self.yaml → \(sandbox.url.path)/self.yaml") == true, "\(issues)")
        #expect(issues.first?.line == 1)
    }

    @Test("Two variants files naming each other are one clear problem naming both")
    func basesNameEachOther() throws {
        let sandbox = try Sandbox()
        try variants(base: "b.yaml").write(toFile: sandbox.url.path + "/a.yaml", atomically: true, encoding: .utf8)
        try variants(base: "a.yaml").write(toFile: sandbox.url.path + "/b.yaml", atomically: true, encoding: .utf8)
        let issues = try loadIssues(sandbox.url.path + "/a.yaml")
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("a.yaml →") == true && issues.first?.message.contains("b.yaml →") == true,
                "\(issues)")
    }

    private func variants(base: String) -> String {
        "base: \(base)\nvariants:\n  - { name: Fewer seats, set: { licences.seats: 10 } }\n"
    }

    private func loadIssues(_ path: String) throws -> [ScenarioIssue] {
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("the variants file should have been refused")
            return []
        } catch {
            return error.issues
        }
    }
}

// MARK: Running the binary in a sandbox

/// A fresh temporary folder to run the built `crmcase` in, removed afterwards.
private final class Sandbox {
    let url: URL
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func folder(_ name: String) throws -> URL {
        let folder = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Copies the car-dealership example (and its actuals) into `folder` as `name`.
    func scenario(in folder: URL, as name: String = "case.yaml") throws {
        let examples = Sandbox.root.appendingPathComponent("Scenarios")
        try FileManager.default.copyItem(at: examples.appendingPathComponent("car-dealership.yaml"),
                                         to: folder.appendingPathComponent(name))
        let actuals = folder.appendingPathComponent("case.actuals.csv")
        if !FileManager.default.fileExists(atPath: actuals.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent("car-dealership.actuals.csv"), to: actuals)
        }
    }

    /// Names in the sandbox that look like staging (`.NAME.tmp-PID`).
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.contains(".tmp-") }.sorted()
    }


    /// Runs the built `crmcase` (CLIProcess.swift) in `folder`; standard output goes to
    /// `stdout` when given, else to a file that is read back.
    func crmcase(_ arguments: [String], in folder: URL, stdout: FileHandle? = nil) throws -> CLI.Result {
        let binary = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        return try CLI.run(binary, arguments, in: folder, stdout: stdout)
    }
}

/// Makes a folder read-only, for root too: as root, permission bits do not stop writes, so the
/// folder is made immutable with `chattr +i` instead.
private struct ReadOnly {
    let path: String
    let immutable: Bool

    init(_ path: String) throws {
        self.path = path
        immutable = getuid() == 0
        if immutable {
            let status = ReadOnly.chattr("+i", path)
            try #require(status == 0, "chattr +i failed; cannot make a folder read-only for root here")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path)
        }
    }

    func undo() {
        if immutable { _ = ReadOnly.chattr("-i", path) } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    private static func chattr(_ flag: String, _ path: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chattr", flag, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A process id that no process has now, for staging "left by a killed run".
private func deadProcessID() -> pid_t? {
    (4_000_000 as pid_t..<4_100_000).first { kill($0, 0) != 0 && errno == ESRCH }
}
