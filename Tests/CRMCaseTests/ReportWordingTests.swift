import Foundation
import Testing
import CRMModel
import MonteCarlo
import Renderers
import ReportBuilders
import ScenarioFormat

@Suite("What the verdict claims: rounding to the Monte Carlo error, one style, one chance scale")
struct ReportWordingTests {
    @Test("An amount is rounded to the power of ten at or below its 95 % half-width")
    func rounding() {
        let plain = AmountWords(currency: "NOK", amounts: [-757_893], uncertainty: 54_000)
        #expect(plain.step == 10_000)
        #expect(plain(-757_893) == "NOK −760,000")
        let fine = AmountWords(currency: "NOK", amounts: [-757_893], uncertainty: 0.4)
        #expect(fine(-757_893) == "NOK −757,893")
        #expect(AmountWords(currency: "NOK", amounts: [1], uncertainty: 999).step == 100)
        #expect(AmountWords(currency: "NOK", amounts: [1], uncertainty: 1000).step == 1000)
        #expect(AmountWords(currency: "NOK", amounts: [1], uncertainty: .nan).step == 1)
    }

    @Test("Chart labels name inputs in words, not scenario paths")
    func inputLabels() {
        #expect(InputLabel.words("segments[Relationship-seeking].margin_uplift") == "Relationship-seeking: margin uplift")
        #expect(InputLabel.words("risks[Go-live delay].months") == "Risk “Go-live delay”: months")
        #expect(InputLabel.words("risk: Go-live delay") == "Risk “Go-live delay”")
        #expect(InputLabel.words("adoption.ceiling") == "Adoption: ceiling")
        #expect(InputLabel.words("costs[Lever 2: loyalty programme — running].amount") == "Lever 2: loyalty programme — running: amount")
        // Nothing to read into: returned as it is.
        #expect(InputLabel.words("seats") == "seats")
        #expect(InputLabel.words("segments[A]") == "segments[A]")
        #expect(InputLabel.words("") == "")
    }

    @Test("One unit style per sentence: millions as soon as one amount reaches a million")
    func oneStyle() {
        let words = AmountWords(currency: "NOK", amounts: [-2_013_400, -946_053], uncertainty: 54_000)
        #expect(words(-2_013_400) == "NOK −2.01 million")
        #expect(words(-946_053) == "NOK −0.95 million")
        let coarse = AmountWords(currency: "DKK", amounts: [12_345_678], uncertainty: 480_000)
        #expect(coarse(12_345_678) == "DKK 12.3 million")
        let billions = AmountWords(currency: "EUR", amounts: [2.5e9, 4e8], uncertainty: 3e6)
        #expect(billions(4e8) == "EUR 0.400 billion")
        #expect(AmountWords(currency: "EUR", amounts: [300], uncertainty: 5_000).isZero(300))
    }

    @Test("Chances are worded on one scale; only 45–55 % is a coin flip")
    func chanceScale() {
        #expect(ChanceWords.words(0.005) == "exceptionally unlikely")
        #expect(ChanceWords.words(0.05) == "very unlikely")
        #expect(ChanceWords.words(0.2) == "unlikely")
        #expect(ChanceWords.words(0.5) == "a coin flip")
        #expect(ChanceWords.words(0.59) != "a coin flip")
        #expect(ChanceWords.words(0.8) == "likely")
        #expect(ChanceWords.words(0.95) == "very likely")
        #expect(ChanceWords.words(0.999) == "virtually certain")
        // The bands cover 0…1 in order, without gaps.
        let bounds = ChanceWords.scale.map(\.below)
        #expect(bounds == bounds.sorted())
    }

    @Test("A sensitivity analysis of the run's first trials says how many of them it used")
    func cappedSensitivityIsNamed() throws {
        let loaded = try ScenarioLoader.load(path: CLI.packageRoot.appendingPathComponent("Scenarios/subscription-churn.yaml").path)
        let result = Engine(model: TrialModel(scenario: loaded.scenario), options: .init(trials: 3000, seed: 5)).run()
        let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x", scenarioSHA256: "x")
        func method(_ s: Sensitivity) -> String {
            MarkdownRenderer.render(BusinessCaseReport(result: result, info: info, sensitivity: s).document())
        }
        let capped = method(Sensitivity(result: result, maximumTrials: 1000))
        #expect(capped.contains("estimated from the first 1,000 of the run's 3,000 trials"), "\(capped)")
        #expect(capped.contains("between the input and the NPV over those trials"))
        let whole = method(Sensitivity(result: result))
        #expect(whole.contains("estimated from the run's own 3,000 trials") && whole.contains("the NPV over all trials"))
    }

    @Test("The verdict's expected NPV is the run's mean, rounded to a step no finer than its error supports")
    func verdictAgreesWithTheRun() throws {
        let root = CLI.packageRoot
        let loaded = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/subscription-churn.yaml").path)
        let result = Engine(model: TrialModel(scenario: loaded.scenario), options: .init(trials: 3000, seed: 5)).run()
        let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x", scenarioSHA256: "x")
        let markdown = MarkdownRenderer.render(BusinessCaseReport(result: result, info: info).document())
        let verdict = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("**Verdict.**") })
        let halfWidth = 1.96 * result.npv.standardError
        let words = AmountWords(currency: "DKK", amounts: [result.npv.mean, result.npv.percentile(0.05), result.npv.percentile(0.95)],
                                uncertainty: halfWidth)
        #expect(words.step <= halfWidth && words.step * 10 > halfWidth)
        #expect(abs(words.rounded(result.npv.mean) - result.npv.mean) <= words.step / 2)
        #expect(verdict.contains("**\(words(result.npv.mean))**"), "\(verdict)")
        #expect(verdict.contains(ChanceWords.words(result.probabilityOfLoss.value)) || result.probabilityOfLoss.value >= 0.33,
                "the judgement uses the scale's words")
    }

    @Test("A what-if report says what was changed in its first lines; the base case does not")
    func whatIfFirst() throws {
        let loaded = try ScenarioLoader.load(path: CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path,
                                             overrides: [Override(path: "licences.seats", value: "25", origin: "--set")])
        let result = Engine(model: TrialModel(scenario: loaded.scenario), options: .init(trials: 200, seed: 1)).run()
        let changed = RunInfo(toolVersion: "t", gslVersion: "t", scenarioFile: "x", scenarioSHA256: "x",
                              changes: ["licences.seats = 25 (--set)"])
        let lines = MarkdownRenderer.render(BusinessCaseReport(result: result, info: changed).document()).split(separator: "\n")
        #expect(lines[1].hasPrefix("> **What if?**") && lines[1].contains("`licences.seats = 25 (--set)`"))
        let base = RunInfo(toolVersion: "t", gslVersion: "t", scenarioFile: "x", scenarioSHA256: "x")
        #expect(!MarkdownRenderer.render(BusinessCaseReport(result: result, info: base).document()).contains("What if?"))
    }
}
