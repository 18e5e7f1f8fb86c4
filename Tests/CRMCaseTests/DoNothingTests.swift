import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import Renderers
import ScenarioFormat

@Suite("Compare always includes doing nothing")
struct DoNothingTests {
    private func compare(_ outlays: [Double], trials: Int = 40_000) throws -> Comparison {
        let options = try outlays.map { c in
            Comparison.Option(name: "outlay \(Int(c))", result: Engine(
                model: TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.toyDecision(a: 0, b: 100, c: c))),
                options: .init(trials: trials, seed: 3)).run())
        }
        return Comparison(options: options)
    }

    @Test("Regret and the chance of being best count not investing among the choices (closed forms)")
    func closedForms() throws {
        // Options B − 60 and B − 80 on the same B: doing nothing is best when B < 60 (60 %);
        // its regret is E[max(B − 60, 0)] = 40²/200 = 8; option 60's regret is
        // E[max(60 − B, 0)] = 60²/200 = 18, option 80's E[max(B − 60, 0) − (B − 80)] =
        // 0.4·20 + ∫₀⁶⁰ (80 − b)/100 db = 8 + 30 = 38.
        let c = try compare([60, 80])
        let n = 40_000.0
        #expect(abs(c.doNothing.probabilityBest - 0.6) <= 5 * (0.24 / n).squareRoot())
        #expect(abs(c.probabilityBest[0] - 0.4) <= 5 * (0.24 / n).squareRoot())
        #expect(c.probabilityBest[1] == 0)
        // sd of max(B − 60, 0) is about 14.4, so the MC error of these means is about 0.07.
        #expect(abs(c.doNothing.expectedRegret - 8) < 0.4, "\(c.doNothing.expectedRegret)")
        #expect(abs(c.expectedRegret[0] - 18) < 0.6, "\(c.expectedRegret[0])")
        #expect(abs(c.expectedRegret[1] - 38) < 0.6, "\(c.expectedRegret[1])")
    }

    @Test("When every option loses money in expectation the verdict says so and names no winner")
    func noWinner() throws {
        let c = try compare([60, 80], trials: 4000)
        let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x", scenarioSHA256: "x")
        let markdown = MarkdownRenderer.render(ComparisonReport(comparison: c, info: info, changes: [[], []]).document())
        #expect(markdown.contains("**No option makes money in expectation**"))
        #expect(!markdown.contains("has the highest expected NPV"))
        #expect(markdown.contains("| Do nothing (reference) | 0 |"))
        // With an option that pays on average (E = 50 − 30 = 20), it is named, against doing nothing too.
        let good = try compare([30, 60], trials: 4000)
        let text = MarkdownRenderer.render(ComparisonReport(comparison: good, info: info, changes: [[], []]).document())
        #expect(text.contains("**outlay 30** has the highest expected NPV"))
        #expect(text.contains("beats doing nothing (not investing) in 70 %"))
    }
}
