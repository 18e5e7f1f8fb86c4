import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

private func packageRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The subscription example with skewed share inputs: the 90 % intervals `1% to 3%`,
/// `2% to 3%` and `97% to 99%` (fitted betas) and `beta(1, 1000)`.
private let skewedOverrides = [
    Override(path: "segments[Micro (1-2 users)].churn", value: "1% to 3%", origin: "test"),
    Override(path: "segments[Small teams (3-10 users)].churn", value: "2% to 3%", origin: "test"),
    Override(path: "segments[Chains and larger customers (10+ users)].churn_reduction", value: "beta(1, 1000)", origin: "test"),
    Override(path: "adoption.ceiling", value: "97% to 99%", origin: "test"),
    Override(path: "acquisition.win_rate_uplift", value: "beta(1, 1000)", origin: "test"),
]

// Checks of `CDF.betaQuantile` and `CDF.gammaQuantile` against GSL's CDFs — the forward
// functions, not the inverse under test. The tolerance is the one the library documents
// (`CDF.quantileTolerance`, 1e-12): the tail probability of the answer (P below the median,
// Q = P(X > x) above it) within a relative 1e-12 of the one asked for, or, where the CDF is
// too steep for that at double precision, the one asked for lying between the tail
// probabilities of the answer and of a neighbouring double.

/// The probabilities tried: the far tails and every 0.001 in between.
private let probabilities: [Double] = {
    let tails = [1e-12, 1e-9, 1e-6, 1e-4]
    return tails + (1...999).map { Double($0) / 1000 } + tails.reversed().map { 1 - $0 }
}()

/// A distribution under test with its two tail functions.
private struct Family: CustomStringConvertible {
    var description: String
    var distribution: Distribution
    var quantile: (Double) -> Double
    var lower: (Double) -> Double
    var upper: (Double) -> Double
    var support: ClosedRange<Double>

    static func beta(_ a: Double, _ b: Double, _ label: String? = nil) -> Family {
        Family(description: label ?? "beta(\(a), \(b))", distribution: .beta(alpha: a, beta: b, min: 0, max: 1),
               quantile: { CDF.betaQuantile($0, a: a, b: b) },
               lower: { CDF.beta($0, a: a, b: b) }, upper: { CDF.betaUpper($0, a: a, b: b) },
               support: 0...1)
    }

    static func gamma(_ k: Double, _ theta: Double) -> Family {
        Family(description: "gamma(\(k), \(theta))", distribution: .gamma(shape: k, scale: theta),
               quantile: { CDF.gammaQuantile($0, shape: k, scale: theta) },
               lower: { CDF.gamma($0, shape: k, scale: theta) }, upper: { CDF.gammaUpper($0, shape: k, scale: theta) },
               support: 0...Double.greatestFiniteMagnitude)
    }

    /// Whether x is the p-quantile to the documented tolerance, judged by the CDF.
    func isQuantile(_ x: Double, of p: Double) -> Bool {
        let upperTail = p > 0.5
        let target = upperTail ? 1 - p : p
        let tail = upperTail ? upper : lower
        let t = tail(x)
        if abs(t - target) <= 1e-12 * target { return true }
        for y in [x.nextDown, x.nextUp] {
            let ty = tail(y)
            if min(t, ty) <= target, target <= max(t, ty) { return true }
        }
        return false
    }
}

/// The beta a 90 % interval on a share is fitted to.
private func fitted(_ p5: Double, _ p95: Double) throws -> Family {
    let d = try IntervalFit.beta(p5: p5, p95: p95)
    guard case .beta(let a, let b, 0, 1) = d else {
        Issue.record("IntervalFit.beta(p5: \(p5), p95: \(p95)) is no longer a beta on 0…1: \(d)")
        throw CancellationError()
    }
    return .beta(a, b, "\(p5) to \(p95) = beta(\(a), \(b))")
}

