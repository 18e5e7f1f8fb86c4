import CRMModel

/// Several options of one decision run on common random numbers, and their paired differences.
///
/// Options that share an input (same name, e.g. `segments[Hybrid].churn`) draw the same value of
/// it in trial i (``KeyedUniforms``), and options with the same segments draw the same churners
/// and new customers (the per-block process streams), so a difference between options in trial
/// i is the difference the decision makes, not noise. The standard error of a paired difference
/// is sd(Δ)/√n, usually far below the √(sd_A²/n + sd_B²/n) of two independent runs; both are
/// reported.
public struct Comparison: Sendable {
    public struct Option: Sendable {
        public let name: String
        public let result: SimulationResult

        public init(name: String, result: SimulationResult) {
            self.name = name
            self.result = result
        }
    }

    /// Option k against the first option (the baseline).
    public struct Difference: Sendable {
        /// NPV_k − NPV_baseline, trial by trial.
        public let npv: Summary
        /// Share of trials in which option k has the higher NPV.
        public let probabilityBetter: Probability
        /// Standard error of the mean difference on common random numbers: sd(Δ)/√n.
        public let pairedStandardError: Double
        /// What it would be with two independent runs of n trials: √(sd_k²/n + sd_0²/n).
        public let independentStandardError: Double
    }

    public let options: [Option]
    /// One per option; the first compares the baseline with itself (all zero).
    public let differences: [Difference]
    /// Per option: the mean, over trials, of the best choice's NPV minus this option's — what
    /// choosing this option costs on average against knowing the best in each future. The
    /// choices include not investing at all (``doNothing``, NPV 0 in every future).
    public let expectedRegret: [Double]
    /// Per option: the share of trials in which it has the highest NPV of all choices,
    /// doing nothing included (ties go to the earlier option, and to doing nothing last).
    public let probabilityBest: [Double]
    /// Not investing: the reference every comparison includes, with an NPV of 0 in every
    /// future (the NPVs are the CRM's effect against the world without it).
    public let doNothing: DoNothing

    /// What doing nothing would give against the options.
    public struct DoNothing: Sendable {
        /// Share of trials in which no option has a positive NPV.
        public let probabilityBest: Double
        /// The mean, over trials, of the best option's NPV when positive (else 0).
        public let expectedRegret: Double
    }

    public init(options: [Option]) {
        precondition(!options.isEmpty, "a comparison needs at least one option")
        self.options = options
        let n = options.map(\.result.trials).min()!
        let base = options[0].result.perTrial
        var differences: [Difference] = []
        for option in options {
            let per = option.result.perTrial
            var delta = [Double](repeating: 0, count: n)
            var better = 0
            for i in 0..<n {
                delta[i] = per.npv(i) - base.npv(i)
                if delta[i] > 0 { better += 1 }
            }
            let summary = Summary(delta)
            let sdK = option.result.npv.standardDeviation, sd0 = options[0].result.npv.standardDeviation
            differences.append(Difference(
                npv: summary, probabilityBetter: Probability(successes: better, trials: n),
                pairedStandardError: summary.standardError,
                independentStandardError: ((sdK * sdK + sd0 * sd0) / Double(n)).squareRoot()))
        }
        self.differences = differences
        // Doing nothing is choice number `options.count`, with NPV 0.
        var regret = [Double](repeating: 0, count: options.count + 1)
        var best = [Int](repeating: 0, count: options.count + 1)
        for i in 0..<n {
            var top = -Double.infinity, winner = 0
            for (k, option) in options.enumerated() where option.result.perTrial.npv(i) > top {
                top = option.result.perTrial.npv(i)
                winner = k
            }
            if !(top > 0) { top = 0; winner = options.count }
            best[winner] += 1
            for (k, option) in options.enumerated() { regret[k] += top - option.result.perTrial.npv(i) }
            regret[options.count] += top
        }
        expectedRegret = regret.dropLast().map { $0 / Double(n) }
        probabilityBest = best.dropLast().map { Double($0) / Double(n) }
        doNothing = DoNothing(probabilityBest: Double(best[options.count]) / Double(n),
                              expectedRegret: regret[options.count] / Double(n))
    }
}
