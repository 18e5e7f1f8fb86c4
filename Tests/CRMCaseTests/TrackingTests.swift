import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat
import Tracking

private func model() throws -> TrialModel {
    TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking))
}

/// Actuals drawn from the model itself, from a seed the forecast does not use: the truth
/// behind them is a draw from the same prior the forecast assumes.
private func syntheticCase(_ model: TrialModel, case c: Int, months: Int) -> (Actuals, TrialWorkspace) {
    SyntheticActuals.generate(model: model, seed: 10_000 + UInt64(c), trial: c, months: months)
}

@Suite("Follow-up of actuals")
struct TrackingTests {
    @Test("When the model is right, realized percentiles are spread evenly over the forecast")
    func calibrationHoldsWhenTheModelIsRight() throws {
        let model = try model()
        var percentiles: [Double] = []
        var inside50 = 0, inside90 = 0, total = 0
        for c in 0..<40 {
            let (full, _) = syntheticCase(model, case: c, months: 6)
            // One figure per kind and month keeps the points of a case from repeating each other.
            let actuals = Actuals(file: "synthetic", observations: full.observations.filter {
                switch $0.metric {
                case .activeUsers, .churned, .newCustomers: return true
                default: return false
                }
            }, cohorts: [])
            let result = Engine(model: model, options: .init(trials: 1000, seed: 1,
                                                             recorder: FollowUp.recorder(for: actuals, model: model))).run()
            let followUp = FollowUp(actuals: actuals, result: result, particles: 200)
            for (k, p) in followUp.points.enumerated() {
                // Randomised PIT: exactly uniform for a calibrated forecast, counts included.
                let v = KeyedUniforms(seed: 99, trial: c).uniform(forKey: UInt64(k))
                percentiles.append(p.shareBelow + v * (p.shareAtOrBelow - p.shareBelow))
            }
            // The report's own coverage counts (randomised PIT with its keyed ties).
            inside50 += followUp.inside50.successes
            inside90 += followUp.inside90.successes
            total += followUp.points.count
        }
        // Deciles of the mid-rank percentiles: each should hold about a tenth of the points.
        // Points within a case are correlated, so the bound is loose (±6 points on 10 %),
        // but a biased or over-confident forecast fails it.
        var counts = [Int](repeating: 0, count: 10)
        for p in percentiles { counts[min(9, Int(p * 10))] += 1 }
        print("deciles of the randomised PIT:", counts)
        for (d, count) in counts.enumerated() {
            let share = Double(count) / Double(percentiles.count)
            #expect(abs(share - 0.1) < 0.06, "decile \(d): \(share)")
        }
        let share50 = Double(inside50) / Double(total), share90 = Double(inside90) / Double(total)
        #expect(abs(share50 - 0.5) < 0.12, "inside 50 %: \(share50)")
        #expect(abs(share90 - 0.9) < 0.07, "inside 90 %: \(share90)")
    }

    @Test("The re-forecast's 90 % intervals contain the true inputs about 90 % of the time")
    func reforecastCoverage() throws {
        let model = try model()
        let names = ["licences.price", "adoption.ceiling", "acquisition.new_customers",
                     "segments[Core].churn", "segments[Core].churn_reduction"]
        let indices = names.map { name in model.inputs.firstIndex { $0.name == name }! }
        var inside = 0, checks = 0
        var resampleMoveUsed = 0
        for c in 0..<30 {
            let (actuals, truth) = syntheticCase(model, case: c, months: 12)
            let result = Engine(model: model, options: .init(trials: 1000, seed: 7,
                                                             recorder: FollowUp.recorder(for: actuals, model: model))).run()
            let followUp = FollowUp(actuals: actuals, result: result, particles: 400)
            let r = followUp.reforecast
            #expect(r.isReliable)
            if case .resampleMove = r.method { resampleMoveUsed += 1 }
            for j in indices {
                let interval = r.inputs[j]
                let value = truth.inputValues[j]
                checks += 1
                if value >= interval.percentile(0.05) && value <= interval.percentile(0.95) { inside += 1 }
            }
        }
        let coverage = Double(inside) / Double(checks)
        // 150 checks at a nominal 90 %: the binomial sd is 2.4 points; allow about ±4 sd, and a
        // little more below for the Monte Carlo error of 400 particles.
        #expect(coverage > 0.78 && coverage < 0.99, "coverage \(coverage)")
        // A year of licence invoices pins the price down: the weights collapse and resample-move runs.
        #expect(resampleMoveUsed > 0)
    }

    @Test("The re-forecast's stated Monte Carlo error covers how its result moves from seed to seed")
    func reforecastErrorIsHonest() throws {
        let model = try model()
        let (actuals, _) = syntheticCase(model, case: 3, months: 12)
        var means: [Double] = [], variances: [Double] = [], naive: [Double] = []
        for seed in UInt64(1)...6 {
            let result = Engine(model: model, options: .init(trials: 1000, seed: seed,
                                                             recorder: FollowUp.recorder(for: actuals, model: model))).run()
            let r = FollowUp(actuals: actuals, result: result, particles: 800).reforecast
            guard case .resampleMove = r.method else { Issue.record("the weights did not collapse"); return }
            means.append(r.npv.mean)
            variances.append(r.npvStandardError * r.npvStandardError)
            naive.append(r.npv.standardDeviation * r.npv.standardDeviation / 800)
        }
        let m = means.reduce(0, +) / 6
        let spread = means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 5
        let stated = variances.reduce(0, +) / 6
        // Honest errors: spread/stated is about χ²₅/5, above 4 with a chance of 0.1 %. Treating the
        // particles as independent (the naive error) is what this guards against.
        print("re-forecast NPV across seeds: spread² \(spread), stated se² \(stated), naive se² \(naive.reduce(0, +) / 6)")
        #expect(spread / stated < 4, "seeds spread \(spread.squareRoot()) against a stated error of \(stated.squareRoot())")
    }

