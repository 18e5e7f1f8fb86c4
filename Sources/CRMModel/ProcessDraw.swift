/// The kinds of draw the monthly customer process makes, and the one place their stream keys
/// are derived.
///
/// The with-CRM and the without-CRM worlds are simulated on the same random numbers and
/// coupled customer for customer (see ``CoupledSegment``): each month of each segment makes up
/// to six draws, each from a counter-based stream restarted at its own key, so a draw never
/// depends on how many uniforms another draw used.
public enum ProcessDraw: UInt64, Sendable, CaseIterable {
    /// Customers of both worlds who leave the world with the higher churn probability.
    case sharedLeaversHigh = 0
    /// Of those, the ones who also leave the world with the lower churn probability.
    case sharedLeaversBoth = 1
    /// Customers only the with-CRM world still has, who leave it.
    case withOnlyLeavers = 2
    /// Customers only the without-CRM world still has, who leave it.
    case withoutOnlyLeavers = 3
    /// New customers both worlds win: Poisson at the lower of the two arrival rates.
    case arrivalsLow = 4
    /// New customers only the world with the higher arrival rate wins: Poisson at the
    /// difference of the rates.
    case arrivalsExtra = 5

    /// The stream key of this draw in month `month` of segment `segment` of a trial whose
    /// process key is `processKey`: the cell (segment, month, kind) packed into disjoint bit
    /// fields — kind in bits 0–2, month in bits 3–39, segment from bit 40 — then combined
    /// with the trial's key. Distinct cells of one trial get distinct keys.
    @inline(__always)
    public func key(processKey: UInt64, segment: Int, month: Int) -> UInt64 {
        processKey ^ (UInt64(truncatingIfNeeded: segment) << 40 | UInt64(truncatingIfNeeded: month) << 3 | rawValue)
    }
}
