import CGSL

/// Dense linear algebra on small symmetric matrices through GSL: eigenvalues and eigenvectors
/// (`gsl_eigen_symm`, `gsl_eigen_symmv`) and the Cholesky factor (`gsl_linalg_cholesky_decomp1`).
///
/// Matrices cross this interface as plain arrays in **row-major** order: an n × n matrix is
/// `n * n` numbers, entry (i, j) at index `i * n + j`. The matrices this project factors are
/// correlation matrices of a handful of inputs, so copying them in and out of GSL costs nothing
/// worth measuring, and the caller never sees a GSL pointer.
public enum LinearAlgebra {
    /// The eigenvalues and eigenvectors of a symmetric matrix.
    public struct SymmetricEigensystem: Sendable, Equatable {
        /// The order n of the matrix.
        public let dimension: Int
        /// The n eigenvalues, in increasing order.
        public let values: [Double]
        /// The eigenvectors, row-major n × n: column k (entries `i * n + k`) is the unit-length
        /// eigenvector of `values[k]`. The columns are mutually orthogonal, so with V this matrix
        /// and Λ = diag(values), the input is V Λ Vᵀ up to rounding.
        public let vectors: [Double]

        /// Entry i of the eigenvector of `values[k]`.
        public func vector(_ k: Int, _ i: Int) -> Double { vectors[i * dimension + k] }
    }

    /// The eigenvalues of the symmetric n × n matrix `matrix` (row-major), in increasing order,
    /// by GSL's symmetric QR method (`gsl_eigen_symm`).
    ///
    /// Only the diagonal and the lower triangle are read (GSL's convention); the caller is
    /// responsible for the matrix being symmetric. A 0 × 0 matrix has no eigenvalues.
    ///
    /// - Throws: ``GSLError`` with `GSL_EBADLEN` when `matrix` does not hold n² numbers,
    ///   `GSL_EDOM` when it holds NaN or ±∞, or the status of a failed GSL call.
    public static func symmetricEigenvalues(_ matrix: [Double], dimension n: Int) throws(GSLError) -> [Double] {
        GSL.prepare()
        try checkSquare(matrix, n, "finding the eigenvalues of a matrix")
        if n == 0 { return [] }
        let a = try OwnedMatrix(copying: matrix, dimension: n)
        let eval = try OwnedVector(count: n)
        guard let workspace = gsl_eigen_symm_alloc(n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating room to find the eigenvalues of a \(n) × \(n) matrix")
        }
        defer { gsl_eigen_symm_free(workspace) }
        let status = gsl_eigen_symm(a.pointer, eval.pointer, workspace)
        guard status == Int32(GSL_SUCCESS) else {
            throw GSLError(status: status, context: "finding the eigenvalues of a \(n) × \(n) matrix")
        }
        return eval.array().sorted()
    }

    /// The eigenvalues and orthonormal eigenvectors of the symmetric n × n matrix `matrix`
    /// (row-major), by GSL's symmetric QR method with accumulated rotations
    /// (`gsl_eigen_symmv`), sorted by increasing eigenvalue (`gsl_eigen_symmv_sort`).
    ///
    /// Only the diagonal and the lower triangle are read. Eigenvectors of a repeated eigenvalue
    /// are an arbitrary orthonormal basis of its eigenspace, and each vector's sign is arbitrary.
    ///
    /// - Throws: ``GSLError`` with `GSL_EBADLEN` when `matrix` does not hold n² numbers,
    ///   `GSL_EDOM` when it holds NaN or ±∞, or the status of a failed GSL call.
    public static func symmetricEigensystem(_ matrix: [Double], dimension n: Int) throws(GSLError) -> SymmetricEigensystem {
        GSL.prepare()
        try checkSquare(matrix, n, "finding the eigenvectors of a matrix")
        if n == 0 { return SymmetricEigensystem(dimension: 0, values: [], vectors: []) }
        let a = try OwnedMatrix(copying: matrix, dimension: n)
        let eval = try OwnedVector(count: n)
        let evec = try OwnedMatrix(dimension: n)
        guard let workspace = gsl_eigen_symmv_alloc(n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating room to find the eigenvectors of a \(n) × \(n) matrix")
        }
        defer { gsl_eigen_symmv_free(workspace) }
        let status = gsl_eigen_symmv(a.pointer, eval.pointer, evec.pointer, workspace)
        guard status == Int32(GSL_SUCCESS) else {
            throw GSLError(status: status, context: "finding the eigenvectors of a \(n) × \(n) matrix")
        }
        let sorted = gsl_eigen_symmv_sort(eval.pointer, evec.pointer, GSL_EIGEN_SORT_VAL_ASC)
        guard sorted == Int32(GSL_SUCCESS) else {
            throw GSLError(status: sorted, context: "sorting the eigenvalues of a \(n) × \(n) matrix")
        }
        return SymmetricEigensystem(dimension: n, values: eval.array(), vectors: evec.array())
    }

