/// Locale-free number text, the same on every machine.
///
/// Labels use thousands separators (`1,234,567`) and the minus sign U+2212 (`−`), like the
/// Markdown reports; SVG coordinates use an ASCII minus and at most two decimals. A value that
/// rounds to zero never shows a sign.
public enum NumberFormat {
    /// The minus sign of labels: U+2212.
    public static let minus = "\u{2212}"

    /// A coordinate for an SVG attribute: two decimals at most, trailing zeros trimmed, ASCII
    /// minus, no `-0` (`12.5`, `-3`, `0`). Not-finite values give `0`.
    public static func coordinate(_ value: Double) -> String {
        guard let parts = Parts(value, decimals: 2) else { return "0" }
        var fraction = parts.fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (parts.negative ? "-" : "") + parts.integer + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `value` with exactly `decimals` decimals (0…9), ASCII minus, no `-0`: `-1234.50`.
    /// Not-finite values give `nan`, `inf` or `-inf`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard let parts = Parts(value, decimals: decimals) else { return nonFinite(value, minus: "-") }
        return (parts.negative ? "-" : "") + parts.integer + (parts.fraction.isEmpty ? "" : "." + parts.fraction)
    }

    /// `value` with thousands separators, `decimals` decimals (0…9) and the minus sign U+2212:
    /// `−1,234,567`, `0.25`. Not-finite values give `NaN`, `∞` or `−∞`.
    public static func grouped(_ value: Double, decimals: Int = 0) -> String {
        guard let parts = Parts(value, decimals: decimals) else { return nonFinite(value, minus: minus) }
        var integer = parts.integer
        var groups: [Substring] = []
        while integer.count > 3 {
            groups.insert(integer.suffix(3), at: 0)
            integer.removeLast(3)
        }
        groups.insert(Substring(integer), at: 0)
        let fraction = parts.fraction.isEmpty ? "" : "." + parts.fraction
        return (parts.negative ? minus : "") + groups.joined(separator: ",") + fraction
    }

    /// Units of the compact form: thousands, millions, billions, trillions.
    static let units: [(scale: Double, suffix: String)] = [(1e3, "k"), (1e6, "m"), (1e9, "bn"), (1e12, "tn")]

    /// A large amount in compact form with at most `decimals` decimals, trailing zeros
    /// trimmed: `−3.4 m`, `950 k`, `2.1 bn`, `3 m`; below 1,000 the grouped form (`512`). The
    /// unit is chosen after rounding, so 999,960 is `1 m`, not `1,000 k`.
    public static func compact(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return nonFinite(value, minus: minus) }
        let d = min(max(decimals, 0), 9)
        // The largest unit the value reaches, one up where rounding makes it 1,000 of it.
        var index = units.lastIndex { abs(value) >= $0.scale }
        while let i = index, i + 1 < units.count, roundedMagnitude(abs(value) / units[i].scale, decimals: d) >= 1000 {
            index = i + 1
        }
        if index == nil, roundedMagnitude(abs(value), decimals: d) >= 1000 { index = 0 }
        if let i = index {
            let number = trimmed(grouped(value / units[i].scale, decimals: d))
            return number == "0" ? "0" : number + " " + units[i].suffix
        }
        return trimmed(grouped(value, decimals: d))
    }

    /// The fewest decimals (0…6) that write `step` exactly enough to tell its multiples apart:
    /// 20 → 0, 2.5 → 1, 0.25 → 2.
    public static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var scaled = step
        for d in 0...6 {
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(1, scaled) { return d }
            scaled *= 10
        }
        return 6
    }

    /// Grouped text with trailing fractional zeros (and a bare point) removed.
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t == minus + "0" ? "0" : t
    }

    private static func roundedMagnitude(_ x: Double, decimals: Int) -> Double {
        let p = pow10(decimals)
        return (x * p).rounded(.toNearestOrAwayFromZero) / p
    }

    private static func nonFinite(_ value: Double, minus: String) -> String {
        value.isNaN ? "NaN" : value > 0 ? "∞" : minus + "∞"
    }

    /// 10^n for 0 ≤ n ≤ 22, exact.
    static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }

    /// Sign, integer digits and exactly `decimals` fraction digits of a rounded finite value.
    private struct Parts {
        var negative: Bool
        var integer: String
        var fraction: String

        init?(_ value: Double, decimals: Int) {
            guard value.isFinite else { return nil }
            let d = min(max(decimals, 0), 9)
            let p = NumberFormat.pow10(d)
            let scaled = (abs(value) * p).rounded(.toNearestOrAwayFromZero)
            if scaled < 9.0e18 {
                let n = UInt64(scaled)
                let q = UInt64(p)
                integer = String(n / q)
                let f = String(n % q)
                fraction = d == 0 ? "" : String(repeating: "0", count: d - f.count) + f
                negative = value < 0 && n != 0
            } else {
                // Beyond 2^63 the digits are not meaningful anyway: write the whole part only.
                integer = Parts.digits(abs(value).rounded())
                fraction = String(repeating: "0", count: d)
                negative = value < 0
            }
        }

        /// Decimal digits of a large whole double by repeated division (exact for these values
        /// since every double above 2^53 is a whole number).
        private static func digits(_ x: Double) -> String {
            var x = x
            var out: [Character] = []
            while x >= 1 {
                let q = (x / 10).rounded(.down)
                let r = Int(x - q * 10)
                out.append(Character(String(max(0, min(9, r)))))
                x = q
            }
            return out.isEmpty ? "0" : String(out.reversed())
        }
    }
}
