import Foundation
import GSLSupport

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

// MARK: - Issues

/// Why a correlation matrix, or a sample to correlate, cannot be used — in words for the
/// person who wrote the correlations. Inputs are named by the names given to
/// ``CorrelationMatrix/init(_:names:tolerance:)``.
public enum CorrelationIssue: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix has no rows.
    case empty
    /// The number of names differs from the number of rows.
    case nameCount(names: Int, rows: Int)
    /// A row has the wrong number of entries (`name` is the row's input).
    case notSquare(name: String, entries: Int, expected: Int)
    /// An entry is NaN or infinite.
    case notANumber(first: String, second: String)
    /// A diagonal entry (an input's correlation with itself) is not 1.
    case diagonalNotOne(name: String, value: Double)
    /// An entry lies outside −1…1.
    case outOfRange(first: String, second: String, value: Double)
    /// The entry for (first, second) differs from the one for (second, first).
    case asymmetric(first: String, second: String, value: Double, mirrored: Double)
    /// The correlations contradict each other (the matrix has a negative eigenvalue). `nearest`
    /// is the closest valid correlation matrix (in the Frobenius norm); `triple` names three
    /// inputs whose three correlations already cannot hold together, when there are such.
    case contradictory(smallestEigenvalue: Double, nearest: CorrelationMatrix, triple: [String]?)
    /// A sample to reorder has a different number of columns than the matrix has inputs.
    case columnCount(columns: Int, inputs: Int)
    /// A sample column has a different number of trials than the first column.
    case unequalColumns(name: String, trials: Int, expected: Int)
    /// Too few trials to induce the correlation.
    case tooFewTrials(trials: Int, needed: Int)
    /// The sample's columns are already perfectly rank-dependent, so the reordering has no
    /// independent variation to work with.
    case dependentSample

    public var description: String {
        switch self {
        case .empty:
            return "The correlation matrix is empty; it needs one row and one column per correlated input."
        case .nameCount(let names, let rows):
            return "The correlation matrix has \(rows) row\(rows == 1 ? "" : "s") but \(names) input name\(names == 1 ? " was" : "s were") given; "
                + "it needs one row and one column per input, in the order of the names."
        case .notSquare(let name, let entries, let expected):
            return "The row for “\(name)” in the correlation matrix has \(entries) number\(entries == 1 ? "" : "s"), "
                + "but the matrix has \(expected) rows; each row needs one number per input."
        case .notANumber(let first, let second):
            return "The correlation between “\(first)” and “\(second)” is not a number."
        case .diagonalNotOne(let name, let value):
            return "The correlation of “\(name)” with itself is \(Self.format(value)); an input always correlates "
                + "perfectly with itself, so the diagonal of the matrix must be 1."
        case .outOfRange(let first, let second, let value):
            return "The correlation between “\(first)” and “\(second)” is \(Self.format(value)); a correlation "
                + "lies between −1 (always moving in opposite directions) and 1 (always moving together)."
        case .asymmetric(let first, let second, let value, let mirrored):
            return "The correlation between “\(first)” and “\(second)” is given as \(Self.format(value)) in one place "
                + "and \(Self.format(mirrored)) in the mirrored place; it is one number, so the matrix must be symmetric."
        case .contradictory(let smallest, let nearest, let triple):
            var text = "These correlations contradict each other: no inputs can be correlated like this all at once"
            if let triple, triple.count == 3 {
                text += " (already the correlations among “\(triple[0])”, “\(triple[1])” and “\(triple[2])” cannot "
                    + "hold together: if two pairs move strongly together, the third pair cannot move strongly apart)"
            }
            text += ". Technically, the matrix is not positive semi-definite (its smallest eigenvalue is "
                + "\(Self.format(smallest))). "
            text += "The nearest set of correlations that can hold together"
            if let original = nearest.original {
                let changes = nearest.changes(from: original)
                if changes.isEmpty {
                    text += " differs only in the third decimal or beyond."
                } else {
                    text += " changes " + changes.map {
                        "“\($0.first)”–“\($0.second)” from \(Self.format($0.from)) to \(Self.format($0.to))"
                    }.joined(separator: ", ") + "."
                }
            } else {
                text += " is \(nearest)."
            }
            return text
        case .columnCount(let columns, let inputs):
            return "The sample has \(columns) column\(columns == 1 ? "" : "s") but the correlation matrix has \(inputs) "
                + "input\(inputs == 1 ? "" : "s"); each input needs one column."
        case .unequalColumns(let name, let trials, let expected):
            return "The sample of “\(name)” has \(trials) trial\(trials == 1 ? "" : "s") but the first column has "
                + "\(expected); every input needs one value per trial."
        case .tooFewTrials(let trials, let needed):
            return "Inducing these correlations needs at least \(needed) trials, but the sample has \(trials)."
        case .dependentSample:
            return "The inputs in the sample are already in lock-step (some are perfectly rank-correlated), so their "
                + "order cannot be rearranged to the requested correlations; draw each input independently first."
        }
    }

    static func format(_ x: Double) -> String {
        let text = String(format: "%.2f", x)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}

