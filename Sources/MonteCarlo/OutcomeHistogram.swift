import Foundation

/// The distribution of one outcome over the trials as a histogram: bins of one "nice" width
/// (1, 2, 2.5 or 5 × 10^k, in the outcome's unit, e.g. currency units for the NPV) whose edges
/// are multiples of the width, so 0 is always an edge and the bins left of it hold exactly the
/// trials below 0 (for the NPV: the chance of a loss).
///
/// Every finite value is counted: the bins run from the smallest to the largest value, so no
/// tail is cut off. NaN and ±∞ (e.g. no IRR) are left out and counted in ``undefined``.
public struct OutcomeHistogram: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
        /// The bin holds values in [lower, upper); the last bin also holds its upper edge.
        public var lower: Double
        public var upper: Double
        public var count: Int
    }

    public let bins: [Bin]
    /// Finite values counted (the sum of the bins' counts).
    public let total: Int
    /// Values left out because they are NaN or infinite.
    public let undefined: Int

    /// Bins `values` into at most `binCount` + 1 bins of a nice width.
    ///
    /// A single distinct value gets one bin of width a tenth of its size (at least 1).
    public init(_ values: UnsafeBufferPointer<Double>, binCount: Int = 40) {
        var lo = Double.infinity, hi = -Double.infinity, finite = 0
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
            finite += 1
        }
        total = finite
        undefined = values.count - finite
        guard finite > 0 else {
            bins = []
            return
        }
        let span = hi - lo
        let width = OutcomeHistogram.niceWidth(atLeast: span > 0 ? span / Double(max(1, binCount)) : max(abs(lo) * 0.1, 1))
        let first = (lo / width).rounded(.down)
        var last = (hi / width).rounded(.up)
        if last <= first { last = first + 1 }
        var counts = [Int](repeating: 0, count: Int(last - first))
        for v in values where v.isFinite {
            // A value on the top edge of the range goes into the last bin.
            let i = Int((v / width).rounded(.down) - first)
            counts[min(max(i, 0), counts.count - 1)] += 1
        }
        bins = counts.indices.map { i in
            let a = (first + Double(i)) * width, b = (first + Double(i + 1)) * width
            // −0 would print as "−0" on an axis.
            return Bin(lower: a == 0 ? 0 : a, upper: b == 0 ? 0 : b, count: counts[i])
        }
    }

    /// The histogram of the NPV over the trials of a run.
    public init(npvOf result: SimulationResult, binCount: Int = 40) {
        let values = (0..<result.perTrial.count).map(result.perTrial.npv)
        self = values.withUnsafeBufferPointer { OutcomeHistogram($0, binCount: binCount) }
    }

    /// The smallest of 1, 2, 2.5 and 5 × 10^k that is at least `raw` (> 0).
    static func niceWidth(atLeast raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for m in [1, 2, 2.5, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }
}
