import CRMModel
import Foundation

/// Reads a number the way scenario files write it (`1200`, `1_200`, `12%`, `900k`, `1.2M`,
/// `2bn`), for other inputs such as actuals files. Nil when the text is not such a number.
public enum NumberText {
    public static func parse(_ text: String) -> Double? {
        ValueSyntax.number(text)?.value
    }
}

/// The text forms of numbers and distributions in a scenario file (see
/// `docs/SCENARIO-FORMAT.md`). Parsing never throws for the user's mistakes; it returns a
/// ``SyntaxProblem`` with a sentence and a hint, and the caller adds the file position.
enum ValueSyntax {
    struct SyntaxProblem: Error, Equatable {
        var message: String
        var hint: String?
    }

    /// A number as written: its value and whether it was written as a percentage.
    struct Number: Equatable {
        var value: Double
        var isPercent: Bool
    }

    /// Parses `1200`, `1_200`, `-3.5`, `12%`, `900k`, `1.2M`, `2bn`.
    static func number(_ raw: String) -> Number? {
        var text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        var scale = 1.0
        var isPercent = false
        if text.hasSuffix("%") {
            text.removeLast()
            scale = 0.01
            isPercent = true
        } else if text.lowercased().hasSuffix("bn") {
            text.removeLast(2)
            scale = 1e9
        } else if let last = text.last, "kK".contains(last) {
            text.removeLast()
            scale = 1e3
        } else if let last = text.last, "mM".contains(last) {
            text.removeLast()
            scale = 1e6
        }
        text = text.trimmingCharacters(in: .whitespaces)
        // Only plain decimal notation: no "nan", "inf", hex or stray letters.
        guard !text.isEmpty,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              text.first.map({ $0.isNumber || "+-.".contains($0) }) == true,
              let value = Double(text), (value * scale).isFinite else { return nil }
        return Number(value: value * scale, isPercent: isPercent)
    }

    /// The names of the distribution forms, for suggestions.
    static let forms = ["fixed", "uniform", "triangular", "pert", "normal", "lognormal", "beta", "gamma",
                        "discrete", "normal90", "lognormal90", "beta90"]

    /// Parses a plain number or a distribution for a field with `bounds` (see ``Bounds``): the
    /// bounds decide what a 90 % interval `A to B` becomes, and in a share or rate a plain value
    /// above 1 is rejected as a percentage written without its `%`.
    static func distribution(_ raw: String, bounds: Bounds = .any, perYear: Bool = false) -> Result<Distribution, SyntaxProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let n = number(text) {
            if let slip = fractionSlip([n], written: [text], text: text, bounds: bounds, perYear: perYear) { return .failure(slip) }
            return .success(.fixed(n.value))
        }
        if let slip = NumberSlip.problem(in: text) {
            return .failure(SyntaxProblem(message: slip, hint: nil))
        }

