import CRMModel

/// How every random number of a run is tied to the seed and the trial number, never to a
/// thread, so that a seed gives bit-identical results whatever the number of threads.
///
/// - **Inputs**: each trial gets one uniform per input, computed by hashing
///   (seed, trial number, input key) with the SplitMix64 finaliser (Steele, Lea & Flood 2014).
///   A counter-based stream like this needs no state, so two scenarios that share an input
///   share its draws (common random numbers) and adding an input shifts nothing else.
/// - **Monthly process** (churners, new customers): GSL's Mersenne Twister, one stream per
///   block of ``blockSize`` trials, seeded with a 32-bit seed derived from the run seed plus
///   the block number, so blocks of one run never share a seed.
public enum Streams {
    /// Trials per random-process block. Fixed: changing it changes every result.
    public static let blockSize = 256

    /// The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The 32-bit GSL seed of block `block` in a run with seed `seed`.
    public static func blockSeed(seed: UInt64, block: Int) -> UInt32 {
        let base = UInt32(truncatingIfNeeded: mix(seed ^ 0x5eed_b10c_5eed_b10c))
        return base &+ UInt32(truncatingIfNeeded: block)
    }
}

/// The input uniforms of one trial: u = mix(trialHash ⊕ key) mapped to (0, 1).
public struct KeyedUniforms: InputUniforms, Sendable {
    @usableFromInline let trialHash: UInt64

    public init(seed: UInt64, trial: Int) {
        trialHash = Streams.mix(Streams.mix(seed) &+ Streams.mix(UInt64(truncatingIfNeeded: trial) &+ 0x632b_e59b_d9b4_e019))
    }

    /// A uniform in (0, 1): the top 52 bits of the hash, centred in their cell. The largest
    /// value, (2⁵² − ½)·2⁻⁵², is exactly representable and below 1, and the smallest is 2⁻⁵³,
    /// so neither 0 nor 1 can occur and every quantile function gets a valid probability.
    /// (With 53 bits the top cell's centre would round up to exactly 1.)
    @inlinable
    public func uniform(forKey key: UInt64) -> Double {
        let bits = Streams.mix(trialHash ^ key) >> 12
        return (Double(bits) + 0.5) * 0x1p-52
    }
}
