import CRMModel
import GSLSupport
import MonteCarlo

/// Expected versus realized: every actual set against the business case's forecast for the same
/// metric and month, the calibration of the forecast, and a re-forecast conditioned on the actuals.
///
/// The forecast of a metric in a month is its distribution over the run's trials. The
/// re-forecast weights each trial by the likelihood of the actuals under that trial
/// (``Likelihood``) and summarises the outcomes with those weights.
public struct FollowUp: Sendable {
    public let actuals: Actuals
    public let result: SimulationResult
    public let points: [Point]
    /// Realized values inside the forecast's central 50 % and 90 %: those whose randomised PIT
    /// (the share of futures below the actual, plus a keyed random part of those equal to it)
    /// lies in 25…75 % and 5…95 %, so whole-number figures with many ties do not over-cover.
    public let inside50: Probability
    public let inside90: Probability
    public let reforecast: Reforecast
    /// Every tracked figure (a metric, in one segment or all), ranked by how far off plan it
    /// is (``TrackedFigure/ranked(_:)``): behind plan first.
    public let figures: [TrackedFigure]

    /// (worse − better)/√(worse + better): how many standard deviations the misses lean to the
    /// bad side, if a calibrated forecast misses on either side with even odds (0 when none miss).
    public static func lean(worse: Int, better: Int) -> Double {
        let n = worse + better
        return n > 0 ? Double(worse - better) / Double(n).squareRoot() : 0
    }

    /// Whether most actuals lie outside the forecast's 90 % ranges: the case did not think
    /// them possible, so a re-forecast can only move its assumptions to the edges of their
    /// ranges, and the report says so.
    public var actualsOutsideTheCase: Bool {
        points.count >= Self.minimumFiguresForCoverage && inside90.value < 0.5
    }

    /// Fewer actuals than this say nothing about how many fall inside the forecast's ranges.
    public static let minimumFiguresForCoverage = 4

    /// One actual against its forecast.
    public struct Point: Sendable {
        public let observation: Observation
        /// The forecast: P5, P10, P25, P50, P75, P90, P95 (``reportedPercentiles``) and the mean.
        public let forecast: Summary
        /// Where the actual falls in the forecast, 0…1: the share of trials below it, counting
        /// ties half (the mid-distribution value, which is uniform for a calibrated forecast of
        /// a continuous metric and nearly so for counts).
        public let percentile: Double
        /// Share of trials strictly below the actual, and at or below it. Their difference is
        /// the forecast's probability of exactly the actual (ties of a count); a uniform point
        /// between them is exactly uniform for a calibrated forecast (the randomised PIT).
        public let shareBelow: Double
        public let shareAtOrBelow: Double
        /// Actual − forecast median, in the metric's unit.
        public let deviation: Double
        /// Deviation ÷ |median| (nil when the median is 0).
        public let relativeDeviation: Double?
        public let verdict: Verdict

        /// Whether the actual lies in the forecast's central 50 % (P25–P75, ends included):
        /// "as expected". (The calibration counts use the randomised PIT instead, ``inside50``.)
        public var isInsideCentral50: Bool { FollowUp.isInside(observation.value, forecast, central: 0.5) }
        /// Whether the actual lies in the forecast's central 90 % (P5–P95, ends included).
        public var isInsideCentral90: Bool { FollowUp.isInside(observation.value, forecast, central: 0.9) }
    }

    /// Whether `value` lies in the forecast's central 50 % (P25–P75) or 90 % (P5–P95), ends included.
    public static func isInside(_ value: Double, _ forecast: Summary, central: Double) -> Bool {
        precondition(central == 0.5 || central == 0.9, "only the central 50 % and 90 % are reported")
        let tail = (1 - central) / 2
        return value >= forecast.percentile(tail) && value <= forecast.percentile(1 - tail)
    }

