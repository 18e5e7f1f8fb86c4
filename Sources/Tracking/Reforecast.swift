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
public struct Likelihood: Sendable {
    let actuals: Actuals
    let layout: RecordLayout
    /// Segments whose churn or new customers are in the actuals.
    let segmentsWithFlows: Set<Int>
    /// Per observation of a segment's customers lost whose month starts with an actual count of
    /// that segment's customers: that count (the binomial's n) and ln C(n, k) — constants of
    /// every trial, worked out once instead of in every one of the many thousand evaluations.
    let knownChurnTrials: [(n: Double, lnChoose: Double)?]

    init(actuals: Actuals, layout: RecordLayout) {
        self.actuals = actuals
        self.layout = layout
        var customers: [Int: [Int: Double]] = [:]
        var withFlows: Set<Int> = []
        for o in actuals.observations {
            switch o.metric {
            case .customers(let s?): customers[s, default: [:]][o.month] = o.value
            case .churned(let s?), .newCustomers(let s?): withFlows.insert(s)
            default: break
            }
        }
        segmentsWithFlows = withFlows
        knownChurnTrials = actuals.observations.map { o in
            guard case .churned(let s?) = o.metric, let n = customers[s]?[o.month - 1] else { return nil }
            let nn = Int(n.rounded()), kk = Int(o.value.rounded())
            return (n, kk >= 0 && kk <= nn ? SpecialFunctions.lnChoose(nn, kk) : -.infinity)
        }
    }

    /// The log-likelihood of every actual under one trial's recorded row.
    func logLikelihood(_ row: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for (k, observation) in actuals.observations.enumerated() {
            let base = layout.valueSlot(k)
            let simulated = row[base]
            let x = observation.value
            switch observation.metric {
            case .churned(let segment):
                if let known = knownChurnTrials[k] {
                    total += Likelihood.binomialLog(k: x, n: known.n, p: row[base + 1], lnChoose: known.lnChoose)
                } else if segment != nil {
                    total += Likelihood.binomialLog(k: x, n: row[base + 2], p: row[base + 1])
                } else {
                    total += Likelihood.normalLog(x, mean: row[base + 1], sd: (row[base + 2] + 0.25).squareRoot())
                }
            case .newCustomers:
                total += Likelihood.poissonLog(k: x, mean: row[base + 1])
            case .customers(let segment):
                if let s = segment, segmentsWithFlows.contains(s) { continue }
                if segment == nil && !segmentsWithFlows.isEmpty { continue }
                total += Likelihood.normalLog(x, mean: simulated, sd: max(1, 0.02 * abs(simulated)))
            case .activeUsers:
                // The model's unrounded users (the recorded forecast value is rounded).
                let users = row[base + 1]
                total += Likelihood.normalLog(x, mean: users, sd: max(0.5, 0.10 * abs(users)))
            case .adoption:
                total += Likelihood.normalLog(x, mean: simulated, sd: max(0.01, 0.10 * abs(simulated)))
            case .licenceCost:
                total += Likelihood.normalLog(x, mean: simulated, sd: max(1, 0.02 * abs(simulated)))
            case .otherCosts:
                total += Likelihood.normalLog(x, mean: simulated, sd: max(1, 0.10 * abs(simulated)))
            case .contributionMargin:
                total += Likelihood.normalLog(x, mean: simulated, sd: max(1, 0.05 * abs(simulated)))
            }
            if total == -.infinity { return total }
        }
        return total
    }

    /// ln of the Binomial(n, p) probability of k (−∞ when impossible); `lnChoose`, when given,
    /// is ln C(n, k) worked out beforehand.
    public static func binomialLog(k: Double, n: Double, p: Double, lnChoose: Double? = nil) -> Double {
        let kk = Int(k.rounded()), nn = Int(n.rounded())
        guard kk >= 0, kk <= nn else { return -.infinity }
        if p <= 0 { return kk == 0 ? 0 : -.infinity }
        if p >= 1 { return kk == nn ? 0 : -.infinity }
        return (lnChoose ?? SpecialFunctions.lnChoose(nn, kk)) + Double(kk) * log(p) + Double(nn - kk) * log1p(-p)
    }

