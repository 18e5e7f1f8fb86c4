import Foundation
import GSLSupport

/// Discounting, rates and the investment measures of a monthly cash-flow series.
///
/// Cash flows are indexed by month t = 0…H and booked at the end of month t, so the flow of
/// month t is discounted by (1 + r_m)^(−t); month 0 is not discounted.
public enum Finance {
    /// The monthly rate equivalent to an annual rate: (1 + r)^(1/12) − 1.
    @inline(__always)
    public static func monthlyRate(annual r: Double) -> Double {
        pow(1 + r, 1.0 / 12.0) - 1
    }

    /// The annual rate equivalent to a monthly rate: (1 + r_m)^12 − 1.
    @inline(__always)
    public static func annualRate(monthly rm: Double) -> Double {
        pow(1 + rm, 12) - 1
    }

    /// The monthly churn probability equivalent to an annual churn share:
    /// 1 − (1 − c)^(1/12), so that twelve months of it lose the annual share.
    @inline(__always)
    public static func monthlyChurn(annual c: Double) -> Double {
        1 - pow(1 - c, 1.0 / 12.0)
    }

    /// Net present value at a monthly rate of flows at the ends of months 0, 1, 2, ….
    public static func npv(_ cash: [Double], monthlyRate rm: Double) -> Double {
        var total = 0.0
        var factor = 1.0
        let v = 1 / (1 + rm)
        for flow in cash {
            total += flow * factor
            factor *= v
        }
        return total
    }

    /// The outcome of an IRR search.
    public enum IRR: Equatable, Sendable {
        /// The annual internal rate of return (a share: 0.25 is 25 % per year).
        case rate(Double)
        /// The cash flows never change sign: no rate makes the NPV zero.
        case noSignChange
        /// The flows change sign, but no monthly rate between −80 % and +400 % makes the NPV
        /// zero (typically a project that never recovers, with a few positive months).
        case noRoot
        /// The NPV is zero at more than one rate: no single IRR describes the flows.
        case ambiguous

        /// The annual rate, or nil when there is none.
        public var value: Double? {
            if case .rate(let r) = self { return r }
            return nil
        }
    }

    /// The internal rate of return of monthly flows, annualised as (1 + r_m)^12 − 1.
    ///
    /// The search runs on x = 1/(1 + r_m), where the NPV is the polynomial Σ CF_t·x^t. By
    /// Descartes' rule of signs, flows that change sign exactly once have exactly one
    /// positive root, which is bracketed and then polished with Brent's method
    /// (``BracketedRoot``, the steps of GSL's `gsl_root_fsolver_brent`) to a relative precision
    /// of 1e-14. Flows that change sign more than once but whose
    /// cumulative total changes sign once have exactly one IRR above 0 % (Norström's
    /// criterion), found the same way. Other flows are scanned
    /// on a grid of monthly rates from −80 % to +400 %; a single root there is polished
    /// the same way, none is ``IRR/noRoot`` and several are ``IRR/ambiguous``.
    public static func irr(_ cash: UnsafeBufferPointer<Double>) -> IRR {
        var changes = 0
        var firstSign = 0.0
        var lastSign = 0.0
        for flow in cash where flow != 0 {
            let s: Double = flow > 0 ? 1 : -1
            if firstSign == 0 { firstSign = s } else if s != lastSign { changes += 1 }
            lastSign = s
        }
        if changes == 0 { return .noSignChange }

        // Σ CF_t·x^t as four Horner chains in y = x⁴ (the terms t ≡ 0, 1, 2, 3 mod 4), joined at
        // the end: C₀(y) + x·C₁(y) + x²·C₂(y) + x³·C₃(y). One chain of 61 dependent multiply-adds
        // waits on each step's latency; four independent ones run side by side, and a root
        // search evaluates this a dozen times a trial. The same polynomial, rounded differently
        // by a few units in the last place.
        let count = cash.count
        func polynomial(_ x: Double) -> Double {
            let y = (x * x) * (x * x)
            var c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0
            var b = (count - 1) & ~3
            while b >= 0 {
                c0 = c0 * y + cash[b]
                c1 = c1 * y + (b + 1 < count ? cash[b + 1] : 0)
                c2 = c2 * y + (b + 2 < count ? cash[b + 2] : 0)
                c3 = c3 * y + (b + 3 < count ? cash[b + 3] : 0)
                b -= 4
            }
            return c0 + x * (c1 + x * (c2 + x * c3))
        }

        func polish(_ lo: Double, _ hi: Double) -> IRR {
            guard let x = BracketedRoot.brent(lower: lo, upper: hi, absoluteTolerance: 0,
                                              relativeTolerance: 1e-14, polynomial) else {
                return .ambiguous
            }
            return .rate(pow(x, -12) - 1)
        }

        if changes == 1 {
            let atOne = polynomial(1)
            if atOne == 0 { return .rate(0) }
            var lo = 1.0, hi = 1.0
            if (atOne > 0) == (firstSign > 0) {
                // The sign near x = 0 persists at x = 1: the root is at x > 1 (negative IRR).
                repeat {
                    lo = hi
                    hi *= 2
                    if hi > 1e4 { return .ambiguous }
                } while (polynomial(hi) > 0) == (firstSign > 0)
            } else {
                repeat {
                    hi = lo
                    lo /= 2
                    if lo < 1e-8 { return .ambiguous }
                } while (polynomial(lo) > 0) != (firstSign > 0)
            }
            return polish(lo, hi)
        }

        // Several sign changes. Norström's criterion (1972): if the cumulative cash flow
        // changes sign exactly once and does not end at zero, there is exactly one IRR above
        // 0 %, the root of the NPV between x = 0 and x = 1.
        var cumulative = 0.0
        var cumulativeChanges = 0
        var cumulativeSign = 0.0
        for flow in cash {
            cumulative += flow
            guard cumulative != 0 else { continue }
            let s: Double = cumulative > 0 ? 1 : -1
            if cumulativeSign != 0 && s != cumulativeSign { cumulativeChanges += 1 }
            cumulativeSign = s
        }
        if cumulativeChanges == 1 && cumulative != 0 && (polynomial(1) > 0) != (firstSign > 0) {
            var lo = 0.5
            while (polynomial(lo) > 0) != (firstSign > 0) {
                lo /= 2
                if lo < 1e-8 { return .ambiguous }
            }
            return polish(lo, 1)
        }

        // Otherwise look for every root of the NPV for monthly rates in
        // [−80 %, +400 %], i.e. x in [0.2, 5], on a geometric grid.
        let steps = 120
        // The first bracket found and how many there are (no array: a trial allocates nothing).
        var rootCount = 0
        var first = (0.0, 0.0)
        var previousX = 0.2
        var previousValue = polynomial(previousX)
        for k in 1...steps {
            let x = 0.2 * pow(25.0, Double(k) / Double(steps))
            let value = polynomial(x)
            if previousValue == 0 {
                if rootCount == 0 { first = (previousX, previousX) }
                rootCount += 1
            } else if (value > 0) != (previousValue > 0), value != 0 {
                if rootCount == 0 { first = (previousX, x) }
                rootCount += 1
            }
            previousX = x
            previousValue = value
        }
        if rootCount == 0 { return .noRoot }
        guard rootCount == 1 else { return .ambiguous }
        let (lo, hi) = first
        if lo == hi { return .rate(pow(lo, -12) - 1) }
        return polish(lo, hi)
    }

