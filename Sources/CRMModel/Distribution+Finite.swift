import Synchronization

/// A check, once per input when a scenario is read, that no uniform a trial can use turns
/// into a value that is not a finite number. A NaN draw does not stop a trial: it silently
/// means no churners, no new customers or a trial missing from the statistics. So the
/// scenario is refused instead, naming the input and the probability.
extension Distribution {
    /// A probability at which the quantile is not a finite number.
    public struct NonFiniteDraw: Sendable, Equatable {
        /// The uniform u (a share in (0, 1)) whose draw failed.
        public var probability: Double
        /// What the quantile gave at u: NaN or ±∞.
        public var value: Double
    }

    /// The probabilities ``firstNonFiniteDraw()`` always tries: the most extreme uniforms
    /// the engine produces (2⁻⁵³ and 1 − 2⁻⁵³), the far tails (1e-12, 1e-9, 1e-6, 1e-4 and
    /// their mirrors), and every 0.001 from 0.001 to 0.999.
    public static let finiteCheckProbabilities: [Double] = {
        let tails = [0x1p-53, 1e-12, 1e-9, 1e-6, 1e-4]
        var grid = tails
        grid += (1...999).map { Double($0) / 1000 }
        grid += tails.reversed().map { 1 - $0 }
        return grid
    }()

    /// The first probability at which a draw of this distribution is not a finite number,
    /// or nil when every draw is finite.
    ///
    /// It tries ``finiteCheckProbabilities`` through the exact quantile and, for the beta
    /// and gamma families, every node of the ``QuantileTable`` trials draw through (a table
    /// is built for this: about 4 000 quantiles, a few milliseconds); where a sound table
    /// answers the uniforms, only the probabilities outside it go through the exact quantile. A passing check is
    /// strong evidence, not proof, for the probabilities in between; those are as exact as
    /// `CDF.betaQuantile` and `CDF.gammaQuantile`, which never return NaN for finite positive
    /// parameters.
    ///
    /// The answer is kept per distribution for the life of the process: a comparison loads
    /// its base scenario once per variant, and a workshop reloads it on every change.
    public func firstNonFiniteDraw() -> NonFiniteDraw? {
        if let known = Distribution.finiteChecks.withLock({ $0[self] }) { return known }
        let answer = uncachedFirstNonFiniteDraw()
        Distribution.finiteChecks.withLock { checks in
            if checks.count >= 4096 { checks.removeAll() }
            checks[self] = .some(answer)   // .some: a plain nil would remove the entry
        }
        return answer
    }

    /// Per distribution checked, its ``firstNonFiniteDraw()`` (nil inside: every draw finite).
    private static let finiteChecks = Mutex<[Distribution: NonFiniteDraw?]>([:])

    private func uncachedFirstNonFiniteDraw() -> NonFiniteDraw? {
        var probabilities = Distribution.finiteCheckProbabilities
        if hasIterativeQuantile {
            // The table the trials will draw through (shared: the model reuses it). Every node
            // must be finite; a sound table then answers every uniform between its first and last
            // node (its interpolant stays between two finite nodes), so the exact quantile —
            // about 2 µs a call, the cost of reading a scenario — is tried only where trials use
            // it: in the tails outside the table, with a margin of a thousandth.
            let table = QuantileTable.shared(self)
            for node in table.tabulated where !node.value.isFinite {
                return NonFiniteDraw(probability: node.probability, value: node.value)
            }
            if let defect = table.defect, !defect.value.isFinite {
                return NonFiniteDraw(probability: defect.probability, value: defect.value)
            }
            if table.defect == nil, let range = table.interpolatedProbabilities {
                probabilities.removeAll { $0 > range.lowerBound + 0.001 && $0 < range.upperBound - 0.001 }
            }
            // The exact quantiles on all cores, then the first bad one in order.
            let tried = probabilities
            let draws = ParallelValues.map(tried.count) { quantile(tried[$0]) }
            if let k = draws.firstIndex(where: { !$0.isFinite }) { return NonFiniteDraw(probability: tried[k], value: draws[k]) }
            return nil
        }
        for u in probabilities {
            let x = quantile(u)
            if !x.isFinite { return NonFiniteDraw(probability: u, value: x) }
        }
        return nil
    }
}
