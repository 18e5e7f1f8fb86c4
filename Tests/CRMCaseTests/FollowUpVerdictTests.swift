import Foundation
import Testing
import CRMModel
import MonteCarlo
import ReportBuilders
import Renderers
import ScenarioFormat
import Tracking

private func verdictModel() throws -> TrialModel {
    TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking))
}

private func followUp(_ model: TrialModel, _ actuals: Actuals, trials: Int = 2000) -> FollowUp {
    let result = Engine(model: model, options: .init(trials: trials, seed: 3,
                                                     recorder: FollowUp.recorder(for: actuals, model: model))).run()
    return FollowUp(actuals: actuals, result: result, particles: 400)
}

/// The first paragraph of track.md.
private func headline(_ f: FollowUp) -> String {
    let info = RunInfo(toolVersion: "test", gslVersion: "test", scenarioFile: "x", scenarioSHA256: "x")
    let md = MarkdownRenderer.render(TrackReport(followUp: f, info: info, actualsFile: "x", retentionFits: []).document())
    return md.components(separatedBy: "\n\n").first { $0.hasPrefix("**Verdict.**") } ?? ""
}

/// A forecast of a small count: Poisson(2)-like, 14 % zeros, median 2, P25 1, P5 0.
private let smallCount: Summary = {
    var values: [Double] = []
    for (k, n) in [(0, 14), (1, 27), (2, 27), (3, 18), (4, 9), (5, 4), (6, 1)] {
        values += [Double](repeating: Double(k), count: n * 10)
    }
    return Summary(values)
}()

@Suite("Follow-up verdicts: per figure and the headline")
struct FollowUpVerdictTests {
    @Test("A small count of 0 against a median of 2 is judged by where it falls, not as −100 %")
    func smallCountByPercentile() {
        #expect(smallCount.median == 2 && smallCount.percentile(0.25) == 1 && smallCount.percentile(0.05) == 0)
        // 0 new customers (more is better) lies inside the forecast's 90 % range: worse than expected, not −100 %.
        let zero = FollowUp.Verdict.classify(actual: 0, forecast: smallCount, metric: .newCustomers(segment: 0))
        #expect(zero == .worseThanExpected)
        #expect(zero != .muchWorse && zero.isWorse && !zero.isFarWorse)
        // 0 customers lost (more is worse) is better than expected; 9 lost is outside P5–P95: far worse.
        #expect(FollowUp.Verdict.classify(actual: 0, forecast: smallCount, metric: .churned(segment: 0)) == .betterThanExpected)
        #expect(FollowUp.Verdict.classify(actual: 9, forecast: smallCount, metric: .churned(segment: 0)) == .farWorseThanExpected)
        #expect(FollowUp.Verdict.classify(actual: 2, forecast: smallCount, metric: .churned(segment: 0)) == .asExpected)
        // Active users and adoption near zero likewise.
        #expect(FollowUp.Verdict.classify(actual: 0, forecast: smallCount, metric: .activeUsers) == .worseThanExpected)
    }

    @Test("Amounts and counts with a median of at least 20 keep the survey's categories")
    func largeFiguresBySurveyCategories() {
        // A forecast 80…120 (median 100): 70 is 30 % below it.
        let values = (0..<1001).map { 80 + 40 * Double($0) / 1000 }
        let f = Summary(values)
        #expect(abs(f.median - 100) < 1e-9)
        #expect(FollowUp.Verdict.classify(actual: 70, forecast: f, metric: .customers(segment: 0)) == .muchWorse)
        #expect(FollowUp.Verdict.classify(actual: 85, forecast: f, metric: .customers(segment: 0)) == .worse)
        #expect(FollowUp.Verdict.classify(actual: 85, forecast: f, metric: .licenceCost) == .better)
        #expect(FollowUp.Verdict.classify(actual: 100, forecast: f, metric: .otherCosts) == .asExpected)
        // The boundary: a count median of 19 is judged by percentile, 20 by percentage.
        #expect(!FollowUp.Verdict.usesPercentage(metric: .churned(segment: nil), median: 19))
        #expect(FollowUp.Verdict.usesPercentage(metric: .churned(segment: nil), median: 20))
        #expect(!FollowUp.Verdict.usesPercentage(metric: .licenceCost, median: 0))
        #expect(!FollowUp.Verdict.usesPercentage(metric: .adoption, median: 0.6))
    }

    @Test("The headline's status follows the rule on material changes")
    func statusRule() {
        func outcome(npv: Double, loss: Double) -> FollowUpVerdict.Outcome {
            .init(npvBefore: 0, npvAfter: npv, npvError: 50, npvThreshold: 100,
                  lossBefore: 0.5, lossAfter: 0.5 + loss, lossError: 0.02, lossThreshold: 0.05)
        }
        #expect(FollowUpVerdict.status(of: outcome(npv: 150, loss: 0)) == .aheadOfPlan)
        #expect(FollowUpVerdict.status(of: outcome(npv: 0, loss: -0.06)) == .aheadOfPlan)
        #expect(FollowUpVerdict.status(of: outcome(npv: -150, loss: 0)) == .behindPlan)
        #expect(FollowUpVerdict.status(of: outcome(npv: 0, loss: 0.06)) == .behindPlan)
        // The case: the value rose, but so did the chance of a loss — never "ahead of plan".
        #expect(FollowUpVerdict.status(of: outcome(npv: 150, loss: 0.06)) == .mixed)
        #expect(FollowUpVerdict.status(of: outcome(npv: 99, loss: 0.049)) == .onTrack)
        #expect(FollowUpVerdict.status(of: outcome(npv: -99, loss: -0.049)) == .onTrack)
    }

