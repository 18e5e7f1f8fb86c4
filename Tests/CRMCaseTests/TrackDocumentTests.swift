import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import Renderers
import ScenarioFormat
import Tracking
import UseCases

/// The follow-up report as a document: what `crmcase track` writes is the document rendered and
/// nothing else, its charts hold the analysis' own numbers, and the files do not depend on the
/// thread count.
@Suite("Follow-up report document, charts and HTML", .serialized)
struct TrackDocumentTests {
    static let scenarioFile = "Scenarios/car-dealership.yaml"
    static let actualsFile = "Scenarios/car-dealership.actuals.csv"
    static let trials = 600, particles = 300, seed: UInt64 = 7

    static func load() throws -> (LoadedScenario, Actuals) {
        let root = CLI.packageRoot.path
        let loaded = try ScenarioLoader.load(path: root + "/" + scenarioFile)
        let actuals = try ActualsParser.load(path: root + "/" + actualsFile, scenario: loaded.scenario)
        return (loaded, actuals)
    }

    static func files(threads: Int) throws -> [String: String] {
        let (loaded, actuals) = try load()
        let out = FollowUpRun.files(loaded: loaded, scenarioFile: scenarioFile, actuals: actuals, actualsFile: actualsFile,
                                    trials: trials, particles: particles, seed: seed, threads: threads)
        return Dictionary(uniqueKeysWithValues: out.files.map { ($0.name, $0.contents) })
    }

    /// The follow-up and its document, built here step by step as `FollowUpRun` does.
    static func document(threads: Int) throws -> (FollowUp, ReportDocument) {
        let (loaded, actuals) = try load()
        let model = TrialModel(scenario: loaded.scenario)
        let result = Engine(model: model, options: .init(trials: trials, seed: seed, threads: threads,
                                                         recorder: FollowUp.recorder(for: actuals, model: model))).run()
        let followUp = FollowUp(actuals: actuals, result: result, particles: particles)
        let (fits, problems) = RetentionFit.fits(for: actuals, scenario: loaded.scenario)
        let report = TrackReport(followUp: followUp, info: Provenance.runInfo(scenarioFile: scenarioFile, loaded: loaded, sampler: model.countSampler),
                                 actualsFile: actualsFile, retentionFits: fits, retentionProblems: problems)
        return (followUp, report.document())
    }

    /// track.csv as rows of named cells (no cell of these files holds a comma or quote).
    static func csvRows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test("Every file is the document rendered: track.md, track.csv, track.html and one SVG per figure, nothing else")
    func filesAreTheDocument() throws {
        let written = try Self.files(threads: 2)
        let (_, document) = try Self.document(threads: 2)
        #expect(written["track.md"] == MarkdownRenderer.render(document))
        #expect(written["track.csv"] == CSVRenderer.render(document.dataTables[0]))
        #expect(document.dataTables.map(\.fileName) == ["track.csv"])
        let svgs = Set(document.figures.map { "\($0.name).svg" })
        #expect(Set(written.keys) == svgs.union(["track.md", "track.csv", "track.html"]))
        #expect(document.figures.count == 13, "one chart per tracked figure (metric × segment)")
        let markdown = try #require(written["track.md"])
        let html = try #require(written["track.html"])
        for figure in document.figures {
            #expect(markdown.contains("](\(figure.name).svg)"), "track.md links \(figure.name).svg")
            #expect(html.contains("<figure id=\"figure-\(figure.name)\">"), "track.html holds \(figure.name)")
            let svg = try #require(written["\(figure.name).svg"])
            #expect(svg.hasPrefix("<svg") && html.contains(svg), "the inline chart is the SVG file")
        }
    }

