/// The uniforms of the counter-based stream of one key, computed inline: output n of key k is
/// the SplitMix64 finaliser of mix(k) xor mix(n) (Steele, Lea & Flood 2014).
///
/// The same numbers as GSL's view of the stream (`crmcase_counter_type` in `CGSL/shim.h`,
/// ``GSLSupport/RandomStream/init(key:)``), without a call through GSL's generator interface
/// per uniform. A test checks them through the draws: where a draw is the inverse CDF of a key's
/// first uniform, it equals the inverse of GSL's view of that uniform, for thousands of keys.
@_spi(Testing) public struct CounterUniforms {
    var key: UInt64
    var counter: UInt64 = 0

    /// The start of the stream of `key`.
    @inline(__always)
    init(key: UInt64) { self.key = SplitMix64.mix(key) }

    /// The next uniform, on the open interval (0, 1): 52 random bits plus one half, times 2⁻⁵².
    @inline(__always)
    mutating func next() -> Double {
        counter &+= 1
        let bits = SplitMix64.mix(key ^ CounterUniforms.mixedCounter(counter)) >> 12
        return (Double(bits) + 0.5) * 0x1p-52
    }

    /// mix(n): from a table for the first 15 outputs of a stream — almost every count draw
    /// takes fewer (two to five) — which saves one of the two mixes of each uniform; computed
    /// above. The same numbers either way (a test checks the table against ``SplitMix64/mix(_:)``).
    @_spi(Testing) @inline(__always)
    public static func mixedCounter(_ n: UInt64) -> UInt64 {
        // A switch that returns constants compiles to a lookup table, without branches on n.
        switch n {
        case 1: 0x910a_2dec_8902_5cc1
        case 2: 0x9758_35de_1c97_56ce
        case 3: 0x1d0b_14e4_db01_8fed
        case 4: 0x6e73_e372_e233_8aca
        case 5: 0x6303_3b0c_a389_c35a
        case 6: 0xbd64_a5d9_adef_e000
        case 7: 0x63cb_e1e4_5932_0dd7
        case 8: 0x9e56_51b0_ef95_3636
        case 9: 0xaeaf_52fe_be70_6064
        case 10: 0x0887_12be_8a58_2fca
        case 11: 0x50f5_647d_2380_309d
        case 12: 0x943f_f9fc_99de_8f03
        case 13: 0xc4ca_37b7_f8ad_8aff
        case 14: 0x6aa9_d614_35db_e63e
        case 15: 0x875b_9307_abf5_5005
        default: SplitMix64.mix(n)
        }
    }
}