        // "p5 to p95": a 90 % interval.
        let parts = text.components(separatedBy: " to ")
        if parts.count == 2 {
            guard let lo = number(parts[0]), let hi = number(parts[1]) else {
                if let slip = parts.lazy.compactMap({ NumberSlip.problem(in: $0) }).first {
                    return .failure(SyntaxProblem(message: "In “\(text)”, \(slip.prefix(1).lowercased())\(slip.dropFirst())", hint: nil))
                }
                return .failure(SyntaxProblem(
                    message: "“\(text)” looks like a 90 % interval, but its ends are not both numbers.",
                    hint: "Write it like `400k to 900k` or `60% to 85%`."))
            }
            if let slip = fractionSlip([lo, hi], written: parts, text: text, bounds: bounds, perYear: perYear) { return .failure(slip) }
            return boundedInterval(lo, hi, text: text, bounds: bounds)
        }

        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else {
            return .failure(SyntaxProblem(
                message: "“\(text)” is neither a number nor a distribution.",
                hint: "Write a number (`1200`, `12%`, `900k`) or a distribution such as `pert(10, 20, 40)` or `60% to 85%`."))
        }
        let name = text[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        let inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let args = inside.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // `pert(0,05, 0,07, 0,1)`: commas between digits next to commas followed by a space.
        if let comma = NumberSlip.decimalCommaInArguments(inside, certain: inside.contains(", ")) {
            return .failure(SyntaxProblem(message: "In “\(text)”, \(comma)", hint: nil))
        }

        if name == "discrete" { return discrete(args, text: text, bounds: bounds, perYear: perYear) }

        var numbers: [Number] = []
        for arg in args {
            guard let n = number(arg) else {
                if let slip = NumberSlip.problem(in: arg) {
                    return .failure(SyntaxProblem(message: "In “\(text)”, \(slip.prefix(1).lowercased())\(slip.dropFirst())", hint: nil))
                }
                return .failure(SyntaxProblem(
                    message: "In “\(text)”, “\(arg)” is not a number.",
                    hint: "Arguments are numbers such as `1200`, `12%` or `900k`, separated by commas."))
            }
            numbers.append(n)
        }
        let values = numbers.map(\.value)

        func expect(_ counts: [Int], _ usage: String) -> SyntaxProblem? {
            if counts.contains(values.count) {
                // The arguments that are values of the field (not shapes such as λ, α, β):
                // in a share or rate, a plain one above 1 is a missing `%`.
                let positions: [Int]
                switch name {
                case "beta": positions = values.count == 4 ? [2, 3] : []
                case "gamma": positions = [1]
                case "pert": positions = [0, 1, 2]
                default: positions = Array(values.indices)
                }
                return fractionSlip(positions.map { numbers[$0] }, written: positions.map { args[$0] },
                                    text: text, bounds: bounds, perYear: perYear)
            }
            if let comma = NumberSlip.decimalCommaInArguments(inside, certain: true) {
                return SyntaxProblem(message: "In “\(text)”, \(comma)", hint: nil)
            }
            return SyntaxProblem(message: "“\(text)” has \(values.count) argument\(values.count == 1 ? "" : "s"); \(name) takes \(usage).",
                                 hint: nil)
        }

        switch name {
        case "fixed":
            if let p = expect([1], "one value: `fixed(x)`") { return .failure(p) }
            return .success(.fixed(values[0]))
        case "uniform":
            if let p = expect([2], "a minimum and a maximum: `uniform(min, max)`") { return .failure(p) }
            guard values[0] <= values[1] else {
                return .failure(SyntaxProblem(message: "In “\(text)” the minimum is above the maximum.", hint: "Swap them."))
            }
            return .success(values[0] == values[1] ? .fixed(values[0]) : .uniform(min: values[0], max: values[1]))
        case "triangular", "pert":
            let usage = name == "pert" ? "`pert(min, mode, max)` or `pert(min, mode, max, λ)`" : "`triangular(min, mode, max)`"
            if let p = expect(name == "pert" ? [3, 4] : [3], usage) { return .failure(p) }
            let (a, c, b) = (values[0], values[1], values[2])
            guard a <= c, c <= b else {
                return .failure(SyntaxProblem(
                    message: "In “\(text)” the values must be in the order minimum ≤ most likely ≤ maximum.",
                    hint: "Write \(name)(min, mode, max)."))
            }
            if a == b { return .success(.fixed(a)) }
            if name == "triangular" { return .success(.triangular(min: a, mode: c, max: b)) }
            let lambda = values.count == 4 ? values[3] : 4
            guard lambda > 0 else {
                return .failure(SyntaxProblem(message: "In “\(text)” the PERT weight λ must be above 0.", hint: "Leave it out for the usual λ = 4."))
            }
            return .success(.pert(min: a, mode: c, max: b, lambda: lambda))
        case "normal":
            if let p = expect([2], "a mean and a standard deviation: `normal(mean, sd)`") { return .failure(p) }
            guard values[1] >= 0 else {
                return .failure(SyntaxProblem(message: "In “\(text)” the standard deviation is negative.", hint: nil))
            }
            return .success(values[1] == 0 ? .fixed(values[0]) : .normal(mean: values[0], sd: values[1]))
        case "lognormal":
            if let p = expect([2], "a mean and a standard deviation: `lognormal(mean, sd)`") { return .failure(p) }
            guard values[0] > 0, values[1] >= 0 else {
                return .failure(SyntaxProblem(
                    message: "In “\(text)” a lognormal needs a mean above 0 and a standard deviation of at least 0.",
                    hint: "For values that can be negative use `normal(mean, sd)`."))
            }
            return .success(values[1] == 0 ? .fixed(values[0]) : .lognormal(mean: values[0], sd: values[1]))
        case "beta":
            if let p = expect([2, 4], "`beta(α, β)` or `beta(α, β, min, max)`") { return .failure(p) }
            guard values[0] > 0, values[1] > 0 else {
                return .failure(SyntaxProblem(message: "In “\(text)” both shape parameters α and β must be above 0.", hint: nil))
            }
            let (lo, hi) = values.count == 4 ? (values[2], values[3]) : (0, 1)
            guard lo < hi else {
                return .failure(SyntaxProblem(message: "In “\(text)” the minimum must be below the maximum.", hint: nil))
            }
            return .success(.beta(alpha: values[0], beta: values[1], min: lo, max: hi))
        case "gamma":
            if let p = expect([2], "a shape and a scale: `gamma(shape, scale)`") { return .failure(p) }
            guard values[0] > 0, values[1] > 0 else {
                return .failure(SyntaxProblem(message: "In “\(text)” the shape and the scale must both be above 0.", hint: nil))
            }
            return .success(.gamma(shape: values[0], scale: values[1]))
        case "normal90", "lognormal90", "beta90":
            if let p = expect([2], "the 5th and the 95th percentile: `\(name)(p5, p95)`") { return .failure(p) }
            // A lognormal cannot start at 0; on a field that cannot be negative, 0 means
            // "as low as 0" and gets the exponential, as `0 to 500k` does.
            if name == "lognormal90", values[0] == 0, bounds.kind != .signed, values[1] > 0 {
                return boundedInterval(numbers[0], numbers[1], text: text, bounds: bounds)
            }
            return interval(name, values[0], values[1], text: text)
        default:
            let guess = Suggestions.nearest(to: name, in: forms)
            return .failure(SyntaxProblem(
                message: "“\(name)” is not a distribution this tool knows.",
                hint: guess.map { "Did you mean `\($0)`?" } ?? "Use one of: \(forms.joined(separator: ", "))."))
        }
    }

