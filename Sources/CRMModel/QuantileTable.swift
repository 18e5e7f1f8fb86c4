/// A fast, accurate stand-in for a quantile function that GSL can only invert iteratively
/// (PERT, beta, gamma: about 2 µs a call, which would dominate a trial).
///
/// The exact quantile Q(u) and its derivative Q′(u) = 1 / f(Q(u)) are computed at equally
/// spaced points of u (through ``Distribution/quantile(_:)``, whose beta and gamma quantiles
/// meet `CDF.quantileTolerance`), and Q is interpolated between them with cubic Hermite
/// polynomials, whose error is of order h⁴·Q⁗/384 (h = 1/nodes). In the tails — the lowest
/// and highest 1/32 of probability, where Q⁗ grows without bound — the exact quantile is
/// used, so about 6 % of draws pay the full price. The test suite checks the table against
/// the exact quantile to a relative 1e-9 of the distribution's 90 % range.
///
/// Checked at construction: every tabulated value and slope is finite and the values never
/// decrease. A table that fails the check (see ``defect``) is not used: every draw then goes
/// to the exact quantile, which is slower but never worse. Between two nodes the
/// interpolated value is clamped to the two node values, because a quantile function is
/// non-decreasing, so the exact Q(u) lies between them: the clamp can only reduce the error,
/// and it keeps the table inside the distribution's support. The slopes are limited as
/// Fritsch and Carlson propose (at most 3 times the secant of either neighbouring interval),
/// so each cubic is non-decreasing; where the quantile is smooth the limit changes nothing.
public struct QuantileTable: Sendable {
    private let distribution: Distribution
    private let values: [Double]
    private let slopes: [Double]
    private let nodes: Int
    // False when the check at construction failed: then every u goes to the exact quantile.
    private let interpolates: Bool

    /// The first tabulated node that failed the check at construction, or nil when the
    /// table is sound.
    public let defect: Defect?

    /// A tabulated node that is not a number, or lower than the node before it.
    public struct Defect: Sendable, Equatable, CustomStringConvertible {
        /// The probability u of the node.
        public var probability: Double
        /// Q(u) as computed (in the input's units).
        public var value: Double
        /// Q′(u) = 1 / f(Q(u)) as computed (input units per unit of probability).
        public var slope: Double

        public var description: String {
            if !value.isFinite { return "the value at probability \(probability) is \(value)" }
            if !slope.isFinite { return "the slope at probability \(probability) is \(slope)" }
            return "the value at probability \(probability) (\(value)) is below the one before it"
        }
    }

    /// Tabulates `distribution` at `nodes` + 1 equally spaced probabilities (only the middle
    /// 15/16 of them are computed and used).
    ///
    /// - Precondition: `nodes` is a multiple of 32 and at least 64.
    public init(_ distribution: Distribution, nodes: Int = 4096) {
        precondition(nodes >= 64 && nodes % 32 == 0, "QuantileTable needs a multiple of 32 nodes, at least 64")
        self.distribution = distribution
        self.nodes = nodes
        var values = [Double](repeating: 0, count: nodes + 1)
        var slopes = values
        var defect: Defect?
        let support = distribution.support
        // The quantiles (iterative for beta and gamma: the cost of a table) on all cores; the
        // same numbers as one after the other.
        let first = nodes / 32
        // Scaling a beta quantile to min…max can round one unit in the last place past an end.
        let quantiles = ParallelValues.map(nodes - 2 * first + 1) { i in
            let x = distribution.quantile(Double(first + i) / Double(nodes))
            return x.isFinite ? Swift.min(Swift.max(x, support.lowerBound), support.upperBound) : x
        }
        // The densities too (three log-gammas and two powers each for a beta).
        let densities = ParallelValues.map(quantiles.count) { i in distribution.density(quantiles[i]) ?? 0 }
        for k in (nodes / 32)...(nodes - nodes / 32) {
            let u = Double(k) / Double(nodes)
            let x = quantiles[k - first]
            values[k] = x
            let f = densities[k - first]
            // An infinite density (a beta with α < 1 at 0) means a flat quantile: slope 0.
            slopes[k] = f > 0 ? 1 / f : 0
            if defect == nil,
               !x.isFinite || !slopes[k].isFinite || (k > nodes / 32 && x < values[k - 1]) {
                defect = Defect(probability: u, value: x, slope: slopes[k])
            }
        }
        // Fritsch–Carlson: a slope above 3 times the secant of an interval next to it lets the
        // cubic overshoot and turn back inside that interval. Where the quantile is smooth the
        // slope is close to the secant and nothing changes; where it is not (a flat stretch,
        // or a density that disagrees with the tabulated values) the limit keeps every
        // interval's cubic non-decreasing.
        let h = 1 / Double(nodes)
        for k in (nodes / 32)...(nodes - nodes / 32) {
            if k > nodes / 32 { slopes[k] = Swift.min(slopes[k], 3 * (values[k] - values[k - 1]) / h) }
            if k < nodes - nodes / 32 { slopes[k] = Swift.min(slopes[k], 3 * (values[k + 1] - values[k]) / h) }
            if !(slopes[k] >= 0) { slopes[k] = 0 }
        }
        self.values = values
        self.slopes = slopes
        self.defect = defect
        self.interpolates = defect == nil
    }

    /// The probabilities and values of the tabulated nodes, lowest first (for checks).
    public var tabulated: [(probability: Double, value: Double)] {
        ((nodes / 32)...(nodes - nodes / 32)).map { (Double($0) / Double(nodes), values[$0]) }
    }

    /// The probabilities u that ``quantile(_:)`` interpolates (from the first tabulated node to
    /// the last; outside, it calls the exact quantile), or nil when the table is not used.
    public var interpolatedProbabilities: ClosedRange<Double>? {
        interpolates ? Double(nodes / 32) / Double(nodes)...Double(nodes - nodes / 32) / Double(nodes) : nil
    }

    /// Q(u) for u in (0, 1).
    @inline(__always)
    public func quantile(_ u: Double) -> Double {
        let position = u * Double(nodes)
        let k = Int(position)
        guard interpolates, k >= nodes / 32, k < nodes - nodes / 32 else { return distribution.quantile(u) }
        let h = 1 / Double(nodes)
        let s = position - Double(k)
        let s2 = s * s, s3 = s2 * s
        let h10 = s3 - 2 * s2 + s
        let h01 = -2 * s3 + 3 * s2
        let h11 = s3 - s2
        // The Hermite cubic written as node value plus increment (h00 = 1 − h01), so that
        // rounding cannot make neighbouring draws decrease where the nodes are only a few
        // units in the last place apart.
        let lo = values[k], hi = values[k + 1]
        let x = lo + ((hi - lo) * h01 + h * (h10 * slopes[k] + h11 * slopes[k + 1]))
        return Swift.min(Swift.max(x, lo), hi)
    }
}
