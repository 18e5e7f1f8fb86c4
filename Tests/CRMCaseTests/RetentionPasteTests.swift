import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import Renderers
import ScenarioFormat
import Tracking

private func retentionSection(_ fit: RetentionFit, model: TrialModel) -> String {
    let actuals = Actuals(file: "x", observations: [], cohorts: [])
    let result = Engine(model: model, options: .init(trials: 200, seed: 1,
                                                     recorder: FollowUp.recorder(for: actuals, model: model))).run()
    let f = FollowUp(actuals: actuals, result: result, particles: 100)
    let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x", scenarioSHA256: "x")
    let md = MarkdownRenderer.render(TrackReport(followUp: f, info: info, actualsFile: "x", retentionFits: [fit]).document())
    let start = md.range(of: "## Retention")!.lowerBound
    let end = md.range(of: "## How these numbers")!.lowerBound
    return String(md[start..<end])
}

@Suite("Retention fits offered for the scenario only when precise")
struct RetentionPasteTests {
    @Test("The 2007 paper's regular cohort is precise enough and offered for pasting")
    func preciseFitIsOffered() throws {
        // Fader & Hardie (2007), "regular" customers, years 0–7 (published α̂ 0.704, β̂ 1.182).
        let survivors = [1000, 631, 468, 382, 326, 289, 262, 241]
        let fit = RetentionFit(segmentName: "Core", fit: try ShiftedBetaGeometric.fit(survivors: survivors),
                               survivors: survivors.map(Double.init), monthlyDiscount: 0.01)
        let rse = max(fit.fit.covariance[0][0].squareRoot() / fit.alpha, fit.fit.covariance[1][1].squareRoot() / fit.beta)
        print("regular cohort: α \(fit.alpha) ± \(fit.alphaStandardError), β \(fit.beta) ± \(fit.betaStandardError), rse \(rse)")
        #expect(abs(fit.relativeStandardError - rse) < 1e-12)
        #expect(rse < 0.5 && fit.isPreciseEnough && fit.moreMonthsNeeded == 0)
        let section = retentionSection(fit, model: TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking)))
        #expect(section.contains(fit.scenarioChurn))
        #expect(!section.contains("do not yet pin"))
    }

    @Test("A year of one segment's counts with standard errors near the estimates is not offered")
    func impreciseFitIsWithheld() throws {
        // The car dealership's illustrative Economists cohort (Scenarios/car-dealership.actuals.csv).
        let survivors = [854, 822, 795, 770, 754, 731, 714, 697, 682, 668, 649, 632, 619]
        let fit = RetentionFit(segmentName: "Economists", fit: try ShiftedBetaGeometric.fit(survivors: survivors),
                               survivors: survivors.map(Double.init), monthlyDiscount: 0.01)
        let rse = max(fit.alphaStandardError / fit.alpha, fit.betaStandardError / fit.beta)
        print("Economists: α \(fit.alpha) ± \(fit.alphaStandardError), β \(fit.beta) ± \(fit.betaStandardError), rse \(rse)")
        #expect(rse >= 0.5 && !fit.isPreciseEnough)
        // Months for the rse to reach 0.5 if it shrinks as 1/√T: T' = 12·(rse/0.5)².
        let expected = Int((12 * (rse / 0.5) * (rse / 0.5) - 12).rounded(.up))
        #expect(fit.moreMonthsNeeded == max(1, expected))
        let section = retentionSection(fit, model: TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking)))
        #expect(!section.contains(fit.scenarioChurn), "\(section)")
        #expect(section.contains("not yet (too uncertain)"))
        #expect(section.contains("the actuals do not yet pin the retention curve down"))
        #expect(section.contains("± \(Format.percent(rse, decimals: 0))"))
        #expect(section.contains("roughly \(fit.moreMonthsNeeded!) more month"))
    }
}

@Suite("Synthetic actuals hold whole counts")
struct SyntheticWholeTests {
    @Test("Users, customers, customers lost and won, and cohort survivors are whole; the file shows no fractions")
    func wholeCounts() throws {
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking))
        for trial in [0, 5, 11, 42] {
            let (actuals, workspace) = SyntheticActuals.generate(model: model, seed: 9, trial: trial, months: 12)
            for o in actuals.observations {
                #expect(o.value == o.value.rounded(), "\(o.metric) month \(o.month): \(o.value)")
            }
            for cohort in actuals.cohorts {
                #expect(cohort.survivors.allSatisfy { $0 == $0.rounded() })
            }
            // Active users are the model's seats × adoption, rounded — not moved further.
            for o in actuals.observations where o.metric == .activeUsers {
                #expect(abs(o.value - workspace.value(of: .activeUsers, month: o.month)) <= 0.5)
            }
            let scenario = try ScenarioLoader.parse(yaml: TestScenarios.tracking)
            let csv = SyntheticActuals.csv(actuals, scenario: scenario)
            for line in csv.split(separator: "\n").dropFirst() {
                let value = line.split(separator: ",", omittingEmptySubsequences: false).last!
                #expect(!value.contains("."), "\(line)")
            }
        }
    }

    @Test("The forecast of active users is whole, like the actuals")
    func activeUserForecastIsWhole() throws {
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking))
        let (full, _) = SyntheticActuals.generate(model: model, seed: 9, trial: 3, months: 6)
        let actuals = Actuals(file: "x", observations: full.observations.filter { $0.metric == .activeUsers }, cohorts: [])
        let result = Engine(model: model, options: .init(trials: 300, seed: 1,
                                                         recorder: FollowUp.recorder(for: actuals, model: model))).run()
        let f = FollowUp(actuals: actuals, result: result, particles: 100)
        for p in f.points {
            for q in [0.05, 0.25, 0.75, 0.95] { #expect(p.forecast.percentile(q) == p.forecast.percentile(q).rounded()) }
        }
    }
}