    /// `A to B` on a field with `bounds`: the family that respects the field's range.
    ///
    /// - share (0…1): a beta on 0…1, fitted to P5 = A and P95 = B; an end at 0 % or 100 % gets
    ///   shape 1 on that side (`IntervalFit.betaFromBound`). Ends outside 0…1 are an error.
    /// - cannot be negative: from 0, an exponential with P95 = B (a lognormal cannot reach 0);
    ///   a negative end is an error; otherwise as for any field.
    /// - any field: `beta90` when both ends are percentages strictly inside 0…100 %,
    ///   `lognormal90` when A > 0, `normal90` otherwise.
    private static func boundedInterval(_ lo: Number, _ hi: Number, text: String, bounds: Bounds) -> Result<Distribution, SyntaxProblem> {
        switch bounds.kind {
        case .share:
            guard lo.value >= 0, hi.value <= 1 else {
                let outside = lo.value < 0 ? lo.value : hi.value
                return .failure(SyntaxProblem(
                    message: "In “\(text)”, \(formatPercent(outside)) is outside 0 %…100 %: a share cannot go there.",
                    hint: "Give a 90 % interval inside 0 %…100 %, e.g. `0% to 30%`."))
            }
            return interval("beta90", lo.value, hi.value, text: text)
        case .nonNegative:
            if lo.value < 0 {
                return .failure(SyntaxProblem(
                    message: "In “\(text)” the low end is below 0, but this value cannot be negative.",
                    hint: "Start the interval at 0 or above, e.g. `0 to \(formatted(hi.value))`."))
            }
            if lo.value == 0 && hi.value > 0 {
                do { return .success(try IntervalFit.exponentialFromZero(p95: hi.value)) } catch {}
            }
        case .signed:
            break
        }
        let form: String
        if lo.isPercent && hi.isPercent && lo.value > 0 && hi.value < 1 {
            form = "beta90"
        } else if lo.value > 0 {
            form = "lognormal90"
        } else {
            form = "normal90"
        }
        return interval(form, lo.value, hi.value, text: text)
    }

