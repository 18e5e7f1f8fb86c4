import Foundation
import MonteCarlo

/// Amounts for one sentence of running text, all in one style and rounded to what the Monte
/// Carlo error supports.
///
/// A verdict that says "NOK −757,893" when the simulation pins the mean down only to ± 54,000
/// claims five digits it does not know, and "NOK −2.01 million and NOK −946,053" in one sentence
/// makes a reader compare two styles instead of two numbers. So every amount of a sentence is
/// rounded to the same step — the power of ten at or below the 95 % half-width of the figure the
/// sentence is about (never finer than 1) — and written in millions (or billions) as soon as
/// one of them reaches a million.
public struct AmountWords: Sendable {
    public let currency: String
    /// Rounding step in currency units: a power of ten ≥ 1.
    public let step: Double
    /// 1, 1e6 or 1e9: the unit every amount of the sentence is written in.
    public let scale: Double

    /// - Parameters:
    ///   - amounts: every amount the sentence will show (they choose the unit).
    ///   - uncertainty: the 95 % half-width of the Monte Carlo error of the sentence's main
    ///     figure, in currency units (0 or not finite: whole units).
    public init(currency: String, amounts: [Double], uncertainty: Double) {
        self.currency = currency
        let largest = amounts.filter(\.isFinite).map(abs).max() ?? 0
        scale = largest >= 1e9 ? 1e9 : largest >= 1e6 ? 1e6 : 1
        step = Resolution.step(halfWidth: uncertainty)
    }

    /// `value` rounded to the step; −0 is shown as 0.
    public func rounded(_ value: Double) -> Double {
        let r = (value / step).rounded() * step
        return r == 0 ? 0 : r
    }

    /// `NOK −2.01 million`, `NOK −950,000`, `NOK 0`: the amount in the sentence's style.
    public func callAsFunction(_ value: Double) -> String {
        guard value.isFinite else { return "none" }
        let r = rounded(value)
        guard scale > 1 else { return Format.money(r, currency) }
        // Enough decimals to show the step (0.01 million for a step of 10,000) and no more — a
        // step of a million reads "2 million", not "2.0 million", which would claim a tenth —
        // at most 3; one count of decimals for the whole sentence, so "2.00 million" and
        // "0.95 million" sit side by side in one style.
        let decimals = Int(min(3, max(0, log10(scale) - log10(step))))
        let word = scale == 1e9 ? "billion" : "million"
        return "\(currency) \(Format.number(r / scale, decimals: decimals)) \(word)"
    }

    /// Whether the figure is indistinguishable from zero at this error (it rounds to 0).
    public func isZero(_ value: Double) -> Bool { rounded(value) == 0 }
}

/// The words for a chance, on one documented scale: the calibrated language of the IPCC
/// (Mastrandrea et al. 2010, the guidance note for the Fifth Assessment Report), with "a coin
/// flip" reserved for 45–55 %. docs/MODEL.md ("How reports word a chance") lists the scale.
public enum ChanceWords {
    /// The scale's bands: upper bound (exclusive, a share) and words.
    public static let scale: [(below: Double, words: String)] = [
        (0.01, "exceptionally unlikely"),
        (0.10, "very unlikely"),
        (0.33, "unlikely"),
        (0.45, "about as likely as not, if somewhat less"),
        (0.55, "a coin flip"),
        (0.66, "about as likely as not, if somewhat more"),
        (0.90, "likely"),
        (0.99, "very likely"),
        (.infinity, "virtually certain"),
    ]

    /// The words for `share` (0…1).
    public static func words(_ share: Double) -> String {
        scale.first { share < $0.below }?.words ?? "virtually certain"
    }
}
