import Foundation
import Testing

/// `inputs.csv` and `cash-flow.csv` of every example report against values computed without
/// crmcase (Tests/Reference/check_report_tables.py: closed forms and SciPy for each input's
/// mean, P5 and P95; summary.csv and monthly.csv for the cash flow's present values and total).
@Suite("Report tables against a reference")
struct ReportTablesTests {
    @Test("Each input's mean, P5 and P95 match closed forms and SciPy; the cash flow adds up to the summary and the cash path")
    func againstReference() throws {
        let reports = CLI.packageRoot.appendingPathComponent("Reports")
        let folders = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
            .map { reports.appendingPathComponent($0).path }
            .filter { FileManager.default.fileExists(atPath: $0 + "/inputs.csv") }
        #expect(folders.count >= 3, "the example reports: scripts/setup.sh writes them")
        let script = CLI.packageRoot.appendingPathComponent("Tests/Reference/check_report_tables.py").path
        let result = try CLI.run("/usr/bin/env", ["python3", script] + folders, in: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The number of inputs the reference knew how to check, across the examples.
        let checked = result.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(checked >= 100, "\(result.stdout)")
    }
}
