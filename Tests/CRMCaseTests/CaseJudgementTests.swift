import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import ScenarioFormat

@Suite("The business case's judgements are made in the analysis, with documented thresholds")
struct CaseJudgementTests {
    @Test("Verdict bands: each includes its lower bound (10 %, 33 %, 45 %, 55 %, 66 %) and excludes its upper one")
    func bands() {
        #expect(VerdictBand(chanceOfLoss: 0) == .robust)
        #expect(VerdictBand(chanceOfLoss: 0.0999) == .robust)
        #expect(VerdictBand(chanceOfLoss: 0.10) == .favourable)
        #expect(VerdictBand(chanceOfLoss: 0.3299) == .favourable)
        #expect(VerdictBand(chanceOfLoss: 0.33) == .leansToGain)
        #expect(VerdictBand(chanceOfLoss: 0.4499) == .leansToGain)
        #expect(VerdictBand(chanceOfLoss: 0.45) == .coinFlip)
        #expect(VerdictBand(chanceOfLoss: 0.5499) == .coinFlip)
        #expect(VerdictBand(chanceOfLoss: 0.55) == .leansToLoss)
        #expect(VerdictBand(chanceOfLoss: 0.6599) == .leansToLoss)
        #expect(VerdictBand(chanceOfLoss: 0.66) == .likelyLoss)
        #expect(VerdictBand(chanceOfLoss: 1) == .likelyLoss)
        // The bands follow the words' scale: a robust case's loss is "very unlikely" or less,
        // a favourable one's "unlikely", a coin flip's "a coin flip".
        #expect(VerdictBand.thresholds.map(\.from) == [0.10, 0.33, 0.45, 0.55, 0.66])
        for (_, from) in VerdictBand.thresholds {
            #expect(ChanceWords.scale.contains { $0.below == from }, "\(from) is a bound of the chance scale")
        }
        #expect(ChanceWords.words(0.4999) == "a coin flip" && VerdictBand(chanceOfLoss: 0.4999) == .coinFlip)
    }

    @Test("The caveat: a positive mean despite a loss at least as likely as not, a negative one despite a gain more likely")
    func caveat() {
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.45, mean: 1, meanIsZero: false) == .positiveDespiteLosses)
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.4499, mean: 1, meanIsZero: false) == ExpectedValueCaveat.none)
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.5499, mean: -1, meanIsZero: false) == .negativeDespiteGains)
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.55, mean: -1, meanIsZero: false) == ExpectedValueCaveat.none)
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.5, mean: 1, meanIsZero: true) == ExpectedValueCaveat.none)
        #expect(ExpectedValueCaveat(chanceOfLoss: 0.5, mean: -1, meanIsZero: true) == ExpectedValueCaveat.none)
    }

    @Test("“Too close to zero” is the mean rounding to 0 at the step the verdict writes it with")
    func zeroMean() {
        #expect(Resolution.step(halfWidth: 54_000) == 10_000)
        #expect(Resolution.step(halfWidth: 0.4) == 1)
        #expect(Resolution.step(halfWidth: .nan) == 1)
        #expect(Resolution.roundsToZero(4_999, halfWidth: 54_000))
        #expect(!Resolution.roundsToZero(5_000, halfWidth: 54_000))
        #expect(!Resolution.roundsToZero(-5_000, halfWidth: 54_000))
        for (value, halfWidth) in [(4_999.0, 54_000.0), (-757_893, 54_000), (0.3, 0), (120, 999), (-49, 120)] {
            let words = AmountWords(currency: "EUR", amounts: [value], uncertainty: halfWidth)
            #expect(words.step == Resolution.step(halfWidth: halfWidth))
            #expect(words.isZero(value) == Resolution.roundsToZero(value, halfWidth: halfWidth))
        }
    }

    @Test("The risk that matters most costs the most expected NPV; the value of knowing stands out of the noise")
    func riskAndInformation() throws {
        let loaded = try ScenarioLoader.load(path: CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path)
        let result = Engine(model: TrialModel(scenario: loaded.scenario), options: .init(trials: 600, seed: 3)).run()
        let judgement = CaseJudgement(result: result)
        #expect(judgement.band == VerdictBand(chanceOfLoss: result.probabilityOfLoss.value))
        let worst = try #require(judgement.riskThatMattersMost)
        let impacts = result.risks.map(RiskThatMattersMost.impact(of:))
        #expect(worst.impact == impacts.max())
        #expect(worst.risk == result.risks[worst.index])
        #expect(worst.impact == (worst.risk.meanNPVOtherwise - worst.risk.meanNPVWhenItHappens) * worst.risk.occurred.value)
        let group = Double(result.trials) * min(worst.risk.occurred.value, 1 - worst.risk.occurred.value)
        #expect(abs(worst.conditionalHalfWidth - 1.96 * result.npv.standardDeviation / group.squareRoot()) < 1e-9 * worst.conditionalHalfWidth)

        let sensitivity = Sensitivity(result: result)
        for e in sensitivity.effects { #expect(sensitivity.isWorthKnowing(e) == (e.evppi > result.npv.standardError)) }
        if let best = sensitivity.mostWorthKnowing {
            #expect(sensitivity.isWorthKnowing(best))
            #expect(sensitivity.effects.allSatisfy { !sensitivity.isWorthKnowing($0) || $0.evppi <= best.evppi })
        } else {
            #expect(sensitivity.effects.allSatisfy { !sensitivity.isWorthKnowing($0) })
        }
    }

    @Test("No risk event, or none that costs anything: no risk that matters most")
    func noRisk() throws {
        let scenario = try ScenarioLoader.parse(yaml: TestScenarios.tracking)
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 100, seed: 1)).run()
        #expect(CaseJudgement(result: result).riskThatMattersMost == nil)
    }
}
