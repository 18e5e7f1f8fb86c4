import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

// Shares stay shares and amounts stay non-negative, whatever 90 % interval the user writes
// (issue "Honest numbers"): `churn_reduction: 0% to 30%` must never let the CRM raise churn.

/// A small scenario whose first segment's churn reduction (and, optionally, another field) is
/// written as given.
private func scenario(reduction: String = "20%", amount: String = "100k", ceiling: String = "70%") throws(ScenarioErrors) -> Scenario {
    try ScenarioLoader.parse(yaml: """
        name: Bounds test
        currency: EUR
        horizon: 36
        licences: { seats: 20, price: 50 }
        adoption: { go_live: 3, ceiling: "\(ceiling)" }
        costs:
          - { name: Setup, amount: "\(amount)", per: once }
        segments:
          - { name: Loyal, customers: 500, margin: 80, churn: 15%, churn_reduction: "\(reduction)" }
        """)
}

/// Uniforms from the far tails to the middle, including 1e-9 and 1 − 1e-9.
private let probes: [Double] = {
    let tails: [Double] = [1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12]
    let grid: [Double] = (1..<1000).map { Double($0) / 1000 }
    return tails + grid
}()

@Suite("Bounded fields stay bounded")
struct BoundedFieldTests {
    // MARK: IntervalFit at a bound

    @Test("0 % to p95: Beta(1, β) with P95 exact and every quantile in 0…1",
          arguments: [0.3, 0.05, 0.9, 0.001])
    func betaFromZero(_ p95: Double) throws {
        let d = try IntervalFit.beta(p5: 0, p95: p95)
        guard case .beta(let alpha, let beta, 0, 1) = d else { Issue.record("\(d)"); return }
        #expect(alpha == 1)
        #expect(abs(d.cdf(p95) - 0.95) < 1e-12)
        #expect(abs(d.quantile(0.95) - p95) <= 1e-9 * p95)
        // P5 = 1 − 0.95^(1/β): above 0, between 1.7 % and 5 % of p95.
        let p5 = 1 - pow(0.95, 1 / beta)
        #expect(abs(d.quantile(0.05) - p5) <= 1e-9 * p95)
        #expect(p5 >= 0.017 * p95 && p5 <= 0.05 * p95, "P5 = \(p5)")
        // The closed-form quantile agrees with GSL's iterative one where GSL is reliable.
        for u in [0.05, 0.5, 0.95] {
            #expect(abs(d.quantile(u) - CDF.betaQuantile(u, a: 1, b: beta)) <= 1e-9 * p95)
        }
        for u in probes {
            let x = d.quantile(u)
            #expect(x >= 0 && x <= 1, "quantile(\(u)) = \(x)")
        }
    }

    @Test("p5 to 100 %: the mirror image; 0 % to 100 %: the uniform")
    func betaToOne() throws {
        let d = try IntervalFit.beta(p5: 0.7, p95: 1)
        guard case .beta(let alpha, 1, 0, 1) = d else { Issue.record("\(d)"); return }
        #expect(abs(d.cdf(0.7) - 0.05) < 1e-12 && abs(alpha - log(0.05) / log(0.7)) < 1e-12)
        #expect(try IntervalFit.beta(p5: 0, p95: 1) == .beta(alpha: 1, beta: 1, min: 0, max: 1))
        #expect(throws: IntervalFit.Failure.notAShare) { try IntervalFit.beta(p5: -0.05, p95: 0.3) }
        #expect(throws: IntervalFit.Failure.notAShare) { try IntervalFit.beta(p5: 0.5, p95: 1.2) }
    }

