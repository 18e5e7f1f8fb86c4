import CRMModel
import GSLSupport
import MonteCarlo

/// Actuals drawn from the business case itself: one simulated future, written as if it had
/// been measured. Used to exercise the follow-up (an illustrative actuals file, a training
/// exercise) and by the tests, where the truth behind the actuals is known.
public enum SyntheticActuals {
    /// The figures of trial `trial` (seed `seed`) for months 1…`months`: active users, customers,
    /// customers lost and won per segment, licence cost, other costs, contribution margin, and
    /// the survivors of each segment's month-0 customers (drawn month by month with the trial's
    /// churn probabilities, from a separate GSL stream seeded with `seed`).
    public static func generate(model: TrialModel, seed: UInt64, trial: Int, months: Int) -> (actuals: Actuals, workspace: TrialWorkspace) {
        var workspace = model.makeWorkspace()
        // The trial exactly as the engine runs it (its process depends on seed and trial only).
        let stream = RandomStream(key: 0)
        model.run(uniforms: KeyedUniforms(seed: seed, trial: trial), process: stream, workspace: &workspace)

        let last = min(months, model.horizon)
        var observations: [Observation] = []
        let S = model.segmentCount
        for t in 1...max(1, last) {
            var metrics: [TrackedMetric] = [.activeUsers, .licenceCost, .otherCosts, .contributionMargin(segment: nil)]
            for s in 0..<S {
                metrics += [.customers(segment: s), .churned(segment: s), .newCustomers(segment: s)]
            }
            for metric in metrics {
                // Money to whole currency units, as books show it; active users to whole users,
                // as they are counted (the follow-up's forecast of them is rounded the same way,
                // ``FollowUp/recorder(for:model:)``). Customers, customers lost and won are whole
                // in the model already; rounding them too keeps a file that holds whole figures
                // whatever the model's arithmetic.
                let value = workspace.value(of: metric, month: t).rounded()
                observations.append(Observation(month: t, metric: metric, value: value, line: 0))
            }
        }
        // Cohort survivors of the month-0 customers.
        let cohortStream = RandomStream(seed: UInt32(truncatingIfNeeded: Streams.mix(seed ^ 0xc0_0047)))
        var cohorts: [CohortSurvival] = []
        let H1 = model.horizon + 1
        for s in 0..<S {
            var alive = workspace.customersWithPath[s * H1].rounded()
            var survivors = [alive]
            for t in 1...max(1, last) {
                let p = workspace.churnProbabilityPath[s * H1 + t]
                alive -= Double(cohortStream.binomial(trials: Int(alive), probability: p))
                survivors.append(alive)
            }
            cohorts.append(CohortSurvival(segment: s, survivors: survivors))
        }
        return (Actuals(file: "synthetic", observations: observations, cohorts: cohorts), workspace)
    }
}
