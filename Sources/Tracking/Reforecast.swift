import CRMModel
import Foundation
import GSLSupport
import MonteCarlo

/// How likely a trial makes the actuals: the weight of the trial in the re-forecast.
///
/// The observation models (stated in the follow-up report and in `docs/MODEL.md`):
/// - **churned** in a segment: Binomial(n, p) with the trial's churn probability p of that month
///   and n the customers at the start of the month — the actual count when the actuals give it,
///   otherwise the trial's own. For all segments together a normal approximation with the
///   summed mean and variance (plus ¼ for the discreteness).
/// - **new customers**: Poisson with the trial's expected arrivals of that month.
/// - **customers**: used as n above when the same segment has churn or new-customer actuals;
///   otherwise normal around the trial's value with a standard deviation of 2 % (at least 1).
/// - **active users** and **adoption**: normal around the trial's value, sd 10 % (at least half
///   a user, or 1 point of adoption) — usage counts are noisy and definitions vary.
/// - **licence cost**: normal, sd 2 % (invoices are exact up to timing and currency).
/// - **other costs**: normal, sd 10 % (cost attribution to the project is rough).
/// - **contribution margin**: normal, sd 5 %.
public enum Likelihood {
    /// The log-likelihood of every actual under one trial's recorded row.
    static func logLikelihood(_ row: UnsafeBufferPointer<Double>, actuals: Actuals, layout: RecordLayout,
                              actualCustomers: [Int: [Int: Double]], segmentsWithFlows: Set<Int>) -> Double {
        var total = 0.0
        for (k, observation) in actuals.observations.enumerated() {
            let base = layout.valueSlot(k)
            let simulated = row[base]
            let x = observation.value
            switch observation.metric {
            case .churned(let segment):
                if let s = segment {
                    let p = row[base + 1]
                    let n = actualCustomers[s]?[observation.month - 1] ?? row[base + 2]
                    total += binomialLog(k: x, n: n, p: p)
                } else {
                    total += normalLog(x, mean: row[base + 1], sd: (row[base + 2] + 0.25).squareRoot())
                }
            case .newCustomers:
                total += poissonLog(k: x, mean: row[base + 1])
            case .customers(let segment):
                if let s = segment, segmentsWithFlows.contains(s) { continue }
                if segment == nil && !segmentsWithFlows.isEmpty { continue }
                total += normalLog(x, mean: simulated, sd: max(1, 0.02 * abs(simulated)))
            case .activeUsers:
                total += normalLog(x, mean: simulated, sd: max(0.5, 0.10 * abs(simulated)))
            case .adoption:
                total += normalLog(x, mean: simulated, sd: max(0.01, 0.10 * abs(simulated)))
            case .licenceCost:
                total += normalLog(x, mean: simulated, sd: max(1, 0.02 * abs(simulated)))
            case .otherCosts:
                total += normalLog(x, mean: simulated, sd: max(1, 0.10 * abs(simulated)))
            case .contributionMargin:
                total += normalLog(x, mean: simulated, sd: max(1, 0.05 * abs(simulated)))
            }
            if total == -.infinity { return total }
        }
        return total
    }

    /// ln of the Binomial(n, p) probability of k (−∞ when impossible).
    static func binomialLog(k: Double, n: Double, p: Double) -> Double {
        let kk = Int(k.rounded()), nn = Int(n.rounded())
        guard kk >= 0, kk <= nn else { return -.infinity }
        if p <= 0 { return kk == 0 ? 0 : -.infinity }
        if p >= 1 { return kk == nn ? 0 : -.infinity }
        return SpecialFunctions.lnChoose(nn, kk) + Double(kk) * log(p) + Double(nn - kk) * log1p(-p)
    }

    /// ln of the Poisson(μ) probability of k (−∞ when impossible).
    static func poissonLog(k: Double, mean: Double) -> Double {
        let kk = k.rounded()
        guard kk >= 0 else { return -.infinity }
        if mean <= 0 { return kk == 0 ? 0 : -.infinity }
        return kk * log(mean) - mean - SpecialFunctions.lnGamma(kk + 1)
    }

    /// ln of the normal density up to a constant.
    static func normalLog(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return -0.5 * z * z - log(sd)
    }
}

/// The business case again, with each trial weighted by how well it matches the actuals.
public struct Reforecast: Sendable {
    /// Effective sample size (Σw)² / Σw²: how many equally weighted trials the weighted set is
    /// worth. A posterior from a few hundred or fewer is not reported as solid.
    public let effectiveSampleSize: Double
    public let trials: Int
    /// The least ESS at which the report shows re-forecast numbers.
    public static let minimumEffectiveSampleSize = 300.0

