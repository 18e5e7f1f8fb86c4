import CRMModel

extension Band {
    /// The band of `trials` monthly paths stored path after path: path k's value in month t at
    /// `values[k * rowStride + offset + t]` (`offset` picks a segment's stretch of a row that
    /// holds every segment). Per month: the type-7 10th, 50th and 90th percentiles and the mean,
    /// summed in path order (so the figures do not depend on the number of threads).
    ///
    /// Each job takes a run of consecutive months and gathers one month at a time into a
    /// column of its own (one per job, reused), reading a value from every path. The rows of
    /// neighbouring months share cache lines, so the months after a run's first mostly read
    /// from the cache. Runs are at most 16 months long, and short enough that every core gets
    /// about two of them. Before, each month was a job of its own that read its values through
    /// a closure, one cache miss per value, and that was about half of a run's summary.
    @_spi(Testing)
    public init(paths values: UnsafeBufferPointer<Float>, trials: Int, months: Int, rowStride: Int, offset: Int) {
        precondition(trials > 0 && months > 0, "a band needs at least one path and one month")
        precondition((trials - 1) * rowStride + offset + months <= values.count, "band outside its column")
        let run = max(1, min(16, months / (2 * Cores.available)))
        // Not nil: the preconditions make `values` hold at least `months` ≥ 1 values.
        let source = UnsafeSendable(values.baseAddress!)
        let runs: [[(p10: Double, p50: Double, p90: Double, mean: Double)]] =
            parallelMap((months + run - 1) / run) { r in
                let base = source.value
                var column = [Double](repeating: 0, count: trials)
                return (r * run..<min(months, (r + 1) * run)).map { t in
                    var sum = 0.0
                    column.withUnsafeMutableBufferPointer { column in
                        let month = base + offset + t
                        for k in 0..<trials {
                            let value = Double(month[k * rowStride])
                            column[k] = value
                            sum += value
                        }
                    }
                    // The selection reorders the column; the next month overwrites all of it.
                    let q = OrderStatistics.quantiles(&column, [0.1, 0.5, 0.9])
                    return (q[0], q[1], q[2], sum / Double(trials))
                }
            }
        let perMonth = runs.flatMap { $0 }
        self.init(p10: perMonth.map(\.p10), p50: perMonth.map(\.p50), p90: perMonth.map(\.p90),
                  mean: perMonth.map(\.mean))
    }
}
