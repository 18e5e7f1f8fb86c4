/// The uniforms of the counter-based stream of one key, computed inline: output n of key k is
/// the SplitMix64 finaliser of mix(k) xor mix(n) (Steele, Lea & Flood 2014).
///
/// The same numbers as GSL's view of the stream (`crmcase_counter_type` in `CGSL/shim.h`,
/// ``GSLSupport/RandomStream/init(key:)``), without a call through GSL's generator interface
/// per uniform; a test checks that the two agree bit for bit.
struct CounterUniforms {
    var key: UInt64
    var counter: UInt64 = 0

    /// The start of the stream of `key`.
    @inline(__always)
    init(key: UInt64) { self.key = CounterUniforms.mix(key) }

    /// SplitMix64's increment and finaliser.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The next uniform, on the open interval (0, 1): 52 random bits plus one half, times 2⁻⁵².
    @inline(__always)
    mutating func next() -> Double {
        counter &+= 1
        let bits = CounterUniforms.mix(key ^ CounterUniforms.mix(counter)) >> 12
        return (Double(bits) + 0.5) * 0x1p-52
    }
}
