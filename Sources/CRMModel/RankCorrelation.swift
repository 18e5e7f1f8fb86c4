import Foundation


// Rank correlation between uncertain inputs, whatever their distributions.
//
// Every input is drawn by inverse transform from its own uniform in (0, 1) (see
// `CRMModel/Distribution.swift`), and a quantile function is increasing, so the rank
// correlation of two inputs is the rank correlation of their uniforms. Correlating inputs
// therefore means correlating uniforms while keeping each of them exactly uniform; then every
// input keeps exactly the distribution the scenario gives it.
//
// Two methods:
// - ``GaussianCopula``: per trial, u → z = Φ⁻¹(u) → y = L z → Φ(y), with L the Cholesky factor
//   of the normals' correlation. It needs nothing but the trial's own uniforms, so it streams
//   and gives the same numbers whatever the number of threads.
// - ``RankCorrelation/imanConover(_:target:)``: Iman & Conover (1982) reorder the values of a
//   whole sample so that its rank correlation matches the target, keeping every column's
//   values exactly.
//
// A requested rank correlation matrix must be a correlation matrix: symmetric, unit diagonal,
// entries in −1…1 and positive semi-definite (no negative eigenvalue). Correlations typed in
// by a person often violate the last condition — "A goes with B, B goes with C, but A goes
// against C" — so a matrix that fails it is rejected together with the nearest matrix that
// passes (Higham 2002), for the user to accept or edit.
//
// References:
// - R. L. Iman, W. J. Conover (1982), "A distribution-free approach to inducing rank
//   correlation among input variables", Communications in Statistics — Simulation and
//   Computation 11(3), 311–334.
// - N. J. Higham (2002), "Computing the nearest correlation matrix — a problem from finance",
//   IMA Journal of Numerical Analysis 22, 329–343 (alternating projections with Dykstra's
//   correction, Algorithm 3.3).
// - K. Pearson (1907), for the bivariate normal: Spearman's r_S = (6/π)·asin(ρ/2), so the
//   normals need ρ = 2·sin(π·r_S/6) to give rank correlation r_S.

/// Rank correlation: Spearman's coefficient, the conversion to and from the correlation of
/// normals, and Iman & Conover's reordering of a whole sample.
public enum RankCorrelation {
    // MARK: Conversion

    /// The correlation ρ of two standard normals whose Spearman rank correlation is `r`:
    /// ρ = 2·sin(π·r/6). Exact at −1, 0 and 1; |ρ − r| ≤ 0.018 in between.
    public static func normalCorrelation(forSpearman r: Double) -> Double {
        if abs(r) >= 1 { return r > 0 ? 1 : -1 }
        return 2 * sin(Double.pi * r / 6)
    }

    /// The Spearman rank correlation of two standard normals with correlation `rho`:
    /// r = (6/π)·asin(ρ/2) (Pearson 1907). Exact at −1, 0 and 1.
    public static func spearman(forNormalCorrelation rho: Double) -> Double {
        if abs(rho) >= 1 { return rho > 0 ? 1 : -1 }
        return 6 / Double.pi * asin(rho / 2)
    }

    // MARK: Ranks and Spearman

    /// The ranks 1…n of `x`, ties sharing the average of the ranks they span (so a tie for
    /// places 2 and 3 gives both 2.5).
    ///
    /// - Precondition: `x` holds no NaN.
    public static func ranks(_ x: [Double]) -> [Double] {
        doubledRanks(x).map { Double($0) / 2 }
    }

    /// Twice the average ranks: whole numbers, so sums of their products are exact.
    static func doubledRanks(_ x: [Double]) -> [Int] {
        let n = x.count
        let order = (0..<n).sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var doubled = [Int](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && x[order[end]] == x[order[start]] { end += 1 }
            // Positions start…end−1 hold ranks start+1…end; twice their average is start+1+end.
            for p in start..<end { doubled[order[p]] = start + 1 + end }
            start = end
        }
        return doubled
    }

