/// Sample quantiles by selection instead of a full sort.
///
/// The definition is Hyndman & Fan's type 7 — the one of GSL's
/// `gsl_stats_quantile_from_sorted_data`, R and NumPy: with n values sorted as x₀ ≤ … ≤ xₙ₋₁,
/// the p-quantile is (1 − f)·x_j + f·x_{j+1} where j + f = (n − 1)·p. Only the order
/// statistics x_j and x_{j+1} are needed, so a three-way quickselect finds them in linear
/// time; a run summarises dozens of columns of up to millions of trials, where sorting each
/// would cost more than the trials themselves. The tests compare the result with GSL on sorted
/// copies.
public enum OrderStatistics {
    /// Type-7 quantiles of `values` for each share in `probabilities` (any order).
    ///
    /// `values` is reordered in place. It must be non-empty and free of NaN; +∞ is allowed
    /// (a quantile that falls on or next to it is +∞).
    public static func quantiles(_ values: inout [Double], _ probabilities: [Double]) -> [Double] {
        precondition(!values.isEmpty, "quantiles of an empty sample")
        let n = values.count
        // Every order statistic needed, ascending, so each selection runs on what is left.
        var needed: [Int] = []
        for p in probabilities {
            let j = Int((Double(n - 1) * p).rounded(.down))
            needed.append(j)
            if j + 1 < n { needed.append(j + 1) }
        }
        needed = Array(Set(needed)).sorted()
        var order: [Int: Double] = [:]
        values.withUnsafeMutableBufferPointer { buffer in
            var lower = 0
            for k in needed {
                if k == lower + 1 && order[lower] != nil {
                    // The next order statistic after one just placed is the smallest of the rest:
                    // one scan instead of another selection (type 7 always needs x_j and x_{j+1}).
                    var m = k
                    for i in (k + 1)..<n where buffer[i] < buffer[m] { m = i }
                    buffer.swapAt(k, m)
                } else {
                    select(buffer, lower, n, k)
                }
                order[k] = buffer[k]
                lower = k
            }
        }
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

    /// Rearranges `a[lower..<upper]` so that `a[k]` holds the value it would hold if sorted,
    /// with nothing larger before it and nothing smaller after it.
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ lower: Int, _ upper: Int, _ k: Int) {
        var lo = lower, hi = upper
        while hi - lo > 16 {
            // Median of three as the pivot; three-way partition so ties (payback months,
            // "never") cannot make it quadratic.
            let mid = lo + (hi - lo) / 2
            let pivot = median(a[lo], a[mid], a[hi - 1])
            var lt = lo, i = lo, gt = hi
            while i < gt {
                let v = a[i]
                if v < pivot {
                    a.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if v > pivot {
                    gt -= 1
                    a.swapAt(i, gt)
                } else {
                    i += 1
                }
            }
            if k < lt {
                hi = lt
            } else if k >= gt {
                lo = gt
            } else {
                return
            }
        }
        // Insertion sort of the small remainder.
        if hi - lo > 1 {
            for i in (lo + 1)..<hi {
                let v = a[i]
                var j = i - 1
                while j >= lo && a[j] > v {
                    a[j + 1] = a[j]
                    j -= 1
                }
                a[j + 1] = v
            }
        }
    }

    @inline(__always)
    private static func median(_ x: Double, _ y: Double, _ z: Double) -> Double {
        max(min(x, y), min(max(x, y), z))
    }
}
