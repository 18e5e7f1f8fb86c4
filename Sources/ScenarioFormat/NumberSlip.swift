import Foundation

/// Numbers written the way many European (and all Nordic) spreadsheets write them — a
/// decimal comma (`0,07`) or a space between thousands (`150 000`) — which crmcase does not
/// read. Spotting them turns "is not a number" or "has 5 arguments" into a sentence that names
/// the habit and gives the number to write instead.
enum NumberSlip {
    // Built on use (only for text that can match, see below): `Regex` is not `Sendable`.
    /// The suffixes a scenario number may carry (`%`, `k`, `M`, `bn`).
    private static let suffix = #"\s*(%|[kKmM]|bn|BN|Bn)?"#
    private static var decimalComma: Regex<AnyRegexOutput> { try! Regex(#"^([+-]?\d+),(\d+)"# + suffix + "$") }
    /// Groups of three digits after one to three, separated by a space, a no-break space
    /// (U+00A0) or a narrow no-break space (U+202F), as word processors write them.
    private static var spacedThousands: Regex<AnyRegexOutput> { try! Regex(#"^[+-]?\d{1,3}([ \u{00A0}\u{202F}]\d{3})+(\.\d+)?"# + suffix + "$") }
    private static var commaBetweenDigits: Regex<AnyRegexOutput> { try! Regex(#"[+-]?\d+,\d+%?"#) }

    /// A sentence for `text` when it is a number written with a decimal comma or a space as
    /// thousands separator; nil otherwise.
    static func problem(in raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        // Both patterns are a number alone: digits, signs, a comma or point, spaces and a unit
        // suffix. Text with any other character (a distribution's name and brackets, an
        // interval's "to") cannot match and is answered without building a regex, which costs
        // tens of microseconds and was asked of every uncertain value a scenario holds.
        guard text.contains(where: \.isNumber),
              text.allSatisfy({ $0.isNumber || $0.isWhitespace || "+-,.%kKmMbBnN".contains($0) }) else { return nil }
        if text.wholeMatch(of: decimalComma) != nil { return commaSentence(text) }
        if text.wholeMatch(of: spacedThousands) != nil {
            let joined = String(text.filter { !" \u{00A0}\u{202F}".contains($0) })
            var options = "write \(joined)"
            if let value = ValueSyntax.number(joined)?.value, !joined.contains(where: { "%kKmMbB".contains($0) }) {
                if value >= 1e6, (value / 1e5).rounded() == value / 1e5 {
                    options += " or \(formatted(value / 1e6))M"
                } else if value >= 1e3, (value / 100).rounded() == value / 100 {
                    options += " or \(formatted(value / 1e3))k"
                }
            }
            return "“\(text)” has a space as thousands separator; \(options)."
        }
        return nil
    }

    /// The first number written with a comma inside the arguments of a distribution, when the
    /// comma cannot be an argument separator: `certain` says the arguments are otherwise
    /// separated by ", " or their count does not fit, so `0,05` is one number, not two.
    static func decimalCommaInArguments(_ inside: String, certain: Bool) -> String? {
        guard certain else { return nil }
        // The pattern needs a comma between two digits; without one (`650, 800, 1000`) no regex
        // is built.
        let characters = Array(inside)
        let commaBetweenTwoDigits = characters.indices.dropFirst().dropLast().contains {
            characters[$0] == "," && characters[$0 - 1].isNumber && characters[$0 + 1].isNumber
        }
        guard commaBetweenTwoDigits, let match = inside.firstMatch(of: commaBetweenDigits) else { return nil }
        return commaSentence(String(inside[match.range]))
    }

    /// `0,07` → write 0.07; `1,000` (three digits after a non-zero whole part) may be an
    /// English thousands separator instead, so both readings are offered.
    private static func commaSentence(_ token: String) -> String {
        let parts = token.split(separator: ",", maxSplits: 1).map(String.init)
        let digitsAfter = parts.count == 2 ? parts[1].prefix { $0.isNumber }.count : 0
        let whole = parts.first?.trimmingCharacters(in: CharacterSet(charactersIn: "+-")) ?? ""
        let point = token.replacingOccurrences(of: ",", with: ".")
        if digitsAfter == 3 && whole != "0" && !whole.isEmpty {
            return "“\(token)” has a comma between digits; write \(point) if it is a decimal comma, "
                + "or \(token.replacingOccurrences(of: ",", with: "")) if it separates thousands (crmcase reads a decimal point and no separators)."
        }
        return "“\(token)” uses a decimal comma; write \(point) (crmcase reads a decimal point)."
    }
}