    /// The lower-triangular Cholesky factor L of the symmetric positive-definite n × n matrix
    /// `matrix` (row-major), with `matrix` = L Lᵀ and a positive diagonal, by GSL's
    /// `gsl_linalg_cholesky_decomp1`.
    ///
    /// Only the diagonal and the lower triangle are read. The result is row-major n × n with
    /// zeros above the diagonal.
    ///
    /// A positive *semi*-definite matrix that is singular (for example two perfectly
    /// correlated variables) has no such factor with a positive diagonal, and GSL reports it
    /// as not positive definite.
    ///
    /// - Throws: ``GSLError`` with `GSL_EDOM` when the matrix is not positive definite (or
    ///   holds NaN or ±∞), `GSL_EBADLEN` when `matrix` does not hold n² numbers.
    public static func choleskyLower(_ matrix: [Double], dimension n: Int) throws(GSLError) -> [Double] {
        GSL.prepare()
        try checkSquare(matrix, n, "factorising a matrix")
        if n == 0 { return [] }
        let a = try OwnedMatrix(copying: matrix, dimension: n)
        let status = gsl_linalg_cholesky_decomp1(a.pointer)
        guard status == Int32(GSL_SUCCESS) else {
            throw GSLError(
                status: status,
                context: "factorising a \(n) × \(n) matrix that should be positive definite (Cholesky)")
        }
        var lower = a.array()
        for i in 0..<n {
            for j in (i + 1)..<n { lower[i * n + j] = 0 }
        }
        // GSL returns EDOM for a non-positive pivot, but a pivot can still come out NaN when
        // the input held NaN; treat that the same way.
        guard lower.allSatisfy(\.isFinite) else {
            throw GSLError(status: Int32(GSL_EDOM), context: "factorising a \(n) × \(n) matrix that holds a missing or infinite number")
        }
        return lower
    }

    private static func checkSquare(_ matrix: [Double], _ n: Int, _ what: String) throws(GSLError) {
        guard n >= 0, matrix.count == n * n else {
            throw GSLError(
                status: Int32(GSL_EBADLEN),
                context: "\(what): a \(n) × \(n) matrix needs \(max(0, n) * max(0, n)) numbers, got \(matrix.count)")
        }
        guard matrix.allSatisfy(\.isFinite) else {
            throw GSLError(status: Int32(GSL_EDOM), context: "\(what): the matrix holds a missing or infinite number")
        }
    }
}

/// A `gsl_matrix` owned uniquely: freed exactly once, when the value goes out of scope.
private struct OwnedMatrix: ~Copyable {
    let pointer: UnsafeMutablePointer<gsl_matrix>
    let dimension: Int

    /// An n × n matrix of zeros.
    init(dimension n: Int) throws(GSLError) {
        guard let m = gsl_matrix_calloc(n, n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a \(n) × \(n) matrix")
        }
        pointer = m
        dimension = n
    }

    /// An n × n matrix holding the row-major `values`.
    init(copying values: [Double], dimension n: Int) throws(GSLError) {
        try self.init(dimension: n)
        let tda = pointer.pointee.tda
        let data = pointer.pointee.data!
        for i in 0..<n {
            for j in 0..<n { data[i * tda + j] = values[i * n + j] }
        }
    }

    deinit { gsl_matrix_free(pointer) }

    /// The entries, row-major.
    func array() -> [Double] {
        let n = dimension, tda = pointer.pointee.tda
        let data = pointer.pointee.data!
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { out[i * n + j] = data[i * tda + j] }
        }
        return out
    }
}

/// A `gsl_vector` owned uniquely: freed exactly once, when the value goes out of scope.
private struct OwnedVector: ~Copyable {
    let pointer: UnsafeMutablePointer<gsl_vector>

    init(count n: Int) throws(GSLError) {
        guard let v = gsl_vector_calloc(n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a vector of \(n) numbers")
        }
        pointer = v
    }

    deinit { gsl_vector_free(pointer) }

    func array() -> [Double] {
        (0..<pointer.pointee.size).map { gsl_vector_get(pointer, $0) }
    }
}
