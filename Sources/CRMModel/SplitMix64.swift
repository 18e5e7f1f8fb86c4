/// The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix with good
/// avalanche, the one hash behind every keyed random stream — the input uniforms and stream keys
/// (`MonteCarlo/Streams.swift`) and the count samplers' uniforms (``CounterUniforms``); the C shim
/// (`crmcase_mix64` in `CGSL/shim.h`) spells the same function for GSL's view of the streams.
public enum SplitMix64 {
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
