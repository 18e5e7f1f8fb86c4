import GSLSupport

/// Draws the counts of the monthly customer process — how many customers leave (binomial) and
/// how many arrive (Poisson) — each from a counter-based stream restarted at its own key.
///
/// Restarting at a key per draw keeps every (trial, segment, month, kind) cell on its own
/// random numbers whatever the other cells used, which is what keeps the with- and
/// without-CRM worlds, two variants of a scenario, and the shards of a run on common random
/// numbers. Two implementations exist, named in every report's footer (``CountSampler``):
/// ``FastProcessSampler`` (crmcase's own exact samplers, the default) and GSL's samplers
/// through ``GSLSupport/RandomStream`` (the reference, `--sampler gsl`).
///
/// Both draw *exactly* from the binomial and Poisson distributions (up to the rounding of
/// double-precision arithmetic), which the tests check against GSL's probability mass
/// functions; they use the uniforms differently, so the same key gives different counts.
public protocol ProcessSampler: ~Copyable {
    /// The number of successes in `trials` independent trials that each succeed with
    /// `probability` (a share; below 0 counts as 0, above 1 as 1), drawn from the stream of `key`.
    /// 0 when `trials` ≤ 0.
    func binomial(key: UInt64, trials: Int, probability: Double) -> Int
    /// A Poisson count with expectation `mean` (customers per month here), drawn from the stream
    /// of `key`. 0 when the mean is not positive (or NaN); `Int.max` for an infinite mean.
    func poisson(key: UInt64, mean: Double) -> Int
    /// The same draw as ``poisson(key:mean:)`` at `plan.mean`, for a mean that repeats from draw
    /// to draw: what depends on the mean alone is computed once, in the plan, and kept there.
    func poisson(key: UInt64, plan: inout PoissonPlan) -> Int
}

extension ProcessSampler where Self: ~Copyable {
    /// A sampler with nothing to prepare (GSL's) draws at the plan's mean.
    @inline(__always)
    public func poisson(key: UInt64, plan: inout PoissonPlan) -> Int {
        poisson(key: key, mean: plan.mean)
    }
}

/// Which ``ProcessSampler`` a run draws its counts with: chosen by `--sampler`, kept in the
/// ``TrialModel`` and named in the reproducibility footer, because the same seed gives
/// different (equally valid) trials under the two.
public enum CountSampler: String, Sendable, CaseIterable, Codable {
    /// ``FastProcessSampler``: inversion for small expectations, Hörmann's transformed
    /// rejection with squeeze (BTRS, PTRS) above.
    case fast
    /// GSL's `gsl_ran_binomial` and `gsl_ran_poisson`, the reference.
    case gsl

    /// How a report's footer names it.
    public var description: String {
        switch self {
        case .fast: "crmcase exact samplers (inversion; BTRS and PTRS, Hörmann 1993)"
        case .gsl: "GSL (gsl_ran_binomial, gsl_ran_poisson)"
        }
    }
}

/// GSL's samplers are the reference implementation: the counter-based ``RandomStream`` is
/// restarted at the key, then `gsl_ran_binomial` or `gsl_ran_poisson` draws.
extension RandomStream: ProcessSampler {
    @inline(__always)
    public func binomial(key: UInt64, trials: Int, probability: Double) -> Int {
        restart(key: key)
        return binomial(trials: trials, probability: probability)
    }

    @inline(__always)
    public func poisson(key: UInt64, mean: Double) -> Int {
        restart(key: key)
        return poisson(mean: mean)
    }
}
