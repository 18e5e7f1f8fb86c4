import CRMModel
import MonteCarlo

/// One tracked figure — a metric in one segment, or in all — over the months with actuals: how
/// its actuals stand against the forecast, so that a report can show the figures that are off
/// plan first.
///
/// **The rule** (the headline's sign test, ``FollowUpVerdict``, applied to one figure): of the
/// figure's actuals outside the forecast's central half, the worse ones against the better
/// ones, (worse − better)/√(worse + better); above ``FollowUpVerdict/leanThreshold`` (2) the
/// figure runs **behind plan**, below −2 **ahead of plan**, otherwise **in line**.
public struct TrackedFigure: Sendable {
    public let metric: TrackedMetric
    /// The figure's actuals: indices into ``FollowUp/points``, in month order.
    public let points: [Int]
    /// Actuals worse and better than the forecast (outside its central half), and of those the
    /// far worse and far better ones (more than 25 %, or outside the forecast's 90 % range).
    public let worse: Int
    public let better: Int
    public let farWorse: Int
    public let farBetter: Int
    /// (worse − better)/√(worse + better), ``FollowUp/lean(worse:better:)``.
    public let leanScore: Double
    /// Behind plan, in line, or ahead of plan, by ``leanScore`` against ±2.
    public let lean: FollowUpVerdict.Lean

    /// The months of ``forecast``: from the first month with actuals to
    /// ``FollowUp/monthsAhead`` months past the last, within the horizon.
    public private(set) var months: [Int] = []
    /// The original forecast of the figure in each of ``months``, over all trials (in a month
    /// with an actual, the same numbers as that actual's ``FollowUp/Point/forecast``).
    public private(set) var forecast: [Summary] = []
    /// The months of ``reforecast``: from the last month with actuals (of any figure) to the end
    /// of ``months``; empty without a reliable re-forecast.
    public private(set) var reforecastMonths: [Int] = []
    /// The re-forecast of the figure in each of ``reforecastMonths``.
    public private(set) var reforecast: [WeightedSummary] = []

    /// Actuals inside the forecast's central half.
    public var asExpected: Int { points.count - worse - better }
    /// Whether the figure runs behind or ahead of plan.
    public var isOffPlan: Bool { lean != .inLine }

    /// A figure from its actuals' verdicts (`verdicts` in month order, `points` their indices).
    public init(metric: TrackedMetric, points: [Int], verdicts: [FollowUp.Verdict]) {
        precondition(points.count == verdicts.count, "one verdict per actual")
        self.metric = metric
        self.points = points
        worse = verdicts.filter(\.isWorse).count
        better = verdicts.filter(\.isBetter).count
        farWorse = verdicts.filter(\.isFarWorse).count
        farBetter = verdicts.filter(\.isFarBetter).count
        leanScore = FollowUp.lean(worse: worse, better: better)
        lean = FollowUpVerdict.lean(of: leanScore)
    }

    /// The figure with its forecast and re-forecast bands.
    public func withBands(months: [Int], forecast: [Summary], reforecastMonths: [Int], reforecast: [WeightedSummary]) -> TrackedFigure {
        precondition(months.count == forecast.count && reforecastMonths.count == reforecast.count, "one summary per month")
        var copy = self
        copy.months = months
        copy.forecast = forecast
        copy.reforecastMonths = reforecastMonths
        copy.reforecast = reforecast
        return copy
    }

    /// One figure per metric of `points`, in the order the metrics first appear.
    public static func figures(of points: [FollowUp.Point]) -> [TrackedFigure] {
        var order: [TrackedMetric] = []
        var indices: [TrackedMetric: [Int]] = [:]
        for (k, p) in points.enumerated() {
            let m = p.observation.metric
            if indices[m] == nil { order.append(m) }
            indices[m, default: []].append(k)
        }
        return order.map { m in
            let ks = indices[m]!.sorted { points[$0].observation.month < points[$1].observation.month }
            return TrackedFigure(metric: m, points: ks, verdicts: ks.map { points[$0].verdict })
        }
    }

    /// The figures ordered by how far off plan they are: behind plan first (the bad news), then
    /// ahead of plan, then in line; within each, the stronger lean (|``leanScore``|) first, then
    /// the one leaning to the worse side, then the more far-off actuals (far worse + far
    /// better); ties keep the given order.
    public static func ranked(_ figures: [TrackedFigure]) -> [TrackedFigure] {
        func group(_ f: TrackedFigure) -> Int {
            switch f.lean {
            case .behind: return 0
            case .ahead: return 1
            case .inLine: return 2
            }
        }
        return figures.indices.sorted { a, b in
            let x = figures[a], y = figures[b]
            if group(x) != group(y) { return group(x) < group(y) }
            if abs(x.leanScore) != abs(y.leanScore) { return abs(x.leanScore) > abs(y.leanScore) }
            if x.leanScore != y.leanScore { return x.leanScore > y.leanScore }
            if x.farWorse + x.farBetter != y.farWorse + y.farBetter { return x.farWorse + x.farBetter > y.farWorse + y.farBetter }
            return a < b
        }.map { figures[$0] }
    }
}

extension FollowUp.Verdict {
    /// More than 25 % better, or outside the forecast's 90 % range on the good side.
    public var isFarBetter: Bool { self == .muchBetter || self == .farBetterThanExpected }
}