    /// The survey's own answer categories for a follow-up (CBS 2013), plus "as expected", and
    /// for figures where a percentage swing says little, where the actual falls in the forecast.
    ///
    /// The rule (docs/MODEL.md):
    /// - inside the forecast's central 50 % (P25–P75): **as expected**, always;
    /// - an amount (costs, margin) with a median other than 0, or a count (customers, customers
    ///   lost or won, active users) whose forecast median is at least ``percentageMinimumCount``:
    ///   the deviation from the median relative to the median, in the survey's categories;
    /// - otherwise (small counts, a median of 0, adoption — a share, where "10 % worse" could
    ///   mean points or per cent): **worse/better than expected** inside the forecast's 90 %
    ///   range (P5–P95), **far worse/better than expected** outside it.
    /// "Worse" reads each figure in its direction (more churn is worse, more users better).
    public enum Verdict: String, Sendable, CaseIterable {
        case muchWorse = "more than 25 % worse"
        case worse = "10–25 % worse"
        case slightlyWorse = "0–10 % worse"
        case asExpected = "as expected"
        case slightlyBetter = "0–10 % better"
        case better = "10–25 % better"
        case muchBetter = "more than 25 % better"
        case farWorseThanExpected = "far worse than expected"
        case worseThanExpected = "worse than expected"
        case betterThanExpected = "better than expected"
        case farBetterThanExpected = "far better than expected"

        /// Smallest forecast median of a count for which a percentage deviation is used: from
        /// 20 on, one unit more or less moves the percentage by at most 5 points — half the
        /// narrowest survey category (0–10 %) — so a category is not decided by a single
        /// customer. Below it, a swing such as 0 against 2 (−100 %) is ordinary noise.
        public static let percentageMinimumCount = 20.0

        /// Whether a percentage deviation from the median is meaningful for this figure.
        public static func usesPercentage(metric: TrackedMetric, median: Double) -> Bool {
            guard median != 0, median.isFinite else { return false }
            switch metric {
            case .licenceCost, .otherCosts, .contributionMargin: return true
            case .customers, .churned, .newCustomers, .activeUsers: return abs(median) >= percentageMinimumCount
            case .adoption: return false
            }
        }

        public static func classify(actual: Double, forecast: Summary, metric: TrackedMetric) -> Verdict {
            if FollowUp.isInside(actual, forecast, central: 0.5) { return .asExpected }
            let direction = metric.direction
            let median = forecast.median
            guard usesPercentage(metric: metric, median: median) else {
                let inside90 = FollowUp.isInside(actual, forecast, central: 0.9)
                // Outside P25–P75, so the actual is on one side of the median.
                let good = direction * (actual - median) > 0
                switch (good, inside90) {
                case (false, true): return .worseThanExpected
                case (false, false): return .farWorseThanExpected
                case (true, true): return .betterThanExpected
                case (true, false): return .farBetterThanExpected
                }
            }
            let signed = direction * (actual - median) / abs(median)
            switch signed {
            case ..<(-0.25): return .muchWorse
            case ..<(-0.10): return .worse
            case ..<0: return .slightlyWorse
            case ...0.10: return .slightlyBetter
            case ...0.25: return .better
            default: return .muchBetter
            }
        }

        public var isWorse: Bool {
            [.muchWorse, .worse, .slightlyWorse, .worseThanExpected, .farWorseThanExpected].contains(self)
        }
        public var isBetter: Bool {
            [.muchBetter, .better, .slightlyBetter, .betterThanExpected, .farBetterThanExpected].contains(self)
        }
        /// More than 25 % worse, or outside the forecast's 90 % range on the bad side.
        public var isFarWorse: Bool { self == .muchWorse || self == .farWorseThanExpected }
        /// Whether the verdict is a percentile judgement rather than a survey category.
        public var isByPercentile: Bool {
            [.worseThanExpected, .farWorseThanExpected, .betterThanExpected, .farBetterThanExpected].contains(self)
        }
    }

