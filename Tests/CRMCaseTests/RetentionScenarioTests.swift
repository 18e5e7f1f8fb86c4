import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

@Suite("Scenarios with an sBG retention curve")
struct RetentionScenarioTests {
    private let yaml = """
    name: Retention
    currency: EUR
    horizon: 24
    licences: { seats: 5, price: 10 }
    adoption: { go_live: 2, ceiling: 80% }
    segments:
      - { name: Members, customers: 1000, margin: 20, churn: "sbg(0.704, 1.182)", churn_reduction: 25% }
    """

    @Test("Month t's churn before go-live is α/(α + β + t − 1), and the CRM reduces it by ρ·A_t")
    func hazards() throws {
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let sbg = try #require(scenario.segments[0].retention)
        #expect(sbg.alpha == 0.704 && sbg.beta == 1.182)
        let model = TrialModel(scenario: scenario)
        var w = model.makeWorkspace()
        model.run(uniforms: KeyedUniforms(seed: 1, trial: 0), process: RandomStream(key: 0), workspace: &w)
        for t in 1...24 {
            let hazard = 0.704 / (0.704 + 1.182 + Double(t) - 1)
            let expected = hazard * (1 - 0.25 * w.adoptionPath[t])
            #expect(abs(w.churnProbabilityPath[t] - expected) <= 1e-12, "month \(t)")
        }
        // The input table shows the first-year churn of a new cohort: 1 − S(12).
        #expect(abs(scenario.segments[0].churn.distribution.mean - (1 - sbg.survival(after: 12))) <= 1e-15)
    }

    @Test("CLV multiple of an sBG customer equals DERL/(1 + d) from the hypergeometric closed form")
    func clvMatchesDERL() throws {
        let sbg = ShiftedBetaGeometric(alpha: 0.704, beta: 1.182)
        for d in [0.003, 0.006, 0.01, 0.05] {
            let value = Finance.discountedLifetime(sbg, churnFactor: 1, discount: d)
            let closed = try sbg.discountedExpectedResidualLifetime(discountRate: d, renewals: 0) / (1 + d)
            #expect(abs(value - closed) <= 1e-9 * closed, "d = \(d): \(value) vs \(closed)")
            // And against the survival curve itself, summed month by month far into the tail.
            var direct = 0.0, survival = 1.0, discount = 1.0
            for t in 1...400_000 {
                survival *= sbg.retentionRate(inPeriod: t) + (1 - sbg.retentionRate(inPeriod: t)) * 0.3
                discount /= 1 + d
                direct += survival * discount
            }
            let reduced = Finance.discountedLifetime(sbg, churnFactor: 0.7, discount: d)
            #expect(abs(reduced - direct) <= 1e-9 * direct, "d = \(d), f = 0.7: \(reduced) vs \(direct)")
        }
        // A churn factor of 1 − ρ multiplies every month's churn: with a homogeneous cohort
        // (huge α + β, mean churn c) the multiple tends to r/(1 + d − r) with r = 1 − c(1 − ρ).
        let homogeneous = ShiftedBetaGeometric(alpha: 2e6 * 0.02, beta: 2e6 * 0.98)
        let r = 1 - 0.02 * 0.7
        let multiple = Finance.discountedLifetime(homogeneous, churnFactor: 0.7, discount: 0.01)
        #expect(abs(multiple - r / (1.01 - r)) <= 1e-4 * multiple)
    }

    @Test("A malformed sbg(...) is a clear error")
    func malformed() {
        let bad = yaml.replacingOccurrences(of: "sbg(0.704, 1.182)", with: "sbg(0.704, -1)")
        do {
            _ = try ScenarioLoader.parse(yaml: bad)
            Issue.record("should have been rejected")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].line == 7)
            #expect(error.issues[0].message.contains("sbg(0.704, -1)"))
        }
    }
}
