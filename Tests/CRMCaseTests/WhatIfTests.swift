import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat
import UseCases

@Suite("What-if analysis")
struct WhatIfTests {
    @Test("EVPI and EVPPI of a two-option toy decision match the closed form")
    func valueOfInformation() throws {
        let (a, b, c) = (0.0, 100.0, 60.0)
        let scenario = try ScenarioLoader.parse(yaml: TestScenarios.toyDecision(a: a, b: b, c: c))
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 40_000, seed: 2)).run()
        // E[max(B − C, 0)] = (b − C)²/(2(b − a)); E[B − C] = (a + b)/2 − C < 0 here.
        let closed = (b - c) * (b - c) / (2 * (b - a)) - max((a + b) / 2 - c, 0)
        let sensitivity = Sensitivity(result: result)
        // EVPI from the trials: its Monte Carlo error is sd(max(B − C, 0))/√n ≈ 0.1 here.
        #expect(abs(sensitivity.evpi - closed) < 0.5, "EVPI \(sensitivity.evpi) vs \(closed)")
        let payoff = try #require(sensitivity.effects.first { $0.name == "benefits[Payoff].amount" })
        // The only uncertain input carries all the information; binning on it loses a little
        // (within a bin the decision cannot follow the value), at most the value within one bin.
        #expect(abs(payoff.evppi - closed) < 1.5, "EVPPI \(payoff.evppi) vs \(closed)")
        #expect(abs(payoff.spearman - 1) < 1e-12)
        // Swing: the mean NPV at P10 and P90 of B is exactly B − C.
        #expect(abs(payoff.npvLow - (a + 0.1 * (b - a) - c)) < 1e-9)
        #expect(abs(payoff.npvHigh - (a + 0.9 * (b - a) - c)) < 1e-9)
    }

    @Test("An input unrelated to the NPV is worth nothing to know")
    func noValueForNoise() throws {
        // The discount rate does not matter when everything happens in month 0.
        let yaml = TestScenarios.toyDecision(a: 0, b: 100, c: 60).replacingOccurrences(of: "horizon: 1", with: "horizon: 1\ndiscount_rate: uniform(2%, 12%)")
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 20_000, seed: 4)).run()
        let s = Sensitivity(result: result)
        let rate = try #require(s.effects.first { $0.name == "discount_rate" })
        #expect(rate.evppi < 0.5, "bias-corrected EVPPI of an irrelevant input: \(rate.evppi)")
        #expect(abs(rate.swing) < 1e-9)
    }

    @Test("A scenario compared with itself differs by exactly zero in every trial")
    func selfComparison() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/car-dealership.yaml").path
        let a = try ScenarioLoader.load(path: path), b = try ScenarioLoader.load(path: path)
        let options = [a, b].map { loaded in
            Comparison.Option(name: loaded.baseName, result: Engine(model: TrialModel(scenario: loaded.scenario),
                                                                  options: .init(trials: 1000, seed: 9)).run())
        }
        let comparison = Comparison(options: options)
        for i in 0..<1000 {
            #expect(options[1].result.perTrial.npv(i) - options[0].result.perTrial.npv(i) == 0)
        }
        #expect(comparison.differences[1].npv.standardDeviation == 0)
        #expect(comparison.differences[1].probabilityBetter.value == 0)
    }

    @Test("Common random numbers shrink the standard error of a difference")
    func pairingHelps() throws {
        let yaml = TestScenarios.toyDecision(a: 0, b: 100, c: 60)
        let base = try ScenarioLoader.parse(yaml: yaml)
        let cheaper = try ScenarioLoader.parse(yaml: yaml, overrides: [Override(path: "costs[Outlay].amount", value: "55", origin: "test")])
        let options = [base, cheaper].enumerated().map { k, s in
            Comparison.Option(name: "\(k)", result: Engine(model: TrialModel(scenario: s), options: .init(trials: 5000, seed: 1)).run())
        }
        let d = Comparison(options: options).differences[1]
        // The payoff is shared, so the difference is exactly the 5 saved in every trial.
        #expect(abs(d.npv.mean - 5) < 1e-9)
        #expect(d.pairedStandardError < 1e-9)
        #expect(d.independentStandardError > 0.5)
        #expect(d.probabilityBetter.value == 1)
    }

    @Test("Overrides change values by path and name list items; bad paths are explained")
    func overrides() throws {
        let yaml = TestScenarios.toyDecision(a: 0, b: 100, c: 60)
        let s = try ScenarioLoader.parse(yaml: yaml, overrides: [
            Override(path: "benefits[Payoff].amount", value: "pert(10, 50, 90)", origin: "--set"),
            Override(path: "acquisition.new_customers", value: "4", origin: "--set"),
            Override(path: "licences.seats", value: "7", origin: "--set"),
        ])
        #expect(s.benefits[0].amount.distribution == .pert(min: 10, mode: 50, max: 90, lambda: 4))
        #expect(s.acquisition.newCustomers.distribution == .fixed(4))
        #expect(s.licences.seats.distribution == .fixed(7))
        func problem(_ o: Override) -> ScenarioIssue? {
            do { _ = try ScenarioLoader.parse(yaml: yaml, overrides: [o]); return nil } catch { return error.issues.first }
        }
        let unknownItem = try #require(problem(Override(path: "costs[Outly].amount", value: "5", origin: "--set")))
        #expect(unknownItem.file == "--set")
        #expect(unknownItem.hint?.contains("costs[Outlay]") == true)
        let badValue = try #require(problem(Override(path: "licences.seats", value: "-3", origin: "--set")))
        #expect(badValue.message.hasPrefix("In licences.seats=-3:"))
        #expect(badValue.line == nil)
        let typo = try #require(problem(Override(path: "licences.sets", value: "3", origin: "--set")))
        #expect(typo.hint?.contains("seats") == true)
    }

    @Test("A variants file names its base and its variants")
    func variantsFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/car-dealership-levers.variants.yaml").path
        let loaded = try ScenarioLoader.load(path: path)
        #expect(loaded.scenario.name.hasPrefix("Car dealership"))
        #expect(loaded.variants.map(\.name).count == 4)
        for variant in loaded.variants {
            // Every variant applies cleanly to the base.
            _ = try ScenarioLoader.load(path: path, overrides: variant.overrides)
        }
    }
}

