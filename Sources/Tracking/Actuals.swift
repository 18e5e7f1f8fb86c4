import CRMModel

/// One realized figure from an actuals file.
public struct Observation: Sendable, Hashable {
    /// The model month (0 = decision month), whether the file wrote a number or a calendar month.
    public var month: Int
    public var metric: TrackedMetric
    /// In the metric's unit: currency per month, whole customers or users, or a share.
    public var value: Double
    /// The 1-based line of the file it came from, for messages.
    public var line: Int

    public init(month: Int, metric: TrackedMetric, value: Double, line: Int) {
        self.month = month
        self.metric = metric
        self.value = value
        self.line = line
    }
}

/// Survivors of the customers a segment had at month 0, month by month: the data a
/// shifted-beta-geometric retention fit needs (metric `cohort_survivors` in an actuals file).
public struct CohortSurvival: Sendable, Hashable {
    public var segment: Int
    /// Survivors at the end of months 0, 1, 2, … (index = month), as given.
    public var survivors: [Double]

    public init(segment: Int, survivors: [Double]) {
        self.segment = segment
        self.survivors = survivors
    }
}

/// Everything an actuals file says, checked against its scenario.
public struct Actuals: Sendable {
    /// The file as the user named it.
    public var file: String
    /// Sorted by month, then in file order.
    public var observations: [Observation]
    public var cohorts: [CohortSurvival]

    public init(file: String, observations: [Observation], cohorts: [CohortSurvival]) {
        self.file = file
        self.observations = observations
        self.cohorts = cohorts
    }

    /// The last month with any observation (nil when there is none).
    public var lastMonth: Int? { observations.map(\.month).max() }
}
