import Foundation
import Testing

// Files as editors and spreadsheets save them: UTF-16, Latin-1, a byte-order mark, Windows
// (CR LF) and old Mac (CR) line endings. crmcase reads UTF-8 with or without a byte-order mark
// and any line ending; a mistake in such a file is placed exactly as in a plain one, and a file
// in another encoding is one sentence at the place it goes wrong.

private let bom = Data([0xEF, 0xBB, 0xBF])
/// The scenario with one mistake, at case.yaml:6:10.
private let negativeSeats = BadInput.scenario("  seats: 20", "  seats: -5")
private let seatsWords = ["“seats” in “licences” is -5, but it must be between 0 and a billion."]
private let track = ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"]

private func windows(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }
private func encoded(_ text: String, _ encoding: String.Encoding) -> Data { text.data(using: encoding) ?? Data() }

@Suite("Bad input: encodings")
struct BadEncodingTests {
    static let cases: [BadInputCase] = [
        BadInputCase("a scenario in UTF-16 with a byte-order mark", data: ["case.yaml": encoded(BadInput.scenario, .utf16)],
                     BadInputCase.run, place: "case.yaml:1:1",
                     words: ["The scenario file is UTF-16 text; crmcase reads scenario files in UTF-8."]),
        BadInputCase("a scenario in UTF-16 without one", data: ["case.yaml": encoded(BadInput.scenario, .utf16BigEndian)],
                     BadInputCase.run, place: "case.yaml:1:1", words: ["The scenario file is UTF-16 text"]),
        BadInputCase("a scenario saved as Latin-1",
                     data: ["case.yaml": encoded(BadInput.scenario("name: Bad input", "name: Café input"), .isoLatin1)],
                     BadInputCase.run, place: "case.yaml:1:10",
                     words: ["The scenario file is not UTF-8 text", "byte E9", "Latin-1"]),
        BadInputCase("a mistake in a UTF-8 file with a byte-order mark", data: ["case.yaml": bom + Data(negativeSeats.utf8)],
                     BadInputCase.run, place: "case.yaml:6:10", words: seatsWords),
        BadInputCase("a mistake in a file with CR LF line endings", files: ["case.yaml": windows(negativeSeats)],
                     BadInputCase.run, place: "case.yaml:6:10", words: seatsWords),
        BadInputCase("a mistake in a file with a byte-order mark and CR LF",
                     data: ["case.yaml": bom + Data(windows(negativeSeats).utf8)],
                     BadInputCase.run, place: "case.yaml:6:10", words: seatsWords),
        BadInputCase("a mistake in a file with CR line endings",
                     files: ["case.yaml": negativeSeats.replacingOccurrences(of: "\n", with: "\r")],
                     BadInputCase.run, place: "case.yaml:6:10", words: seatsWords),
        BadInputCase("a variants file in UTF-16",
                     data: ["case.yaml": Data(BadInput.scenario.utf8),
                            "levers.yaml": encoded("base: case.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n", .utf16)],
                     ["compare", "levers.yaml", "--trials", "50", "--quiet"], place: "levers.yaml:1:1",
                     words: ["The scenario file is UTF-16 text"]),
        BadInputCase("an actuals file in UTF-16",
                     data: ["case.yaml": Data(BadInput.scenario.utf8), "a.csv": encoded(BadInput.actuals(), .utf16)],
                     track, place: "a.csv:1:1",
                     words: ["The actuals file is UTF-16 text; crmcase reads CSV files in UTF-8."]),
        BadInputCase("an actuals file saved as Latin-1",
                     data: ["case.yaml": Data(BadInput.scenario.utf8),
                            "a.csv": encoded(BadInput.actuals().replacingOccurrences(of: "Key", with: "Kéy"), .isoLatin1)],
                     track, place: "a.csv:2:12", words: ["The actuals file is not UTF-8 text", "byte E9"]),
        BadInputCase("a mistake in an actuals file with a byte-order mark, CR LF and a comment line",
                     data: ["case.yaml": Data(BadInput.scenario.utf8),
                            "a.csv": bom + Data(windows("# From the CRM export\n" + BadInput.actuals("3,churned,Key accounts,-2\n")).utf8)],
                     track, place: "a.csv:5:24", words: ["churned[Key accounts] is -2"]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }

    /// A byte-order mark before a scenario (Windows editors write one) once made the file
    /// "not valid YAML" at line 2.
    @Test("A valid scenario with a byte-order mark and CR LF line endings runs")
    func byteOrderMarkAccepted() throws {
        let folder = try ScratchFolder("bad-input-bom")
        try folder.write("case.yaml", bom + Data(windows(BadInput.scenario).utf8))
        let result = try folder.crmcase(["run", "case.yaml", "--out", "report", "--trials", "50", "--no-sensitivity", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("report/report.md")))
    }
}