@Suite("Correlated inputs")
struct CorrelatedInputTests {
    private let yaml = """
    name: Correlated
    currency: EUR
    horizon: 12
    licences: { seats: 10, price: 50 }
    adoption: { go_live: 1, ceiling: "pert(40%, 70%, 90%)" }
    benefits:
      - { name: Time saved, amount: "lognormal(300, 150)", per: active_user_month }
    segments:
      - { name: A, customers: 100, margin: 10, churn: 10%, churn_reduction: "uniform(0%, 30%)", margin_uplift: "triangular(0%, 2%, 8%)" }
    correlations:
      - { between: [adoption.ceiling, "benefits[Time saved].amount"], rank: 0.5 }
      - { between: ["segments[A].churn_reduction", "segments[A].margin_uplift"], rank: 0.6 }
      - { between: [adoption.ceiling, "segments[A].churn_reduction"], rank: -0.3 }
    """

    @Test("Achieved rank correlations are within ±0.02 of the requested ones over 10,000 trials")
    func achieved() throws {
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let model = TrialModel(scenario: scenario)
        let result = Engine(model: model, options: .init(trials: 10_000, seed: 5)).run()
        let s = Sensitivity(result: result)
        #expect(s.correlations.count == 3)
        for c in s.correlations {
            #expect(abs(c.achieved - c.requested) < 0.02, "\(c.first)–\(c.second): \(c.achieved) vs \(c.requested)")
        }
        // Marginals are untouched: the ceiling keeps its PERT mean (a + 4m + b)/6 = 0.683.
        var sum = 0.0
        var row = [Double](repeating: 0, count: model.inputs.count)
        let j = model.inputs.firstIndex { $0.name == "adoption.ceiling" }!
        for i in 0..<10_000 {
            model.drawInputs(uniforms: KeyedUniforms(seed: 5, trial: i), into: &row)
            sum += row[j]
        }
        let sd = (scenario.adoption.ceiling.distribution.variance / 10_000).squareRoot()
        #expect(abs(sum / 10_000 - (0.4 + 4 * 0.7 + 0.9) / 6) < 5 * sd)
    }

