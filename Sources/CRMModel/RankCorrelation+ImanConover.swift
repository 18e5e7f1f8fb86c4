import Foundation
import GSLSupport

// Iman & Conover (1982): reordering a whole sample to a target rank correlation.

extension RankCorrelation {
    /// Reorders each column of a sample so that the columns' Spearman rank correlation is
    /// close to `target`, keeping each column's values exactly (Iman & Conover 1982).
    ///
    /// `columns` holds one column per input of `target` (in its order), each with one value
    /// per trial: an n × d sample stored by column. The method:
    /// 1. gives every column the van der Waerden scores Φ⁻¹(k/(n+1)), k = 1…n, in the order of
    ///    the column's own ranks (ties broken by trial number). For independently drawn
    ///    columns these are the independent random permutations the method needs, so no
    ///    further randomness is used and the result is a function of the sample alone;
    /// 2. computes the scores' correlation T and its Cholesky factor Q (T = Q Qᵀ), and the
    ///    Cholesky factor P of the target normal correlation C (C = P Pᵀ), with
    ///    Cᵢⱼ = 2·sin(π·rᵢⱼ/6) so that the (nearly normal) scores end with *rank* correlation
    ///    rᵢⱼ — the same conversion as ``GaussianCopula``;
    /// 3. transforms every trial's scores m into P Q⁻¹ m, whose correlation is exactly C;
    /// 4. gives each column's sorted values the ranks of the transformed scores.
    ///
    /// P Q⁻¹ is lower triangular with a unit (1,1) entry, so the first column keeps its
    /// order. If the columns are not in random order (sorted, or Latin hypercube strata in
    /// order), use ``imanConover(_:target:shuffling:)``.
    ///
    /// - Returns: the reordered columns.
    /// - Throws: ``CorrelationIssue`` when the shapes do not match, the target contradicts
    ///   itself, there are fewer than d + 2 trials, or the columns are already in lock-step.
    public static func imanConover(_ columns: [[Double]], target: CorrelationMatrix) throws(CorrelationIssue) -> [[Double]] {
        let order = try imanConoverOrder(columns, target: target)
        return zip(columns, order).map { column, rows in rows.map { column[$0] } }
    }

    /// ``imanConover(_:target:)`` after shuffling each column independently with `stream`
    /// (Fisher–Yates), for samples whose columns are not in random order.
    public static func imanConover(
        _ columns: [[Double]], target: CorrelationMatrix, shuffling stream: inout RandomStream
    ) throws(CorrelationIssue) -> [[Double]] {
        var shuffled = columns
        for c in shuffled.indices {
            var i = shuffled[c].count - 1
            while i > 0 {
                let j = min(i, Int(stream.uniformPositive() * Double(i + 1)))
                shuffled[c].swapAt(i, j)
                i -= 1
            }
        }
        return try imanConover(shuffled, target: target)
    }

    /// The Iman–Conover reordering as indices: `result[j][t]` is the trial of the original
    /// column j whose value goes to trial t. Useful to carry other per-trial data along.
    public static func imanConoverOrder(_ columns: [[Double]], target: CorrelationMatrix) throws(CorrelationIssue) -> [[Int]] {
        let d = target.dimension
        guard columns.count == d else { throw .columnCount(columns: columns.count, inputs: d) }
        let n = columns[0].count
        for (j, column) in columns.enumerated() where column.count != n {
            throw .unequalColumns(name: target.names[j], trials: column.count, expected: n)
        }
        guard n >= d + 2 else { throw .tooFewTrials(trials: n, needed: d + 2) }
        let consistent = try target.checkedConsistent()

        // 1. Scores in the order of each column's ranks.
        let scores = (1...n).map { CDF.standardNormalQuantile(Double($0) / Double(n + 1)) }
        var sortOrders: [[Int]] = []   // per column: trials by increasing value
        var m = [Double](repeating: 0, count: n * d)   // row-major n × d
        for j in 0..<d {
            let x = columns[j]
            let order = (0..<n).sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
            sortOrders.append(order)
            for (rank, trial) in order.enumerated() { m[trial * d + j] = scores[rank] }
        }

        // 2. T = correlation of the scores (every column has the same scores, so the same mean
        //    and spread), Q = chol(T); C = normal correlation of the target, P = chol(C).
        let mean = scores.reduce(0, +) / Double(n)
        let spread = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        var t = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for k in 0...i {
                var s = 0.0
                for r in 0..<n { s += (m[r * d + i] - mean) * (m[r * d + k] - mean) }
                t[i * d + k] = i == k ? 1 : s / spread
                t[k * d + i] = t[i * d + k]
            }
        }
        let q: [Double]
        do {
            q = try LinearAlgebra.choleskyLower(t, dimension: d)
        } catch {
            throw .dependentSample
        }
        let p = try GaussianCopula(spearman: consistent).choleskyFactor

        // 3. Each trial's scores m → P Q⁻¹ m (forward substitution, then P).
        var w = [Double](repeating: 0, count: d)
        var transformed = [Double](repeating: 0, count: n * d)
        for r in 0..<n {
            for i in 0..<d {
                var s = m[r * d + i] - mean
                for k in 0..<i { s -= q[i * d + k] * w[k] }
                w[i] = s / q[i * d + i]
            }
            for i in 0..<d {
                var s = 0.0
                for k in 0...i { s += p[i * d + k] * w[k] }
                transformed[r * d + i] = s
            }
        }

        // 4. Column j's k-th smallest value goes to the trial with the k-th smallest
        //    transformed score.
        var result: [[Int]] = []
        for j in 0..<d {
            let byScore = (0..<n).sorted {
                transformed[$0 * d + j] < transformed[$1 * d + j]
                    || (transformed[$0 * d + j] == transformed[$1 * d + j] && $0 < $1)
            }
            var rows = [Int](repeating: 0, count: n)
            for (rank, trial) in byScore.enumerated() { rows[trial] = sortOrders[j][rank] }
            result.append(rows)
        }
        return result
    }
}
