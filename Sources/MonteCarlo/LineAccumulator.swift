/// Welford's running mean and sum of squared deviations, for one block of trials.
struct LineAccumulator {
    var count = 0
    var mean: [Double]
    var m2: [Double]

    init(lines: Int) {
        mean = Array(repeating: 0, count: lines)
        m2 = mean
    }

    /// Back to no trials, keeping the arrays.
    mutating func reset() {
        count = 0
        for l in mean.indices {
            mean[l] = 0
            m2[l] = 0
        }
    }

    mutating func add(_ values: [Double]) {
        count += 1
        let n = Double(count)
        for l in values.indices {
            let delta = values[l] - mean[l]
            mean[l] += delta / n
            m2[l] += delta * (values[l] - mean[l])
        }
    }
}
