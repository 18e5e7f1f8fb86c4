import CRMModel

/// The mean and 90 % range an input is shown with (the report's input table, `inputs.csv`):
/// its distribution's mean, 5th and 95th percentile; a fixed number is all three.
struct InputRange {
    let mean: Double
    let p5: Double
    let p95: Double

    init(_ distribution: Distribution) {
        mean = distribution.mean
        p5 = distribution.isFixed ? mean : distribution.quantile(0.05)
        p95 = distribution.isFixed ? mean : distribution.quantile(0.95)
    }
}