private func families() throws -> [Family] {
    [try fitted(0.01, 0.03), try fitted(0.02, 0.03), try fitted(0.97, 0.99),
     .beta(1, 1000), .beta(1000, 1), .beta(0.5, 0.5), .beta(0.05, 0.05), .beta(2000, 3), .beta(3, 2000),
     .beta(2, 5), .beta(1e4, 1e4),
     .gamma(1e-3, 1), .gamma(0.01, 1), .gamma(0.1, 1), .gamma(0.5, 2), .gamma(3, 1), .gamma(1e-3, 250),
     .gamma(1e3, 1), .gamma(1e7, 1), .gamma(1e7, 0.01), .gamma(1e8, 1)]
    // Not gamma(1e6, ·): GSL 2.7.1's gamma CDF is itself wrong there (see `CDF.gammaQuantile`).
}

@Suite("Robust quantiles")
struct RobustQuantileTests {
    @Test("A scenario with skewed share inputs draws no NaN input and no NaN outcome")
    func skewedScenarioHasNoNaN() throws {
        let path = packageRoot().appendingPathComponent("Scenarios/subscription-churn.yaml").path
        let scenario = try ScenarioLoader.load(path: path, overrides: skewedOverrides).scenario
        let model = TrialModel(scenario: scenario)
        let width = model.inputs.count
        let recorder = TrialRecorder(width: width) { w, row in
            for i in 0..<width { row[i] = w.inputValues[i] }
        }
        let trials = 4000
        let r = Engine(model: model, options: .init(trials: trials, seed: 2027, recorder: recorder)).run()
        var nanInputs: [String: Int] = [:]
        var nanOutcomes: [String: Int] = [:]
        for i in 0..<trials {
            let row = r.perTrial.recorded(i)
            for j in 0..<width where !row[j].isFinite { nanInputs[model.inputs[j].name, default: 0] += 1 }
            if !r.perTrial.npv(i).isFinite { nanOutcomes["npv", default: 0] += 1 }
            if !r.perTrial.pvCosts(i).isFinite { nanOutcomes["pvCosts", default: 0] += 1 }
            if !r.perTrial.pvBenefits(i).isFinite { nanOutcomes["pvBenefits", default: 0] += 1 }
            if r.perTrial.pvCosts(i) > 0, !r.perTrial.roi(i).isFinite { nanOutcomes["roi", default: 0] += 1 }
            if r.perTrial.peakFunding(i).isNaN { nanOutcomes["peakFunding", default: 0] += 1 }
            if r.perTrial.payback(i).isNaN { nanOutcomes["payback", default: 0] += 1 }
            for s in 0..<model.segmentCount {
                if !r.perTrial.customersWith(i, segment: s).isFinite { nanOutcomes["customersWith[\(s)]", default: 0] += 1 }
                if !r.perTrial.customersWithout(i, segment: s).isFinite { nanOutcomes["customersWithout[\(s)]", default: 0] += 1 }
                if r.perTrial.clvWith(i, segment: s).isNaN { nanOutcomes["clvWith[\(s)]", default: 0] += 1 }
            }
        }
        #expect(nanInputs.isEmpty, "non-finite input draws out of \(trials) trials: \(nanInputs)")
        #expect(nanOutcomes.isEmpty, "non-finite outcomes out of \(trials) trials: \(nanOutcomes)")
        #expect(r.npv.mean.isFinite)
    }

    @Test("Beta and gamma quantiles are finite, in the support, monotone and invert the CDF", arguments: 0..<21)
    func quantileGrid(_ index: Int) throws {
        let family = try families()[index]
        var previous = -Double.infinity
        var failures: [String] = []
        for p in probabilities {
            let x = family.quantile(p)
            if !x.isFinite || !family.support.contains(x) {
                failures.append("p = \(p): \(x) is not a finite number in the support")
                continue
            }
            if x < previous { failures.append("p = \(p): \(x) is below the quantile of the p before it (\(previous))") }
            previous = x
            if !family.isQuantile(x, of: p) {
                let tail = p > 0.5 ? family.upper(x) : family.lower(x)
                failures.append("p = \(p): x = \(x) has tail probability \(tail), not \(p > 0.5 ? 1 - p : p)")
            }
        }
        #expect(failures.isEmpty, "\(family): \(failures.prefix(5)) (\(failures.count) failures)")
    }

