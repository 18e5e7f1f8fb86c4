/// The answer to a what-if, as the page reads it (JSON).
public struct WorkshopResponse: Sendable, Encodable, Equatable {
    public enum Status: String, Sendable, Encodable {
        /// Simulated: `html` and the figures are filled in.
        case ok
        /// A value in a control is not valid: `problems` say why, beside their controls.
        case invalid
        /// A newer request of the same tab arrived first; this one was not simulated.
        case stale
    }

    /// A problem with one control's value (or with the settings as a whole: `path` nil), in the
    /// words `crmcase validate` uses.
    public struct Problem: Sendable, Encodable, Equatable {
        public var path: String?
        public var message: String
    }

    /// One what-if tried in this session, newest last.
    public struct Tried: Sendable, Encodable, Equatable {
        /// The changes, "path = value", or none for the scenario as written.
        public var changes: [String]
        public var trials: Int
        /// Expected NPV and its difference from the baseline at the same trials and seed, in
        /// the scenario's currency.
        public var npv: Double
        public var deltaNPV: Double
        /// Chance of a loss and its difference from the baseline's, shares in 0…1.
        public var chanceOfLoss: Double
        public var deltaChanceOfLoss: Double
        /// The same in words for the page ("DKK 1,234,000", "+DKK 120,000 ± 8,000").
        public var npvText: String
        public var deltaNPVText: String
        public var chanceOfLossText: String
        public var deltaChanceOfLossText: String
    }

    public var status: Status
    public var sequence: Int
    /// The report's first page for these settings (verdict, charts, cash by year), as HTML.
    public var html: String?
    /// This what-if, when simulated.
    public var result: Tried?
    /// The box above the verdict (NPV and chance of a loss, and their changes) and the rows of
    /// the history table, as HTML: the page shows them as the server words them.
    public var deltaHTML: String?
    public var historyHTML: String?
    public var problems: [Problem] = []
    /// Every what-if of the session so far (all tabs), newest last.
    public var history: [Tried] = []
    /// Milliseconds the server spent (loading, simulating, rendering).
    public var serverMilliseconds: Double = 0
}

/// The answer to "Save as variant" or "Write report".
public struct WorkshopFileResponse: Sendable, Encodable, Equatable {
    public var ok: Bool
    /// What happened, in one sentence ("Saved …", or why not).
    public var message: String
    /// The file or folder written.
    public var path: String?
}