    @Test("Verdicts read deviations in each metric's direction")
    func verdictDirection() throws {
        let model = try model()
        let (full, _) = syntheticCase(model, case: 3, months: 3)
        // Ten times the churn and a tenth of the users: both are worse, whatever their sign.
        let actuals = Actuals(file: "x", observations: full.observations.compactMap { o in
            var o = o
            switch o.metric {
            case .churned: o.value *= 10
            case .activeUsers: o.value /= 10
            default: return nil
            }
            return o.month >= 2 ? o : nil
        }, cohorts: [])
        let result = Engine(model: model, options: .init(trials: 500, seed: 1,
                                                         recorder: FollowUp.recorder(for: actuals, model: model))).run()
        let followUp = FollowUp(actuals: actuals, result: result, particles: 100)
        for p in followUp.points {
            // Worse either way: "more than 25 % worse" for figures judged by percentage, "far worse
            // than expected" (outside the 90 % range) for small counts judged by percentile.
            #expect(p.verdict.isFarWorse, "\(p.observation.metric) at month \(p.observation.month): \(p.verdict)")
        }
        #expect(followUp.actualsOutsideTheCase, "ten times the churn is outside what the case thought possible")
        #expect(followUp.inside90.successes == 0)
    }

    @Test("Likelihood pieces equal the closed-form probabilities")
    func likelihoodPieces() {
        // Binomial(10, 0.3) at 3: C(10,3)·0.3³·0.7⁷.
        let binomial: Double = 120 * Foundation.pow(0.3, 3.0) * Foundation.pow(0.7, 7.0)
        #expect(abs(Likelihood.binomialLog(k: 3, n: 10, p: 0.3) - log(binomial)) < 1e-12)
        #expect(Likelihood.binomialLog(k: 11, n: 10, p: 0.3) == -.infinity)
        // Poisson(4) at 2: e⁻⁴·4²/2.
        #expect(abs(Likelihood.poissonLog(k: 2, mean: 4) - log(exp(-4) * 8)) < 1e-12)
        #expect(Likelihood.poissonLog(k: 1, mean: 0) == -.infinity)
    }

    @Test("Weighted percentiles invert the weighted distribution")
    func weightedSummary() {
        let s = WeightedSummary([1, 2, 3, 4], weights: [0.1, 0.1, 0.7, 0.1])
        #expect(abs(s.mean - (0.1 + 0.2 + 2.1 + 0.4)) < 1e-12)
        #expect(s.percentile(0.05) == 1)
        #expect(s.percentile(0.25) == 3)
        #expect(s.percentile(0.5) == 3)
        #expect(s.percentile(0.95) == 4)
    }

    @Test("Synthetic actuals are the engine's own trial")
    func syntheticMatchesEngine() throws {
        let model = try model()
        let result = Engine(model: model, options: .init(trials: 300, seed: 5)).run()
        for trial in [0, 17, 255, 256, 299] {
            let (_, workspace) = SyntheticActuals.generate(model: model, seed: 5, trial: trial, months: 12)
            #expect(workspace.npv == result.perTrial.npv(trial))
        }
    }
    @Test("A future run only through the last month with actuals is the whole future's first months",
          arguments: [CountSampler.fast, .gsl])
    func partialTrialIsThePrefixOfTheWholeOne(sampler: CountSampler) throws {
        // The follow-up's stages run proposed futures only as far as the actuals go and run the
        // futures they keep to the horizon afterwards; that is right only if the months run
        // agree bit for bit with the whole trial's.
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking), countSampler: sampler)
        let keys = model.uniformKeys
        let stream = RandomStream(key: 0)
        var whole = model.makeWorkspace(), partial = model.makeWorkspace()
        for trial in 0..<50 {
            let uniforms = KeyedUniforms(seed: 3, trial: trial)
            let values = keys.map { uniforms.uniform(forKey: $0) }
            for last in [0, 1, 7, 12, model.horizon - 1] {
                values.withUnsafeBufferPointer {
                    model.run(uniformValues: $0, processKey: uniforms.processKey, process: stream, workspace: &whole)
                    model.run(uniformValues: $0, processKey: uniforms.processKey, process: stream, workspace: &partial,
                              throughMonth: last)
                }
                #expect(partial.inputValues == whole.inputValues)
                #expect(partial.riskOccurred == whole.riskOccurred)
                for t in 0...last {
                    for metric in [TrackedMetric.activeUsers, .customers(segment: nil), .churned(segment: 0),
                                   .newCustomers(segment: nil), .licenceCost, .otherCosts, .contributionMargin(segment: nil)] {
                        #expect(partial.value(of: metric, month: t) == whole.value(of: metric, month: t),
                                "trial \(trial), month \(t) of \(last), \(metric)")
                    }
                }
                #expect(partial.npv.isNaN && partial.roi.isNaN && partial.payback == nil)
            }
        }
    }
}
