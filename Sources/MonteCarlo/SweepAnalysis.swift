import CRMModel

/// A sweep analysed: one input set to each value of a range, every value run on the same
/// futures, and the decisions its summary words — the best value, whether it is clearly best,
/// and where the expected NPV changes sign.
public struct SweepAnalysis: Sendable {
    public struct Point: Sendable {
        /// The value as the range wrote it (`20`, `12.5%`).
        public let label: String
        /// The value as a number in the input's unit (a share for `12.5%`).
        public let value: Double
        public let result: SimulationResult
        /// NPV at this value minus NPV at the first value, trial by trial.
        public let differenceFromFirst: Summary
    }

    /// Where the expected NPV changes sign: between two neighbouring values.
    public struct SignChange: Sendable, Equatable {
        /// The indices of the two values, `upper = lower + 1`.
        public let lower: Int
        public let upper: Int
        /// The values (of the two) whose expected NPV is too close to zero to tell its sign at
        /// this number of trials; empty when both signs are clear.
        public let tooCloseToTell: [Int]
    }

    /// The input's path, e.g. `licences.seats`.
    public let path: String
    /// In range order; never empty.
    public let points: [Point]
    /// What the swept input measures, when the path names an uncertain input of the scenario
    /// (nil for a plain setting such as a month number).
    public let unit: Uncertain.Unit?
    /// The value with the highest expected NPV (the first of equals).
    public let best: Int
    /// The value with the next highest expected NPV and the best's lead over it; nil with one value.
    public let runnerUp: PairedLead?
    /// The first pair of neighbouring values whose expected NPVs have different signs, if any.
    public let signChange: SignChange?

    /// - Parameter points: per value, in range order: its text, its number and its run.
    public init(path: String, points: [(label: String, value: Double, result: SimulationResult)]) {
        precondition(!points.isEmpty, "a sweep needs at least one value")
        self.path = path
        let first = points[0].result
        self.points = points.map {
            Point(label: $0.label, value: $0.value, result: $0.result,
                  differenceFromFirst: PairedLead.npvDifference($0.result, first))
        }
        unit = first.model.scenario.inputs.first { $0.name == path }?.unit
        let means = points.map(\.result.npv.mean)
        let best = ComparisonJudgement.highest(means)
        self.best = best
        runnerUp = ComparisonJudgement.runnerUp(of: best, means: means).map { other in
            PairedLead(of: points[best].result, over: points[other].result, runnerUp: other)
        }
        signChange = means.indices.dropLast().first { (means[$0] < 0) != (means[$0 + 1] < 0) }.map { k in
            let unclear = [k, k + 1].filter {
                Resolution.isTooCloseToZero(mean: means[$0], standardError: points[$0].result.npv.standardError)
            }
            return SignChange(lower: k, upper: k + 1, tooCloseToTell: unclear)
        }
    }
}