    /// ln of the Poisson(μ) probability of k (−∞ when impossible).
    public static func poissonLog(k: Double, mean: Double) -> Double {
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
    /// How the re-forecast was made.
    public enum Method: Sendable {
        /// The run's trials weighted by the likelihood of the actuals.
        case importanceWeights
        /// Resample-move sequential Monte Carlo (``ResampleMove``), used when the weights
        /// collapse: particles in all, independent populations they form, the most tempering
        /// stages a population took, share of moves accepted.
        case resampleMove(particles: Int, replicates: Int, stages: Int, acceptanceRate: Double)
    }

    public let method: Method
    /// Effective sample size (Σw)² / Σw² of the likelihood weights on the run's trials: how
    /// many equally weighted trials the weighted set is worth.
    public let effectiveSampleSize: Double
    public let trials: Int
    /// How many independent futures the re-forecast's statistics are worth: the effective
    /// sample size of the weights or, for resample-move, the NPV's variance over the square of
    /// its between-population standard error (``npvStandardError``). Particles that share an
    /// ancestor are not independent, so this is usually far below the number of particles.
    public let effectiveSize: Double
    /// Monte Carlo standard error of the expected NPV (currency units), such that ±1.96 of it is
    /// a 95 % interval: the weighted standard deviation over √``effectiveSize`` for weights;
    /// for resample-move the standard deviation of the populations' means over √R, scaled by
    /// t(0.975, R − 1)/1.96 so that the few populations' own uncertainty is in it. NaN without a
    /// re-forecast.
    public let npvStandardError: Double
    /// Monte Carlo standard error of the chance of a loss (a share), in the same sense:
    /// √(p(1 − p)/``effectiveSize``) for weights, between populations for resample-move.
    public let lossStandardError: Double
    /// Independent resample-move populations whose spread measures the re-forecast's Monte
    /// Carlo error (R above).
    public static let replicates = 8
    /// Below this ESS the weights are not trusted and resample-move takes over.
    public static let minimumEffectiveSampleSize = 1000.0
    /// Whether the numbers can be shown: enough effective trials, or a resample-move run that
    /// reached the full likelihood.
    public let isReliable: Bool
    /// Why there is no reliable re-forecast (nil when there is one).
    public let failure: Failure?

    /// Why a re-forecast could not be made.
    public enum Failure: Sendable, Equatable {
        /// No simulated future makes the actuals possible at all (e.g. more customers lost
        /// than there were).
        case noFutureFits
        /// The resample-move population did not reach the actuals within its stage limit.
        case stageLimitReached
        /// No figures to weight by (cohorts only), and fewer trials than
        /// ``minimumEffectiveSampleSize``.
        case tooFewTrials
    }

    /// Statistics of the outcomes under the re-forecast.
    public let npv: WeightedSummary
    public let roi: WeightedSummary
    public let payback: WeightedSummary
    public let probabilityOfLoss: Double
    public let probabilityOfPayback: Double
    /// Per input (in ``TrialModel/inputs`` order): the re-forecast's summary of its values.
    public let inputs: [WeightedSummary]
    /// The same inputs as the run drew them (what the case assumed).
    public let priorInputs: [WeightedSummary]
    /// Per risk event: the share of futures in which it happens, before and after the actuals.
    public let riskSharesBefore: [Double]
    public let riskShares: [Double]
    /// Per tracked figure (in the order its metric first appears in the actuals), the
    /// re-forecast of its value in each month from the last month with actuals to the end of
    /// its path (``FollowUp/monthsAhead``); empty when nothing could be re-forecast.
    public let paths: [[WeightedSummary]]

    init(actuals: Actuals, result: SimulationResult, layout: RecordLayout, particles: Int) {
        let n = result.trials
        trials = n
        let likelihood = Likelihood(actuals: actuals, layout: layout)
        var logs = [Double](repeating: 0, count: n)
        for i in 0..<n {
            logs[i] = likelihood.logLikelihood(result.perTrial.recorded(i))
        }
        let top = logs.max() ?? 0
        var weights = logs.map { top.isFinite ? exp($0 - top) : 0 }
        let sum = weights.reduce(0, +)
        if sum > 0 { weights = weights.map { $0 / sum } }
        let squares = weights.reduce(0) { $0 + $1 * $1 }
        effectiveSampleSize = sum > 0 && squares > 0 ? 1 / squares : 0

        let per = result.perTrial
        let equal = [Double](repeating: 1 / Double(n), count: n)
        priorInputs = (0..<layout.inputs).map { j in
            WeightedSummary((0..<n).map { per.recorded($0)[layout.inputSlot(j)] }, weights: equal)
        }

        let R = result.model.riskCount
        riskSharesBefore = result.risks.map(\.occurred.value)
        var npvs: [Double], rois: [Double], paybacks: [Double], inputValues: [[Double]], w: [Double]
        // The figures' paths from the last month with actuals on, per path slot (nil: none).
        let lastMonth = actuals.lastMonth ?? 0
        let fromToday = layout.pathMonths.indices.filter { layout.pathMonths[$0] >= lastMonth }
        var pathValues: (_ slot: Int) -> [Double]? = { _ in nil }
        var shares = [Double](repeating: .nan, count: R)
        // Per resample-move population: its mean NPV and its chance of a loss.
        var replicateMeans: (npv: [Double], loss: [Double])? = nil
        if effectiveSampleSize >= Reforecast.minimumEffectiveSampleSize || actuals.observations.isEmpty {
            method = .importanceWeights
            isReliable = effectiveSampleSize >= Reforecast.minimumEffectiveSampleSize
            failure = isReliable ? nil : .tooFewTrials
            npvs = (0..<n).map { per.npv($0) }
            rois = (0..<n).map { per.roi($0) }
            paybacks = (0..<n).map { per.payback($0) }
            inputValues = (0..<layout.inputs).map { j in (0..<n).map { per.recorded($0)[layout.inputSlot(j)] } }
            w = weights
            for r in 0..<R {
                shares[r] = (0..<n).reduce(0) { $0 + (per.riskOccurred($1, risk: r) ? weights[$1] : 0) }
            }
            pathValues = { slot in (0..<n).map { per.recorded($0)[slot] } }
        } else if let runs = ResampleMove.replicated(model: result.model, actuals: actuals, seed: result.options.seed,
                                                     particles: particles, replicates: Reforecast.replicates,
                                                     threads: result.options.threads) {
            let total = runs.reduce(0) { $0 + $1.particles }
            let proposed = runs.reduce(0.0) { $0 + Double($1.particles * $1.stages) }
            let accepted = runs.reduce(0.0) { $0 + $1.acceptanceRate * Double($1.particles * $1.stages) }
            method = .resampleMove(particles: total, replicates: runs.count, stages: runs.map(\.stages).max() ?? 0,
                                   acceptanceRate: proposed > 0 ? accepted / proposed : 0)
            let converged = runs.allSatisfy(\.converged)
            isReliable = converged
            failure = converged ? nil : .stageLimitReached
            npvs = runs.flatMap(\.npv)
            rois = runs.flatMap(\.roi)
            paybacks = runs.flatMap(\.payback)
            inputValues = (0..<layout.inputs).map { j in runs.flatMap { $0.inputs[j] } }
            w = [Double](repeating: 1 / Double(total), count: total)
            for r in 0..<R {
                shares[r] = runs.reduce(0.0) { $0 + $1.riskShares[r] * Double($1.particles) } / Double(total)
            }
            pathValues = { slot in runs.flatMap { $0.paths[slot - layout.pathBase] } }
            replicateMeans = (runs.map { mean($0.npv) }, runs.map { run in
                Double(run.npv.filter { $0 < 0 }.count) / Double(max(1, run.particles))
            })
        } else {
            // No simulated future makes the actuals possible at all.
            method = .importanceWeights
            isReliable = false
            failure = .noFutureFits
            npvs = []; rois = []; paybacks = []; inputValues = (0..<layout.inputs).map { _ in [] }; w = []
        }
        npv = WeightedSummary(npvs, weights: w)
        roi = WeightedSummary(rois, weights: w)
        payback = WeightedSummary(paybacks, weights: w)
        var loss = 0.0, paid = 0.0
        for i in w.indices {
            if npvs[i] < 0 { loss += w[i] }
            if paybacks[i].isFinite { paid += w[i] }
        }
        probabilityOfLoss = loss
        probabilityOfPayback = paid
        if let replicateMeans {
            let scale = Reforecast.replicateErrorScale(replicates: replicateMeans.npv.count)
            npvStandardError = Reforecast.standardErrorOfMean(replicateMeans.npv) * scale
            lossStandardError = Reforecast.standardErrorOfMean(replicateMeans.loss) * scale
            effectiveSize = npvStandardError > 0 ? npv.standardDeviation * npv.standardDeviation / (npvStandardError * npvStandardError)
                                                 : Double(npvs.count)
        } else if w.isEmpty {
            effectiveSize = 0
            npvStandardError = .nan
            lossStandardError = .nan
        } else {
            effectiveSize = effectiveSampleSize
            npvStandardError = npv.standardDeviation / effectiveSampleSize.squareRoot()
            lossStandardError = (loss * (1 - loss) / effectiveSampleSize).squareRoot()
        }
        inputs = inputValues.map { WeightedSummary($0, weights: w) }
        riskShares = shares
        let weightsUsed = w
        paths = w.isEmpty ? [] : layout.figures.indices.map { f in
            fromToday.map { m in WeightedSummary(pathValues(layout.pathSlot(f, m)) ?? [], weights: weightsUsed) }
        }
    }
}

/// Mean and percentiles of values with weights that add up to 1.
///
/// A percentile p is the smallest value whose cumulative weight reaches p (the inverse of the
/// weighted empirical distribution). Values that are not finite (no payback: +∞) take part
/// in the percentiles but not in the mean.
public struct WeightedSummary: Sendable {
    public let mean: Double
    /// Weighted standard deviation of the finite values around ``mean`` (0 for one value,
    /// NaN for none): Σw(v − mean)² / Σw, the spread of the weighted distribution itself.
    public let standardDeviation: Double
    /// P5, P10, P25, P50, P75, P90, P95.
    public let percentiles: [Double]

    public init(_ values: [Double], weights: [Double]) {
        var total = 0.0, weightSum = 0.0
        for (v, w) in zip(values, weights) where v.isFinite && w > 0 {
            total += v * w
            weightSum += w
        }
        mean = weightSum > 0 ? total / weightSum : .nan
        var squares = 0.0
        for (v, w) in zip(values, weights) where v.isFinite && w > 0 {
            squares += w * (v - mean) * (v - mean)
        }
        standardDeviation = weightSum > 0 ? (squares / weightSum).squareRoot() : .nan
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

extension Reforecast {
    /// The standard error of the mean of `values` (independent replicates): their sample
    /// standard deviation over √count; 0 for fewer than two.
    static func standardErrorOfMean(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        return (variance / Double(values.count)).squareRoot()
    }

    /// t(0.975, R − 1)/1.96: with R populations the standard error is itself uncertain, so a
    /// 95 % interval is wider than ±1.96 of it; folding the factor in lets every user of
    /// ``npvStandardError`` keep ±1.96.
    static func replicateErrorScale(replicates: Int) -> Double {
        replicates > 1 ? CDF.studentTQuantile(0.975, degreesOfFreedom: Double(replicates - 1)) / 1.959_963_984_540_054 : 1
    }
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}
