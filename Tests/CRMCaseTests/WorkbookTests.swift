import Foundation
import Spreadsheet
import Testing
import UseCases

/// The Excel workbook of every report (`report.xlsx`, `track.xlsx`, `compare.xlsx`,
/// `sweep.xlsx`): read back by openpyxl, which did not write it, every number equals the CSV
/// files'; LibreOffice opens it; the same seed gives the same bytes.
@Suite("Excel workbooks", .serialized)
struct WorkbookTests {
    static let root = CLI.packageRoot

    /// Runs Tests/Spreadsheet/check_workbook.py on a report folder's workbook; its one line of
    /// findings.
    static func check(_ folder: String, _ workbook: String) throws -> String {
        let script = root.appendingPathComponent("Tests/Spreadsheet/check_workbook.py").path
        let result = try CLI.run("/usr/bin/env", ["python3", script, folder, workbook], in: root)
        #expect(result.status == 0, "\(workbook): \(result.stdout)\(result.stderr)")
        return result.stdout
    }

    /// The number after `label` in check_workbook.py's line (`ok: 3805 numbers, 3 charts, …`).
    static func count(_ label: String, in line: String) -> Int {
        guard let range = line.range(of: " \(label)") else { return -1 }
        let before = line[..<range.lowerBound].split(separator: " ").last ?? ""
        return Int(before) ?? -1
    }

    @Test("Every report's workbook holds every number of its CSV files, and its charts",
          arguments: [
            (["run", "Scenarios/car-dealership.yaml", "--trials", "2000"], "report.xlsx", 3),
            (["track", "Scenarios/car-dealership.yaml", "--actuals", "Scenarios/car-dealership.actuals.csv", "--trials", "2000", "--particles", "1000"], "track.xlsx", 1),
            (["compare", "Scenarios/car-dealership-levers.variants.yaml", "--trials", "1000"], "compare.xlsx", 1),
            (["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:40:10", "--trials", "1000"], "sweep.xlsx", 1),
          ])
    func readBack(_ arguments: [String], _ workbook: String, _ charts: Int) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("workbook")
        let run = try CLI.run(crmcase, arguments + ["--out", scratch.path("r")], in: Self.root)
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(workbook), "the command names the workbook it wrote: \(run.stdout)")
        let found = try Self.check(scratch.path("r"), workbook)
        #expect(found.hasPrefix("ok: "))
        #expect(Self.count("numbers", in: found) > 20, "\(found)")
        #expect(Self.count("charts", in: found) >= charts, "\(found)")
    }

    @Test("LibreOffice opens the workbook and prints it to PDF without an error")
    func libreOfficeOpensIt() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let soffice = try #require(["/usr/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "LibreOffice is missing: scripts/setup.sh --deps installs it")
        let scratch = try ScratchFolder("workbook")
        for arguments in [["run", "Scenarios/car-dealership.yaml", "--trials", "1000"],
                          ["track", "Scenarios/car-dealership.yaml", "--actuals", "Scenarios/car-dealership.actuals.csv", "--trials", "1000", "--particles", "500"]] {
            let out = scratch.path(arguments[0])
            let run = try CLI.run(crmcase, arguments + ["--out", out], in: Self.root)
            try #require(run.status == 0, "\(run.stderr)")
            let stem = arguments[0] == "run" ? "report" : "track"
            // A profile of its own, so that no other LibreOffice on the machine is in the way.
            let profile = "file://" + scratch.path("lo-profile-\(stem)")
            let converted = try CLI.run(soffice, ["-env:UserInstallation=\(profile)", "--headless", "--convert-to", "pdf",
                                                  "--outdir", out, "\(out)/\(stem).xlsx"], in: scratch.url)
            #expect(converted.status == 0, "\(converted.stdout)\(converted.stderr)")
            #expect(!converted.stderr.lowercased().contains("error"), "\(converted.stderr)")
            let pdf = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(stem).pdf"))
            #expect(pdf.count > 10_000 && pdf.starts(with: Array("%PDF".utf8)), "\(stem).pdf: \(pdf.count) bytes")
        }
    }

    @Test("The same seed gives the same workbook bytes, whatever the threads and the CSV dialect")
    func byteIdentical() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("workbook")
        var workbooks: [Data] = []
        for (k, extra) in [["--threads", "1"], ["--threads", "2"], ["--threads", "2", "--csv-dialect", "excel-da"]].enumerated() {
            let run = try CLI.run(crmcase, ["run", "Scenarios/b2b-distributor.yaml", "--trials", "1500", "--out", scratch.path("r\(k)")] + extra,
                                  in: Self.root)
            try #require(run.status == 0, "\(run.stderr)")
            workbooks.append(try Data(contentsOf: URL(fileURLWithPath: scratch.path("r\(k)/report.xlsx"))))
        }
        #expect(workbooks[0] == workbooks[1])
        #expect(workbooks[0] == workbooks[2], "the workbook is made before the CSV files are respelt")
        #expect(!workbooks[0].isEmpty && workbooks[0].starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip file")
    }

    @Test("A sheet name Excel would refuse, or a duplicate, is one sentence and no file; no value is an empty cell")
    func writerRules() throws {
        for bad in ["", String(repeating: "x", count: 32), "a/b", "what?"] {
            #expect(throws: XLSXWriter.Failure.self) { _ = try XLSXWriter.data(Workbook(title: "t", sheets: [Sheet(name: bad)])) }
        }
        do {
            _ = try XLSXWriter.data(Workbook(title: "t", sheets: [Sheet(name: "Summary"), Sheet(name: "summary")]))
            Issue.record("two sheets called summary were accepted")
        } catch {
            #expect(error.description.contains("Two sheets"))
        }
        // NaN and infinities (no IRR, payback never) become empty cells, never #NUM!.
        let scratch = try ScratchFolder("workbook")
        let bytes = try XLSXWriter.data(Workbook(title: "t", sheets: [Sheet(name: "S", rows: [[.number(.nan), .number(.infinity), .number(2.5)]])]))
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.path("w.xlsx")))
        let script = """
        import openpyxl, sys
        s = openpyxl.load_workbook(sys.argv[1])["S"]
        print([c.value for c in s[1]])
        """
        let read = try CLI.run("/usr/bin/env", ["python3", "-c", script, scratch.path("w.xlsx")], in: scratch.url)
        #expect(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[None, None, 2.5]", "\(read.stdout)\(read.stderr)")
    }
}