    /// The first month from which the cumulative position stays at or above zero until the
    /// last month; 0 when it never falls below zero; nil when it ends below zero.
    public static func paybackMonth(cumulative: UnsafeBufferPointer<Double>) -> Int? {
        guard let last = cumulative.last, last >= 0 else { return nil }
        var t = cumulative.count - 1
        while t >= 0 {
            if cumulative[t] < 0 { return t + 1 }
            t -= 1
        }
        return 0
    }

    /// Σ_{t ≥ 1} S(t)·(1 + i)^−t for a new customer on a shifted-beta-geometric curve whose
    /// monthly churn probabilities α/(α + β + t − 1) are multiplied by `churnFactor` f in 0…1
    /// (1 − ρ·A for a CRM that reduces churn by ρ at adoption A): the margin multiple of a CLV
    /// with margins at the end of each month the customer stays.
    ///
    /// Each month's retention is then (β′ + t − 1)/(α + β + t − 1) with β′ = β + α(1 − f), so
    /// S(t) = (β′)ₜ/(α + β)ₜ and the sum is ₂F₁(1, β′; α + β; x) − 1 with x = 1/(1 + i). GSL
    /// evaluates ₂F₁ while x < 0.995 (i above about 0.5 % a month); closer to 1 GSL's method is
    /// unreliable, and the series is added term by term until a term adds less than 1e-15 of
    /// the total.
    public static func discountedLifetime(_ sbg: ShiftedBetaGeometric, churnFactor f: Double, discount i: Double) -> Double {
        let factor = min(1, max(0, f))
        let betaPrime = sbg.beta + sbg.alpha * (1 - factor)
        let x = 1 / (1 + i)
        if x < 0.995, let value = try? SpecialFunctions.hypergeometric2F1(a: 1, b: betaPrime, c: sbg.alpha + sbg.beta, x: x) {
            return value - 1
        }
        guard i > 0 else { return .infinity }
        var term = 1.0, total = 0.0
        var t = 1.0
        while t < 5e7 {
            term *= (betaPrime + t - 1) / (sbg.alpha + sbg.beta + t - 1) * x
            total += term
            if term < 1e-15 * total { break }
            t += 1
        }
        return total
    }

    /// Customer lifetime value by the Gupta–Lehmann margin multiple, per month:
    /// `m · r / (1 + i − r)` — the present value of a margin m earned at the end of every
    /// month the customer is still there, with monthly retention r and monthly discount rate i.
    ///
    /// - Returns: +∞ when r ≥ 1 + i (a customer who never leaves and is not discounted).
    @inline(__always)
    public static func customerLifetimeValue(margin m: Double, retention r: Double, discount i: Double) -> Double {
        let denominator = 1 + i - r
        guard denominator > 0 else { return .infinity }
        return m * r / denominator
    }
}