    @Test("Correlations that contradict each other are rejected with the nearest valid set")
    func contradictory() {
        let bad = yaml.replacingOccurrences(of: "rank: 0.5", with: "rank: 0.9")
            .replacingOccurrences(of: "rank: 0.6", with: "rank: 0.9")
            .replacingOccurrences(of: "rank: -0.3", with: "rank: -0.9")
        do {
            _ = try ScenarioLoader.parse(yaml: bad)
            Issue.record("contradictory correlations should be rejected")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].message.contains("contradict"), "\(error.issues[0].message)")
            #expect(error.issues[0].message.contains("nearest"), "\(error.issues[0].message)")
        }
    }

    @Test("Unknown or fixed inputs cannot be correlated")
    func badNames() {
        let bad = yaml.replacingOccurrences(of: "\"benefits[Time saved].amount\"", with: "\"benefits[Time savd].amount\"")
            .replacingOccurrences(of: "[\"segments[A].churn_reduction\", \"segments[A].margin_uplift\"]", with: "[\"segments[A].churn_reduction\", licences.seats]")
        do {
            _ = try ScenarioLoader.parse(yaml: bad)
            Issue.record("should be rejected")
        } catch {
            #expect(error.issues.count == 2)
            #expect(error.issues[0].hint?.contains("benefits[Time saved].amount") == true)
            #expect(error.issues[1].message.contains("fixed number"))
        }
    }
}

@Suite("Sampling plans")
struct SamplingTests {
    @Test("Latin hypercube: every input has exactly one trial in each of the n strata")
    func strata() {
        for n in [1, 7, 100, 1000] {
            for key in [Uncertain.fnv1a("adoption.ceiling"), Uncertain.fnv1a("licences.price"), 42] {
                var seen = Set<Int>()
                for i in 0..<n {
                    let u = TrialUniforms(seed: 3, trial: i, sampling: .latinHypercube, trials: n).uniform(forKey: key)
                    #expect(u > 0 && u < 1)
                    seen.insert(Int(u * Double(n)))
                }
                #expect(seen == Set(0..<n), "n = \(n)")
            }
        }
    }

    @Test("Keyed permutations are permutations, and differ by key")
    func permutations() {
        for n in [1, 2, 5, 64, 1000, 4097] {
            let p = KeyedPermutation(seed: 1, key: 9, count: n)
            #expect(Set((0..<n).map { p($0) }) == Set(0..<n))
        }
        let a = KeyedPermutation(seed: 1, key: 1, count: 1000), b = KeyedPermutation(seed: 1, key: 2, count: 1000)
        #expect((0..<1000).contains { a($0) != b($0) })
    }

    @Test("Latin hypercube estimates a mean with a smaller error than plain Monte Carlo")
    func lhsIsMorePrecise() throws {
        // NPV = B − 60 with B uniform(0, 100): linear in one input, where LHS is nearly exact.
        let yaml = """
        name: Toy
        currency: EUR
        horizon: 1
        licences: { seats: 0, price: 0 }
        adoption: { go_live: 0, ceiling: 100% }
        costs:
          - { name: Outlay, amount: 60, per: once }
        benefits:
          - { name: Payoff, amount: "uniform(0, 100)", per: once }
        segments:
          - { name: None, customers: 0, margin: 0, churn: 0% }
        """
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: yaml))
        let lhs = Engine(model: model, options: .init(trials: 1000, seed: 1, sampling: .latinHypercube)).run()
        let mc = Engine(model: model, options: .init(trials: 1000, seed: 1)).run()
        // Exact mean −10; LHS error is at most half a stratum's width in the mean (0.05).
        #expect(abs(lhs.npv.mean - (-10)) < 0.05)
        #expect(abs(mc.npv.mean - (-10)) < 5 * mc.npv.standardError)
    }
}

@Suite("Sweep ranges")
struct SweepRangeTests {
    @Test("from:to:step expands to the values, in the way they were written")
    func ranges() throws {
        let seats = try SweepRange("licences.seats=20:60:10")
        #expect(seats.path == "licences.seats")
        #expect(seats.values == ["20", "30", "40", "50", "60"])
        let shares = try SweepRange("adoption.ceiling=50%:90%:10%")
        #expect(shares.values == ["50%", "60%", "70%", "80%", "90%"])
        let money = try SweepRange("costs[Partner].amount=100k:200k:50k")
        #expect(money.values == ["100000", "150000", "200000"])
        #expect(throws: (any Error).self) { try SweepRange("licences.seats=60:20:10") }
        #expect(throws: (any Error).self) { try SweepRange("licences.seats=1:2") }
        #expect(throws: (any Error).self) { try SweepRange("licences.seats") }
    }
}