    public var isReliable: Bool { effectiveSampleSize >= Reforecast.minimumEffectiveSampleSize }

    /// Weighted statistics of the outcomes (means and percentiles are over trials with weights).
    public let npv: WeightedSummary
    public let roi: WeightedSummary
    public let payback: WeightedSummary
    public let probabilityOfLoss: Double
    public let probabilityOfPayback: Double
    /// Per input (in ``TrialModel/inputs`` order): the drawn values' weighted summary.
    public let inputs: [WeightedSummary]
    /// The same inputs without weights (what the case assumed).
    public let priorInputs: [WeightedSummary]
    /// Normalised weight of each trial (adds up to 1).
    public let weights: [Double]

    init(actuals: Actuals, result: SimulationResult, layout: RecordLayout) {
        let n = result.trials
        trials = n
        var actualCustomers: [Int: [Int: Double]] = [:]
        var withFlows: Set<Int> = []
        for o in actuals.observations {
            switch o.metric {
            case .customers(let s?): actualCustomers[s, default: [:]][o.month] = o.value
            case .churned(let s?), .newCustomers(let s?): withFlows.insert(s)
            default: break
            }
        }
        var logs = [Double](repeating: 0, count: n)
        for i in 0..<n {
            logs[i] = Likelihood.logLikelihood(result.perTrial.recorded(i), actuals: actuals, layout: layout,
                                               actualCustomers: actualCustomers, segmentsWithFlows: withFlows)
        }
        let top = logs.max() ?? 0
        var weights = logs.map { top.isFinite ? exp($0 - top) : 0 }
        let sum = weights.reduce(0, +)
        if sum > 0 { weights = weights.map { $0 / sum } }
        let squares = weights.reduce(0) { $0 + $1 * $1 }
        effectiveSampleSize = sum > 0 && squares > 0 ? 1 / squares : 0
        self.weights = weights

        let per = result.perTrial
        npv = WeightedSummary((0..<n).map { per.npv($0) }, weights: weights)
        roi = WeightedSummary((0..<n).map { per.roi($0) }, weights: weights)
        payback = WeightedSummary((0..<n).map { per.payback($0) }, weights: weights)
        var loss = 0.0, paid = 0.0
        for i in 0..<n {
            if per.npv(i) < 0 { loss += weights[i] }
            if per.payback(i).isFinite { paid += weights[i] }
        }
        probabilityOfLoss = loss
        probabilityOfPayback = paid
        let equal = [Double](repeating: 1 / Double(n), count: n)
        var posterior: [WeightedSummary] = []
        var prior: [WeightedSummary] = []
        for j in 0..<layout.inputs {
            let values = (0..<n).map { per.recorded($0)[layout.inputSlot(j)] }
            posterior.append(WeightedSummary(values, weights: weights))
            prior.append(WeightedSummary(values, weights: equal))
        }
        inputs = posterior
        priorInputs = prior
    }
}

/// Mean and percentiles of values with weights that add up to 1.
///
/// A percentile p is the smallest value whose cumulative weight reaches p (the inverse of the
/// weighted empirical distribution). Values that are not finite (no payback: +∞) take part
/// in the percentiles but not in the mean.
public struct WeightedSummary: Sendable {
    public let mean: Double
    /// P5, P10, P25, P50, P75, P90, P95.
    public let percentiles: [Double]

    public init(_ values: [Double], weights: [Double]) {
        var total = 0.0, weightSum = 0.0
        for (v, w) in zip(values, weights) where v.isFinite && w > 0 {
            total += v * w
            weightSum += w
        }
        mean = weightSum > 0 ? total / weightSum : .nan
        let order = values.indices.filter { !values[$0].isNaN }.sorted { values[$0] < values[$1] }
        let all = order.reduce(0) { $0 + weights[$1] }
        percentiles = reportedPercentiles.map { p in
            guard all > 0 else { return .nan }
            var cumulative = 0.0
            for i in order {
                cumulative += weights[i]
                if cumulative >= p * all - 1e-15 { return values[i] }
            }
            return values[order.last!]
        }
    }

    public func percentile(_ p: Double) -> Double {
        percentiles[reportedPercentiles.firstIndex { abs($0 - p) < 1e-12 }!]
    }
}