    @Test("Edge probabilities give the ends of the support; bad parameters give NaN")
    func edges() {
        #expect(CDF.betaQuantile(0, a: 2, b: 3) == 0)
        #expect(CDF.betaQuantile(1, a: 2, b: 3) == 1)
        #expect(CDF.gammaQuantile(0, shape: 2, scale: 3) == 0)
        #expect(CDF.gammaQuantile(1, shape: 2, scale: 3) == .infinity)
        #expect(CDF.betaQuantile(0.5, a: 0, b: 3).isNaN)
        #expect(CDF.gammaQuantile(0.5, shape: 2, scale: -1).isNaN)
        #expect(CDF.betaQuantile(.nan, a: 2, b: 3).isNaN)
        // The extreme uniforms the engine can produce.
        for u in [0x1p-53, 1 - 0x1p-53] {
            #expect(CDF.betaQuantile(u, a: 1, b: 1000).isFinite)
            #expect(CDF.gammaQuantile(u, shape: 1e-3, scale: 1).isFinite)
        }
    }

    @Test("Every QuantileTable node is finite, monotone and inverts the CDF; the table stays in the support", arguments: 0..<21)
    func tableNodes(_ index: Int) throws {
        let family = try families()[index]
        let table = QuantileTable(family.distribution)
        #expect(table.defect == nil, "\(family): \(String(describing: table.defect))")
        var previous = -Double.infinity
        var failures: [String] = []
        for node in table.tabulated {
            if !node.value.isFinite || node.value < previous || !family.isQuantile(node.value, of: node.probability) {
                failures.append("u = \(node.probability): \(node.value)")
            }
            previous = node.value
        }
        #expect(failures.isEmpty, "\(family): \(failures.prefix(5)) (\(failures.count) failures)")
        // Between the nodes: monotone and inside the support.
        previous = -Double.infinity
        var outside = 0, decreasing: [String] = []
        for i in 1..<20_000 {
            let u = Double(i) / 20_000
            let x = table.quantile(u)
            if !x.isFinite || !family.support.contains(x) { outside += 1 }
            if x < previous { decreasing.append("u = \(u): \(x) < \(previous)") }
            previous = x
        }
        #expect(outside == 0 && decreasing.isEmpty,
                "\(family): \(outside) draws outside the support, \(decreasing.count) decreasing: \(decreasing.prefix(3))")
    }

    @Test("The finite-draw check passes the skewed families")
    func finiteCheckPasses() throws {
        for family in try families() {
            #expect(family.distribution.firstNonFiniteDraw() == nil, "\(family)")
        }
    }

    @Test("A scenario input that draws a value that is not a finite number is refused, by name")
    func nonFiniteDrawIsRefused() throws {
        let path = packageRoot().appendingPathComponent("Scenarios/subscription-churn.yaml").path
        // Its upper tail overflows: exp(μ + σ·z) is +∞ at the engine's most extreme uniforms.
        let overflow = Override(path: "risks[Budget overrun on integration and health score].factor",
                                value: "lognormal(1e305, 1e306)", origin: "test")
        do {
            _ = try ScenarioLoader.load(path: path, overrides: [overflow])
            Issue.record("the scenario was accepted")
        } catch {
            let messages = error.issues.map(\.message)
            #expect(messages.contains { $0.contains("risks[Budget overrun on integration and health score].factor")
                && ($0.contains("not a number") || $0.contains("infinite")) && $0.contains("at probability") }, "\(messages)")
        }
    }
}
