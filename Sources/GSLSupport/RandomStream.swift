import CGSL

/// One GSL random number generator (Mersenne Twister, `gsl_rng_mt19937`), owned uniquely.
///
/// A `gsl_rng` is not thread-safe, so each worker owns its own stream; the type is
/// `~Copyable` so that a stream can be neither shared by accident nor freed twice.
/// The generator is freed when the value goes out of scope.
public struct RandomStream: ~Copyable {
    private let rng: UnsafeMutablePointer<gsl_rng>

    /// Creates a generator seeded with `seed`.
    ///
    /// GSL's Mersenne Twister uses the low 32 bits of the seed, and maps seed 0 to its
    /// default seed 4357; distinct 32-bit seeds other than those two give distinct streams.
    public init(seed: UInt32) {
        GSL.prepare()
        guard let rng = gsl_rng_alloc(crmcase_rng_mt19937()) else {
            fatalError("GSL could not allocate a random number generator (out of memory)")
        }
        self.rng = rng
        gsl_rng_set(rng, UInt(seed))
    }

    /// Creates a counter-based generator (``restart(key:)``) in GSL's generator interface,
    /// for streams that are restarted from a 64-bit key before every draw.
    public init(key: UInt64) {
        GSL.prepare()
        guard let rng = gsl_rng_alloc(crmcase_rng_counter()) else {
            fatalError("GSL could not allocate a random number generator (out of memory)")
        }
        self.rng = rng
        gsl_rng_set(rng, UInt(key))
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// Restarts a counter-based stream (``init(key:)``) at the start of the stream of `key`.
    /// Costs two stores; distinct keys give unrelated streams.
    @inline(__always)
    public func restart(key: UInt64) {
        gsl_rng_set(rng, UInt(key))
    }

    /// Restarts the stream from `seed`, without allocating.
    public mutating func reseed(_ seed: UInt32) {
        gsl_rng_set(rng, UInt(seed))
    }

    /// A uniform draw on the open interval (0, 1).
    @inline(__always)
    public func uniformPositive() -> Double {
        gsl_rng_uniform_pos(rng)
    }

    /// A binomial draw: the number of successes in `trials` independent trials that each
    /// succeed with probability `probability` (clamped to 0…1).
    ///
    /// GSL takes at most 2³² − 1 trials; larger counts are drawn in parts of at most 2³¹ (a sum
    /// of independent binomials with the same p is binomial), so the result stays exact.
    @inline(__always)
    public func binomial(trials: Int, probability: Double) -> Int {
        if trials <= 0 || probability <= 0 { return 0 }
        if probability >= 1 { return trials }
        if trials <= Int(UInt32.max) {
            return Int(gsl_ran_binomial(rng, probability, UInt32(trials)))
        }
        var remaining = trials, successes = 0
        while remaining > 0 {
            let part = min(remaining, 1 << 31)
            successes += Int(gsl_ran_binomial(rng, probability, UInt32(part)))
            remaining -= part
        }
        return successes
    }

    /// A Poisson draw with mean `mean` (0 when the mean is not positive).
    ///
    /// GSL's sampler works in 32-bit integers and fails to end for means of about 5·10⁹ and
    /// more; such means are drawn as the sum of independent Poisson draws of at most 10⁹ each
    /// (exact: a sum of independent Poissons is Poisson with the summed mean).
    @inline(__always)
    public func poisson(mean: Double) -> Int {
        if !(mean > 0) { return 0 }
        if mean <= 1e9 { return Int(gsl_ran_poisson(rng, mean)) }
        guard mean.isFinite else { return Int.max }
        var remaining = mean, total = 0
        while remaining > 0 {
            let part = min(remaining, 1e9)
            total += Int(gsl_ran_poisson(rng, part))
            remaining -= part
        }
        return total
    }

    /// A normal draw (Ziggurat method).
    @inline(__always)
    public func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, standardDeviation)
    }
}
