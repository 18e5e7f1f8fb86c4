import Dispatch
import Foundation
import GSLSupport
import CRMModel

/// The percentiles every summary reports, as shares.
public let reportedPercentiles: [Double] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]

/// The distribution of one outcome over the trials.
public struct Summary: Sendable, Equatable {
    /// Trials with a finite value (the mean, sd and standard error are over these).
    public let count: Int
    /// Trials without a value (no IRR, no payback within the horizon, undefined ROI).
    public let undefined: Int
    public let mean: Double
    /// Sample standard deviation (divisor n − 1; 0 for a single value).
    public let standardDeviation: Double
    /// Monte Carlo standard error of the mean: sd / √n.
    public let standardError: Double
    public let minimum: Double
    public let maximum: Double
    /// Percentiles for ``reportedPercentiles``, type 7. When `undefinedAsInfinite` was set,
    /// trials without a value count as +∞ ("later than the horizon"), so a percentile can be
    /// +∞; otherwise they are left out.
    public let percentiles: [Double]

    /// The percentile for share `p`, which must be one of ``reportedPercentiles``.
    public func percentile(_ p: Double) -> Double {
        guard let i = reportedPercentiles.firstIndex(where: { abs($0 - p) < 1e-12 }) else {
            preconditionFailure("percentile \(p) is not reported")
        }
        return percentiles[i]
    }

    /// P50.
    public var median: Double { percentile(0.5) }

    /// Summarises `values`. NaN and ±∞ count as undefined.
    ///
    /// Sums run in index order, so the same values give the same bits.
    public init(_ values: UnsafeBufferPointer<Double>, undefinedAsInfinite: Bool = false) {
        // The finite values (reordered by the quantile selection below), with their sum, least
        // and greatest taken in the pass that copies them (a column of up to millions of trials
        // is read twice here, not three times), and no capacity check per value.
        var sum = 0.0, lowest = Double.infinity, highest = -Double.infinity
        var sorted = [Double](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            var n = 0, total = 0.0, least = Double.infinity, greatest = -Double.infinity
            for v in values where v.isFinite {
                buffer[n] = v
                n += 1
                total += v
                least = Swift.min(least, v)
                greatest = Swift.max(greatest, v)
            }
            initialized = n
            (sum, lowest, highest) = (total, least, greatest)
        }
        let n = sorted.count
        count = n
        undefined = values.count - n
        mean = n > 0 ? sum / Double(n) : .nan
        var squares = 0.0
        for v in sorted {
            let d = v - mean
            squares += d * d
        }
        standardDeviation = n > 1 ? (squares / Double(n - 1)).squareRoot() : (n == 1 ? 0 : .nan)
        standardError = n > 0 ? standardDeviation / Double(n).squareRoot() : .nan
        minimum = n > 0 ? lowest : .nan
        maximum = n > 0 ? highest : .nan
        if undefinedAsInfinite {
            sorted.append(contentsOf: repeatElement(Double.infinity, count: undefined))
        }
        if sorted.isEmpty {
            percentiles = reportedPercentiles.map { _ in .nan }
        } else {
            percentiles = OrderStatistics.quantiles(&sorted, reportedPercentiles)
        }
    }

    public init(_ values: [Double], undefinedAsInfinite: Bool = false) {
        self = values.withUnsafeBufferPointer { Summary($0, undefinedAsInfinite: undefinedAsInfinite) }
    }
}

/// A probability estimated as a share of trials, with its Monte Carlo standard error.
public struct Probability: Sendable, Equatable {
    public let successes: Int
    public let trials: Int

    public init(successes: Int, trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    /// The share of trials, 0…1.
    public var value: Double { trials > 0 ? Double(successes) / Double(trials) : .nan }
    /// √(p(1 − p)/n).
    public var standardError: Double {
        let p = value
        return trials > 0 ? (p * (1 - p) / Double(trials)).squareRoot() : .nan
    }
}

/// P10, P50 and P90 of one monthly series, months 0…H.
public struct Band: Sendable, Equatable {
    public var p10: [Double]
    public var p50: [Double]
    public var p90: [Double]
    public var mean: [Double]
}

/// Mean and standard deviation of a cost or benefit line's present value.
public struct LineSummary: Sendable, Equatable {
    public var name: String
    /// "cost" or "benefit".
    public var kind: String
    public var mean: Double
    public var standardDeviation: Double
    public var standardError: Double
}

/// What a risk event did in the run.
public struct RiskImpact: Sendable, Equatable {
    public var name: String
    /// Share of trials in which it happened.
    public var occurred: Probability
    /// Mean NPV of the trials in which it happened (NaN if none).
    public var meanNPVWhenItHappens: Double
    /// Mean NPV of the trials in which it did not (NaN if none).
    public var meanNPVOtherwise: Double
    /// P(NPV < 0) in each group.
    public var lossWhenItHappens: Probability
    public var lossOtherwise: Probability
}

/// Runs `count` independent jobs on the cores this process may use, each writing only its own
/// result slot; the results in job order.
///
/// At most one job per core runs at a time (the workers take the next job when done), not one
/// per job: a job may hold a copy of a whole column (800 MB at 10⁸ trials), and libdispatch
/// alone would start as many workers as the machine has cores, which on a cluster node can be
/// far more than the job was given.
func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let workers = max(1, min(count, Cores.available))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let i = slots.nextJob() { slots.set(i, body(i)) }
    }
    return slots.values
}

private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    private var handedOut = 0
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    /// The next job not yet taken, or nil when all are.
    func nextJob() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard handedOut < storage.count else { return nil }
        handedOut += 1
        return handedOut - 1
    }
    func set(_ i: Int, _ value: T) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }
    var values: [T] { storage.map { $0! } }
}