    @Test("The headline agrees with the re-forecast, and its numbers are the re-forecast's")
    func headlineAgreesWithReforecast() throws {
        let model = try verdictModel()
        var statuses: Set<String> = []
        for c in 0..<8 {
            let (full, _) = SyntheticActuals.generate(model: model, seed: 20_000 + UInt64(c), trial: c, months: 6)
            let actuals = Actuals(file: "synthetic", observations: full.observations, cohorts: [])
            let f = followUp(model, actuals)
            let v = f.headline
            let r = f.reforecast
            let text = headline(f)
            statuses.insert(v.status.rawValue)
            #expect(text.contains("the business case is **\(v.status.rawValue)**"), "\(text)")
            guard r.isReliable, let o = v.outcome else { continue }
            // The outcome is the run's and the re-forecast's own figures.
            #expect(o.npvBefore == f.result.npv.mean && o.npvAfter == r.npv.mean)
            #expect(o.lossBefore == f.result.probabilityOfLoss.value && o.lossAfter == r.probabilityOfLoss)
            // "Material" is at least the practical floors and at least the Monte Carlo error,
            // recomputed here from the standard errors (the re-forecast's from its own sd).
            let seAfter = r.npv.standardDeviation / r.effectiveSize.squareRoot()
            let error = 1.96 * (pow(f.result.npv.standardError, 2) + seAfter * seAfter).squareRoot()
            #expect(abs(o.npvError - error) <= 1e-9 * error)
            // (Against o.npvError, which equals `error` to the rounding checked just above: where
            // the error is the larger floor, the threshold is that very number.)
            #expect(o.npvThreshold >= 0.1 * f.result.npv.standardDeviation && o.npvThreshold >= o.npvError)
            #expect(o.lossThreshold >= 0.05 && o.lossThreshold >= o.lossError)
            // Never ahead while the value fell or the chance of a loss rose materially, and the reverse.
            let fell = r.npv.mean - f.result.npv.mean < -o.npvThreshold
            let riskier = r.probabilityOfLoss - f.result.probabilityOfLoss.value > o.lossThreshold
            if fell || riskier { #expect(v.status != .aheadOfPlan && v.status != .onTrack) }
            // The sentence shows the two expected NPVs rounded to the change's Monte Carlo error
            // (step = the power of ten at or below it) in one style, and the two chances of a loss.
            let step = pow(10, floor(log10(error)))
            let words = AmountWords(currency: "EUR", amounts: [o.npvBefore, o.npvAfter, o.npvThreshold], uncertainty: error)
            #expect(words.step == max(1, step))
            #expect(abs(words.rounded(r.npv.mean) - r.npv.mean) <= step / 2 + 1e-9)
            if words(f.result.npv.mean) == words(r.npv.mean) {
                #expect(text.contains("the expected NPV stays at about **\(words(r.npv.mean))**"), "\(text)")
            } else {
                #expect(text.contains("from \(words(f.result.npv.mean)) to **\(words(r.npv.mean))**"), "\(text)")
            }
            #expect(text.contains("from \(Format.percent(f.result.probabilityOfLoss.value, decimals: 0)) to **\(Format.percent(r.probabilityOfLoss, decimals: 0))**"))
            #expect(text.contains("a loss is now \(ChanceWords.words(r.probabilityOfLoss))"))
            if v.status == .onTrack {
                #expect(text.contains("more than \(words(o.npvThreshold))"))
            }
            // The counts in the sentence are the table's.
            let worse = f.points.filter { $0.verdict.isWorse }.count
            let better = f.points.filter { $0.verdict.isBetter }.count
            #expect(text.contains("of \(f.points.count), \(f.points.count - worse - better) are as expected"))
            #expect(text.contains("\(worse) worse and \(better) better"))
        }
        print("statuses seen:", statuses.sorted())
    }

    @Test("Three times the churn puts the case behind plan, with a falling NPV in the headline")
    func muchWorseChurnIsBehindPlan() throws {
        let model = try verdictModel()
        let (full, _) = SyntheticActuals.generate(model: model, seed: 77, trial: 4, months: 6)
        let actuals = Actuals(file: "x", observations: full.observations.compactMap { o in
            guard case .churned = o.metric else { return nil }
            var o = o
            o.value = (o.value * 3).rounded()
            return o
        }, cohorts: [])
        let f = followUp(model, actuals)
        let v = f.headline
        #expect(f.reforecast.isReliable)
        #expect(v.status == .behindPlan, "\(headline(f))")
        #expect(headline(f).contains("the expected NPV falls from"))
        #expect(v.outcome!.npvAfter < v.outcome!.npvBefore)
    }
}