    /// Builds the follow-up from a run made with ``FollowUp/recorder(for:model:)``.
    ///
    /// - Parameter particles: population size of the resample-move re-forecast, used when the
    ///   likelihood weights on the run's trials collapse.
    public init(actuals: Actuals, result: SimulationResult, particles: Int = 4000) {
        self.actuals = actuals
        self.result = result
        let layout = RecordLayout(actuals: actuals, inputs: result.model.inputs.count, horizon: result.model.horizon)
        let n = result.trials
        var points: [Point] = []
        var in50 = 0, in90 = 0
        for (k, observation) in actuals.observations.enumerated() {
            var values = [Double](repeating: 0, count: n)
            for i in 0..<n { values[i] = result.perTrial.recorded(i)[layout.valueSlot(k)] }
            var below = 0, equal = 0
            for v in values {
                if v < observation.value { below += 1 } else if v == observation.value { equal += 1 }
            }
            let forecast = Summary(values)
            let median = forecast.median
            let point = Point(
                observation: observation, forecast: forecast,
                percentile: (Double(below) + 0.5 * Double(equal)) / Double(n),
                shareBelow: Double(below) / Double(n),
                shareAtOrBelow: Double(below + equal) / Double(n),
                deviation: observation.value - median,
                relativeDeviation: median != 0 ? (observation.value - median) / abs(median) : nil,
                verdict: Verdict.classify(actual: observation.value, forecast: forecast,
                                          metric: observation.metric))
            // Calibration counts by the randomised PIT: the actual's place among the futures,
            // with the futures that tie with it split at random. For a whole-number figure many
            // futures tie, and "P25 ≤ actual ≤ P75" (or the mid-rank) would count the ties as
            // inside and over-cover; the randomised PIT is exactly uniform for a calibrated
            // forecast. The uniform is keyed by the run's seed and the point, so the report is
            // reproducible.
            let tie = KeyedUniforms(seed: result.options.seed ^ 0x7069_745f_7469_6573, trial: k).uniform(forKey: 0)
            let pit = point.shareBelow + tie * (point.shareAtOrBelow - point.shareBelow)
            if pit >= 0.25 && pit <= 0.75 { in50 += 1 }
            if pit >= 0.05 && pit <= 0.95 { in90 += 1 }
            points.append(point)
        }
        self.points = points
        inside50 = Probability(successes: in50, trials: points.count)
        inside90 = Probability(successes: in90, trials: points.count)
        let reforecast = Reforecast(actuals: actuals, result: result, layout: layout, particles: particles)
        self.reforecast = reforecast
        // Each figure's bands: the forecast in every month of the paths, over all trials; the
        // re-forecast from the last month with actuals on.
        let lastMonth = actuals.lastMonth ?? 0
        let fromToday = layout.pathMonths.indices.filter { layout.pathMonths[$0] >= lastMonth }
        var column = [Double](repeating: 0, count: n)
        let figures = TrackedFigure.figures(of: points).enumerated().map { f, figure in
            precondition(figure.metric == layout.figures[f], "figures in the order of the recorded paths")
            let forecast = layout.pathMonths.indices.map { m in
                for i in 0..<n { column[i] = result.perTrial.recorded(i)[layout.pathSlot(f, m)] }
                return Summary(column)
            }
            return figure.withBands(months: layout.pathMonths, forecast: forecast,
                                    reforecastMonths: reforecast.isReliable ? fromToday.map { layout.pathMonths[$0] } : [],
                                    reforecast: reforecast.isReliable ? reforecast.paths[f] : [])
        }
        self.figures = TrackedFigure.ranked(figures)
    }

    /// The recorder a run for a follow-up needs: per actual the simulated value and what its
    /// likelihood needs, then the trial's drawn inputs.
    ///
    /// With `paths` false the figures' paths are left out of the row (their slots keep what
    /// they held): all a likelihood reads is the actuals' slots, and a resample-move stage runs
    /// thousands of proposed futures of which it keeps no path.
    public static func recorder(for actuals: Actuals, model: TrialModel, paths: Bool = true) -> TrialRecorder {
        let layout = RecordLayout(actuals: actuals, inputs: model.inputs.count, horizon: model.horizon)
        let observations = actuals.observations
        let segments = model.segmentCount
        return TrialRecorder(width: layout.width) { w, row in
            let months = w.cash.count
            for (k, observation) in observations.enumerated() {
                let t = observation.month
                let base = layout.valueSlot(k)
                row[base] = w.value(of: observation.metric, month: t)
                switch observation.metric {
                case .churned(let segment):
                    // Churn probability of the month and customers at its start, per segment
                    // (or, for all segments, the mean and variance of the total).
                    let list = segment.map { [$0] } ?? Array(0..<segments)
                    var mean = 0.0, variance = 0.0
                    for s in list {
                        let p = w.churnProbabilityPath[s * months + t]
                        let start = t > 0 ? w.customersWithPath[s * months + t - 1] : w.customersWithPath[s * months]
                        mean += start * p
                        variance += start * p * (1 - p)
                    }
                    if let s = segment {
                        row[base + 1] = w.churnProbabilityPath[s * months + t]
                        row[base + 2] = t > 0 ? w.customersWithPath[s * months + t - 1] : w.customersWithPath[s * months]
                    } else {
                        row[base + 1] = mean
                        row[base + 2] = variance
                    }
                case .newCustomers(let segment):
                    let list = segment.map { [$0] } ?? Array(0..<segments)
                    row[base + 1] = list.reduce(0) { $0 + w.arrivalRatePath[$1 * months + t] }
                case .activeUsers:
                    // Users are counted whole, so the forecast of a count is whole too (seats ×
                    // adoption, rounded), like the actual it is compared with; the likelihood
                    // keeps the model's unrounded value as the mean of its noise.
                    row[base + 1] = row[base]
                    row[base] = row[base].rounded()
                default:
                    break
                }
            }
            let inputs = w.inputValues
            for j in inputs.indices { row[layout.inputSlot(j)] = inputs[j] }
            guard paths else { return }
            // Each figure's path, recorded as its actuals are (active users whole).
            for (f, metric) in layout.figures.enumerated() {
                for (m, t) in layout.pathMonths.enumerated() {
                    let v = w.value(of: metric, month: t)
                    row[layout.pathSlot(f, m)] = metric == .activeUsers ? v.rounded() : v
                }
            }
        }
    }

