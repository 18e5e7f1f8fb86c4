import CRMModel

/// How every random number of a run is tied to the seed and the trial number, never to a
/// thread, so that a seed gives bit-identical results whatever the number of threads.
///
/// - **Inputs**: each trial gets one uniform per input, computed by hashing
///   (seed, trial number, input key) with the SplitMix64 finaliser (Steele, Lea & Flood 2014).
///   A counter-based stream like this needs no state, so two scenarios that share an input
///   share its draws (common random numbers) and adding an input shifts nothing else.
/// - **Monthly process** (churners, new customers): every binomial and Poisson count is drawn
///   (by crmcase's exact samplers or GSL's, ``CRMModel/CountSampler``) from a counter-based
///   stream restarted at a 64-bit key made of the trial's process key (a hash of seed and
///   trial), the segment, the month and the kind of draw (``CRMModel/ProcessDraw``). Blocks of ``blockSize`` trials only divide the
///   work among threads.
public enum Streams {
    /// Trials per random-process block. Fixed: changing it changes every result.
    public static let blockSize = 256

    /// The seed of replicate `replicate` of a computation repeated independently on the run with
    /// `seed` (the follow-up's re-forecast populations): distinct replicates get unrelated
    /// streams, and none equals the run's own seed.
    public static func replicateSeed(_ seed: UInt64, replicate: Int) -> UInt64 {
        mix(mix(seed ^ 0x7265_706c_6963_6174) ^ UInt64(truncatingIfNeeded: replicate))
    }

    /// The SplitMix64 finaliser (``CRMModel/SplitMix64``): a bijective 64-bit mix with good avalanche.
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 { SplitMix64.mix(value) }
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

    /// The key of the trial's monthly process: derived from the trial's hash, so it depends on
    /// the seed and the trial only.
    @inlinable
    public var processKey: UInt64 { Streams.mix(trialHash ^ 0x7072_6f63_6573_7321) }
}

/// A permutation of 0..<count keyed by (seed, key), computed index by index without memory:
/// a four-round Feistel network on the smallest power-of-four domain that holds `count`,
/// walked in cycles until it lands inside 0..<count (Black & Rogaway's cycle-walking cipher).
public struct KeyedPermutation: Sendable {
    public let count: Int
    private let halfBits: Int
    private let roundKeys: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64, key: UInt64, count: Int) {
        precondition(count >= 1, "a permutation of nothing")
        self.count = count
        var bits = 1
        while (1 << (2 * bits)) < count { bits += 1 }
        halfBits = bits
        let base = Streams.mix(Streams.mix(seed ^ 0x1a7e_417b_c0be_0001) ^ key)
        roundKeys = (Streams.mix(base &+ 1), Streams.mix(base &+ 2), Streams.mix(base &+ 3), Streams.mix(base &+ 4))
    }

    /// The image of `index` (in 0..<count).
    public func callAsFunction(_ index: Int) -> Int {
        var x = UInt64(index)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    private func encrypt(_ value: UInt64) -> UInt64 {
        let mask = (UInt64(1) << UInt64(halfBits)) - 1
        var left = value >> UInt64(halfBits), right = value & mask
        for k in [roundKeys.0, roundKeys.1, roundKeys.2, roundKeys.3] {
            let next = left ^ (Streams.mix(right ^ k) & mask)
            left = right
            right = next
        }
        return (left << UInt64(halfBits)) | right
    }
}

/// How a run spreads its trials over the inputs' ranges.
public enum Sampling: String, Sendable, CaseIterable {
    /// Independent draws for every trial (plain Monte Carlo).
    case monteCarlo = "mc"
    /// Latin hypercube: with n trials, each input's n uniforms fall one in each of the n
    /// equal strata of (0, 1) — the stratum of trial i is a keyed permutation of i — and at a
    /// keyed uniform position within it. Means converge faster for inputs with a steady effect.
    case latinHypercube = "lhs"
}

/// The input uniforms of one trial under a sampling plan.
public struct TrialUniforms: InputUniforms, Sendable {
    @usableFromInline let keyed: KeyedUniforms
    @usableFromInline let trial: Int
    @usableFromInline let seed: UInt64
    /// Trials in the run, for Latin hypercube strata; nil for plain Monte Carlo.
    @usableFromInline let strata: Int?

    public init(seed: UInt64, trial: Int, sampling: Sampling, trials: Int) {
        keyed = KeyedUniforms(seed: seed, trial: trial)
        self.trial = trial
        self.seed = seed
        strata = sampling == .latinHypercube ? trials : nil
    }

    @inlinable
    public var processKey: UInt64 { keyed.processKey }

    @inlinable
    public func uniform(forKey key: UInt64) -> Double {
        let u = keyed.uniform(forKey: key)
        guard let n = strata else { return u }
        let stratum = KeyedPermutation(seed: seed, key: key, count: n)(trial)
        // (stratum + u)/n lies strictly inside the stratum and inside (0, 1).
        return min(1 - 0x1p-53, (Double(stratum) + u) / Double(n))
    }
}
