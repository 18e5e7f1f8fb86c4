/// A fast, accurate stand-in for a quantile function that GSL can only invert iteratively
/// (PERT, beta, gamma: about 2 µs a call, which would dominate a trial).
///
/// The exact quantile Q(u) and its derivative Q′(u) = 1 / f(Q(u)) are computed by GSL at
/// equally spaced points of u, and Q is interpolated between them with cubic Hermite
/// polynomials, whose error is of order h⁴·Q⁗/384 (h = 1/nodes). In the tails — the lowest
/// and highest 1/32 of probability, where Q⁗ grows without bound — the exact GSL quantile is
/// used, so about 6 % of draws pay the full price. The test suite checks the table against
/// the exact quantile to a relative 1e-9 of the distribution's 90 % range.
public struct QuantileTable: Sendable {
    private let distribution: Distribution
    private let values: [Double]
    private let slopes: [Double]
    private let nodes: Int

    public init(_ distribution: Distribution, nodes: Int = 4096) {
        self.distribution = distribution
        self.nodes = nodes
        var values = [Double](repeating: 0, count: nodes + 1)
        var slopes = values
        for k in (nodes / 32)...(nodes - nodes / 32) {
            let u = Double(k) / Double(nodes)
            let x = distribution.quantile(u)
            values[k] = x
            let f = distribution.density(x) ?? 0
            slopes[k] = f > 0 ? 1 / f : 0
        }
        self.values = values
        self.slopes = slopes
    }

    /// Q(u) for u in (0, 1).
    @inline(__always)
    public func quantile(_ u: Double) -> Double {
        let position = u * Double(nodes)
        let k = Int(position)
        guard k >= nodes / 32, k < nodes - nodes / 32 else { return distribution.quantile(u) }
        let h = 1 / Double(nodes)
        let s = position - Double(k)
        let s2 = s * s, s3 = s2 * s
        let h00 = 2 * s3 - 3 * s2 + 1
        let h10 = s3 - 2 * s2 + s
        let h01 = -2 * s3 + 3 * s2
        let h11 = s3 - s2
        return h00 * values[k] + h10 * h * slopes[k] + h01 * values[k + 1] + h11 * h * slopes[k + 1]
    }
}
