
/// The without-CRM world's most expensive draws of a run, kept so that another run of the same
/// futures with other CRM settings — a workshop's "what if only 60 % adopt?", a comparison's
/// levers — can use them instead of drawing them again.
///
/// In each month of each segment the customer process makes up to six draws
/// (``CoupledSegment``). Where the CRM lowers churn and raises arrivals, two of them belong to
/// the without-CRM world alone: the shared customers who leave at its churn (a binomial, by
/// transformed rejection at the model's 10–30 leavers) and the arrivals at its rate (a Poisson,
/// likewise). They are about half the cost of a trial, and a change to a CRM lever leaves them
/// as they were: the same keys on the same arguments give the same counts. Kept, they make such
/// a rerun about half again as fast, with *exactly* the numbers a fresh run gives (a test checks
/// this byte for byte).
///
/// What makes a kept trial usable is checked, not assumed: each trial keeps a fingerprint of
/// everything its without-CRM world depends on — the trial's process key (so the seed), the
/// count sampler, each segment's customers at the start and churn, the arrivals, the months —
/// and a rerun uses the trial's draws only when its own fingerprint is the same (a change to a
/// churn or to the new customers makes every trial draw afresh). Within a trial the kept draws
/// are used month by month only while the without-CRM world is the one with the higher churn and
/// the lower arrivals. The model's churn reductions and uplifts are never negative, so today that
/// is every month; should a setting ever turn it around, that segment draws everything itself
/// from that month on, because its shared customers then follow another path.
///
/// Memory: two 16-bit counts per segment and month for each kept trial (720 bytes a trial for
/// three segments over 60 months: 72 MB for 100,000 trials); a trial with a count above 65,535
/// in some month is not kept. Only the first ``capacity`` trials of a run are kept.
public final class BaselineDraws: @unchecked Sendable {
    /// The kept draws of one month of one segment.
    public struct Cell: Sendable, Equatable {
        /// Shared customers who left the without-CRM world (``ProcessDraw/sharedLeaversHigh``).
        public var leavers: UInt16
        /// New customers of the without-CRM world (``ProcessDraw/arrivalsLow``).
        public var arrivals: UInt16
    }

    /// Trials kept (the first `capacity` of a run; later trials are run as usual).
    public let capacity: Int
    /// Cells of a trial: segments × months 1…H.
    public let cellsPerTrial: Int
    // Per trial, its fingerprint, or 0 when the trial is not kept. Written only by the worker
    // that runs the trial; read after the recording run (the engine's workers are joined).
    private let fingerprints: UnsafeMutablePointer<UInt64>
    private let cells: UnsafeMutablePointer<Cell>

    /// Room for the first `capacity` trials of `segments` segments over `horizon` months.
    public init(capacity: Int, segments: Int, horizon: Int) {
        self.capacity = max(0, capacity)
        self.cellsPerTrial = max(0, segments * horizon)
        fingerprints = .allocate(capacity: self.capacity)
        fingerprints.initialize(repeating: 0, count: self.capacity)
        cells = .allocate(capacity: self.capacity * cellsPerTrial)
        cells.initialize(repeating: Cell(leavers: 0, arrivals: 0), count: self.capacity * cellsPerTrial)
    }

    deinit {
        fingerprints.deallocate()
        cells.deallocate()
    }

    /// The bytes kept for `trials` trials of `segments` segments over `horizon` months.
    public static func bytes(trials: Int, segments: Int, horizon: Int) -> Int {
        trials * (8 + segments * horizon * MemoryLayout<Cell>.stride)
    }

    /// How many trials are kept (a recorded trial in every month in the usual direction).
    public var keptTrials: Int {
        (0..<capacity).reduce(0) { $0 + (fingerprints[$1] != 0 ? 1 : 0) }
    }

    /// The kept cells of `trial` when its fingerprint is `fingerprint`, else nil.
    @inline(__always)
    func kept(trial: Int, fingerprint: UInt64) -> UnsafeMutablePointer<Cell>? {
        guard trial >= 0, trial < capacity, fingerprint != 0, fingerprints[trial] == fingerprint else { return nil }
        return cells + trial * cellsPerTrial
    }

    /// Where `trial` records its cells (nil beyond ``capacity``); it is kept only once
    /// ``keep(trial:fingerprint:)`` marks it.
    @inline(__always)
    func recording(trial: Int) -> UnsafeMutablePointer<Cell>? {
        guard trial >= 0, trial < capacity else { return nil }
        fingerprints[trial] = 0
        return cells + trial * cellsPerTrial
    }

    /// Adds one leaver to every kept cell: for a test that a rerun really reads the kept draws
    /// (its results then differ from a fresh run's).
    @_spi(Testing) public func scramble() {
        for i in 0..<(capacity * cellsPerTrial) { cells[i].leavers &+= 1 }
    }

    /// Marks `trial`'s recorded cells as kept, for runs whose trials have `fingerprint`.
    @inline(__always)
    func keep(trial: Int, fingerprint: UInt64) {
        fingerprints[trial] = fingerprint
    }
}

extension BaselineDraws {
    /// One trial's place in a ``BaselineDraws`` and what to do there.
    public struct Slot: Sendable {
        public var use: Use
        /// The trial's number in its run.
        public var trial: Int

        public init(use: Use, trial: Int) {
            self.use = use
            self.trial = trial
        }
    }

    /// What a run does with a ``BaselineDraws``: fill it, or use what another run filled.
    public enum Use: Sendable {
        /// Record the trials' without-CRM draws (the baseline run).
        case record(BaselineDraws)
        /// Use the kept draws where the trial's fingerprint matches (a rerun).
        case reuse(BaselineDraws)

        public var draws: BaselineDraws {
            switch self {
            case .record(let d), .reuse(let d): d
            }
        }
    }
}
