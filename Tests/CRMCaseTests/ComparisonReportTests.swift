import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import Renderers
import ScenarioFormat

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
}
