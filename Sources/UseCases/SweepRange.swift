import CRMModel
import ScenarioFormat

/// `path=from:to:step`, expanded into the values it stands for, written as scenario numbers.
public struct SweepRange: Sendable {
    /// A range that cannot be expanded, with the sentence that says why and what to write.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    /// The values as scenario text: `20`, `12.5%`.
    public let values: [String]
    /// The same values as numbers in the input's unit (`12.5%` is 0.125), e.g. for a chart's axis.
    public let numbers: [Double]

    public init(_ text: String) throws(Problem) {
        guard let equals = text.firstIndex(of: "=") else {
            throw Problem(description: "--vary \(text): write it as path=from:to:step, e.g. licences.seats=20:60:10.")
        }
        path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let parts = text[text.index(after: equals)...].split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3, let from = NumberText.parse(parts[0]), let to = NumberText.parse(parts[1]),
              let step = NumberText.parse(parts[2]) else {
            throw Problem(description: "--vary \(text): the range must be three numbers from:to:step, e.g. 20:60:10 or 50%:90%:10%.")
        }
        guard step > 0, to >= from else {
            throw Problem(description: "--vary \(text): the step must be above 0 and `to` at least `from`.")
        }
        // Counted in floating point first: a huge range or a tiny step gives a count (or an
        // infinity) that no Int holds.
        let steps = ((to - from) / step + 1e-9).rounded(.down)
        guard steps.isFinite, steps < Double(Limits.sweepValues) else {
            throw Problem(description: "--vary \(text) has more than the limit of \(Limits.sweepValues) values; use a larger step or a shorter range.")
        }
        let count = Int(steps) + 1
        let percent = parts.contains { $0.hasSuffix("%") }
        numbers = (0..<count).map { k in from + Double(k) * step }
        values = numbers.map { v in percent ? "\(SweepRange.plain(v * 100))%" : SweepRange.plain(v) }
    }

    /// A number without trailing zeros: 0.1, 25, 1250000.
    static func plain(_ v: Double) -> String {
        let rounded = (v * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