// MARK: - Correlation matrix

/// A validated correlation matrix between named inputs: square, symmetric, unit diagonal,
/// every entry in −1…1.
///
/// Validation does **not** require positive semi-definiteness, so that a matrix as the user
/// wrote it can be held, shown and compared; ``checkedConsistent(tolerance:)`` tests that
/// property and offers ``nearest(minimumEigenvalue:tolerance:maxIterations:)`` when it fails.
/// Correlations have no unit; entries are shares of perfect co-movement (−1…1).
public struct CorrelationMatrix: Sendable, Equatable, CustomStringConvertible {
    /// The inputs, in row (and column) order.
    public let names: [String]
    /// The entries, row-major: entry (i, j) at `i * dimension + j`.
    public let entries: [Double]
    /// The user's matrix this one was computed from by ``nearest(minimumEigenvalue:tolerance:maxIterations:)``,
    /// if any (entries only, row-major), so a message can say what changed.
    public let original: [Double]?

    /// The number of inputs.
    public var dimension: Int { names.count }

    /// Entry (i, j), 0-based.
    public subscript(i: Int, j: Int) -> Double { entries[i * dimension + j] }

    /// The rows, as nested arrays.
    public var rows: [[Double]] {
        (0..<dimension).map { i in Array(entries[(i * dimension)..<((i + 1) * dimension)]) }
    }

