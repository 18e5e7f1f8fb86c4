/// Round tick values for an axis: steps of 1, 2, 2.5 or 5 × 10^k.
///
/// `ticks(min: 0, max: 97)` is `0, 20, 40, 60, 80, 100`: the smallest such step for which the
/// ticks that cover the range (the first at or below `min`, the last at or above `max`) number
/// at most `maxTicks`. Tick values are computed as integer multiples of the step, so they are
/// the doubles nearest to the decimal numbers they stand for (0.3, not 0.30000000000000004).
public enum NiceScale {
    /// Step mantissas in tenths: 1, 2, 2.5, 5.
    private static let mantissas = [10, 20, 25, 50]

    /// Ticks covering `min…max`, at most `maxTicks` of them (at least 2 are always allowed).
    ///
    /// Not-finite bounds are ignored (both: no ticks). A range of zero width around `v` is
    /// widened to `v ± 10 %` (`−1…1` around 0). Bounds in the wrong order are swapped.
    public static func ticks(min: Double, max: Double, maxTicks: Int = 6) -> [Double] {
        let finite = [min, max].filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return [] }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let span = hi - lo
        guard span.isFinite, span > 0 else { return [lo, hi] }
        let count = Swift.max(2, maxTicks)
        let magnitude = Swift.max(abs(lo), abs(hi))
        var exponent = Int((span / Double(count - 1)).log10Floor) - 1
        for _ in 0..<8 {
            for tenths in mantissas {
                let step = value(1, tenths: tenths, exponent: exponent)
                // Steps below ~1e-12 of the values cannot be told apart in a double.
                guard step >= magnitude * 1e-12 else { continue }
                let first = (lo / step + 1e-9).rounded(.down)
                let last = (hi / step - 1e-9).rounded(.up)
                guard last - first + 1 <= Double(count) else { continue }
                return stride(from: first, through: last, by: 1).map {
                    value($0, tenths: tenths, exponent: exponent)
                }
            }
            exponent += 1
        }
        return [lo, hi]
    }

    /// Ticks covering the finite values among `values` (NaN and ±∞ are ignored); none if no
    /// value is finite.
    public static func ticks(covering values: [Double], maxTicks: Int = 6) -> [Double] {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return [] }
        return ticks(min: lo, max: hi, maxTicks: maxTicks)
    }

    /// The smallest step of the form 1, 2, 2.5 or 5 × 10^k that is at least `raw` (> 0).
    public static func niceStep(atLeast raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var exponent = Int(raw.log10Floor) - 1
        for _ in 0..<4 {
            for tenths in mantissas {
                let step = value(1, tenths: tenths, exponent: exponent)
                if step >= raw * (1 - 1e-12) { return step }
            }
            exponent += 1
        }
        return raw
    }

    /// The multiples of `step` inside `min…max` (ends included): month ticks every 12, say.
    public static func multiples(of step: Double, from min: Double, through max: Double) -> [Double] {
        guard step.isFinite, step > 0, min.isFinite, max.isFinite, min <= max,
              (max - min) / step < 1000 else { return [] }
        let first = (min / step - 1e-9).rounded(.up)
        let last = (max / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }
    }

    /// `index × tenths/10 × 10^exponent`, rounded once.
    private static func value(_ index: Double, tenths: Int, exponent: Int) -> Double {
        let units = index * Double(tenths)
        let shift = exponent - 1
        let v = shift >= 0 ? units * NumberFormat.pow10(Swift.min(shift, 308))
            : units / NumberFormat.pow10(Swift.min(-shift, 308))
        return v == 0 ? 0 : v
    }
}

extension Double {
    /// ⌊log10(self)⌋ for a positive finite value, without Foundation.
    var log10Floor: Double {
        guard isFinite, self > 0 else { return 0 }
        var e = 0.0
        var x = self
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }
}