    @Test("The report opens with the verdict and the charts; the summary ends at the page break; the table comes last")
    func sectionOrder() throws {
        let (followUp, document) = try Self.document(threads: 2)
        guard case .paragraph(let verdict) = document.blocks.first else { Issue.record("no verdict first"); return }
        #expect(verdict.plainText.hasPrefix("Verdict. After 12 months of actuals"))
        let headings = document.blocks.compactMap { block -> String? in
            if case .heading(2, let text, _) = block { return text } else { return nil }
        }
        #expect(headings == ["The tracked figures, furthest off plan first", "What the actuals mean for the business case",
                             "The other tracked figures", "Calibration of the original forecast", "Re-forecast with the actuals",
                             "Retention fitted to the actual customer cohorts", "How these numbers are made", "Month by month",
                             "Reproducibility"])
        let pageBreak = try #require(document.blocks.firstIndex(of: .pageBreak))
        let summaryFigures = document.blocks[..<pageBreak].compactMap { block -> Figure? in
            if case .figure(let f) = block { return f } else { return nil }
        }
        #expect(summaryFigures.count == TrackReport.summaryFigures)
        #expect(summaryFigures.allSatisfy { $0.size == .full })
        #expect(document.figures.dropFirst(summaryFigures.count).allSatisfy { $0.size == .small })
        // In the analysis' ranking: the figures off plan before those in line.
        let offPlan = followUp.figures.filter(\.isOffPlan).count
        #expect(followUp.figures.prefix(offPlan).allSatisfy { $0.isOffPlan })
        #expect(followUp.figures.map(\.metric) == TrackedFigure.ranked(followUp.figures).map(\.metric))
    }

    @Test("Each chart's bands and points are the analysis' numbers: the forecast's percentiles in track.csv, the re-forecast's")
    func figureDataAreTheAnalysis() throws {
        let (followUp, document) = try Self.document(threads: 2)
        let csv = Self.csvRows(CSVRenderer.render(document.dataTables[0]))
        let scenario = followUp.result.model.scenario
        let today = try #require(followUp.actuals.lastMonth)
        #expect(document.figures.count == followUp.figures.count)
        var checked = 0
        for (figure, tracked) in zip(document.figures, followUp.figures) {
            guard case .bands(let b) = figure.content else { Issue.record("\(figure.name) is not a band chart"); continue }
            func series(_ name: String) -> BandFigure.Series.Shape? { b.series.first { $0.name == name }?.shape }
            guard case .band(let p5, let p95)? = series("Forecast: 90 % range"),
                  case .band(let p25, let p75)? = series("Forecast: middle half"),
                  case .line(let p50)? = series("Forecast: median"),
                  case .points(let actual)? = series("Actual"),
                  case .band(let r5, let r95)? = series("Re-forecast: 90 % range"),
                  case .line(let r50)? = series("Re-forecast: median")
            else { Issue.record("\(figure.name) lacks a series"); continue }
            #expect(b.xs == tracked.months.map(Double.init))
            #expect(b.xs.first == 1 && b.xs.last == Double(min(scenario.horizon, today + FollowUp.monthsAhead)))
            #expect(b.marker?.value == Double(today))
            let segment = tracked.metric.segment.map { scenario.segments[$0].name } ?? ""
            for (k, t) in tracked.months.enumerated() {
                let row = csv.first { $0["metric"] == tracked.metric.fileName && $0["segment"] == segment && $0["month"] == String(t) }
                if let row {
                    // A month with an actual: the chart's numbers are track.csv's, to the bit.
                    #expect(p50[k] == Double(row["forecast_p50"]!), "\(figure.name) P50 in month \(t)")
                    #expect(p5[k] == Double(row["forecast_p5"]!) && p95[k] == Double(row["forecast_p95"]!))
                    #expect(p25[k] == Double(row["forecast_p25"]!) && p75[k] == Double(row["forecast_p75"]!))
                    #expect(actual[k] == Double(row["actual"]!))
                    checked += 1
                } else {
                    #expect(actual[k] == nil)
                    #expect(p50[k] == tracked.forecast[k].median)
                }
                // The re-forecast from today on, the analysis' weighted percentiles; nothing before.
                if let j = tracked.reforecastMonths.firstIndex(of: t) {
                    #expect(t >= today)
                    #expect(r50[k] == tracked.reforecast[j].percentile(0.5))
                    #expect(r5[k] == tracked.reforecast[j].percentile(0.05) && r95[k] == tracked.reforecast[j].percentile(0.95))
                    #expect(r5[k] <= r50[k] && r50[k] <= r95[k])
                } else {
                    #expect(t < today && r50[k].isNaN && r5[k].isNaN)
                }
            }
            // The axis says the unit: the currency for money, % for adoption, counts otherwise.
            switch tracked.metric {
            case .licenceCost, .otherCosts, .contributionMargin:
                #expect(b.y.kind == .money(currency: scenario.currency) && b.y.title.contains(scenario.currency))
            case .adoption: #expect(b.y.kind == .share && b.y.title.contains("%"))
            default: #expect(b.y.kind == .count)
            }
        }
        #expect(checked == followUp.points.count, "every actual is a point of its chart")
    }

    @Test("The same seed gives byte-identical files with 1 and 2 threads")
    func sameFilesAcrossThreads() throws {
        let one = try Self.files(threads: 1)
        let two = try Self.files(threads: 2)
        #expect(one.keys.sorted() == two.keys.sorted())
        for name in one.keys.sorted() {
            #expect(one[name] == two[name], "\(name) differs between 1 and 2 threads")
        }
        #expect(one.keys.contains("track.html") && one.keys.filter { $0.hasSuffix(".svg") }.count == 13)
    }

    @Test("HTML: consecutive small figures share a grid, full ones a row in the summary")
    func htmlGrid() {
        func figure(_ name: String, _ size: Figure.Size) -> Block {
            .figure(Figure(name: name, title: name, description: name,
                           content: .bars(BarFigure(axis: FigureAxis("x", kind: .count), categories: [], series: [])), size: size))
        }
        let document = ReportDocument(title: "t", blocks: [
            figure("a", .full), figure("b", .full), .pageBreak, figure("c", .small), figure("d", .small), figure("e", .full),
        ])
        let html = HTMLRenderer(drawFigure: { "<svg id=\"\($0.name)\"></svg>" }).render(document)
        #expect(html.contains("<div class=\"figure-row\">\n<figure id=\"figure-a\">"))
        #expect(html.contains("<div class=\"figure-grid\">\n<figure id=\"figure-c\">\n<svg id=\"c\"></svg>\n</figure>\n<figure id=\"figure-d\">"))
        #expect(html.contains("</div>\n<figure id=\"figure-e\">"))
        // Markdown links every figure, small or not, and ends with one newline.
        let markdown = MarkdownRenderer.render(document)
        #expect(["a", "b", "c", "d", "e"].allSatisfy { markdown.contains("](\($0).svg)") })
        #expect(markdown.hasSuffix(".svg)\n"))
    }
}
