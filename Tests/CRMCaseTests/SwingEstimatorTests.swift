import Foundation
import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat

/// The swing as conditional means on the run's own trials (``Sensitivity``), against closed
/// forms and against the estimator it replaced (reruns with the input held, on common futures).
@Suite("Swing from the run's own trials")
struct SwingEstimatorTests {
    /// NPV = Payoff + Noise − Outlay·(2 if the overrun happens), everything in month 0.
    static let linearToy = """
    name: Linear toy
    currency: EUR
    horizon: 1
    licences: { seats: 0, price: 0 }
    adoption: { go_live: 0, ceiling: 100% }
    costs:
      - { name: Outlay, amount: 60, per: once }
    benefits:
      - { name: Payoff, amount: "uniform(0, 100)", per: once }
      - { name: Noise, amount: "uniform(0, 50)", per: once }
    segments:
      - { name: None, customers: 0, margin: 0, churn: 0% }
    risks:
      - { name: Overrun, probability: 30%, effect: one_off_costs, factor: 2 }
    """

    @Test("On a model linear in its inputs the swing is the closed form: E[NPV | X = P10] = a + b·P10(X)")
    func linearClosedForm() throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.linearToy)
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 20_000, seed: 3)).run()
        let s = Sensitivity(result: result)
        #expect(s.extraEvaluations == 0)
        // E[NPV] given one input: that input at its percentile, the others at their means, the
        // overrun at its 30 %: E[cost] = 60·(0.7 + 0.3·2) = 78.
        let payoff = try #require(s.effects.first { $0.name == "benefits[Payoff].amount" })
        let noise = try #require(s.effects.first { $0.name == "benefits[Noise].amount" })
        let overrun = try #require(s.effects.first { $0.name == "risk: Overrun" })
        let cases: [(Sensitivity.Effect, Double, Double)] = [
            (payoff, 10 + 25 - 78, 90 + 25 - 78),
            (noise, 50 + 5 - 78, 50 + 45 - 78),
            (overrun, 50 + 25 - 60, 50 + 25 - 120),
        ]
        for (effect, low, high) in cases {
            // Linear: the local fit reads the conditional mean exactly, and the control variate
            // takes out the other inputs exactly, so only rounding is left — and the reported
            // Monte Carlo error says so.
            #expect(abs(effect.npvLow - low) < 1e-6, "\(effect.name) at P10: \(effect.npvLow) vs \(low)")
            #expect(abs(effect.npvHigh - high) < 1e-6, "\(effect.name) at P90: \(effect.npvHigh) vs \(high)")
            #expect(effect.swingError < 1e-6)
        }
    }

    @Test("Where a straight line cannot take the other inputs out, the estimate is within its reported error")
    func honestError() throws {
        // NPV = Payoff per seat × seats − outlay: a product, so the control variate leaves
        // residual variance; E[NPV | Payoff = p] = 20·p − 78 with E[seats] = 20.
        let yaml = Self.linearToy
            .replacingOccurrences(of: "licences: { seats: 0, price: 0 }", with: "licences: { seats: \"uniform(10, 30)\", price: 0 }")
            .replacingOccurrences(of: "{ name: Payoff, amount: \"uniform(0, 100)\", per: once }",
                                  with: "{ name: Payoff, amount: \"uniform(0, 10)\", per: seat, from: 0, to: 0, scale_with_adoption: false }")
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        var misses = 0
        for seed in 1...20 {
            let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 4_000, seed: UInt64(seed))).run()
            let s = Sensitivity(result: result)
            let payoff = try #require(s.effects.first { $0.name == "benefits[Payoff].amount" })
            #expect(payoff.npvLowError > 0.05, "a product leaves noise: \(payoff.npvLowError)")
            let exactLow = 20 * 1.0 + 25 - 78, exactHigh = 20 * 9.0 + 25 - 78
            if abs(payoff.npvLow - exactLow) > 1.96 * payoff.npvLowError { misses += 1 }
            if abs(payoff.npvHigh - exactHigh) > 1.96 * payoff.npvHighError { misses += 1 }
        }
        // A 95 % interval misses about 2 times in 40; 7 misses or more would be a 1-in-200 event.
        #expect(misses <= 6, "\(misses) of 40 intervals missed")
    }

    @Test("Agrees with the rerun estimator (2,000 trials per end, common futures) on car-dealership")
    func agreesWithReruns() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/car-dealership.yaml").path
        let scenario = try ScenarioLoader.load(path: path).scenario
        let model = TrialModel(scenario: scenario)
        let result = Engine(model: model, options: .init(trials: 20_000, seed: 1)).run()
        let s = Sensitivity(result: result)
        // Inputs in a correlation carry their partners in the conditional mean, but not when
        // held in a rerun: different figures by design, so compared only for the others.
        let correlated = Set(scenario.correlations.flatMap { [$0.first, $0.second] })
        let compared = s.effects.filter { !correlated.contains($0.name) }.prefix(12)
        #expect(compared.count == 12)
        for effect in compared {
            let (low, high): (TrialModel, TrialModel)
            if effect.isRisk {
                let r = try #require(scenario.risks.firstIndex { "risk: \($0.name)" == effect.name })
                (low, high) = (model.holding(risks: [r: false]), model.holding(risks: [r: true]))
            } else {
                let j = try #require(model.inputs.firstIndex { $0.name == effect.name })
                let d = model.inputs[j].distribution
                (low, high) = (model.holding(inputs: [j: d.quantile(0.1)]), model.holding(inputs: [j: d.quantile(0.9)]))
            }
            let runLow = Sensitivity.heldRun(result: result, model: low, trials: 2000)
            let runHigh = Sensitivity.heldRun(result: result, model: high, trials: 2000)
            // The old swing's error: the paired differences over the common futures.
            let m = runLow.trials
            let differences = (0..<m).map { runHigh.perTrial.npv($0) - runLow.perTrial.npv($0) }
            let meanDifference = differences.reduce(0, +) / Double(m)
            let sd = (differences.reduce(0) { $0 + ($1 - meanDifference) * ($1 - meanDifference) } / Double(m - 1)).squareRoot()
            let oldError = sd / Double(m).squareRoot()
            let combined = (oldError * oldError + effect.swingError * effect.swingError).squareRoot()
            #expect(abs(effect.swing - meanDifference) <= 4 * combined,
                    "\(effect.name): swing \(effect.swing) ± \(effect.swingError) vs rerun \(meanDifference) ± \(oldError)")
            for (new, newError, old) in [(effect.npvLow, effect.npvLowError, runLow.npv),
                                         (effect.npvHigh, effect.npvHighError, runHigh.npv)] {
                let bound = 4 * (newError * newError + old.standardError * old.standardError).squareRoot()
                #expect(abs(new - old.mean) <= bound, "\(effect.name): \(new) ± \(newError) vs rerun \(old.mean) ± \(old.standardError)")
            }
        }
    }

    @Test("A run larger than the analysis's cap is analysed on its first trials: the analysis of a run of just those trials")
    func cappedToFirstTrials() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/b2b-distributor.yaml").path
        let model = TrialModel(scenario: try ScenarioLoader.load(path: path).scenario)
        let large = Engine(model: model, options: .init(trials: 6_000, seed: 4)).run()
        let small = Engine(model: model, options: .init(trials: 2_500, seed: 4)).run()
        let capped = Sensitivity(result: large, maximumTrials: 2_500)
        let whole = Sensitivity(result: small)
        #expect(capped.trials == 2_500 && capped.runTrials == 6_000 && whole.runTrials == 2_500)
        // The same trials (a run's trial i does not depend on its length): the same estimates, up
        // to the order in which the mean of the NPV was summed.
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
        #expect(close(capped.evpi, whole.evpi) && close(capped.noiseFloor, whole.noiseFloor))
        #expect(capped.effects.map(\.name) == whole.effects.map(\.name))
        for (a, b) in zip(capped.effects, whole.effects) {
            #expect(close(a.npvLow, b.npvLow) && close(a.npvHigh, b.npvHigh) && a.spearman == b.spearman, "\(a.name)")
            #expect(close(a.evppi, b.evppi) && close(a.swingError, b.swingError), "\(a.name)")
        }
        #expect(MemoryBudget.sensitivityBytes(trials: 100_000_000) == MemoryBudget.sensitivityBytes(trials: Sensitivity.maximumTrials))
    }
}