    /// Months the charts' bands run past the last month with actuals (within the horizon).
    public static let monthsAhead = 12

    /// Numbers the run records per trial (and the re-forecast per particle) for these actuals:
    /// for the memory check before a run.
    public static func recordWidth(actuals: Actuals, inputs: Int, horizon: Int) -> Int {
        RecordLayout(actuals: actuals, inputs: inputs, horizon: horizon).width
    }
}

/// Where each number sits in a trial's recorded row: per actual its simulated value and what
/// its likelihood needs (3 slots), the drawn inputs, then each tracked figure's value in every
/// month of ``pathMonths`` (for the charts' forecast and re-forecast bands).
struct RecordLayout: Sendable {
    let observations: Int
    let inputs: Int
    /// The tracked figures, in the order their metrics first appear in the actuals.
    let figures: [TrackedMetric]
    /// From the first month with actuals to ``FollowUp/monthsAhead`` past the last, within the
    /// horizon (empty without actuals).
    let pathMonths: [Int]
    var width: Int { 3 * observations + inputs + figures.count * pathMonths.count }
    func valueSlot(_ k: Int) -> Int { 3 * k }
    func inputSlot(_ j: Int) -> Int { 3 * observations + j }
    /// The first path slot: paths follow the inputs.
    var pathBase: Int { 3 * observations + inputs }
    /// The slot of figure `f` in the `m`-th month of ``pathMonths``.
    func pathSlot(_ f: Int, _ m: Int) -> Int { pathBase + f * pathMonths.count + m }

    init(actuals: Actuals, inputs: Int, horizon: Int) {
        observations = actuals.observations.count
        self.inputs = inputs
        var seen: Set<TrackedMetric> = []
        figures = actuals.observations.map(\.metric).filter { seen.insert($0).inserted }
        let months = actuals.observations.map(\.month)
        if let first = months.min(), let last = months.max() {
            pathMonths = Array(first...max(first, min(horizon, last + FollowUp.monthsAhead)))
        } else {
            pathMonths = []
        }
    }
}

extension FollowUp {
    /// An uncertain input whose re-forecast mean moved noticeably from what the case assumed.
    public struct InputShift: Sendable {
        /// Index in ``TrialModel/inputs``.
        public let input: Int
        /// As the run drew it, and after the actuals.
        public let assumed: WeightedSummary
        public let afterActuals: WeightedSummary
    }

    /// A move of an input's mean counts when it is at least this share of the input's assumed
    /// 90 % range (P5–P95).
    public static let noticeableInputShift = 0.1

    /// Whether a mean that moved from `assumedMean` to `newMean` moved noticeably for an input
    /// whose assumed 90 % range is `assumedP5`…`assumedP95` (never for a range of width 0).
    public static func movedNoticeably(assumedMean: Double, newMean: Double, assumedP5: Double, assumedP95: Double) -> Bool {
        let spread = assumedP95 - assumedP5
        return spread > 0 && abs(newMean - assumedMean) >= noticeableInputShift * spread
    }

    /// The uncertain inputs whose mean the re-forecast moved noticeably, in input order (empty
    /// without a reliable re-forecast).
    public var movedInputs: [InputShift] {
        guard reforecast.isReliable else { return [] }
        return result.model.inputs.indices.compactMap { j in
            guard !result.model.inputs[j].distribution.isFixed else { return nil }
            let prior = reforecast.priorInputs[j], posterior = reforecast.inputs[j]
            guard Self.movedNoticeably(assumedMean: prior.mean, newMean: posterior.mean,
                                       assumedP5: prior.percentile(0.05), assumedP95: prior.percentile(0.95)) else { return nil }
            return InputShift(input: j, assumed: prior, afterActuals: posterior)
        }
    }
}