    @Test("0 to p95 on an amount: the exponential with P95 exact")
    func exponentialFromZero() throws {
        let d = try IntervalFit.exponentialFromZero(p95: 500_000)
        #expect(d == .gamma(shape: 1, scale: 500_000 / log(20)))
        #expect(abs(d.cdf(500_000) - 0.95) < 1e-12)
        #expect(abs(d.quantile(0.95) / 500_000 - 1) < 1e-9)
        for u in probes { #expect(d.quantile(u) >= 0) }
    }

    // MARK: Through the loader

    @Test("churn_reduction: 0% to 30% is a beta that is never negative")
    func churnReductionFromZero() throws {
        let d = try scenario(reduction: "0% to 30%").segments[0].churnReduction.distribution
        #expect(d == (try IntervalFit.beta(p5: 0, p95: 0.3)))
        #expect(d.support == 0...1)
        for u in probes {
            let x = d.quantile(u)
            #expect(x >= 0 && x <= 1, "quantile(\(u)) = \(x)")
        }
    }

    @Test("churn_reduction: 0% to 30% drawn by the engine: 4000 trials, none negative")
    func churnReductionThroughTheEngine() throws {
        let model = TrialModel(scenario: try scenario(reduction: "0% to 30%"))
        let index = try #require(model.scenario.inputs.firstIndex { $0.name == "segments[Loyal].churn_reduction" })
        let result = Engine(model: model, options: .init(trials: 4000, seed: 11)).run()
        var draws: [Double] = []
        for i in 0..<result.trials {
            draws.append(model.drawnInputs(uniforms: result.uniforms(trial: i))[index])
        }
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= 1 }, "smallest draw \(draws.min()!)")
        // The draws follow the fitted beta: about 95 % at or below 30 %.
        let below = Double(draws.filter { $0 <= 0.3 }.count) / Double(draws.count)
        #expect(abs(below - 0.95) < 5 * (0.95 * 0.05 / 4000).squareRoot(), "\(below)")
    }

    @Test("A share interval written as decimals is a beta too, not a lognormal that can pass 100 %")
    func shareIntervalInDecimals() throws {
        let d = try scenario(ceiling: "0.6 to 0.85").adoption.ceiling.distribution
        #expect(d == (try IntervalFit.beta(p5: 0.6, p95: 0.85)))
    }

    @Test("An amount from 0 is an exponential; a negative end is an error")
    func amountFromZero() throws {
        let d = try scenario(amount: "0 to 500k").costs[0].amount.distribution
        #expect(d == (try IntervalFit.exponentialFromZero(p95: 500_000)))
        #expect(try scenario(amount: "lognormal90(0, 500k)").costs[0].amount.distribution == d)
        do {
            _ = try scenario(amount: "-100k to 500k")
            Issue.record("a negative end was accepted")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].message.contains("below 0"), "\(error.issues[0].message)")
        }
    }

    @Test("A churn reduction that can go negative is an error: an interval below 0 %, or a normal")
    func churnReductionThatLeaks() throws {
        for (written, words) in [("-5% to 30%", ["-5 %", "outside 0 %…100 %"]),
                                 ("normal(15%, 9%)", ["normal(15%, 9%)", "outside", "0 %", "100 %"]),
                                 ("uniform(-5%, 30%)", ["as low as", "share between 0 % and 100 %"])] {
            do {
                _ = try scenario(reduction: written)
                Issue.record("\(written) was accepted")
            } catch {
                #expect(error.issues.count == 1)
                let message = error.issues.first?.message ?? ""
                #expect(message.contains("churn_reduction"), "\(message)")
                for word in words { #expect(message.contains(word), "“\(word)” missing from: \(message)") }
                #expect(error.issues.first?.line == 9)
            }
        }
    }

    // MARK: What validate explains

    @Test("The explanation names the family, its parameters, mean, P5 and P95")
    func explanation() throws {
        let s = try scenario(reduction: "0% to 30%", amount: "0 to 500k")
        let lines = InputExplanation.lines(for: s)
        #expect(lines.count == 2, "only the uncertain inputs: \(lines)")
        #expect(lines.contains(
            "segments[Loyal].churn_reduction: 0% to 30% → beta(α=1, β=8.4) on 0 %…100 %, mean 10.6 %, P5 0.6 %, P95 30.0 %"),
            "\(lines)")
        let amount = try #require(lines.first { $0.hasPrefix("costs[Setup].amount") })
        #expect(amount.contains("0 to 500k → exponential (gamma with shape 1, scale 166.9k) on 0…∞"), "\(amount)")
        #expect(amount.contains("P95 500k"), "\(amount)")
    }
}
