import Foundation
import GSLSupport

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
