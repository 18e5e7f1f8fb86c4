/// Every size limit crmcase enforces, in one place, so that a command refuses an impossible
/// request before it starts work instead of crashing (an arithmetic trap) or asking the system
/// for more memory than it has. docs/SCENARIO-FORMAT.md ("Limits") lists them for users.
public enum Limits {
    /// Most simulated futures (trials) of one run, on every command (`run --trials`,
    /// `run --max-trials`, `compare`, `sweep` and `track --trials`).
    ///
    /// Every trial keeps about 70 bytes plus about 40 bytes per customer segment and 1 byte per
    /// risk (8 bytes more per recorded figure for `track`), so 10,000,000 trials of a
    /// three-segment case need about 2 GB. A run is held in memory, so ``MemoryBudget`` refuses
    /// one that does not fit long before this limit; larger runs are cut into shards
    /// (`run --shard K/N`, a few GB each) whose merge keeps the whole table in a file, not in
    /// memory. `compare` and `sweep` keep one run per option or value, so their memory is that
    /// times the number of options.
    public static let trials = 1_000_000_000

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

    /// Most customers the model counts with: the largest monthly number of new customers, and
    /// the most customers one segment may reach by the end of the horizon (its customers plus
    /// every month's arrivals, with the win-rate uplift and `crm_effects` risks at their
    /// largest). Beyond it the random customer process would take minutes or hours per trial
    /// (a Poisson draw of 10¹² customers is a million draws of 10⁶), so the loader refuses the
    /// scenario before any work starts.
    public static let customers = 1_000_000_000

    /// Largest relative increase a CRM may bring (`margin_uplift`, `win_rate_uplift`): 10 is
    /// 1000 %, i.e. eleven times the margin or win rate without the CRM. A larger value is
    /// almost surely a slip (a missing `%`, a stray exponent) and would multiply counts past
    /// ``customers``.
    public static let uplift = 10.0

    /// Most months a scenario may simulate (`horizon`): 50 years.
    public static let horizonMonths = 600

    /// Most customer segments of one scenario: every trial keeps about 40 bytes per segment and
    /// the report has a table row per segment, so thousands are a mistake, not a business case.
    public static let segments = 1_000

    /// Most inputs (numbers and distributions) of one scenario, after `--set` and variants; the
    /// sensitivity analysis runs the model once per input and trial block.
    public static let inputs = 10_000

    /// Longest `--set` or variant path, in characters (`segments[Hybrid].churn_reduction` has 32).
    public static let overridePathLength = 1_000

    /// Most steps of a `--set` or variant path (`costs[Training].amount` has 2). Scenario values
    /// are at most three steps deep; the override code walks one level per step, so an
    /// unbounded path of thousands of steps once cost gigabytes.
    public static let overridePathDepth = 16

    /// Share of the memory available when a command starts that its per-trial (or per-particle)
    /// storage may take; the rest is left to the reports, the system and other programs.
    public static let memoryShare = 0.8

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