    /// Validates a correlation matrix given as rows.
    ///
    /// - Parameters:
    ///   - rows: d rows of d entries each; entry [i][j] is the correlation between input i and j.
    ///   - names: the d inputs' names, used in messages; `nil` names them “input 1”, “input 2”, ….
    ///   - tolerance: how far the diagonal may be from 1 and the matrix from symmetry before it
    ///     is rejected (for values typed with rounding); within it, the diagonal is set to 1 and
    ///     each mirrored pair to its average.
    /// - Throws: ``CorrelationIssue`` naming the first offending entry, in reading order.
    public init(_ rows: [[Double]], names: [String]? = nil, tolerance: Double = 1e-9) throws(CorrelationIssue) {
        let d = rows.count
        guard d > 0 else { throw .empty }
        let names = names ?? (1...d).map { "input \($0)" }
        guard names.count == d else { throw .nameCount(names: names.count, rows: d) }
        for (i, row) in rows.enumerated() where row.count != d {
            throw .notSquare(name: names[i], entries: row.count, expected: d)
        }
        var entries = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                let value = rows[i][j]
                guard value.isFinite else { throw .notANumber(first: names[i], second: names[j]) }
                if i == j {
                    guard abs(value - 1) <= tolerance else { throw .diagonalNotOne(name: names[i], value: value) }
                    entries[i * d + j] = 1
                    continue
                }
                guard abs(value) <= 1 else { throw .outOfRange(first: names[i], second: names[j], value: value) }
                if j < i {
                    let mirrored = rows[j][i]
                    guard abs(value - mirrored) <= tolerance else {
                        throw .asymmetric(first: names[j], second: names[i], value: mirrored, mirrored: value)
                    }
                    let average = (value + mirrored) / 2
                    entries[i * d + j] = average
                    entries[j * d + i] = average
                }
            }
        }
        self.init(unchecked: entries, names: names)
    }

    /// The identity: no input correlated with another.
    public static func identity(names: [String]) -> CorrelationMatrix {
        let d = names.count
        var entries = [Double](repeating: 0, count: d * d)
        for i in 0..<d { entries[i * d + i] = 1 }
        return CorrelationMatrix(unchecked: entries, names: names)
    }

    /// A matrix whose validity the caller guarantees (symmetric, unit diagonal, entries in −1…1).
    init(unchecked entries: [Double], names: [String], original: [Double]? = nil) {
        precondition(entries.count == names.count * names.count, "correlation matrix of the wrong size")
        self.entries = entries
        self.names = names
        self.original = original
    }

    /// Rows of two decimals, for messages.
    public var description: String {
        "[" + rows.map { "[" + $0.map(CorrelationIssue.format).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    // MARK: Positive semi-definiteness

    /// The eigenvalues, in increasing order (GSL's `gsl_eigen_symm`). They add up to the
    /// dimension; a correlation matrix is valid when none is negative.
    public func eigenvalues() -> [Double] {
        do {
            return try LinearAlgebra.symmetricEigenvalues(entries, dimension: dimension)
        } catch {
            // The entries are finite and the matrix is symmetric, so only running out of
            // memory can get here.
            fatalError("eigenvalues of a correlation matrix: \(error)")
        }
    }

    /// The smallest eigenvalue: negative when the correlations contradict each other.
    public var smallestEigenvalue: Double { eigenvalues().first ?? 0 }

    /// Whether no eigenvalue is below −`tolerance` (rounding in typed or computed matrices
    /// leaves eigenvalues of order −1e−16 on matrices that are singular but valid).
    public func isPositiveSemidefinite(tolerance: Double = 1e-10) -> Bool {
        smallestEigenvalue >= -tolerance
    }

    /// This matrix, if its correlations can hold together (positive semi-definite within
    /// `tolerance`).
    ///
    /// - Throws: ``CorrelationIssue/contradictory(smallestEigenvalue:nearest:triple:)`` with
    ///   the nearest valid correlation matrix, for the user to accept or edit.
    public func checkedConsistent(tolerance: Double = 1e-10) throws(CorrelationIssue) -> CorrelationMatrix {
        let smallest = smallestEigenvalue
        guard smallest < -tolerance else { return self }
        throw .contradictory(smallestEigenvalue: smallest, nearest: nearest(), triple: contradictoryTriple())
    }

    /// The three inputs whose 3 × 3 correlation matrix is most clearly impossible (most
    /// negative determinant 1 + 2abc − a² − b² − c²), or nil when every triple is possible on
    /// its own (the contradiction then needs four or more inputs).
    func contradictoryTriple() -> [String]? {
        let d = dimension
        guard d >= 3 else { return nil }
        var worst = -1e-12
        var found: [String]?
        for i in 0..<d {
            for j in (i + 1)..<d {
                for k in (j + 1)..<d {
                    let a = self[i, j], b = self[j, k], c = self[i, k]
                    let determinant = 1 + 2 * a * b * c - a * a - b * b - c * c
                    if determinant < worst {
                        worst = determinant
                        found = [names[i], names[j], names[k]]
                    }
                }
            }
        }
        return found
    }

    /// The Frobenius distance √(Σᵢⱼ (aᵢⱼ − bᵢⱼ)²) to a matrix of the same size.
    public func distance(to other: CorrelationMatrix) -> Double {
        precondition(other.dimension == dimension, "distance between correlation matrices of different sizes")
        return Self.frobenius(entries, other.entries)
    }

    /// The pairs (upper triangle) whose entries differ from `original` by at least 0.005 (so
    /// that two decimals show the change), largest change first.
    func changes(from original: [Double]) -> [(first: String, second: String, from: Double, to: Double)] {
        let d = dimension
        var out: [(first: String, second: String, from: Double, to: Double)] = []
        for i in 0..<d {
            for j in (i + 1)..<d where abs(original[i * d + j] - self[i, j]) >= 0.005 {
                out.append((names[i], names[j], original[i * d + j], self[i, j]))
            }
        }
        return out.sorted { abs($0.from - $0.to) > abs($1.from - $1.to) }
    }

    // MARK: Nearest correlation matrix

    /// The nearest valid correlation matrix in the Frobenius norm: the symmetric, unit-diagonal
    /// matrix with no eigenvalue below `minimumEigenvalue` closest to this one (Higham 2002,
    /// alternating projections with Dykstra's correction).
    ///
    /// The iteration alternates between the matrices with eigenvalues ≥ `minimumEigenvalue`
    /// (projection: clip the eigenvalues, from GSL's `gsl_eigen_symmv`) and the matrices with
    /// unit diagonal (projection: set the diagonal to 1); Dykstra's correction — subtracting
    /// the previous clip's change before the next clip — makes the limit the *nearest* point of
    /// the intersection, not just some point of it. It stops when the iterates and the gap
    /// between the two sets change by less than `tolerance`, relatively.
    ///
    /// The convergence is linear, so the result is an approximation to within about
    /// `tolerance` relative; to make it valid whatever the tolerance, a last step clips the
    /// eigenvalues once more and rescales to a unit diagonal (D^{−½} X D^{−½}), a change of the
    /// order of the remaining gap. A matrix that is already valid comes back unchanged.
    ///
    /// - Parameters:
    ///   - minimumEigenvalue: 0 for the nearest positive semi-definite matrix (which is
    ///     usually singular); a small positive value, e.g. 1e−8, for a positive-definite one
    ///     that a Cholesky factorisation accepts.
    ///   - tolerance: relative change at which the iteration stops.
    ///   - maxIterations: the iteration budget (each iteration costs one eigen-decomposition).
    public func nearest(
        minimumEigenvalue: Double = 0, tolerance: Double = 1e-12, maxIterations: Int = 10_000
    ) -> CorrelationMatrix {
        if smallestEigenvalue >= minimumEigenvalue { return self }
        let fixed = Self.nearestCorrelation(
            entries, dimension: dimension, minimumEigenvalue: minimumEigenvalue,
            tolerance: tolerance, maxIterations: maxIterations)
        return CorrelationMatrix(unchecked: fixed, names: names, original: original ?? entries)
    }

    /// Higham's (2002) Algorithm 3.3 on a row-major symmetric matrix, plus the final clip and
    /// rescale. Returns a symmetric matrix with an exactly unit diagonal and entries in −1…1.
    static func nearestCorrelation(
        _ a: [Double], dimension d: Int, minimumEigenvalue delta: Double, tolerance: Double, maxIterations: Int
    ) -> [Double] {
        var y = a                                            // Y₀ = A
        var correction = [Double](repeating: 0, count: d * d) // ΔS₀ = 0
        var x = a
        for _ in 0..<maxIterations {
            let r = zip(y, correction).map { $0 - $1 }       // R = Y − ΔS
            let xNext = clipEigenvalues(r, dimension: d, minimum: delta) // X = P_S(R)
            correction = zip(xNext, r).map { $0 - $1 }       // ΔS = X − R
            var yNext = xNext                                 // Y = P_U(X)
            for i in 0..<d { yNext[i * d + i] = 1 }
            let yNorm = max(frobenius(yNext, [Double](repeating: 0, count: d * d)), 1)
            let change = max(
                frobenius(xNext, x) / yNorm,
                frobenius(yNext, y) / yNorm,
                frobenius(yNext, xNext) / yNorm)
            x = xNext
            y = yNext
            if change <= tolerance { break }
        }
        // Make the result valid whatever the convergence: clip, rescale to a unit diagonal.
        var z = clipEigenvalues(y, dimension: d, minimum: delta)
        let scale = (0..<d).map { 1 / z[$0 * d + $0].squareRoot() }
        for i in 0..<d {
            for j in 0..<d { z[i * d + j] *= scale[i] * scale[j] }
        }
        for i in 0..<d {
            z[i * d + i] = 1
            for j in 0..<i {
                let v = min(1, max(-1, (z[i * d + j] + z[j * d + i]) / 2))
                z[i * d + j] = v
                z[j * d + i] = v
            }
        }
        return z
    }

    /// V · max(Λ, minimum) · Vᵀ for the symmetric `matrix` = V Λ Vᵀ: the nearest matrix (in the
    /// Frobenius norm) whose eigenvalues are all at least `minimum`.
    static func clipEigenvalues(_ matrix: [Double], dimension d: Int, minimum: Double) -> [Double] {
        let system: LinearAlgebra.SymmetricEigensystem
        do {
            system = try LinearAlgebra.symmetricEigensystem(matrix, dimension: d)
        } catch {
            fatalError("eigenvectors of a correlation matrix: \(error)")
        }
        var out = [Double](repeating: 0, count: d * d)
        for k in 0..<d {
            let lambda = max(system.values[k], minimum)
            if lambda == 0 { continue }
            for i in 0..<d {
                let vi = lambda * system.vector(k, i)
                for j in 0..<d { out[i * d + j] += vi * system.vector(k, j) }
            }
        }
        return out
    }

    static func frobenius(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for (x, y) in zip(a, b) { sum += (x - y) * (x - y) }
        return sum.squareRoot()
    }
}

// MARK: - Gaussian copula

/// Correlates the uniforms of one trial so that their rank (Spearman) correlation is a given
/// matrix, keeping each uniform exactly uniform: u → z = Φ⁻¹(u) → y = L z → u′ = Φ(y).
///
/// L is the Cholesky factor (GSL's `gsl_linalg_cholesky_decomp1`) of the correlation ρ of the
/// underlying normals, ρᵢⱼ = 2·sin(π·rᵢⱼ/6) for the requested Spearman correlation rᵢⱼ (the
/// bivariate-normal relation r = (6/π)·asin(ρ/2), inverted). Each row of L has unit length,
/// so every yᵢ is standard normal and every u′ᵢ uniform: an input drawn from u′ᵢ by its
/// quantile function keeps exactly its distribution.
///
/// The transform uses only the trial's own uniforms, so trials can be computed in any order
/// on any thread. An input not correlated with any earlier one (a row of L equal to the unit
/// vector — always the first input) keeps its uniform bit for bit, so adding a correlation
/// leaves the draws of unrelated inputs untouched.
public struct GaussianCopula: Sendable {
    /// The requested Spearman rank correlations (validated, positive semi-definite).
    public let spearman: CorrelationMatrix
    /// The correlation of the underlying normals actually used: 2·sin(π·r/6) of ``spearman``,
    /// replaced by its nearest positive-definite correlation matrix when the conversion or
    /// rounding left it with a negative or zero eigenvalue (see ``normalAdjustment``).
    public let normalCorrelation: CorrelationMatrix
    /// The largest change, over all pairs, that making the normals' correlation positive
    /// definite caused (0 when none was needed). It moves the achieved rank correlations by
    /// about as much.
    public let normalAdjustment: Double
    /// The lower Cholesky factor of ``normalCorrelation``, row-major d × d.
    public let choleskyFactor: [Double]
    /// For each input, whether its row of L is the unit vector (its uniform passes unchanged).
    private let passesThrough: [Bool]

    /// The smallest eigenvalue given to a normal correlation matrix that had to be made
    /// positive definite: large enough for the Cholesky factorisation, small enough to move
    /// correlations by no more than about this much.
    public static let positiveDefiniteFloor = 1e-9

    /// The number of inputs.
    public var dimension: Int { spearman.dimension }

    /// Prepares the transform for the rank correlation matrix `spearman`.
    ///
    /// - Throws: ``CorrelationIssue/contradictory(smallestEigenvalue:nearest:triple:)`` when the
    ///   requested correlations contradict each other (smallest eigenvalue below
    ///   −`tolerance`); the issue carries the nearest valid matrix, which the caller may pass
    ///   here instead.
    public init(spearman: CorrelationMatrix, tolerance: Double = 1e-10) throws(CorrelationIssue) {
        let target = try spearman.checkedConsistent(tolerance: tolerance)
        let d = target.dimension
        var rho = target.entries.map(RankCorrelation.normalCorrelation(forSpearman:))
        for i in 0..<d { rho[i * d + i] = 1 }
        var normal = CorrelationMatrix(unchecked: rho, names: target.names)
        var adjustment = 0.0
        var factor: [Double]? = nil
        if normal.smallestEigenvalue > 0 {
            factor = try? LinearAlgebra.choleskyLower(normal.entries, dimension: d)
        }
        if factor == nil {
            // Singular (e.g. a correlation of exactly ±1) or, rarely, made indefinite by the
            // conversion: use the nearest positive-definite correlation matrix instead.
            let fixed = CorrelationMatrix.nearestCorrelation(
                normal.entries, dimension: d, minimumEigenvalue: Self.positiveDefiniteFloor,
                tolerance: 1e-12, maxIterations: 10_000)
            adjustment = zip(fixed, normal.entries).map { abs($0 - $1) }.max() ?? 0
            normal = CorrelationMatrix(unchecked: fixed, names: target.names, original: rho)
            do {
                factor = try LinearAlgebra.choleskyLower(fixed, dimension: d)
            } catch {
                fatalError("Cholesky factor of a correlation matrix with eigenvalues ≥ \(Self.positiveDefiniteFloor): \(error)")
            }
        }
        let l = factor!
        self.spearman = target
        self.normalCorrelation = normal
        self.normalAdjustment = adjustment
        self.choleskyFactor = l
        self.passesThrough = (0..<d).map { i in
            l[i * d + i] == 1 && (0..<i).allSatisfy { l[i * d + $0] == 0 }
        }
    }

    /// Replaces the d independent uniforms in `uniforms` (each in (0, 1)) by correlated ones,
    /// in place, without allocating.
    ///
    /// The results stay inside [2⁻⁵³, 1 − 2⁻⁵³] (the range of the engine's keyed uniforms), so
    /// every quantile function gets a valid probability even when Φ(y) rounds to 0 or 1.
    ///
    /// - Precondition: `uniforms.count == dimension`.
    public func correlate(_ uniforms: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        precondition(uniforms.count == d, "the copula correlates \(d) uniforms, got \(uniforms.count)")
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { z in
            for j in 0..<d { z[j] = CDF.standardNormalQuantile(uniforms[j]) }
            for i in 0..<d where !passesThrough[i] {
                var y = 0.0
                for j in 0...i { y += choleskyFactor[i * d + j] * z[j] }
                uniforms[i] = min(Self.largestUniform, max(Self.smallestUniform, CDF.standardNormal(y)))
            }
        }
    }

    /// The correlated uniforms for the d independent uniforms `uniforms`.
    public func correlated(_ uniforms: [Double]) -> [Double] {
        var out = uniforms
        out.withUnsafeMutableBufferPointer { correlate($0) }
        return out
    }

    static let smallestUniform = 0x1p-53
    static let largestUniform = 1 - 0x1p-53
}

// MARK: - Ranks, Spearman, Iman–Conover

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

    // MARK: Iman–Conover

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
