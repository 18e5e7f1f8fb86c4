import Foundation
import Testing
import UseCases

// Faults of a whole run, as they happen to the built binary: a run killed part-way (Ctrl-C is
// SIGINT, a scheduler's stop SIGTERM, the out-of-memory killer's SIGKILL) and two runs writing
// the same report folder at once. Whatever the moment, the report folder is one run's whole
// report — the previous one, byte for byte, unless the new one was already complete — and no
// staging folder stays behind (after SIGKILL, which no process can catch, until the next run).

/// The run that is interrupted: a second or two on two idle cores, and trials.csv (16 MB) so
/// that the writing, where a kill is the most dangerous, lasts long enough to be caught.
private let longRun = ["run", "case.yaml", "--out", "report", "--trials", "20000", "--seed", "2",
                       "--no-sensitivity", "--trials-csv", "--quiet"]

/// The run that wrote the previous report (quick).
private let previousRun = ["run", "case.yaml", "--out", "report", "--trials", "2000", "--seed", "1",
                           "--no-sensitivity", "--quiet"]

private struct SetUpFailure: Error, CustomStringConvertible {
    var description: String
}

/// The report `longRun` writes when nothing interrupts it, made once for every test that needs
/// it (a kill that came after the run had finished must find exactly this).
private let longRunReport = Result { () throws -> [String: Data] in
    let folder = try ScratchFolder("fault-reference")
    try folder.copyExample("car-dealership.yaml", as: "case.yaml")
    let result = try folder.crmcase(longRun)
    guard result.status == 0 else { throw SetUpFailure(description: "the uninterrupted run failed: \(result.stderr)") }
    return folder.contents("report")
}

/// When the signal is sent.
enum KillMoment: Sendable, CustomTestStringConvertible {
    /// A fixed time after the start: during the simulation, mostly.
    case after(milliseconds: Int)
    /// As soon as the staging folder appears: while the report is being written.
    case whileWriting

    var testDescription: String {
        switch self {
        case .after(let ms): "after \(ms) ms"
        case .whileWriting: "while the report is written"
        }
    }

    static let all: [KillMoment] = [.after(milliseconds: 200), .after(milliseconds: 600), .after(milliseconds: 1_200), .whileWriting]
}

private func signalName(_ number: Int32) -> String {
    switch number {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGKILL: "SIGKILL"
    default: "signal \(number)"
    }
}

@Suite("Run-level faults: a killed run, two runs at once", .serialized)
struct RunFaultTests {
    /// A folder with the car-dealership example as case.yaml and the previous report in report/.
    private func folderWithPreviousReport() throws -> (ScratchFolder, [String: Data]) {
        let folder = try ScratchFolder("fault")
        try folder.copyExample("car-dealership.yaml", as: "case.yaml")
        let first = try folder.crmcase(previousRun)
        try #require(first.status == 0, "the previous report could not be made: \(first.stderr)")
        let previous = folder.contents("report")
        try #require(previous[ReportFolder.markerName] != nil && previous["report.md"] != nil)
        return (folder, previous)
    }

    /// Starts `longRun`, sends `signal` at `moment` and waits for the run to end. Returns the
    /// run's result and whether it had started writing when the signal was sent.
    private func interrupt(_ folder: ScratchFolder, with signal: Int32, at moment: KillMoment) throws
        -> (result: CLI.Result, running: CLI.Running, sawStaging: Bool) {
        let running = try folder.start(longRun)
        var sawStaging = false
        switch moment {
        case .after(let ms):
            usleep(useconds_t(ms) * 1_000)
        case .whileWriting:
            let staging = ".report.tmp-\(running.pid)"
            let deadline = ContinuousClock.now + .seconds(120)
            while running.process.isRunning, ContinuousClock.now < deadline {
                if FileManager.default.fileExists(atPath: folder.path(staging)) {
                    sawStaging = true
                    break
                }
                usleep(200)
            }
        }
        if running.process.isRunning { kill(running.pid, signal) }
        return (try running.wait(), running, sawStaging)
    }

    @Test("A run stopped with SIGINT or SIGTERM leaves the previous report byte-identical and no staging",
          arguments: [SIGINT, SIGTERM], KillMoment.all)
    func caughtSignal(signal: Int32, moment: KillMoment) throws {
        let (folder, previous) = try folderWithPreviousReport()
        let (result, running, sawStaging) = try interrupt(folder, with: signal, at: moment)
        let report = folder.contents("report")
        if running.endedBySignal {
            #expect(result.status == signal, "ended by signal \(result.status), not \(signalName(signal))")
            if sawStaging {
                // The clean-up waits for a swap under way, so the new report may be in, whole.
                #expect(try report == previous || report == longRunReport.get(), "the report is neither the old one nor the new one whole")
            } else {
                #expect(report == previous, "the previous report changed")
            }
        } else {
            // The run had finished before the signal came: its report, whole.
            #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
            #expect(try report == longRunReport.get())
        }
        #expect(folder.leftovers().isEmpty, "left behind: \(folder.leftovers())")
        #expect(folder.contents().keys.filter { !$0.hasPrefix("report/") && $0 != "report/" }.sorted() == ["case.yaml"])
    }

