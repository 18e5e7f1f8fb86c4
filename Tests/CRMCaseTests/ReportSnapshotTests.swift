import Foundation
import Testing

/// Byte-for-byte guards of every report file the commands write, on the example scenarios at a
/// modest trial count and on one small deterministic scenario. A change that moves any printed
/// number or word fails here instead of slipping into `Reports/`.
///
/// The expected files live in `Tests/Snapshots/<case>/`. After a deliberate change, record them
/// anew with `CRMCASE_RECORD_SNAPSHOTS=1 swift test -c release --filter ReportSnapshotTests` and
/// read the diff before committing it.
@Suite("Report snapshots", .serialized)
struct ReportSnapshotTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "closed-form-run", arguments: ["run", "Tests/Snapshots/closed-form.yaml", "--trials", "400", "--trials-csv"]),
        Case(name: "car-dealership-run", arguments: ["run", "Scenarios/car-dealership.yaml", "--trials", "2000"]),
        // GSL's count samplers, the reference (`--sampler gsl`). The run reproduces the report of
        // the versions before crmcase had its own samplers byte for byte but for the footer's
        // "Count sampler" row (checked when the samplers came in, 0448e2c).
        Case(name: "car-dealership-run-gsl", arguments: ["run", "Scenarios/car-dealership.yaml", "--trials", "2000", "--sampler", "gsl"]),
        Case(name: "car-dealership-track-gsl", arguments: ["track", "Scenarios/car-dealership.yaml", "--actuals", "Scenarios/car-dealership.actuals.csv", "--trials", "2000", "--particles", "1000", "--sampler", "gsl"]),
        Case(name: "b2b-distributor-run", arguments: ["run", "Scenarios/b2b-distributor.yaml", "--trials", "2000"]),
        Case(name: "subscription-churn-run", arguments: ["run", "Scenarios/subscription-churn.yaml", "--trials", "2000", "--sampling", "lhs"]),
        Case(name: "car-dealership-levers-compare", arguments: ["compare", "Scenarios/car-dealership-levers.variants.yaml", "--trials", "2000"]),
        Case(name: "car-dealership-sweep", arguments: ["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:40:10", "--trials", "1000"]),
        Case(name: "car-dealership-track", arguments: ["track", "Scenarios/car-dealership.yaml", "--actuals", "Scenarios/car-dealership.actuals.csv", "--trials", "2000", "--particles", "1000"]),
        Case(name: "subscription-churn-track", arguments: ["track", "Scenarios/subscription-churn.yaml", "--actuals", "Scenarios/subscription-churn.actuals.csv", "--trials", "2000", "--particles", "1000"]),
    ]

    @Test("Every report file is byte-identical to its snapshot", arguments: cases)
    func snapshot(_ c: Case) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLI.run(crmcase, c.arguments + ["--out", out.path, "--threads", "2"], in: CLI.packageRoot)
        try #require(result.status == 0, "exit \(result.status): \(result.stderr)")

        let expected = CLI.packageRoot.appendingPathComponent("Tests/Snapshots/\(c.name)")
        let produced = try Self.reportFiles(in: out)
        if ProcessInfo.processInfo.environment["CRMCASE_RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
            for name in produced {
                try FileManager.default.copyItem(at: out.appendingPathComponent(name), to: expected.appendingPathComponent(name))
            }
            return
        }
        let snapshots = try Self.reportFiles(in: expected)
        #expect(produced == snapshots, "the files written differ from the snapshot's")
        for name in produced where snapshots.contains(name) {
            let new = try Data(contentsOf: out.appendingPathComponent(name))
            let old = try Data(contentsOf: expected.appendingPathComponent(name))
            #expect(new == old, "\(c.name)/\(name) changed: \(Self.firstDifference(old, new))")
        }
    }

    /// The report's own files (not the marker or other dot-files), sorted.
    static func reportFiles(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The first line that differs, for a readable failure.
    static func firstDifference(_ old: Data, _ new: Data) -> String {
        let a = String(decoding: old, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: new, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "(none)", y = i < b.count ? String(b[i]) : "(none)"
            if x != y { return "line \(i + 1): was “\(x)”, now “\(y)”" }
        }
        return "same lines, different bytes"
    }
}
