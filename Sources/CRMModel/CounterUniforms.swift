/// The uniforms of the counter-based stream of one key, computed inline: output n of key k is
/// the SplitMix64 finaliser of mix(k) xor mix(n) (Steele, Lea & Flood 2014).
///
/// The same numbers as GSL's view of the stream (`crmcase_counter_type` in `CGSL/shim.h`,
/// ``GSLSupport/RandomStream/init(key:)``), without a call through GSL's generator interface
/// per uniform. A test checks them through the draws: where a draw is the inverse CDF of a key's
/// first uniform, it equals the inverse of GSL's view of that uniform, for thousands of keys.
struct CounterUniforms {
    var key: UInt64
    var counter: UInt64 = 0

    /// The start of the stream of `key`.
    @inline(__always)
    init(key: UInt64) { self.key = SplitMix64.mix(key) }

    /// The next uniform, on the open interval (0, 1): 52 random bits plus one half, times 2⁻⁵².
    @inline(__always)
    mutating func next() -> Double {
        counter &+= 1
        let bits = SplitMix64.mix(key ^ SplitMix64.mix(counter)) >> 12
        return (Double(bits) + 0.5) * 0x1p-52
    }
}
