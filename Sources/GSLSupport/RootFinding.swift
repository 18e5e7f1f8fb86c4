import CGSL

/// One-dimensional and two-dimensional root finding through GSL's solvers.
public enum RootFinding {
    /// A root of `f` in [`lower`, `upper`] by Brent's method (`gsl_root_fsolver_brent`).
    ///
    /// - Parameters:
    ///   - lower, upper: a bracket; `f(lower)` and `f(upper)` must have opposite signs.
    ///   - relativeTolerance: stop when the bracket is narrower than this share of |x|
    ///     (plus `absoluteTolerance`).
    /// - Throws: ``GSLError`` when the bracket does not straddle a root or the solver does
    ///   not converge within `maxIterations`.
    public static func brent(
        lower: Double, upper: Double,
        absoluteTolerance: Double = 1e-15, relativeTolerance: Double = 1e-13,
        maxIterations: Int = 200,
        _ f: (Double) -> Double
    ) throws(GSLError) -> Double {
        GSL.prepare()
        return try withoutActuallyEscaping(f) { (escapable) throws(GSLError) -> Double in
            let box = ScalarFunctionBox(escapable)
            let unmanaged = Unmanaged.passRetained(box)
            defer { unmanaged.release() }
            var function = gsl_function(
                function: { x, params in
                    Unmanaged<ScalarFunctionBox>.fromOpaque(params!).takeUnretainedValue().f(x)
                },
                params: unmanaged.toOpaque()
            )
            guard let solver = gsl_root_fsolver_alloc(crmcase_root_brent()) else {
                throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a root finder")
            }
            defer { gsl_root_fsolver_free(solver) }
            let status = gsl_root_fsolver_set(solver, &function, lower, upper)
            guard status == Int32(GSL_SUCCESS) else {
                throw GSLError(status: status, context: "bracketing a root between \(lower) and \(upper)")
            }
            for _ in 0..<maxIterations {
                let iterate = gsl_root_fsolver_iterate(solver)
                guard iterate == Int32(GSL_SUCCESS) else {
                    throw GSLError(status: iterate, context: "finding a root")
                }
                let lo = gsl_root_fsolver_x_lower(solver)
                let hi = gsl_root_fsolver_x_upper(solver)
                if gsl_root_test_interval(lo, hi, absoluteTolerance, relativeTolerance) == Int32(GSL_SUCCESS) {
                    return gsl_root_fsolver_root(solver)
                }
            }
            throw GSLError(status: Int32(GSL_EMAXITER), context: "finding a root within \(maxIterations) iterations")
        }
    }

    /// A root of the two equations `f(x) = (0, 0)` from the starting point `start`, by
    /// GSL's scaled hybrid method (`gsl_multiroot_fsolver_hybrids`, a Powell dogleg).
    ///
    /// - Throws: ``GSLError`` when the solver stalls or does not converge (residual below
    ///   `residualTolerance`) within `maxIterations`.
    public static func solve2D(
        start: (Double, Double),
        residualTolerance: Double = 1e-12,
        maxIterations: Int = 500,
        _ f: ((Double, Double)) -> (Double, Double)
    ) throws(GSLError) -> (Double, Double) {
        GSL.prepare()
        return try withoutActuallyEscaping(f) { (escapable) throws(GSLError) -> (Double, Double) in
            let box = PairFunctionBox(escapable)
            let unmanaged = Unmanaged.passRetained(box)
            defer { unmanaged.release() }
            var system = gsl_multiroot_function(
                f: { x, params, out in
                    guard let x, let params, let out else { return Int32(GSL_EFAULT) }
                    let box = Unmanaged<PairFunctionBox>.fromOpaque(params).takeUnretainedValue()
                    let y = box.f((gsl_vector_get(x, 0), gsl_vector_get(x, 1)))
                    guard y.0.isFinite, y.1.isFinite else { return Int32(GSL_EBADFUNC) }
                    gsl_vector_set(out, 0, y.0)
                    gsl_vector_set(out, 1, y.1)
                    return Int32(GSL_SUCCESS)
                },
                n: 2,
                params: unmanaged.toOpaque()
            )
            guard let solver = gsl_multiroot_fsolver_alloc(crmcase_multiroot_hybrids(), 2),
                  let x0 = gsl_vector_alloc(2) else {
                throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a 2-D root finder")
            }
            defer {
                gsl_multiroot_fsolver_free(solver)
                gsl_vector_free(x0)
            }
            gsl_vector_set(x0, 0, start.0)
            gsl_vector_set(x0, 1, start.1)
            let status = gsl_multiroot_fsolver_set(solver, &system, x0)
            guard status == Int32(GSL_SUCCESS) else {
                throw GSLError(status: status, context: "starting the 2-D root finder")
            }
            for _ in 0..<maxIterations {
                let iterate = gsl_multiroot_fsolver_iterate(solver)
                if gsl_multiroot_test_residual(solver.pointee.f, residualTolerance) == Int32(GSL_SUCCESS) {
                    let x = solver.pointee.x!
                    return (gsl_vector_get(x, 0), gsl_vector_get(x, 1))
                }
                guard iterate == Int32(GSL_SUCCESS) else {
                    throw GSLError(status: iterate, context: "solving two equations")
                }
            }
            throw GSLError(status: Int32(GSL_EMAXITER), context: "solving two equations within \(maxIterations) iterations")
        }
    }
}

private final class ScalarFunctionBox {
    let f: (Double) -> Double
    init(_ f: @escaping (Double) -> Double) { self.f = f }
}

private final class PairFunctionBox {
    let f: ((Double, Double)) -> (Double, Double)
    init(_ f: @escaping ((Double, Double)) -> (Double, Double)) { self.f = f }
}
