/// How values become text: on axis ticks, bar ends and markers.
///
/// The built-in formats use `NumberFormat` (thousands separators, minus sign U+2212, no
/// locale); `custom` takes any closure, e.g. one that adds a currency.
public struct ValueFormat: Sendable {
    enum Kind: Sendable {
        case automatic
        case grouped(decimals: Int?)
        case compact(decimals: Int?)
        case percent(decimals: Int?, multiplier: Double)
        case custom(@Sendable (Double) -> String)
    }

    let kind: Kind

    /// Thousands separators; on an axis whose labels would collide or grow too wide, the
    /// compact form (`−3.4 m`). A single value of a million or more is written compactly.
    public static let automatic = ValueFormat(kind: .automatic)

    /// `1,234,567` with `decimals` decimals; `nil`: as many as the tick step needs (single
    /// values: 0).
    public static func grouped(decimals: Int? = nil) -> ValueFormat { ValueFormat(kind: .grouped(decimals: decimals)) }

    /// `−3.4 m`, `950 k`; `nil` decimals: as many as the tick step needs (single values: 1).
    public static func compact(decimals: Int? = nil) -> ValueFormat { ValueFormat(kind: .compact(decimals: decimals)) }

    /// A percentage with a space before the sign, like the reports: `49 %`. With
    /// `fromShare` (the default) values are shares (0.49); otherwise already percent (49).
    public static func percent(decimals: Int? = nil, fromShare: Bool = true) -> ValueFormat {
        ValueFormat(kind: .percent(decimals: decimals, multiplier: fromShare ? 100 : 1))
    }

    /// Any text for a value, e.g. `{ "NOK " + NumberFormat.compact($0) }`.
    public static func custom(_ format: @escaping @Sendable (Double) -> String) -> ValueFormat {
        ValueFormat(kind: .custom(format))
    }

    /// The same as `custom(_:)`.
    public init(_ format: @escaping @Sendable (Double) -> String) { kind = .custom(format) }

    init(kind: Kind) { self.kind = kind }

    /// One value on its own (a bar end, a marker).
    public func string(_ value: Double) -> String {
        switch kind {
        case .automatic:
            let m = abs(value)
            if m >= 999_500 { return NumberFormat.compact(value, decimals: 1) }
            if m >= 100 { return NumberFormat.grouped(value) }
            return NumberFormat.trimmed(NumberFormat.grouped(value, decimals: m >= 10 ? 1 : 2))
        case .grouped(let d): return NumberFormat.grouped(value, decimals: d ?? 0)
        case .compact(let d): return NumberFormat.compact(value, decimals: d ?? 1)
        case .percent(let d, let multiplier):
            return NumberFormat.grouped(value * multiplier, decimals: d ?? 0) + " %"
        case .custom(let f): return f(value)
        }
    }

    /// Whether an axis may switch these labels to the compact form.
    var mayCompact: Bool {
        if case .automatic = kind { return true }
        return false
    }

    /// Labels for ticks `step` apart, with the decimals the step needs. `compact`: every
    /// label in one unit, the one of the largest tick (`−2 m … 4 m`), and 0 as `0`.
    func labels(for ticks: [Double], step: Double, compact: Bool) -> [String] {
        switch kind {
        case .automatic where compact, .compact(decimals: .none):
            let largest = ticks.map(abs).max() ?? 0
            guard let unit = NumberFormat.units.last(where: { largest >= $0.scale }) else {
                return ticks.map { NumberFormat.grouped($0, decimals: NumberFormat.decimals(forStep: step)) }
            }
            let d = NumberFormat.decimals(forStep: step / unit.scale)
            return ticks.map { t in
                let text = NumberFormat.grouped(t / unit.scale, decimals: d)
                return t == 0 ? "0" : text + " " + unit.suffix
            }
        case .automatic, .grouped(decimals: .none):
            return ticks.map { NumberFormat.grouped($0, decimals: NumberFormat.decimals(forStep: step)) }
        case .percent(decimals: .none, let multiplier):
            let d = NumberFormat.decimals(forStep: step * multiplier)
            return ticks.map { NumberFormat.grouped($0 * multiplier, decimals: d) + " %" }
        default:
            return ticks.map(string)
        }
    }
}