    @Test("A run killed with SIGKILL leaves the previous report whole; the next run removes its staging",
          arguments: KillMoment.all)
    func killed(moment: KillMoment) throws {
        let (folder, previous) = try folderWithPreviousReport()
        let (result, running, sawStaging) = try interrupt(folder, with: SIGKILL, at: moment)
        let pid = running.pid
        if running.endedBySignal {
            #expect(result.status == SIGKILL)
            let stale = folder.leftovers()
            #expect(stale.allSatisfy { $0 == ".report.tmp-\(pid)" || $0 == ".report.old.tmp-\(pid)" }, "\(stale)")
            if !FileManager.default.fileExists(atPath: folder.path("report")) {
                // Killed between moving the old report aside and the new one in: the old one is
                // aside, whole, and the clean-up every write starts with puts it back.
                #expect(stale.contains(".report.old.tmp-\(pid)"))
                ReportFolder.cleanStale(in: folder.path, restoring: "report")
                #expect(folder.contents("report") == previous, "the old report moved aside was not put back whole")
            } else if folder.contents("report") == previous {
                // Staging seen and the report unchanged: the staging folder must still be there,
                // since nothing can remove it after SIGKILL.
                if sawStaging { #expect(stale.contains(".report.tmp-\(pid)"), "\(stale)") }
            } else {
                #expect(sawStaging, "the report changed although the run was killed before it wrote anything")
                #expect(try folder.contents("report") == longRunReport.get(), "the report is neither the old one nor the new one whole")
            }
        } else {
            #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
            #expect(try folder.contents("report") == longRunReport.get())
        }

        // The next run into the same folder removes the killed run's staging.
        let next = try folder.crmcase(previousRun)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(folder.leftovers().isEmpty, "left behind after the next run: \(folder.leftovers())")
        #expect(folder.contents("report") == previous)
    }

    @Test("Two runs writing the same --out at once leave one run's whole report, never a mix",
          arguments: [false, true])
    func twoRunsAtOnce(previousReport: Bool) throws {
        let folder = try ScratchFolder("fault-concurrent")
        try folder.copyExample("car-dealership.yaml", as: "case.yaml")
        func arguments(seed: Int) -> [String] {
            ["run", "case.yaml", "--out", "report", "--trials", "5000", "--seed", "\(seed)", "--no-sensitivity",
             "--trials-csv", "--quiet"]
        }
        // Each run alone, to compare with.
        var alone: [Int: [String: Data]] = [:]
        for seed in [2, 3] {
            let result = try folder.crmcase(arguments(seed: seed))
            try #require(result.status == 0, "\(result.stderr)")
            alone[seed] = folder.contents("report")
            try FileManager.default.removeItem(atPath: folder.path("report"))
        }
        try #require(alone[2] != alone[3])

        var exitedWith2 = 0
        for round in 1...4 {
            if FileManager.default.fileExists(atPath: folder.path("report")) {
                try FileManager.default.removeItem(atPath: folder.path("report"))
            }
            if previousReport {
                try #require(try folder.crmcase(previousRun).status == 0)
            }
            let a = try folder.start(arguments(seed: 2)), b = try folder.start(arguments(seed: 3))
            let results = [2: try a.wait(), 3: try b.wait()]
            let report = folder.contents("report")
            let statuses = [results[2]!.status, results[3]!.status]
            #expect(statuses == [0, 0] || statuses.sorted() == [0, 2], "round \(round): exit codes \(statuses)")
            for (seed, result) in results where result.status == 2 {
                exitedWith2 += 1
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1, "round \(round), seed \(seed): \(result.stderr)")
                #expect(lines.first?.hasPrefix("error: The report could not be written to report: another crmcase run replaced that folder at the same moment") == true,
                        "round \(round), seed \(seed): \(result.stderr)")
            }
            let winners = results.filter { $0.value.status == 0 }.map(\.key)
            #expect(winners.contains { alone[$0] == report },
                    "round \(round): the report is not the whole report of a run that succeeded (files: \(report.keys.sorted()))")
            #expect(folder.leftovers().isEmpty, "round \(round): left behind \(folder.leftovers())")
        }
        // Not a requirement, but worth seeing in the log when the race was lost.
        if exitedWith2 > 0 { print("twoRunsAtOnce(previousReport: \(previousReport)): \(exitedWith2) of 8 runs lost the race (exit 2)") }
    }
}