    /// In a share or rate, the first value written as a plain number above 1 (in absolute
    /// value): `9` for 9 % would be read as 900 %, so it is rejected with both ways to write it.
    /// Percentages (`120%`) are taken as written and checked against the range later.
    static func fractionSlip(_ numbers: [Number], written: [String], text: String, bounds: Bounds, perYear: Bool) -> SyntaxProblem? {
        guard bounds.readAsFraction else { return nil }
        for (n, raw) in zip(numbers, written) where !n.isPercent && abs(n.value) > 1 {
            let shown = raw.trimmingCharacters(in: .whitespaces)
            let percent = formatted(n.value * 100)
            let limit = bounds.kind == .share ? ", but a share cannot be above 100 %" : ""
            let sentence = "\(shown) means \(percent) %\(perYear ? " a year" : "")\(limit); write \(shown)% or \(formatted(n.value / 100))."
            return SyntaxProblem(
                message: shown == text ? sentence : "In “\(text)”, \(sentence)",
                hint: "Write shares and rates as percentages, e.g. `12%`, or as fractions, e.g. `0.12`"
                    + (bounds.kind == .share ? "." : "; if you do mean \(percent) %, write `\(percent)%`."))
        }
        return nil
    }

    private static func interval(_ form: String, _ p5: Double, _ p95: Double, text: String) -> Result<Distribution, SyntaxProblem> {
        do {
            switch form {
            case "beta90": return .success(try IntervalFit.beta(p5: p5, p95: p95))
            case "lognormal90": return .success(try IntervalFit.lognormal(p5: p5, p95: p95))
            default: return .success(try IntervalFit.normal(p5: p5, p95: p95))
            }
        } catch .notIncreasing {
            return .failure(SyntaxProblem(
                message: "In “\(text)” the 5th percentile (P5) is not below the 95th (P95).",
                hint: "Give the low end first: `\(form)(low, high)`."))
        } catch .notPositive {
            return .failure(SyntaxProblem(
                message: "In “\(text)” a lognormal interval needs both ends above 0.",
                hint: "Use `normal90(p5, p95)` for values that can be 0 or negative."))
        } catch .notAShare {
            return .failure(SyntaxProblem(
                message: "In “\(text)” a beta interval needs both ends strictly between 0 % and 100 %.",
                hint: nil))
        } catch {
            return .failure(SyntaxProblem(
                message: "No beta distribution has exactly the interval “\(text)”.",
                hint: "Try a slightly wider interval, or `pert(min, mode, max)`."))
        }
    }

    private static func discrete(_ args: [String], text: String, bounds: Bounds, perYear: Bool) -> Result<Distribution, SyntaxProblem> {
        var values: [Double] = [], probabilities: [Double] = []
        var written: [Number] = [], writtenText: [String] = []
        for arg in args {
            let pair = arg.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, let v = number(String(pair[0])), let p = number(String(pair[1])) else {
                return .failure(SyntaxProblem(
                    message: "In “\(text)”, “\(arg)” is not a `value: probability` pair.",
                    hint: "Write it like `discrete(2: 50%, 4: 30%, 6: 20%)`, and put the whole value in quotes in YAML."))
            }
            guard p.value >= 0, p.value <= 1 else {
                return .failure(SyntaxProblem(message: "In “\(text)” the probability of \(pair[0]) is outside 0 %…100 %.", hint: nil))
            }
            values.append(v.value)
            probabilities.append(p.value)
            written.append(v)
            writtenText.append(String(pair[0]))
        }
        if let slip = fractionSlip(written, written: writtenText, text: text, bounds: bounds, perYear: perYear) { return .failure(slip) }
        let total = probabilities.reduce(0, +)
        guard abs(total - 1) < 1e-9 else {
            return .failure(SyntaxProblem(
                message: "In “\(text)” the probabilities add up to \(formatPercent(total)), not 100 %.",
                hint: nil))
        }
        return .success(.discrete(values: values, probabilities: probabilities))
    }

    static func formatPercent(_ share: Double) -> String {
        let percent = (share * 100 * 1000).rounded() / 1000
        // A whole number an Int can hold prints without ".0"; anything else — a mistyped
        // 10⁴⁰ % or an infinity — prints as the number it is, never trapping on the conversion.
        if percent == percent.rounded(), let whole = Int(exactly: percent) { return "\(whole) %" }
        return "\(percent) %"
    }
}
