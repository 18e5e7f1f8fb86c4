import Foundation
import GSLSupport

// The nearest valid correlation matrix, for a matrix whose correlations contradict each other.

extension CorrelationMatrix {
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
