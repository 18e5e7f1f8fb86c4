import GSLSupport

/// One segment's customers in the with-CRM and the without-CRM worlds, simulated on the same
/// random numbers so that the difference between the worlds is what the CRM changes and not
/// which customer happened to leave.
///
/// Customers are whole. Each one is either in both worlds (`shared`), or only in one of them
/// (`withOnly`: kept or won thanks to the CRM; `withoutOnly`: lost or not won because of it,
/// possible only where the CRM makes churn or acquisition worse). Every month:
///
/// - **Churn.** Each shared customer leaves the world with the higher churn probability
///   p_hi with probability p_hi, and of those who do, the lower world loses each with
///   probability p_lo / p_hi (a thinning): so a shared customer leaves both worlds with
///   probability p_lo, only the higher world with probability p_hi − p_lo, and stays in both
///   otherwise — the maximal coupling of the two Bernoulli fates. Customers who leave only one
///   world move to the other world's own group. Customers of one world only leave it with that
///   world's probability.
/// - **Arrivals.** Both worlds win Poisson(λ_lo) customers, the lower of the two rates, who
///   join `shared`; the world with the higher rate λ_hi also wins Poisson(λ_hi − λ_lo) more,
///   who join its own group. (The same joint law as drawing Poisson(λ_hi) and thinning it with
///   probability λ_lo / λ_hi: superposition and thinning are the two directions of one fact.)
///
/// Where the CRM lowers churn and raises arrivals — every month, since its churn reductions and
/// uplifts are never negative — the without-CRM world's draws (the shared leavers at its
/// churn, the arrivals at its rate) depend on nothing the CRM does. ``BaselineDraws`` keeps
/// them from one run to pass them to another run of the same futures with other CRM settings.
///
/// Each world on its own is therefore exactly the process of `docs/MODEL.md` (binomial churn,
/// Poisson arrivals), and with equal parameters the two worlds are identical customer for
/// customer: the thinning probability is 1, the extra arrivals' mean 0, and both own groups stay empty.
public struct CoupledSegment: Sendable {
    /// Customers in both worlds.
    public var shared = 0
    /// Customers in the with-CRM world only.
    public var withOnly = 0
    /// Customers in the without-CRM world only.
    public var withoutOnly = 0

    /// The plan of the last Poisson(λ_lo) arrivals draw: the mean repeats month after month
    /// (the same expected new customers without the CRM), so the sampler's set-up is made once.
    private var lowArrivals: PoissonPlan?

    public init(customers: Int) { shared = customers }

    /// Customers of the with-CRM world.
    public var withCRM: Int { shared + withOnly }
    /// Customers of the without-CRM world.
    public var withoutCRM: Int { shared + withoutOnly }

    /// What one month moved, per world (customers).
    public struct Movements: Sendable, Equatable {
        public var leftWith = 0, leftWithout = 0, joinedWith = 0, joinedWithout = 0
        /// The month's ``ProcessDraw/sharedLeaversHigh`` and ``ProcessDraw/arrivalsLow`` counts,
        /// for ``BaselineDraws``.
        public var sharedLeaversHigh = 0, arrivalsLow = 0
    }

    /// Advances one month.
    ///
    /// - Parameters:
    ///   - churnWith, churnWithout: each world's monthly churn probability (shares in 0…1).
    ///   - arrivalsWith, arrivalsWithout: each world's expected new customers this month.
    ///   - process: the count sampler; every draw reads the stream of its own key,
    ///     ``ProcessDraw/key(processKey:segment:month:)``.
    ///   - baseline: the two draws this month's ``ProcessDraw/sharedLeaversHigh`` and
    ///     ``ProcessDraw/arrivalsLow`` gave in another run of the same future, to use instead of
    ///     drawing them: only for a month where the without-CRM world has the higher churn and
    ///     the lower arrivals, with the same customers, churn and arrivals as in that run (then
    ///     they are the same draws: the same keys on the same arguments).
    public mutating func advance<Sampler: ProcessSampler & ~Copyable>(
        churnWith: Double, churnWithout: Double, arrivalsWith: Double, arrivalsWithout: Double,
        process: borrowing Sampler, processKey: UInt64, segment: Int, month: Int,
        baseline: BaselineDraws.Cell? = nil
    ) -> Movements {
        @inline(__always) func key(_ kind: ProcessDraw) -> UInt64 {
            kind.key(processKey: processKey, segment: segment, month: month)
        }
        var m = Movements()

        // Churn of each world's own customers.
        let leaveWithOnly = process.binomial(key: key(.withOnlyLeavers), trials: withOnly, probability: churnWith)
        let leaveWithoutOnly = process.binomial(key: key(.withoutOnlyLeavers), trials: withoutOnly, probability: churnWithout)
        withOnly -= leaveWithOnly
        withoutOnly -= leaveWithoutOnly

        // Churn of the shared customers: the higher world first, then the lower by thinning.
        let withIsHigher = churnWith >= churnWithout
        let high = withIsHigher ? churnWith : churnWithout
        let low = withIsHigher ? churnWithout : churnWith
        let leaveHigh = baseline.map { Int($0.leavers) }
            ?? process.binomial(key: key(.sharedLeaversHigh), trials: shared, probability: high)
        let leaveBoth = process.binomial(key: key(.sharedLeaversBoth), trials: leaveHigh, probability: high > 0 ? low / high : 1)
        shared -= leaveHigh
        // Customers who left the higher world only stay in the lower one, now as its own.
        if withIsHigher { withoutOnly += leaveHigh - leaveBoth } else { withOnly += leaveHigh - leaveBoth }
        m.leftWith = (withIsHigher ? leaveHigh : leaveBoth) + leaveWithOnly
        m.leftWithout = (withIsHigher ? leaveBoth : leaveHigh) + leaveWithoutOnly

        // Arrivals: both worlds win Poisson(λ_lo); the higher world Poisson(λ_hi − λ_lo) more.
        let withWinsMore = arrivalsWith >= arrivalsWithout
        let most = withWinsMore ? arrivalsWith : arrivalsWithout
        let fewest = withWinsMore ? arrivalsWithout : arrivalsWith
        let joinBoth: Int
        if let baseline {
            joinBoth = Int(baseline.arrivals)
        } else {
            if lowArrivals?.mean != fewest { lowArrivals = PoissonPlan(mean: fewest) }
            joinBoth = process.poisson(key: key(.arrivalsLow), plan: &lowArrivals!)
        }
        let joinExtra = process.poisson(key: key(.arrivalsExtra), mean: most - max(0, fewest))
        shared += joinBoth
        if withWinsMore { withOnly += joinExtra } else { withoutOnly += joinExtra }
        m.joinedWith = withWinsMore ? joinBoth + joinExtra : joinBoth
        m.joinedWithout = withWinsMore ? joinBoth : joinBoth + joinExtra
        m.sharedLeaversHigh = leaveHigh
        m.arrivalsLow = joinBoth
        return m
    }
}
