import Foundation
import GSLSupport

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
}
