import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat

/// The decisions behind the `compare` verdict and the `sweep` summary, at their boundaries, on
/// the toy decision NPV = B − C (B uniform, C fixed) where every answer is known in advance.
@Suite("Comparison and sweep judgements")
struct ComparisonJudgementTests {
    private func run(a: Double, b: Double, c: Double, trials: Int = 2000) throws -> SimulationResult {
        Engine(model: TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.toyDecision(a: a, b: b, c: c))),
               options: .init(trials: trials, seed: 5)).run()
    }

    private func compare(_ runs: [SimulationResult]) -> Comparison {
        Comparison(options: runs.enumerated().map { Comparison.Option(name: "option \($0.offset + 1)", result: $0.element) })
    }

    @Test("The rounding rule: a power of ten at or below the 95 % half-width, never below 1")
    func resolution() {
        #expect(Resolution.step(halfWidth: 54_000) == 10_000)
        #expect(Resolution.step(halfWidth: 9.99) == 1)
        #expect(Resolution.step(halfWidth: 0.4) == 1)
        #expect(Resolution.step(halfWidth: .nan) == 1)
        #expect(Resolution.roundsToZero(4_999, halfWidth: 54_000))
        #expect(!Resolution.roundsToZero(5_000, halfWidth: 54_000))
        #expect(Resolution.roundsToZero(-4_999, halfWidth: 54_000))
        // A mean known exactly (no Monte Carlo error) has a sign, however small.
        #expect(!Resolution.isTooCloseToZero(mean: 0.2, standardError: 0))
        #expect(Resolution.isTooCloseToZero(mean: 0.2, standardError: 0.1))
        #expect(!Resolution.isTooCloseToZero(mean: 2, standardError: 0.1))
    }

    @Test("The best option makes money, does not, or is too close to zero to tell")
    func againstDoingNothing() throws {
        // E[NPV] = 50 − 30 = 20 and 50 − 60 = −10: the first is best and makes money.
        let good = ComparisonJudgement(compare([try run(a: 0, b: 100, c: 30), try run(a: 0, b: 100, c: 60)]))
        #expect(good.best == 0)
        #expect(good.againstDoingNothing == .makesMoney)
        #expect(good.runnerUp?.runnerUp == 1)
        // Both lose on average: the least bad (outlay 60) is named best, and nothing makes money.
        let bad = ComparisonJudgement(compare([try run(a: 0, b: 100, c: 80), try run(a: 0, b: 100, c: 60)]))
        #expect(bad.best == 1)
        #expect(bad.againstDoingNothing == .doesNotMakeMoney)
        // NPV uniform on −0.1…0.1: the mean is within a fraction of a unit of 0 and rounds to 0.
        let close = ComparisonJudgement(compare([try run(a: 999.9, b: 1000.1, c: 1000), try run(a: 0, b: 100, c: 80)]))
        #expect(close.best == 0)
        #expect(close.againstDoingNothing == .tooCloseToTell)
    }

    @Test("A lead within the Monte Carlo error of the paired difference is too close to tell")
    func runnerUp() throws {
        // Options that share their input draw the same B: B·1.005 leads B by 0.005·B, mean 0.25,
        // which rounds to 0 at a half-width below 1; B·1.1 leads by 0.1·B, mean 5: clear.
        let base = try run(a: 0, b: 100, c: 10)
        let close = ComparisonJudgement(compare([base, try run(a: 0, b: 100.5, c: 10)]))
        #expect(close.best == 1)
        let lead = try #require(close.runnerUp)
        #expect(lead.runnerUp == 0)
        #expect(abs(lead.difference.mean - 0.25) < 0.02, "\(lead.difference.mean)")
        #expect(lead.isTooCloseToTell)
        let clear = ComparisonJudgement(compare([base, try run(a: 0, b: 110, c: 10)]))
        #expect(clear.runnerUp?.isTooCloseToTell == false)
        #expect(abs((clear.runnerUp?.difference.mean ?? 0) - 5) < 0.2)
        // One option: no runner-up.
        #expect(ComparisonJudgement(compare([base])).runnerUp == nil)
    }

    @Test("Equal expected NPVs: the first is best")
    func ties() throws {
        let r = try run(a: 0, b: 100, c: 10)
        let j = ComparisonJudgement(compare([r, r]))
        #expect(j.best == 0)
        #expect(j.runnerUp?.runnerUp == 1)
        // Identical in every future: the lead is known exactly (0), not a matter of more trials.
        #expect(j.runnerUp?.isTooCloseToTell == false)
    }

    @Test("Sweep: best value, paired differences from the first, and where the NPV changes sign")
    func sweep() throws {
        // E[NPV] = 50 − c for c = 40, 50.05, 60 (B uniform on 49.9…50.1): 10, −0.05, −10.
        let costs = [40, 50.05, 60]
        let runs = try costs.map { try run(a: 49.9, b: 50.1, c: $0) }
        let s = SweepAnalysis(path: "costs[Outlay].amount",
                              points: zip(costs, runs).map { (label: "\($0.0)", value: $0.0, result: $0.1) })
        #expect(s.best == 0)
        #expect(s.points.map(\.value) == costs)
        #expect(s.unit == .money)
        #expect(s.runnerUp?.runnerUp == 1)
        #expect(s.runnerUp?.isTooCloseToTell == false)
        let change = try #require(s.signChange)
        #expect(change.lower == 0 && change.upper == 1)
        // −0.05 rounds to 0 at its error: its sign cannot be told; 10's can.
        #expect(change.tooCloseToTell == [1])
        // The paired difference from the first value is the outlay's difference, in every trial.
        #expect(s.points[0].differenceFromFirst.mean == 0)
        #expect(abs(s.points[2].differenceFromFirst.mean - (-20)) < 1e-9)
        #expect(s.points[2].differenceFromFirst.standardDeviation < 1e-9)

        // All positive: no sign change; a path that is not an uncertain input has no unit.
        let gains = try [10.0, 20].map { try run(a: 0, b: 100, c: $0) }
        let plain = SweepAnalysis(path: "horizon", points: zip([10.0, 20], gains).map { (label: "\($0.0)", value: $0.0, result: $0.1) })
        #expect(plain.signChange == nil)
        #expect(plain.unit == nil)
        #expect(plain.best == 0)
    }
}
