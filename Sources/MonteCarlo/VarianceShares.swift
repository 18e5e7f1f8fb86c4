import CRMModel
import Dispatch
import Foundation
import GSLSupport

/// The uniforms of one evaluation, looked up by key: a trial driven by an arbitrary point of
/// the unit cube instead of its keyed streams.
public struct MappedUniforms: InputUniforms, Sendable {
    public let values: [Double]
    public let index: [UInt64: Int]
    public let processKey: UInt64

    public init(values: [Double], index: [UInt64: Int], processKey: UInt64) {
        self.values = values
        self.index = index
        self.processKey = processKey
    }

    public func uniform(forKey key: UInt64) -> Double { values[index[key]!] }
}

/// Variance-based (Sobol) sensitivity of the NPV for a scenario: what share of the NPV's
/// variance each input explains on its own (first order) and with its interactions (total).
///
/// Factors are the uncertain inputs, except that a risk event's probability, whether it
/// happens and the size of its effect form one factor, "risk: NAME". Inputs hold for all months,
/// so an input's effect across months is one factor by construction.
///
/// The design is Saltelli's pick-freeze (``SobolIndices``) on the run's own trials: the rows of
/// A are the run's first N trials and the rows of B its next N, so f(A) and f(B) are NPVs the
/// run has already computed; only A_B^(G) — A's row with the factor's uniforms taken from B's
/// row, and A's monthly process — is evaluated, for the ``defaultFactors`` factors that matter
/// most (by swing): N·k model runs instead of N·(k + 2) for every factor. The monthly customer
/// process has its own stream per trial (the rows of A_B share A's), so it acts as one more input
/// whose effect stays unexplained: first-order shares add up to less than 1.
public struct VarianceShares: Sendable {
    public struct Share: Sendable {
        public let name: String
        public let firstOrder: SobolIndices.Estimate
        public let totalOrder: SobolIndices.Estimate
    }

    /// Sorted by total-order share, largest first.
    public let shares: [Share]
    public let baseSampleSize: Int
    /// Model runs made for the indices (the A_B rows; A and B are the run's trials).
    public let evaluations: Int
    /// Factors in the scenario, of which ``shares`` holds the most important.
    public let factorCount: Int

    /// Rows of A (and of B) taken from the run: its first 1 024 trials and the next 1 024.
    public static let defaultBaseSampleSize = 1024
    /// Factors whose indices are estimated: the ten that matter most.
    public static let defaultFactors = 10

    /// Estimates the indices of the `factors` most important factors on the trials of `result`.
    ///
    /// - Parameters:
    ///   - order: factor names by importance (e.g. by swing); unnamed factors come after.
    ///   - baseSampleSize: N; at most half the run's trials are used (nil when that is below 2).
    public static func analyse(result: SimulationResult, importance order: [String] = [],
                               factors maximum: Int = defaultFactors,
                               baseSampleSize: Int = defaultBaseSampleSize,
                               threads: Int? = nil) -> VarianceShares? {
        let model = result.model
        let keys = model.uniformKeys
        let inputs = model.inputs
        // Factors: uncertain inputs outside risk events, and one group per risk event.
        var factors: [(name: String, columns: [Int])] = []
        var riskColumns = Set<Int>()
        for (r, risk) in model.scenario.risks.enumerated() {
            var columns = [inputs.count + r]
            for (j, input) in inputs.enumerated() where input.name.hasPrefix("risks[\(risk.name)].") && !input.distribution.isFixed {
                columns.append(j)
            }
            riskColumns.formUnion(columns)
            factors.append(("risk: \(risk.name)", columns))
        }
        for (j, input) in inputs.enumerated() where !input.distribution.isFixed && !riskColumns.contains(j) {
            factors.append((input.name, [j]))
        }
        guard !factors.isEmpty, maximum >= 1 else { return nil }
        factors.sort { a, b in
            let ia = order.firstIndex(of: a.name) ?? Int.max, ib = order.firstIndex(of: b.name) ?? Int.max
            return ia < ib
        }
        let factorCount = factors.count
        let estimated = Array(factors.prefix(maximum))
        let n = min(baseSampleSize, result.trials / 2)
        guard n >= 2 else { return nil }

        // Columns of the design: the estimated factors' uniforms. Row j of A is trial j's, row j
        // of B trial n + j's, read from the run's keyed (or Latin hypercube) uniforms.
        let used = estimated.flatMap(\.columns)
        let d = used.count
        var a = [Double](repeating: 0, count: n * d), b = a
        var fullA = [Double](repeating: 0, count: n * keys.count)
        var processKeys = [UInt64](repeating: 0, count: n)
        for row in 0..<n {
            let ua = result.uniforms(trial: row), ub = result.uniforms(trial: n + row)
            for k in keys.indices { fullA[row * keys.count + k] = ua.uniform(forKey: keys[k]) }
            processKeys[row] = ua.processKey
            for c in 0..<d {
                a[row * d + c] = fullA[row * keys.count + used[c]]
                b[row * d + c] = ub.uniform(forKey: keys[used[c]])
            }
        }
        let position = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let groups = estimated.map { $0.columns.map { position[$0]! } }
        guard let design = try? SobolIndices.Design(a: a, b: b, dimension: d, baseSampleSize: n, groups: groups) else {
            return nil
        }

        // Evaluate every row of every A_B^(G) in parallel, on A's process stream.
        let rowsA = fullA, rowProcessKeys = processKeys
        let outputs = Outputs(count: groups.count * n)
        let workers = max(1, min(threads ?? Cores.available, n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            var point = [Double](repeating: 0, count: d)
            var full = [Double](repeating: 0, count: keys.count)
            var row = w
            while row < n {
                for g in groups.indices {
                    for k in keys.indices { full[k] = rowsA[row * keys.count + k] }
                    design.inputs(.mixed(group: g), row: row, into: &point)
                    for c in 0..<d { full[used[c]] = point[c] }
                    full.withUnsafeBufferPointer { values in
                        model.run(uniformValues: values, processKey: rowProcessKeys[row], process: stream, workspace: &workspace)
                    }
                    outputs.set(g * n + row, workspace.npv)
                }
                row += workers
            }
        }
        let values = outputs.values
        guard let indices = try? SobolIndices(
            design: design,
            outputsA: (0..<n).map { result.perTrial.npv($0) },
            outputsB: (0..<n).map { result.perTrial.npv(n + $0) },
            outputsMixed: groups.indices.map { g in Array(values[(g * n)..<((g + 1) * n)]) },
            bootstrapResamples: 300, seed: result.options.seed) else { return nil }
        let shares = zip(estimated, indices.factors).map { factor, estimate in
            Share(name: factor.name, firstOrder: estimate.firstOrder, totalOrder: estimate.totalOrder)
        }
        return VarianceShares(shares: shares.sorted { $0.totalOrder.value > $1.totalOrder.value },
                              baseSampleSize: n, evaluations: groups.count * n, factorCount: factorCount)
    }
}

/// Output slots written by several workers, each its own.
private final class Outputs: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Double>
    init(count: Int) {
        buffer = .allocate(capacity: max(1, count))
        buffer.initialize(repeating: 0)
    }
    deinit { buffer.deallocate() }
    func set(_ i: Int, _ value: Double) { buffer[i] = value }
    var values: [Double] { Array(buffer) }
}
