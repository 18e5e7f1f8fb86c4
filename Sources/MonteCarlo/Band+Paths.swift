extension Band {
    /// The band of `trials` monthly paths stored path after path: path k's value in month t at
    /// `values[k * rowStride + offset + t]` (`offset` picks a segment's stretch of a row that
    /// holds every segment). Per month: the type-7 10th, 50th and 90th percentiles and the mean,
    /// summed in path order (so the figures do not depend on the number of threads).
    ///
    /// The months are taken 16 at a time (a cache line of `Float`s): each job reads its stretch
    /// of every path once, in order. Reading each month's values on its own, one per cache line
    /// (and through a closure), was about half of a run's summary.
    init(paths values: UnsafeBufferPointer<Float>, trials: Int, months: Int, rowStride: Int, offset: Int) {
        precondition(trials > 0 && months > 0, "a band needs at least one path and one month")
        precondition((trials - 1) * rowStride + offset + months <= values.count, "band outside its column")
        let chunk = 16
        let source = UnsafeSendable(values)
        let chunks: [[(p10: Double, p50: Double, p90: Double, mean: Double)]] =
            parallelMap((months + chunk - 1) / chunk) { c in
                let values = source.value
                let first = c * chunk, count = min(chunk, months - first)
                // Month j of the chunk in columns[j * trials ..< (j + 1) * trials].
                var columns = [Double](repeating: 0, count: count * trials)
                var sums = [Double](repeating: 0, count: count)
                columns.withUnsafeMutableBufferPointer { columns in
                    guard let base = values.baseAddress, let out = columns.baseAddress else { return }
                    for j in 0..<count {
                        let from = base + offset + first + j, to = out + j * trials
                        var sum = 0.0
                        for k in 0..<trials {
                            let value = Double(from[k * rowStride])
                            to[k] = value
                            sum += value
                        }
                        sums[j] = sum
                    }
                }
                return (0..<count).map { j in
                    var column = Array(columns[(j * trials)..<((j + 1) * trials)])
                    let q = OrderStatistics.quantiles(&column, [0.1, 0.5, 0.9])
                    return (q[0], q[1], q[2], sums[j] / Double(trials))
                }
            }
        let perMonth = chunks.flatMap { $0 }
        self.init(p10: perMonth.map(\.p10), p50: perMonth.map(\.p50), p90: perMonth.map(\.p90),
                  mean: perMonth.map(\.mean))
    }
}
