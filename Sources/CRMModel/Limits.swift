/// Every size limit crmcase enforces, in one place, so that a command refuses an impossible
/// request before it starts work instead of crashing (an arithmetic trap) or asking the system
/// for more memory than it has. docs/SCENARIO-FORMAT.md ("Limits") lists them for users.
public enum Limits {
    /// Most simulated futures (trials) of one run, on every command (`run --trials`,
    /// `run --max-trials`, `compare`, `sweep` and `track --trials`).
    ///
    /// Every trial keeps about 70 bytes plus about 40 bytes per customer segment and 1 byte per
    /// risk (8 bytes more per recorded figure for `track`), so 50,000,000 trials of a
    /// three-segment case need about 10 GB. `compare` and `sweep` keep one run per option or
    /// value, so their memory is that times the number of options.
    public static let trials = 50_000_000

    /// Most particles of the resample-move re-forecast (`track --particles`); each holds about
    /// 400 bytes (its drawn inputs, risk events and one trial's workspace), so 1,000,000
    /// particles need about 400 MB.
    public static let particles = 1_000_000

    /// Least particles of the re-forecast: fewer give a re-forecast too coarse to read.
    public static let minimumParticles = 100

    /// Most values of one `sweep --vary` range: each value is a whole run of the scenario.
    public static let sweepValues = 200

    /// Most variants files chained by `base:` (a variants file naming another variants file):
    /// a longer chain is almost surely a mistake, and a loop is refused whatever its length.
    public static let variantsChain = 16

    /// `value` with thousands separators, e.g. 50,000,000, as the refusals print limits.
    public static func grouped(_ value: Int) -> String {
        var digits = String(value)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped
    }
}
