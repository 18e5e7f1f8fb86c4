/// Sample quantiles by radix selection instead of a full sort.
///
/// The definition is Hyndman & Fan's type 7 — the one of GSL's
/// `gsl_stats_quantile_from_sorted_data`, R and NumPy: with n values sorted as x₀ ≤ … ≤ xₙ₋₁,
/// the p-quantile is (1 − f)·x_j + f·x_{j+1} where j + f = (n − 1)·p. Only the order
/// statistics x_j and x_{j+1} are needed; a run summarises dozens of columns of up to millions
/// of trials, and the monthly bands a few hundred columns of 20,000, where sorting each would
/// cost more than the trials themselves.
///
/// Each value is read as a 64-bit key that orders as the values do (the sign bit flipped for
/// positives, every bit for negatives; −0 read as +0, which it equals). One pass finds the
/// keys' range; a second counts the values per bucket of the highest bits in which the keys
/// differ, which places every wanted rank in its bucket; a third gathers the values of those
/// buckets only, which are then sorted if few or split again by the next bits. Linear, with
/// no data-dependent branches in the passes over all values (a quickselect's partition
/// mispredicts about every other comparison), and exact: the order statistics themselves, so
/// the tests compare the result with GSL's quantiles of sorted copies bit for bit.
public enum OrderStatistics {
    /// Type-7 quantiles of `values` for each share in `probabilities` (any order).
    ///
    /// `values` must be non-empty and free of NaN; +∞ and −∞ are allowed (a quantile that falls
    /// on or next to an infinity is that infinity). A zero comes back as +0 whether the sample
    /// holds −0 or +0 there (they are equal; a sort would leave either first). `values` is the
    /// selection's scratch space: what it holds afterwards is unspecified.
    public static func quantiles(_ values: inout [Double], _ probabilities: [Double]) -> [Double] {
        precondition(!values.isEmpty, "quantiles of an empty sample")
        let n = values.count
        // Every order statistic needed, ascending.
        var needed: [Int] = []
        for p in probabilities {
            let j = Int((Double(n - 1) * p).rounded(.down))
            needed.append(j)
            if j + 1 < n { needed.append(j + 1) }
        }
        needed = Array(Set(needed)).sorted()
        // The keys overwrite the values in place: no second array of n numbers (8 MB per 10⁶
        // trials on every core that summarises a column).
        let found = values.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt64.self) { keys in
                for i in 0..<n { keys[i] = key(bits: keys[i]) }
                return orderStatistics(keys, ranks: needed)
            }
        }
        var order: [Int: Double] = [:]
        for (k, key) in zip(needed, found) { order[k] = value(key) }
        return probabilities.map { p in
            let position = Double(n - 1) * p
            let j = Int(position.rounded(.down))
            let f = position - Double(j)
            let x = order[j]!
            guard f > 0, j + 1 < n else { return x }
            let y = order[j + 1]!
            if y.isInfinite || x.isInfinite { return y.isInfinite ? y : x }
            // GSL's own expression, so that the result matches it to the last bit.
            return (1 - f) * x + f * y
        }
    }

    /// A key that orders as the value whose bit pattern is `bits` does: x < y exactly when
    /// key(x) < key(y), for values that are not NaN; −0 and +0 get the same key.
    @inline(__always)
    static func key(bits value: UInt64) -> UInt64 {
        let bits = value == 1 << 63 ? 0 : value   // −0 read as +0
        return bits >> 63 == 0 ? bits | (1 << 63) : ~bits
    }

    /// The value of a ``key(bits:)``.
    @inline(__always)
    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
    }

    /// Buckets of few keys are sorted instead of split again.
    static let sortBelow = 64

    /// The keys at `ranks` (ascending, each in `0..<keys.count`) if `keys` were sorted; `keys`
    /// is scratch space.
    static func orderStatistics(_ scratch: UnsafeMutableBufferPointer<UInt64>, ranks: [Int]) -> [UInt64] {
        var keys = scratch
        let n = keys.count
        if ranks.isEmpty { return [] }
        if n <= sortBelow {
            keys.sort()
            return ranks.map { keys[$0] }
        }
        var low = UInt64.max, high = UInt64.min
        for k in keys {
            low = min(low, k)
            high = max(high, k)
        }
        if low == high { return ranks.map { _ in low } }
        // Buckets of the highest bits of k − low, which spans `width` bits: 2¹¹ for a few
        // thousand keys (counters that fit in L1), 2¹⁶ for millions. low and high fall into
        // different buckets (high − low ≥ 2^(width − 1)), so every bucket is smaller than the
        // whole and the recursion ends.
        let digitBits = n < 1 << 16 ? 11 : 16
        let width = 64 - (high &- low).leadingZeroBitCount
        let shift = max(0, width - digitBits)
        let mask = (UInt64(1) << UInt64(min(digitBits, width))) - 1
        var counts = [Int](repeating: 0, count: Int(mask) + 1)
        counts.withUnsafeMutableBufferPointer { counts in
            for k in keys { counts[Int((k &- low) >> UInt64(shift) & mask)] += 1 }
        }
        // Each rank's bucket and its rank within the bucket. (k − low) >> shift orders as k does,
        // and is below 2^(width − shift) ≤ mask + 1.
        var bucketOf: [Int] = [], rankIn: [Int] = []
        var bucket = 0, before = 0
        for r in ranks {
            while before + counts[bucket] <= r {
                before += counts[bucket]
                bucket += 1
            }
            bucketOf.append(bucket)
            rankIn.append(r - before)
        }
        // The wanted buckets, each with its place in one array that gathers all their keys in
        // a single pass.
        var wanted: [Int] = []
        for b in bucketOf where wanted.last != b { wanted.append(b) }
        var slotOf = [Int32](repeating: -1, count: counts.count)
        var offsets: [Int] = [0]
        for (slot, b) in wanted.enumerated() {
            slotOf[b] = Int32(slot)
            offsets.append(offsets[slot] + counts[b])
        }
        var gathered = [UInt64](repeating: 0, count: offsets[wanted.count])
        var cursor = Array(offsets.dropLast())
        gathered.withUnsafeMutableBufferPointer { gathered in
            slotOf.withUnsafeBufferPointer { slotOf in
                for k in keys {
                    let slot = Int(slotOf[Int((k &- low) >> UInt64(shift) & mask)])
                    if slot >= 0 {
                        gathered[cursor[slot]] = k
                        cursor[slot] += 1
                    }
                }
            }
        }
        var result: [UInt64] = []
        result.reserveCapacity(ranks.count)
        gathered.withUnsafeMutableBufferPointer { gathered in
            for (slot, b) in wanted.enumerated() {
                let members = UnsafeMutableBufferPointer(rebasing: gathered[offsets[slot]..<offsets[slot + 1]])
                let inBucket = ranks.indices.filter { bucketOf[$0] == b }.map { rankIn[$0] }
                result += orderStatistics(members, ranks: inBucket)
            }
        }
        return result
    }
}
