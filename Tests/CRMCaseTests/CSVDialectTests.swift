import Foundation
import Testing
import Tabular

/// The Excel dialects of the CSV files: what a Danish or Norwegian Excel opens directly, with
/// every number read back exactly.
@Suite("CSV dialects for Excel")
struct CSVDialectTests {
    /// Every CSV file of the example reports in `Reports/`.
    static let reportCSVFiles: [URL] = {
        let reports = CLI.packageRoot.appendingPathComponent("Reports")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: reports.path))?.sorted() ?? []
        return folders.flatMap { folder -> [URL] in
            let dir = reports.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(".csv") }.sorted().map { dir.appendingPathComponent($0) }
        }
    }()

    /// The records of a CSV text in `dialect`, without its byte-order mark and comment lines.
    static func records(_ text: String, _ dialect: CSVDialect) -> [[CSVField]] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let lines = body.split(separator: dialect.lineEnding == "\r\n" ? "\r\n" : "\n", omittingEmptySubsequences: false)
        let rest = lines.drop { $0.hasPrefix("# ") }.joined(separator: "\n")
        return CSVReader(delimiter: dialect.separator.unicodeScalars.first!).records(in: rest)
            .filter { !$0.isBlank }.map(\.fields)
    }

    @Test("Every example CSV file, spelt for a Danish and a Norwegian Excel, reads back number for number")
    func roundTrip() throws {
        #expect(Self.reportCSVFiles.count >= 10, "the example reports' CSV files are there (scripts/setup.sh)")
        var numbers = 0
        for url in Self.reportCSVFiles {
            let original = try String(contentsOf: url, encoding: .utf8)
            let plain = Self.records(original, .rfc4180)
            for dialect in [CSVDialect.excelDanish, .excelNorwegian] {
                let text = dialect.converted(original)
                #expect(text.hasPrefix("\u{FEFF}"), "\(url.lastPathComponent): UTF-8 byte-order mark")
                #expect(!text.replacing("\r\n", with: "").contains("\n"), "\(url.lastPathComponent): CRLF line ends only")
                let excel = Self.records(text, dialect)
                #expect(excel.count == plain.count, "\(url.lastPathComponent): same rows")
                for (row, (a, b)) in zip(plain, excel).enumerated() {
                    #expect(a.count == b.count, "\(url.lastPathComponent) row \(row): same fields")
                    for (x, y) in zip(a, b) {
                        if !x.isQuoted, let value = Double(x.text), value.isFinite, x.text.allSatisfy({ "0123456789.-+e".contains($0) }) {
                            numbers += 1
                            #expect(!y.text.contains("."), "decimal comma: \(y.text)")
                            #expect(Double(y.text.replacing(",", with: ".")) == value, "\(url.lastPathComponent): \(x.text) → \(y.text)")
                        } else {
                            #expect(y.text == x.text, "\(url.lastPathComponent): text \(x.text) → \(y.text)")
                        }
                    }
                }
            }
        }
        #expect(numbers > 1_000)
    }

    @Test("A field holding the separator is quoted; comments keep their place")
    func quoting() {
        var writer = CSVWriter(header: ["name", "value"], comments: ["ILLUSTRATIVE; not measured"], dialect: .excelDanish)
        writer.append(["a;b", CSVDialect.excelDanish.number(-1234.5)])
        writer.append(["plain, with comma", CSVDialect.excelDanish.number(2.5e-7)])
        #expect(writer.text == "\u{FEFF}# ILLUSTRATIVE; not measured\r\nname;value\r\n\"a;b\";-1234,5\r\nplain, with comma;2,5e-07\r\n")
        #expect(CSVDialect.rfc4180.converted("a,b\n1.5,x\n") == "a,b\n1.5,x\n")
    }

    @Test("crmcase run --csv-dialect excel-nb writes the same numbers as the default")
    func command() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try ScratchFolder()
        let plain = folder.url.appendingPathComponent("plain"), excel = folder.url.appendingPathComponent("excel")
        for (out, extra) in [(plain, [String]()), (excel, ["--csv-dialect", "excel-nb"])] {
            let result = try CLI.run(crmcase, ["run", "Scenarios/car-dealership.yaml", "--trials", "500", "--no-sensitivity",
                                               "--out", out.path] + extra, in: CLI.packageRoot)
            try #require(result.status == 0, "\(result.stderr)")
        }
        // Decoded by hand: String(contentsOf:) would drop the byte-order mark this checks.
        let a = String(decoding: try Data(contentsOf: plain.appendingPathComponent("summary.csv")), as: UTF8.self)
        let b = String(decoding: try Data(contentsOf: excel.appendingPathComponent("summary.csv")), as: UTF8.self)
        #expect(b == CSVDialect.excelNorwegian.converted(a))
        #expect(b.contains(";") && b.hasPrefix("\u{FEFF}"))
        // The Markdown and HTML are not CSV: unchanged.
        #expect(try Data(contentsOf: plain.appendingPathComponent("report.md")) == Data(contentsOf: excel.appendingPathComponent("report.md")))
    }
}