    /// Spearman's rank correlation of paired samples: the Pearson correlation of their
    /// average ranks (ties share their average rank), in −1…1.
    ///
    /// Centred doubled ranks are whole numbers, so for n up to about 300 000 every sum is
    /// exact, and perfectly monotone data give exactly 1 (or −1). Returns NaN when n < 2,
    /// when either sample holds NaN, or when either sample is constant (no ranking at all).
    ///
    /// - Precondition: `x.count == y.count`.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "Spearman correlation of samples of different sizes")
        guard x.count >= 2, !x.contains(where: \.isNaN), !y.contains(where: \.isNaN) else { return .nan }
        return pearsonOfCentred(centredDoubledRanks(x), centredDoubledRanks(y))
    }

    /// A sample ranked once for many ``spearman(_:ranked:)`` against it (the NPV against every
    /// input of a sensitivity analysis).
    public struct RankedSample: Sendable {
        let count: Int
        /// Centred doubled ranks; nil when the sample holds NaN.
        let centred: [Double]?

        public init(_ y: [Double]) {
            count = y.count
            centred = y.contains(where: \.isNaN) ? nil : centredDoubledRanks(y)
        }
    }

    /// ``spearman(_:_:)`` of `x` and the sample ranked in `y`, with the same arithmetic.
    public static func spearman(_ x: [Double], ranked y: RankedSample) -> Double {
        precondition(x.count == y.count, "Spearman correlation of samples of different sizes")
        guard x.count >= 2, let centredY = y.centred, !x.contains(where: \.isNaN) else { return .nan }
        return pearsonOfCentred(centredDoubledRanks(x), centredY)
    }

    /// The achieved Spearman matrix of the sample `columns` (one column per input, equal
    /// lengths): entry [i][j] is ``spearman(_:_:)`` of columns i and j; the diagonal is 1
    /// (NaN for a constant column).
    public static func spearmanMatrix(_ columns: [[Double]]) -> [[Double]] {
        let d = columns.count
        let centred = columns.map { column -> [Double]? in
            column.contains(where: \.isNaN) ? nil : centredDoubledRanks(column)
        }
        var out = [[Double]](repeating: [Double](repeating: .nan, count: d), count: d)
        for i in 0..<d {
            for j in i..<d {
                precondition(columns[i].count == columns[j].count, "Spearman matrix of columns of different sizes")
                guard let a = centred[i], let b = centred[j], columns[i].count >= 2 else { continue }
                let r = pearsonOfCentred(a, b)
                out[i][j] = r
                out[j][i] = r
            }
        }
        return out
    }

    /// One pair of inputs in a requested-versus-achieved table.
    public struct PairCheck: Sendable, Equatable {
        public let first: String
        public let second: String
        /// The requested Spearman correlation.
        public let requested: Double
        /// The Spearman correlation of the sample.
        public let achieved: Double
        /// achieved − requested.
        public var difference: Double { achieved - requested }
    }

    /// The requested and achieved Spearman correlation of every pair (i < j, in matrix order),
    /// for a report's "requested vs achieved" table. `columns` holds one column per input of
    /// `requested`, in its order.
    public static func compare(requested: CorrelationMatrix, columns: [[Double]]) -> [PairCheck] {
        precondition(columns.count == requested.dimension, "one sample column per input")
        let achieved = spearmanMatrix(columns)
        var out: [PairCheck] = []
        for i in 0..<requested.dimension {
            for j in (i + 1)..<requested.dimension {
                out.append(PairCheck(
                    first: requested.names[i], second: requested.names[j],
                    requested: requested[i, j], achieved: achieved[i][j]))
            }
        }
        return out
    }

    static func centredDoubledRanks(_ x: [Double]) -> [Double] {
        let shift = x.count + 1   // twice the mean rank (n + 1)/2
        return doubledRanks(x).map { Double($0 - shift) }
    }

    static func pearsonOfCentred(_ a: [Double], _ b: [Double]) -> Double {
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for k in a.indices {
            sab += a[k] * b[k]
            saa += a[k] * a[k]
            sbb += b[k] * b[k]
        }
        guard saa > 0, sbb > 0 else { return .nan }
        // With identical ranks sab = saa = sbb exactly, and √(s·s) = s in binary floating
        // point, so the result is exactly ±1.
        return min(1, max(-1, sab / (saa * sbb).squareRoot()))
    }
}
