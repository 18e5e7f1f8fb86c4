import CGSL

/// Minimisation of a function of several variables through GSL's derivative-free
/// Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`), and a finite-difference
/// Hessian for the curvature at the minimum (standard errors of a maximum-likelihood fit).
public enum Minimization {
    /// Where a minimisation ended.
    public struct Result: Sendable, Equatable {
        /// The point with the smallest value found, in the units of the start point.
        public let minimizer: [Double]
        /// f(minimizer).
        public let minimum: Double
        /// Simplex iterations used (each costs one to n + 1 evaluations of f).
        public let iterations: Int
    }

    /// A local minimum of `f` by the Nelder–Mead simplex method (GSL's `nmsimplex2`).
    ///
    /// The initial simplex is `start` plus, for each coordinate i, `start` moved by
    /// `stepSizes[i]` along coordinate i; steps of roughly a tenth of the distance to the
    /// expected minimum work well. The search stops when the simplex size (the root mean
    /// square distance of its corners from their centre, in the units of x) falls below
    /// `sizeTolerance`, so the answer is typically accurate to about that distance.
    ///
    /// The simplex cannot usefully shrink below the distance on which rounding makes f's
    /// values indistinguishable, about √(ε·|f|/f″) with ε ≈ 2.2·10⁻¹⁶ (f″ the curvature
    /// along the flattest direction); with a smaller `sizeTolerance` the search wanders
    /// until it ends in `GSL_EMAXITER`.
    ///
    /// `f` may return NaN or ±∞ to mark points outside its domain (for example a negative
    /// variance): such a trial point is treated as worse than any finite value (NaN is passed
    /// on as +∞). The start point and its n neighbours must have finite values.
    /// The method finds a local minimum only; start near the expected answer.
    ///
    /// - Parameters:
    ///   - start: the starting point (n ≥ 1 coordinates).
    ///   - stepSizes: n non-zero, finite initial steps, one per coordinate.
    ///   - sizeTolerance: the simplex size, in the units of x, below which the search stops.
    ///   - maxIterations: the iteration budget.
    /// - Throws: ``GSLError`` with `GSL_EINVAL` for mismatched or invalid arguments,
    ///   `GSL_EBADFUNC` when f is not finite at the initial simplex, `GSL_EFAILED` when the
    ///   simplex collapsed onto points where f is not finite, and `GSL_EMAXITER` when the
    ///   size tolerance was not reached within `maxIterations`.
    public static func nelderMead(
        start: [Double],
        stepSizes: [Double],
        sizeTolerance: Double = 1e-8,
        maxIterations: Int = 5_000,
        _ f: ([Double]) -> Double
    ) throws(GSLError) -> Result {
        GSL.prepare()
        let n = start.count
        guard n >= 1, stepSizes.count == n else {
            throw GSLError(
                status: Int32(GSL_EINVAL),
                context: "minimising: \(n) start coordinates but \(stepSizes.count) step sizes")
        }
        guard start.allSatisfy(\.isFinite) else {
            throw GSLError(status: Int32(GSL_EINVAL), context: "minimising: the start point \(start) is not finite")
        }
        guard stepSizes.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw GSLError(
                status: Int32(GSL_EINVAL),
                context: "minimising: every initial step must be a non-zero number, got \(stepSizes)")
        }
        guard sizeTolerance > 0, maxIterations >= 1 else {
            throw GSLError(
                status: Int32(GSL_EINVAL),
                context: "minimising: the tolerance and the iteration budget must be positive")
        }
        return try withoutActuallyEscaping(f) { (escapable) throws(GSLError) -> Result in
            let box = VectorFunctionBox(escapable)
            let unmanaged = Unmanaged.passRetained(box)
            defer { unmanaged.release() }
            var function = gsl_multimin_function(
                f: { x, params in
                    guard let x, let params else { return .nan }
                    let box = Unmanaged<VectorFunctionBox>.fromOpaque(params).takeUnretainedValue()
                    let point = (0..<x.pointee.size).map { gsl_vector_get(x, $0) }
                    let value = box.f(point)
                    return value.isNaN ? .infinity : value
                },
                n: n,
                params: unmanaged.toOpaque()
            )
            guard let minimizer = gsl_multimin_fminimizer_alloc(crmcase_multimin_nmsimplex2(), n),
                  let x0 = gsl_vector_alloc(n),
                  let steps = gsl_vector_alloc(n) else {
                throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a \(n)-dimensional minimiser")
            }
            defer {
                gsl_multimin_fminimizer_free(minimizer)
                gsl_vector_free(x0)
                gsl_vector_free(steps)
            }
            for i in 0..<n {
                gsl_vector_set(x0, i, start[i])
                gsl_vector_set(steps, i, stepSizes[i])
            }
            let status = gsl_multimin_fminimizer_set(minimizer, &function, x0, steps)
            guard status == Int32(GSL_SUCCESS) else {
                throw GSLError(status: status, context: "starting the minimiser at \(start)")
            }
            for iteration in 1...maxIterations {
                let step = gsl_multimin_fminimizer_iterate(minimizer)
                guard step == Int32(GSL_SUCCESS) else {
                    throw GSLError(status: step, context: "minimising (iteration \(iteration))")
                }
                let size = gsl_multimin_fminimizer_size(minimizer)
                if gsl_multimin_test_size(size, sizeTolerance) == Int32(GSL_SUCCESS) {
                    let best = gsl_multimin_fminimizer_x(minimizer)!
                    return Result(
                        minimizer: (0..<n).map { gsl_vector_get(best, $0) },
                        minimum: gsl_multimin_fminimizer_minimum(minimizer),
                        iterations: iteration
                    )
                }
            }
            throw GSLError(
                status: Int32(GSL_EMAXITER),
                context: "minimising to a simplex size of \(sizeTolerance) within \(maxIterations) iterations")
        }
    }

    /// The matrix of second derivatives ∂²f/∂xᵢ∂xⱼ at `x`, by central finite differences:
    ///
    ///     Hᵢᵢ = (f(x + hᵢeᵢ) − 2f(x) + f(x − hᵢeᵢ)) / hᵢ²
    ///     Hᵢⱼ = (f(x + hᵢeᵢ + hⱼeⱼ) − f(x + hᵢeᵢ − hⱼeⱼ)
    ///            − f(x − hᵢeᵢ + hⱼeⱼ) + f(x − hᵢeᵢ − hⱼeⱼ)) / (4hᵢhⱼ)
    ///
    /// Both formulas are exact for quadratic functions (up to rounding); otherwise their error
    /// is of order h². The default step hᵢ = 10⁻⁴ · max(1, |xᵢ|) (about the fourth root of
    /// the machine epsilon) balances that error against rounding, which is of order
    /// ε·|f|/h². Units: those of f divided by those of xᵢ·xⱼ. The result is symmetric.
    /// Costs 2n² + 1 evaluations of f.
    ///
    /// Inverted at a minimum of a negative log-likelihood, this gives the covariance of the
    /// estimates (the inverse observed information).
    ///
    /// - Parameters:
    ///   - x: the point (n ≥ 1 coordinates), usually a minimiser.
    ///   - stepSizes: positive steps hᵢ, one per coordinate; `nil` for the default.
    /// - Returns: an n × n array of rows; entries are NaN or infinite where f is.
    public static func hessian(
        at x: [Double],
        stepSizes: [Double]? = nil,
        _ f: ([Double]) -> Double
    ) -> [[Double]] {
        let n = x.count
        precondition(n >= 1, "the Hessian needs at least one coordinate")
        let h = stepSizes ?? x.map { 1e-4 * Swift.max(1, abs($0)) }
        precondition(h.count == n && h.allSatisfy { $0 > 0 }, "one positive step per coordinate")

        func value(_ moves: [(Int, Double)]) -> Double {
            var point = x
            for (i, delta) in moves { point[i] += delta }
            return f(point)
        }
        let centre = f(x)
        var matrix = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            let plus = value([(i, h[i])]), minus = value([(i, -h[i])])
            matrix[i][i] = (plus - 2 * centre + minus) / (h[i] * h[i])
            for j in 0..<i {
                let pp = value([(i, h[i]), (j, h[j])])
                let pm = value([(i, h[i]), (j, -h[j])])
                let mp = value([(i, -h[i]), (j, h[j])])
                let mm = value([(i, -h[i]), (j, -h[j])])
                let mixed = (pp - pm - mp + mm) / (4 * h[i] * h[j])
                matrix[i][j] = mixed
                matrix[j][i] = mixed
            }
        }
        return matrix
    }
}

private final class VectorFunctionBox {
    let f: ([Double]) -> Double
    init(_ f: @escaping ([Double]) -> Double) { self.f = f }
}

// MARK: - Special functions

// The Gauss hypergeometric function lives here, next to the other numerical tools the
// churn calibration needs, until GSLSupport gets a file for special functions.
