import Foundation
import Testing

/// `--quiet` on every long command, and standard error kept for errors: when it is not a
/// terminal (a log file, a pipe, these tests) no progress is drawn, with or without `--quiet`.
@Suite("Quiet and progress", .serialized)
struct QuietFlagTests {
    /// One small, fast invocation of each long command.
    static let commands: [[String]] = [
        ["run", "Scenarios/car-dealership.yaml", "--trials", "300", "--no-sensitivity"],
        ["compare", "Scenarios/car-dealership-levers.variants.yaml", "--trials", "300"],
        ["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:40:10", "--trials", "300"],
        ["track", "Scenarios/car-dealership.yaml", "--trials", "300", "--particles", "200"],
    ]

    @Test("--quiet is accepted, and nothing but errors goes to a standard error that is not a terminal",
          arguments: commands, [true, false])
    func quiet(arguments: [String], quiet: Bool) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-quiet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let all = arguments + ["--out", scratch.appendingPathComponent("report").path] + (quiet ? ["--quiet"] : [])
        let result = try CLI.run(crmcase, all, in: CLI.packageRoot)
        #expect(result.status == 0, "crmcase \(all.joined(separator: " ")): \(result.stderr)")
        #expect(result.stderr.isEmpty, "crmcase \(all.joined(separator: " ")) wrote to standard error: \(result.stderr)")
    }

    @Test("With --quiet an error still reaches standard error", arguments: commands)
    func errorsStillShow(arguments: [String]) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let result = try CLI.run(crmcase, arguments + ["--quiet", "--set", "licences.sets=60"], in: CLI.packageRoot)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"), "a progress line in: \(result.stderr)")
    }
}
