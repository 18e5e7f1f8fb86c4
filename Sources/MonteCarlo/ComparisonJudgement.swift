/// The decisions behind a comparison's verdict, as values: which option is best, whether it
/// beats doing nothing, and whether its lead over the next option is more than Monte Carlo
/// noise. The report only words them.
///
/// "Too close to tell" follows the one rule of ``Resolution``: a mean that rounds to 0 at its
/// own 95 % Monte Carlo error cannot have its sign told at this number of trials (more trials
/// would tell; the spread over futures is a different matter and is reported beside it).
public struct ComparisonJudgement: Sendable, Equatable {
    /// The best option against not investing at all (NPV 0 in every future).
    public enum AgainstDoingNothing: Sendable, Equatable {
        /// Its expected NPV is above 0, clearly at this number of trials: it makes money on average.
        case makesMoney
        /// Its expected NPV is too close to 0 to tell whether it makes or loses money on average.
        case tooCloseToTell
        /// Its expected NPV is at or below 0: no option makes money on average, so doing
        /// nothing is at least as good.
        case doesNotMakeMoney
    }

    /// The option with the highest expected NPV (the first of equals).
    public let best: Int
    public let againstDoingNothing: AgainstDoingNothing
    /// The option with the next highest expected NPV and the best's lead over it; nil with one option.
    public let runnerUp: PairedLead?

    public init(_ comparison: Comparison) {
        let options = comparison.options
        let means = options.map(\.result.npv.mean)
        let best = Self.highest(means)
        self.best = best
        let npv = options[best].result.npv
        let roundsToZero = Resolution.roundsToZero(npv.mean, halfWidth: 1.96 * npv.standardError)
        if npv.mean > 0 && !roundsToZero {
            againstDoingNothing = .makesMoney
        } else if Resolution.isTooCloseToZero(mean: npv.mean, standardError: npv.standardError) {
            againstDoingNothing = .tooCloseToTell
        } else {
            againstDoingNothing = .doesNotMakeMoney
        }
        runnerUp = Self.runnerUp(of: best, means: means).map { other in
            PairedLead(of: options[best].result, over: options[other].result, runnerUp: other)
        }
    }

    /// The index of the highest value, the first of equals.
    static func highest(_ values: [Double]) -> Int {
        values.indices.max { values[$0] < values[$1] }!
    }

    /// The index of the highest value other than `best` (the first of equals), nil if none.
    static func runnerUp(of best: Int, means: [Double]) -> Int? {
        means.indices.filter { $0 != best }.max { means[$0] < means[$1] }
    }
}

/// The best choice's lead over the runner-up, trial by trial on the same futures.
public struct PairedLead: Sendable, Equatable {
    /// The runner-up's index (an option, or a value of a sweep).
    public let runnerUp: Int
    /// NPV of the best minus NPV of the runner-up, over the trials both ran.
    public let difference: Summary
    /// Whether the mean lead is too close to zero to tell which of the two is better on average.
    public let isTooCloseToTell: Bool

    public init(of best: SimulationResult, over other: SimulationResult, runnerUp: Int) {
        self.runnerUp = runnerUp
        difference = PairedLead.npvDifference(best, other)
        isTooCloseToTell = Resolution.isTooCloseToZero(mean: difference.mean, standardError: difference.standardError)
    }

    /// NPV_a − NPV_b trial by trial, over the trials both ran.
    public static func npvDifference(_ a: SimulationResult, _ b: SimulationResult) -> Summary {
        let n = min(a.trials, b.trials)
        var delta = [Double](repeating: 0, count: n)
        for i in 0..<n { delta[i] = a.perTrial.npv(i) - b.perTrial.npv(i) }
        return Summary(delta)
    }
}
