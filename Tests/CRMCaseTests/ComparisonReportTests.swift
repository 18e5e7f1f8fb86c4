import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import Renderers
import ScenarioFormat
import UseCases

/// The `compare` and `sweep` documents: their words follow the judgements, every Markdown byte
/// comes from the document, and the figures' data are the analysis's numbers.
@Suite("Comparison and sweep reports")
struct ComparisonReportTests {
    static let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x.yaml", scenarioSHA256: "x")

    private func run(a: Double, b: Double, c: Double, trials: Int = 2000) throws -> SimulationResult {
        Engine(model: TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.toyDecision(a: a, b: b, c: c))),
               options: .init(trials: trials, seed: 5)).run()
    }

    private func report(_ runs: [SimulationResult]) -> ComparisonReport {
        let comparison = Comparison(options: runs.enumerated().map { Comparison.Option(name: "option \($0.offset + 1)", result: $0.element) })
        return ComparisonReport(comparison: comparison, info: Self.info, changes: runs.map { _ in [] })
    }

    private func sweep(_ costs: [Double], a: Double = 0, b: Double = 100) throws -> SweepReport {
        let runs = try costs.map { try run(a: a, b: b, c: $0) }
        let analysis = SweepAnalysis(path: "costs[Outlay].amount",
                                     points: zip(costs, runs).map { (label: "\(Int($0.0))", value: $0.0, result: $0.1) })
        return SweepReport(analysis: analysis, info: Self.info)
    }

    @Test("The verdict words each judgement")
    func verdictWords() throws {
        let close = MarkdownRenderer.render(report([try run(a: 999.9, b: 1000.1, c: 1000), try run(a: 0, b: 100, c: 80)]).document())
        #expect(close.contains("**Too close to tell whether any option makes money**"))
        #expect(close.contains("too close to zero for 2,000 trials to tell"))
        #expect(!close.contains("has the highest expected NPV"))

        let base = try run(a: 0, b: 100, c: 10)
        let tie = MarkdownRenderer.render(report([base, try run(a: 0, b: 100.5, c: 10)]).document())
        #expect(tie.contains("**option 2** has the highest expected NPV"))
        #expect(tie.contains("but **option 1** comes so close that 2,000 trials cannot tell which of the two is better on average"))
        let clear = MarkdownRenderer.render(report([base, try run(a: 0, b: 110, c: 10)]).document())
        #expect(!clear.contains("comes so close"))
    }

    @Test("The sweep summary names the best value and where the NPV changes sign")
    func sweepWords() throws {
        let text = MarkdownRenderer.render(try sweep([30, 45, 60]).document())
        #expect(text.contains("the expected NPV is highest at **30**"))
        #expect(text.contains("; it changes sign between 45 and 60"))
    }

    // MARK: Documents, files and figures

    static func scenario(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Scenarios/\(name)").path }

    /// The levers comparison at a small trial count.
    static func leversDocument(trials: Int = 600) throws -> ReportDocument {
        let options = try ComparisonRun.options(scenarios: [scenario("car-dealership-levers.variants.yaml")], overrides: [])
        return ComparisonRun.document(options: options, scenarioFiles: ["levers.yaml"], overrides: [], trials: trials,
                                      seed: 7, threads: 2)
    }

    /// A sweep of the car dealership at a small trial count.
    static func sweepDocument(_ vary: String, trials: Int = 300) throws -> (ReportDocument, SweepRange) {
        let range = try SweepRange(vary)
        let path = scenario("car-dealership.yaml")
        var first: LoadedScenario?
        var points: [(value: String, result: SimulationResult)] = []
        for k in range.values.indices {
            let loaded = try SweepRun.load(path, overrides: [], range: range, value: k)
            if first == nil { first = loaded }
            points.append((range.values[k], SweepRun.point(loaded, trials: trials, seed: 7, threads: 2)))
        }
        return (SweepRun.document(scenarioFile: "car.yaml", first: first!, overrides: [], range: range, points: points), range)
    }

    /// The value of one row of `compare.csv` (option, metric, statistic).
    static func value(_ table: DataTable, _ key: [String]) -> Double? {
        for row in table.rows where row.prefix(3).elementsEqual(key.map(DataTable.Value.text)) {
            if case .number(let x) = row[3] { return x }
        }
        return nil
    }

    /// A column of `sweep.csv` as numbers.
    static func column(_ table: DataTable, _ name: String) -> [Double] {
        let k = table.header.firstIndex(of: name)!
        return table.rows.map { if case .number(let x) = $0[k] { return x } else { return .nan } }
    }

    @Test("Compare: every file is the document rendered; the charts sit on the summary page")
    func compareFiles() throws {
        let document = try Self.leversDocument()
        let files = ComparisonRun.rendered(document)
        let names = files.map(\.name)
        #expect(names == ["compare.md", "compare.csv", "compare.html", "delta-npv.svg", "npv-by-option.svg"])
        #expect(files[0].contents == MarkdownRenderer.render(document))
        #expect(files[1].contents == CSVRenderer.render(try #require(document.dataTables.first)))
        let markdown = files[0].contents
        for figure in document.figures {
            #expect(markdown.contains("![\(figure.title)](\(figure.name).svg)"))
            #expect(files[2].contents.contains("<figure id=\"figure-\(figure.name)\">"))
            #expect(files.first { $0.name == "\(figure.name).svg" }?.contents.hasPrefix("<svg") == true)
        }
        // Verdict, the two charts, then a new page with the tables.
        let breakAt = try #require(document.blocks.firstIndex(of: .pageBreak))
        #expect(breakAt == 3)
        guard case .paragraph(let verdict) = document.blocks[0] else { Issue.record("no verdict first"); return }
        #expect(verdict.plainText.hasPrefix("Verdict."))
        #expect(document.blocks[1...2].allSatisfy { if case .figure = $0 { true } else { false } })
        #expect(document.blocks[breakAt + 1] == .heading(level: 2, text: "Options", anchor: "options"))
    }

    @Test("Compare: the charts' numbers are the tables' numbers")
    func compareFigureData() throws {
        let document = try Self.leversDocument()
        let csv = try #require(document.dataTables.first)
        let figures = document.figures
        try #require(figures.map(\.name) == ["delta-npv", "npv-by-option"])
        guard case .intervals(let delta) = figures[0].content, case .intervals(let npv) = figures[1].content else {
            Issue.record("the compare figures are not intervals"); return
        }
        #expect(delta.reference == 0 && npv.reference == 0)
        #expect(delta.axis.kind == .money(currency: "NOK") && npv.axis.kind == .money(currency: "NOK"))
        // Every option but the baseline against it; every option for the NPV.
        #expect(delta.rows.map(\.label) == ["CRM only, no levers", "Training only", "Loyalty programme only",
                                           "Both levers plus segmented follow-up"])
        #expect(npv.rows.map(\.label) == ["Base case"] + delta.rows.map(\.label))
        for row in delta.rows {
            let stat = { (s: String) in Self.value(csv, [row.label, "delta_npv", s]) }
            #expect(row.p5 == stat("p5") && row.p25 == stat("p25") && row.p50 == stat("p50"))
            #expect(row.p75 == stat("p75") && row.p95 == stat("p95") && row.mean == stat("mean"))
            #expect(row.p5 <= row.p25 && row.p25 <= row.p50 && row.p50 <= row.p75 && row.p75 <= row.p95)
        }
        for row in npv.rows {
            let stat = { (s: String) in Self.value(csv, [row.label, "npv", s]) }
            #expect(row.p5 == stat("p5") && row.p25 == stat("p25") && row.p50 == stat("p50"))
            #expect(row.p75 == stat("p75") && row.p95 == stat("p95") && row.mean == stat("mean"))
        }
    }

    @Test("Sweep: the charts' numbers are the table's, against the swept value on its own kind of axis")
    func sweepFigureData() throws {
        let (document, range) = try Self.sweepDocument("licences.seats=20:40:10")
        let files = SweepRun.rendered(document)
        #expect(files.map(\.name) == ["sweep.md", "sweep.csv", "sweep.html", "npv-by-value.svg", "loss-chance-by-value.svg"])
        #expect(files[0].contents == MarkdownRenderer.render(document))
        let csv = try #require(document.dataTables.first)
        let figures = document.figures
        try #require(figures.map(\.name) == ["npv-by-value", "loss-chance-by-value"])
        #expect(figures[0].title == "NPV against licences.seats")
        guard case .bands(let npv) = figures[0].content, case .bands(let loss) = figures[1].content else {
            Issue.record("the sweep figures are not bands"); return
        }
        #expect(npv.xs == range.numbers && npv.xs == [20, 30, 40])
        #expect(npv.x.kind == .count && loss.x.kind == .count)
        #expect(npv.y.kind == .money(currency: "NOK") && loss.y.kind == .share)
        #expect(npv.reference?.value == 0)
        let shapes = npv.series.map(\.shape)
        #expect(shapes.contains(.line(Self.column(csv, "npv_mean"))))
        #expect(shapes.contains { if case .band(let lo, let hi) = $0 { lo == Self.column(csv, "npv_p5") && hi == Self.column(csv, "npv_p95") } else { false } })
        #expect(shapes.contains { if case .band(let lo, let hi) = $0 { zip(lo, hi).allSatisfy { $0 <= $1 } && !(lo == Self.column(csv, "npv_p5")) } else { false } })
        #expect(loss.series.map(\.shape) == [.line(Self.column(csv, "probability_of_loss"))])
        let breakAt = try #require(document.blocks.firstIndex(of: .pageBreak))
        #expect(breakAt == 3)

        // A share (written in %) and an amount of money get their own axes.
        let (shares, _) = try Self.sweepDocument("licences.escalation=2%:4%:1%", trials: 100)
        guard case .bands(let s) = shares.figures[0].content else { Issue.record("no bands"); return }
        #expect(s.x.kind == .share && s.x.title == "licences.escalation (per year)")
        #expect(zip(s.xs, [0.02, 0.03, 0.04]).allSatisfy { abs($0 - $1) < 1e-12 })
        let (prices, _) = try Self.sweepDocument("licences.price=600:800:200", trials: 100)
        guard case .bands(let p) = prices.figures[0].content else { Issue.record("no bands"); return }
        #expect(p.x.kind == .money(currency: "NOK"))
        #expect(p.x.title == "licences.price (NOK per month)")
    }

    @Test("Same seed, --threads 1 and 2: byte-identical files, charts and HTML included", arguments: [
        ["compare", "Scenarios/car-dealership-levers.variants.yaml", "--trials", "300"],
        ["sweep", "Scenarios/car-dealership.yaml", "--vary", "licences.seats=20:40:10", "--trials", "300"],
    ])
    func threads(_ arguments: [String]) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-threads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var written: [[String: Data]] = []
        for threads in ["1", "2"] {
            let folder = out.appendingPathComponent(threads)
            let result = try CLI.run(crmcase, arguments + ["--out", folder.path, "--threads", threads, "--seed", "11", "--quiet"],
                                     in: CLI.packageRoot)
            try #require(result.status == 0, "exit \(result.status): \(result.stderr)")
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
            }
            written.append(files)
        }
        let stem = arguments[0]
        #expect(written[0].keys.contains("\(stem).html"))
        #expect(written[0].keys.filter { $0.hasSuffix(".svg") }.count == 2)
        #expect(Set(written[0].keys) == Set(written[1].keys))
        for name in written[0].keys.sorted() {
            #expect(written[0][name] == written[1][name], "\(name) differs between --threads 1 and --threads 2")
        }
    }
}
