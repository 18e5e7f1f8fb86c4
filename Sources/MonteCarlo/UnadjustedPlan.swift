import CRMModel

/// The case as a single-number plan would have it — every uncertain input at its median and no
/// risk event — the "unadjusted" figures of a Forrester TEI study, beside the risk-adjusted
/// ones (the mean over every simulated future).
///
/// Whole customers still churn and join at random, so the plan is the mean of `trials` futures
/// that differ only in that luck; its Monte Carlo error is small but not zero.
public enum UnadjustedPlan {
    /// Futures the plan is averaged over.
    public static let trials = 2_000

    /// Runs the plan on the run's seed: the same customer luck as the run's first trials.
    public static func run(model: TrialModel, seed: UInt64, threads: Int? = nil) -> SimulationResult {
        var held: [Int: Double] = [:]
        for (j, input) in model.inputs.enumerated() where !input.distribution.isFixed {
            held[j] = input.distribution.quantile(0.5)
        }
        var noRisk: [Int: Bool] = [:]
        for r in 0..<model.riskCount { noRisk[r] = false }
        let plan = model.holding(inputs: held, risks: noRisk)
        return Engine(model: plan, options: .init(trials: trials, seed: seed, threads: threads, bandTrials: 1)).run()
    }
}
