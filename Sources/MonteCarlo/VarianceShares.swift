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
/// so an input's effect across months is one factor by construction. The design is Saltelli's
/// (``SobolIndices``) on GSL's Sobol sequence for up to 20 uniforms — those of the factors with
/// the largest swings — and independent keyed uniforms for the rest; the monthly customer
/// process has its own stream per row of A and B (the rows of A_B share A's), so it acts as one
/// more input whose effect stays unexplained: first-order shares add up to less than 1.
public struct VarianceShares: Sendable {
    public struct Share: Sendable {
        public let name: String
        public let firstOrder: SobolIndices.Estimate
        public let totalOrder: SobolIndices.Estimate
    }

    /// Sorted by total-order share, largest first.
    public let shares: [Share]
    public let baseSampleSize: Int
    public let evaluations: Int

    /// - Parameters:
    ///   - order: factor names by importance (e.g. by swing), to give the quasi-random columns
    ///     to the most important ones; unnamed factors come after.
    public static func analyse(model: TrialModel, seed: UInt64, baseSampleSize: Int = 512,
                               importance order: [String] = [], threads: Int? = nil) -> VarianceShares? {
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
        guard !factors.isEmpty else { return nil }
        factors.sort { a, b in
            let ia = order.firstIndex(of: a.name) ?? Int.max, ib = order.firstIndex(of: b.name) ?? Int.max
            return ia < ib
        }
        // Columns of the design: the factors' uniforms, most important first.
        let used = factors.flatMap(\.columns)
        let d = used.count
        let n = baseSampleSize
        let quasi = min(d, SobolIndices.Design.maximumDimension)
        guard let points = try? QuasiRandom.centredPoints(dimension: 2 * quasi, count: n) else { return nil }
        var a = [Double](repeating: 0, count: n * d), b = a
        for row in 0..<n {
            for c in 0..<d {
                if c < quasi {
                    a[row * d + c] = points[row * 2 * quasi + c]
                    b[row * d + c] = points[row * 2 * quasi + quasi + c]
                } else {
                    a[row * d + c] = KeyedUniforms(seed: seed ^ 0xa, trial: row).uniform(forKey: keys[used[c]])
                    b[row * d + c] = KeyedUniforms(seed: seed ^ 0xb, trial: row).uniform(forKey: keys[used[c]])
                }
            }
        }
        let position = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let groups = factors.map { $0.columns.map { position[$0]! } }
        guard let design = try? SobolIndices.Design(a: a, b: b, dimension: d, baseSampleSize: n, groups: groups) else {
            return nil
        }

        // Evaluate every row of A, B and A_B^(G) in parallel; fixed inputs keep their values.
        let keyIndex = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let blocks: [SobolIndices.Design.Block] = [.a, .b] + (0..<groups.count).map { .mixed(group: $0) }
        let outputs = Outputs(count: blocks.count * n)
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            var point = [Double](repeating: 0, count: d)
            var full = [Double](repeating: 0.5, count: keys.count)
            var row = w
            while row < n {
                for (bIndex, block) in blocks.enumerated() {
                    design.inputs(block, row: row, into: &point)
                    for c in 0..<d { full[used[c]] = point[c] }
                    // Rows of A and of A_B share the process of A's row; B's row has its own.
                    let processKey = KeyedUniforms(seed: seed ^ (block == .b ? 0xb : 0xa), trial: row).processKey
                    model.run(uniforms: MappedUniforms(values: full, index: keyIndex, processKey: processKey),
                              process: stream, workspace: &workspace)
                    outputs.set(bIndex * n + row, workspace.npv)
                }
                row += workers
            }
        }
        let values = outputs.values
        guard let indices = try? SobolIndices(
            design: design, outputsA: Array(values[0..<n]), outputsB: Array(values[n..<(2 * n)]),
            outputsMixed: (0..<groups.count).map { g in Array(values[((2 + g) * n)..<((3 + g) * n)]) },
            bootstrapResamples: 300, seed: seed) else { return nil }
        let shares = zip(factors, indices.factors).map { factor, estimate in
            Share(name: factor.name, firstOrder: estimate.firstOrder, totalOrder: estimate.totalOrder)
        }
        return VarianceShares(shares: shares.sorted { $0.totalOrder.value > $1.totalOrder.value },
                              baseSampleSize: n, evaluations: design.evaluations)
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
