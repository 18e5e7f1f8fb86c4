import Foundation
import ScenarioFormat
import Testing
import UseCases

/// `crmcase init`: a starting scenario that validates and runs with no edit in between.
@Suite("crmcase init")
struct InitTests {
    static let cases: [(kind: String, currency: String)] = ScenarioTemplate.Kind.allCases.flatMap { kind in
        ["DKK", "NOK", "EUR"].map { (kind.rawValue, $0) }
    }

    @Test("init → validate → run works for every template, asking nothing when standard input is not a terminal",
          arguments: cases.indices)
    func initValidateRun(_ c: Int) throws {
        let (kind, currency) = Self.cases[c]
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try ScratchFolder("init")
        let made = try CLI.run(crmcase, ["init", "case.yaml", "--kind", kind, "--currency", currency, "--seats", "30"], in: folder.url)
        try #require(made.status == 0, "\(made.stderr)")
        #expect(!made.stdout.contains("?") && !made.stdout.contains("["), "asked a question: \(made.stdout)")
        let text = try String(contentsOfFile: folder.path("case.yaml"), encoding: .utf8)
        #expect(text.contains("REPLACE"))
        #expect(text.contains("seats: 30 "))
        #expect(text.contains("currency: \(currency)"))
        #expect(text.contains("CBS 2013 (sect. 2, fig. 1)"), "the survey's failure rate, with its source")
        let valid = try CLI.run(crmcase, ["validate", "case.yaml"], in: folder.url)
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        let run = try CLI.run(crmcase, ["run", "case.yaml", "--trials", "500", "--no-sensitivity", "--out", "report"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("report/report.md")))
    }

    @Test("init never overwrites a file, and refuses bad flags with exit 64")
    func refusals() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try ScratchFolder("init")
        try folder.write("case.yaml", "mine\n")
        let again = try CLI.run(crmcase, ["init", "case.yaml", "--kind", "b2b"], in: folder.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: folder.path("case.yaml"), encoding: .utf8) == "mine\n")
        for bad in [["--kind", "bakery"], ["--seats", "0"], ["--currency", "kroner"], ["--price", "-5"]] {
            let result = try CLI.run(crmcase, ["init", "other.yaml"] + bad, in: folder.url)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("other.yaml")))
        }
    }

    @Test("The client's own segments and sizes: in the file as given, new customers split by size, and it runs")
    func ownSegments() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try ScratchFolder("init")
        let made = try CLI.run(crmcase, ["init", "s.yaml", "--kind", "retail", "--segment", "Club members=8000",
                                         "--segment", "Walk-ins: off the street=30_000", "--segment", "Online=1200"], in: folder.url)
        try #require(made.status == 0, "\(made.stderr)")
        let loaded = try ScenarioLoader.load(path: folder.path("s.yaml"))
        #expect(loaded.scenario.segments.map(\.name) == ["Club members", "Walk-ins: off the street", "Online"])
        #expect(loaded.scenario.segments.map(\.customers.distribution.mean) == [8000, 30000, 1200])
        // No mix written: the loader splits new customers by segment size.
        let mixes = loaded.scenario.segments.map(\.mix)
        #expect(abs(mixes[0] - 8000.0 / 39200) < 1e-12 && abs(mixes[1] - 30000.0 / 39200) < 1e-12)
        let run = try CLI.run(crmcase, ["run", "s.yaml", "--trials", "300", "--no-sensitivity", "--out", "r"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        for bad in ["Club", "=5", "A=0", "A=many"] {
            let result = try CLI.run(crmcase, ["init", "t.yaml", "--segment", bad], in: folder.url)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains("--segment"))
        }
        let twice = try CLI.run(crmcase, ["init", "t.yaml", "--segment", "A=1", "--segment", "A=2"], in: folder.url)
        #expect(twice.status == 64 && twice.stderr.contains("twice"))
    }

    @Test("A title with quotes, a colon and a hash reads back as written")
    func title() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try ScratchFolder("init")
        let title = #"Acme: "Phase 2" # pilot \ Nordics"#
        let made = try CLI.run(crmcase, ["init", "t.yaml", "--kind", "retail", "--name", title], in: folder.url)
        try #require(made.status == 0, "\(made.stderr)")
        let run = try CLI.run(crmcase, ["run", "t.yaml", "--trials", "300", "--no-sensitivity", "--out", "r"], in: folder.url)
        try #require(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: folder.path("r/report.md"), encoding: .utf8)
        #expect(report.contains(title))
    }
}
