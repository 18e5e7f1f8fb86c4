import UseCases
import Foundation
import Testing
import CRMModel
import ScenarioFormat
import MonteCarlo

// Bad scenario files: every mistake must be reported with the line (and, where it points at
// a value or key, the column) of the mistake, in words a user recognises, with a hint where
// there is a good guess — and `crmcase run` must then write no report at all.

/// A small valid scenario. Each test changes one thing in it.
private let validYAML = """
    name: Test case
    currency: EUR
    horizon: 36
    discount_rate: 8%
    licences:
      seats: 20
      price: 50
    adoption:
      go_live: 3
      ceiling: 60% to 85%
    costs:
      - name: Implementation
        amount: 100k
        per: once
      - name: Support
        amount: 2k
        per: month
        from: 1
        to: 36
    benefits:
      - name: Time saved
        amount: 3k
        per: month
    acquisition:
      new_customers: 5
      win_rate_uplift: 10%
      cost_per_customer: 500
    segments:
      - name: Key accounts
        customers: 100
        margin: 800
        churn: 12%
        churn_reduction: 20%
        mix: 40%
      - name: Small
        customers: 300
        margin: 100
        churn: 25%
        mix: 60%
    risks:
      - name: Late go-live
        probability: 30%
        effect: go_live
        months: 3

    """

private let fileName = "case.yaml"

/// `validYAML` with the one occurrence of `old` replaced by `new`.
private func changed(_ old: String, to new: String, in text: String = validYAML) -> String {
    let count = text.components(separatedBy: old).count - 1
    precondition(count == 1, "“\(old)” occurs \(count) times in the scenario")
    return text.replacingOccurrences(of: old, with: new)
}

/// The 1-based line and column where `needle` starts; it must occur exactly once.
private func position(of needle: String, in text: String) -> (line: Int, column: Int) {
    let count = text.components(separatedBy: needle).count - 1
    precondition(count == 1, "“\(needle)” occurs \(count) times")
    let before = text[..<text.range(of: needle)!.lowerBound]
    let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
    return (lines.count, lines.last!.count + 1)
}

/// The issues `ScenarioLoader.parse` reports for `yaml` (none, with a recorded failure, if it
/// accepts the text).
private func issues(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ScenarioIssue] {
    do {
        _ = try ScenarioLoader.parse(yaml: yaml, file: fileName)
        Issue.record("The scenario was accepted, but it should have been rejected.", sourceLocation: sourceLocation)
        return []
    } catch {
        #expect(!error.issues.isEmpty, "ScenarioErrors must never be empty", sourceLocation: sourceLocation)
        return error.issues
    }
}

/// Finds the issue at `line` (and `column`, when given) and checks its words.
///
/// - Parameters:
///   - words: must all appear in the message (case-insensitive).
///   - hint: must all appear in the hint; `nil` means no hint is checked, `[]` that there must be one.
@discardableResult
private func expectIssue(
    _ issues: [ScenarioIssue], line: Int, column: Int? = nil, message words: [String], hint: [String]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ScenarioIssue? {
    expectIssue(issues, file: fileName, line: line, column: column, message: words, hint: hint, sourceLocation: sourceLocation)
}

@Suite struct ScenarioErrorTests {
    @Test func theStartingScenarioIsValid() throws {
        let s = try ScenarioLoader.parse(yaml: validYAML, file: fileName)
        #expect(s.name == "Test case" && s.currency == "EUR" && s.horizon == 36)
        #expect(s.segments.map(\.name) == ["Key accounts", "Small"])
        #expect(s.segments.map(\.mix) == [0.4, 0.6])
        #expect(s.costs.map(\.name) == ["Implementation", "Support"])
        #expect(s.risks.count == 1 && s.risks[0].target == .goLive)
        #expect(s.licences.seats.distribution == .fixed(20))
    }

    // MARK: YAML syntax

    @Test func badIndentation() {
        let yaml = changed("  price: 50", to: "   price: 50")
        let found = issues(yaml)
        #expect(found.count == 1)
        // libyaml stops at the `:` after the over-indented key.
        let at = position(of: "   price: 50", in: yaml)
        expectIssue(found, line: at.line, column: at.column + "   price".count,
                    message: ["not valid YAML"], hint: ["indentation"])
    }

    @Test func unclosedBracket() {
        let yaml = changed("    per: once", to: "    per: [once")
        let found = issues(yaml)
        #expect(found.count == 1)
        let broken = position(of: "[once", in: yaml).line
        // The parser notices the missing `]` at the next token, on the line after the bracket.
        guard let issue = found.first, let line = issue.line else {
            Issue.record("no line for a YAML syntax error: \(found)")
            return
        }
        #expect((broken...broken + 1).contains(line), "reported at line \(line), the bracket is on line \(broken)")
        #expect(issue.message.contains("not valid YAML") && issue.message.contains("]"), "\(issue.message)")
        #expect(issue.hint != nil)
    }

    // MARK: Keys

    @Test func unknownKeyInASegmentSuggestsTheNearestKey() {
        let yaml = changed("    churn: 12%", to: "    chrun: 12%")
        let found = issues(yaml)
        let at = position(of: "chrun", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["chrun", "segment"], hint: ["`churn`"])
        // The segment then lacks its churn, but that is the key just suggested: one issue, not two.
        #expect(found.count == 1)
        #expect(!found.contains { $0.message.contains("needs") })
    }

    @Test func unknownTopLevelKey() {
        let yaml = changed("currency: EUR", to: "currency: EUR\ncolour: blue")
        let found = issues(yaml)
        #expect(found.count == 1)
        // Nothing near enough to suggest: the hint lists the keys allowed at the top.
        expectIssue(found, line: 3, column: 1, message: ["colour", "scenario"], hint: ["discount_rate", "segments"])

        let typo = changed("horizon: 36", to: "horizn: 36")
        expectIssue(issues(typo), line: 3, column: 1, message: ["horizn"], hint: ["`horizon`"])
    }

    @Test func severalProblemsAreReportedAtOnce() {
        var yaml = changed("  go_live: 3", to: "  golive: 3")
        yaml = changed("    margin: 100", to: "    marginn: 100", in: yaml)
        let found = issues(yaml)
        let first = position(of: "golive", in: yaml), second = position(of: "marginn", in: yaml)
        expectIssue(found, line: first.line, column: first.column, message: ["golive", "adoption"], hint: ["`go_live`"])
        expectIssue(found, line: second.line, column: second.column, message: ["marginn", "segment"], hint: ["`margin`"])
        #expect(found.filter { $0.message.contains("is not a setting") }.count == 2)

        // Three different kinds of mistake in three sections: all three come back together.
        var three = changed("  seats: 20", to: "  seats: -5")
        three = changed("    per: month\n    from", to: "    per: montly\n    from", in: three)
        three = changed("    probability: 30%", to: "    probability: 120%", in: three)
        let all = issues(three)
        #expect(all.count == 3, "\(all)")
        #expect(Set(all.compactMap(\.line)) == [6, 17, 42])
    }

    // MARK: Values out of range

    @Test func negativeSeats() {
        let yaml = changed("  seats: 20", to: "  seats: -5")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "-5", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["seats", "licences", "-5", "between 0 and a billion"])
        // An uncertain number of seats that can be negative is rejected too, with a hint.
        let range = changed("  seats: 20", to: "  seats: uniform(-5, 20)")
        expectIssue(issues(range), line: 6, column: 10, message: ["seats", "as low as -5", "between 0 and a billion"], hint: ["pert"])
        // And so is one beyond what the model counts (a billion).
        let huge = changed("  seats: 20", to: "  seats: 2e9")
        expectIssue(issues(huge), line: 6, column: 10, message: ["seats", "between 0 and a billion"])
    }

    @Test func probabilityAbove100Percent() {
        let yaml = changed("    probability: 30%", to: "    probability: 120%")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "120%", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["probability", "120%", "100 %"])
    }

    @Test func shareWrittenAsPlainNumberGetsAPercentHint() {
        let yaml = changed("    churn: 25%", to: "    churn: 25")
        let at = position(of: "churn: 25", in: yaml)
        expectIssue(issues(yaml), line: at.line, column: at.column + "churn: ".count,
                    message: ["churn", "share"], hint: ["percentage", "12%"])
    }

    @Test func p5AboveP95() {
        for written in ["90% to 60%", "beta90(0.9, 0.6)", "beta90(90%, 60%)"] {
            let yaml = changed("  ceiling: 60% to 85%", to: "  ceiling: \(written)")
            let found = issues(yaml)
            #expect(found.count == 1)
            let at = position(of: written, in: yaml)
            expectIssue(found, line: at.line, column: at.column, message: ["ceiling", written, "P5", "P95"], hint: ["low"])
        }
        // The same for a lognormal interval of an amount.
        let yaml = changed("    amount: 100k", to: "    amount: 900k to 400k")
        expectIssue(issues(yaml), line: 13, column: 13, message: ["amount", "P5", "P95"], hint: ["low"])
    }

    @Test func normalShareThatCanLeaveZeroToOne() {
        let yaml = changed("    churn: 25%", to: "    churn: normal(10%, 8%)")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "normal(10%, 8%)", in: yaml)
        // P(X < 0) = Φ(−10/8) = 10.56 %.
        expectIssue(found, line: at.line, column: at.column,
                    message: ["churn", "normal(10%, 8%)", "outside", "0 %", "100 %", "10.6 %"],
                    hint: ["pert", "beta90"])
        // A normal whose tail outside 0…1 is negligible (Φ(−10) ≈ 8e-24) is accepted.
        #expect(throws: Never.self) {
            try ScenarioLoader.parse(yaml: changed("    churn: 25%", to: "    churn: normal(50%, 5%)"), file: fileName)
        }
    }

    @Test func horizonZero() {
        let yaml = changed("horizon: 36", to: "horizon: 0")
        let found = issues(yaml)
        #expect(found.count == 1)
        expectIssue(found, line: 3, column: 10, message: ["horizon", "0", "between 1 and 600"])
    }

    @Test func monthRangeBackwards() {
        let yaml = changed("    from: 1\n    to: 36", to: "    from: 30\n    to: 10")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "to: 10", in: yaml)
        expectIssue(found, line: at.line, column: at.column + "to: ".count, message: ["Support", "(10)", "(30)", "before"])

        // The licences' months likewise.
        let licences = changed("  price: 50", to: "  price: 50\n  from: 12\n  to: 6")
        let l = position(of: "to: 6", in: licences)
        expectIssue(issues(licences), line: l.line, column: l.column + "to: ".count, message: ["licences", "(6)", "(12)", "before"])

        // A month beyond the horizon.
        let late = changed("    to: 36", to: "    to: 48")
        expectIssue(issues(late), line: 19, column: 9, message: ["to", "48", "between 0 and 36"])
    }

    // MARK: Segments

    @Test func emptySegments() {
        let start = validYAML.range(of: "segments:\n")!.lowerBound, end = validYAML.range(of: "risks:")!.lowerBound
        let yaml = validYAML.replacingCharacters(in: start..<end, with: "segments: []\n")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "[]", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["segments", "empty"], hint: ["name", "customers", "churn"])
    }

    @Test func missingSegments() {
        let start = validYAML.range(of: "segments:\n")!.lowerBound, end = validYAML.range(of: "risks:")!.lowerBound
        let yaml = validYAML.replacingCharacters(in: start..<end, with: "")
        let found = issues(yaml)
        #expect(found.count == 1)
        // Reported at the top of the file (the scenario as a whole lacks the key).
        expectIssue(found, line: 1, column: 1, message: ["needs", "segments"], hint: ["segments:"])
    }

    @Test func mixNotAddingUpTo100Percent() {
        let yaml = changed("    mix: 60%", to: "    mix: 50%")
        let found = issues(yaml)
        #expect(found.count == 1)
        // Reported at the segment list (its first item), since no single mix is wrong.
        let at = position(of: "- name: Key accounts", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["mix", "90 %", "100 %"])

        let partly = changed("    mix: 60%\n", to: "")
        expectIssue(issues(partly), line: at.line, column: at.column, message: ["mix", "some"], hint: ["every segment"])
    }

    @Test func duplicateSegmentNames() {
        let yaml = changed("  - name: Small", to: "  - name: Key accounts")
        let found = issues(yaml)
        #expect(found.count == 1)
        // At the second segment's name.
        expectIssue(found, line: 35, column: 11, message: ["two segments", "Key accounts"], hint: ["own name"])

        let lines = changed("  - name: Time saved", to: "  - name: Support")
        expectIssue(issues(lines), line: 21, column: 11, message: ["two", "Support"], hint: ["own name"])
    }

    // MARK: Names of distributions, bases and effects

    @Test func unknownDistributionNameSuggestsTheNearest() {
        let yaml = changed("  price: 50", to: "  price: pret(40, 50, 70)")
        let found = issues(yaml)
        #expect(found.count == 1)
        expectIssue(found, line: 7, column: 10, message: ["price", "pret", "not a distribution"], hint: ["`pert`"])

        // Nothing near: the hint lists the forms.
        let far = changed("  price: 50", to: "  price: weibull(1, 2)")
        expectIssue(issues(far), line: 7, column: 10, message: ["weibull"], hint: ["pert", "lognormal", "beta90"])
    }

    @Test func unknownPer() {
        let yaml = changed("    per: month\n    from", to: "    per: montly\n    from")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "montly", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["montly", "per"], hint: ["`month`"])
    }

    @Test func unknownRiskEffect() {
        let yaml = changed("    effect: go_live", to: "    effect: golive")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "golive", in: yaml)
        expectIssue(found, line: at.line, column: at.column, message: ["golive", "risk"], hint: ["`go_live`"])
    }

    // MARK: Unit slips (issue "What users read must be right")

    @Test func rateWrittenAsPlainNumberAbove1() {
        // `discount_rate: 9` would be 900 % a year; `escalation: 4` 400 %.
        let yaml = changed("discount_rate: 8%", to: "discount_rate: 9")
        let found = issues(yaml)
        #expect(found.count == 1)
        expectIssue(found, line: 4, column: 16, message: ["discount_rate", "9 means 900 % a year", "write 9% or 0.09"],
                    hint: ["percentages"])
        let escalation = changed("  price: 50", to: "  price: 50\n  escalation: 4")
        let at = position(of: "escalation: 4", in: escalation)
        expectIssue(issues(escalation), line: at.line, column: at.column + "escalation: ".count,
                    message: ["escalation", "4 means 400 % a year", "write 4% or 0.04"])
        // Inside a distribution too, but not for shape parameters such as PERT's λ.
        let pert = changed("discount_rate: 8%", to: "discount_rate: pert(6, 8, 12)")
        expectIssue(issues(pert), line: 4, column: 16, message: ["pert(6, 8, 12)", "6 means 600 % a year", "write 6% or 0.06"])
        #expect(throws: Never.self) {
            try ScenarioLoader.parse(yaml: changed("discount_rate: 8%", to: "discount_rate: pert(6%, 8%, 12%, 6)"), file: fileName)
        }
        // 1 is 100 %: allowed; 120% written as a percentage is read as written.
        #expect(throws: Never.self) { try ScenarioLoader.parse(yaml: changed("discount_rate: 8%", to: "discount_rate: 1"), file: fileName) }
    }

    @Test func sharesAndUpliftsWrittenAsPlainNumbersAbove1() {
        for (old, new, words) in [
            ("    churn_reduction: 20%", "    churn_reduction: 20", ["churn_reduction", "20 means 2000 %", "share", "write 20% or 0.2"]),
            ("  win_rate_uplift: 10%", "  win_rate_uplift: 10", ["win_rate_uplift", "10 means 1000 %", "write 10% or 0.1"]),
            ("    probability: 30%", "    probability: 30", ["probability", "30 means 3000 %", "write 30% or 0.3"]),
            ("  ceiling: 60% to 85%", "  ceiling: 60 to 85", ["ceiling", "60 means 6000 %", "write 60% or 0.6"]),
            ("    mix: 40%", "    mix: 40", ["mix", "40 means 4000 %", "write 40% or 0.4"]),
            ("    churn: 12%", "    churn: 14", ["churn", "14 means 1400 % a year", "write 14% or 0.14"]),
        ] {
            let yaml = changed(old, to: new)
            let found = issues(yaml)
            #expect(found.count == 1, "\(new): \(found)")
            let value = String(new.split(separator: ":", maxSplits: 1)[1].dropFirst())
            let at = position(of: new, in: yaml)
            expectIssue(found, line: at.line, column: at.column + new.count - value.count, message: words)
        }
    }

    @Test func goLiveAfterTheHorizon() {
        let yaml = changed("  go_live: 3", to: "  go_live: 40")
        let found = issues(yaml)
        #expect(found.count == 1)
        expectIssue(found, line: 9, column: 12, message: ["go_live", "month 40", "horizon of 36 months", "never go live"],
                    hint: ["0 to 36", "horizon"])
        // The last month of the horizon is allowed; an uncertain go-live that may fall after it too.
        #expect(throws: Never.self) { try ScenarioLoader.parse(yaml: changed("  go_live: 3", to: "  go_live: 36"), file: fileName) }
        #expect(throws: Never.self) {
            try ScenarioLoader.parse(yaml: changed("  go_live: 3", to: "  go_live: uniform(30, 40)"), file: fileName)
        }
        let always = changed("  go_live: 3", to: "  go_live: uniform(38, 40)")
        expectIssue(issues(always), line: 9, column: 12, message: ["never before month 38", "horizon of 36 months"])
    }

    @Test func fractionalCountsAndMonths() {
        let seats = changed("  seats: 20", to: "  seats: 35.5")
        #expect(issues(seats).count == 1)
        expectIssue(issues(seats), line: 6, column: 10, message: ["seats", "35.5", "whole number", "write 35 or 36"])
        let customers = changed("    customers: 300", to: "    customers: 1200.5")
        let c = position(of: "1200.5", in: customers)
        expectIssue(issues(customers), line: c.line, column: c.column, message: ["customers", "1200.5", "whole number"])
        let month = changed("  go_live: 3", to: "  go_live: \"discrete(2.5: 100%)\"")
        expectIssue(issues(month), line: 9, column: 12, message: ["go_live", "2.5", "whole number", "write 2 or 3"])
        let delay = changed("    months: 3", to: "    months: \"discrete(1: 50%, 2.5: 50%)\"")
        let d = position(of: "\"discrete(1: 50%", in: delay)
        expectIssue(issues(delay), line: d.line, column: d.column, message: ["months", "2.5", "whole number"])
        // A continuous count is drawn and rounded, by design; a fractional monthly average is fine.
        #expect(throws: Never.self) { try ScenarioLoader.parse(yaml: changed("  seats: 20", to: "  seats: pert(18, 20, 25)"), file: fileName) }
        #expect(throws: Never.self) { try ScenarioLoader.parse(yaml: changed("  new_customers: 5", to: "  new_customers: 5.5"), file: fileName) }
    }

    @Test func decimalCommaAndSpacedThousands() {
        let comma = changed("discount_rate: 8%", to: "discount_rate: 0,07")
        let found = issues(comma)
        #expect(found.count == 1)
        expectIssue(found, line: 4, column: 16, message: ["“0,07” uses a decimal comma; write 0.07 (crmcase reads a decimal point)."])
        // In a distribution, where the commas would otherwise count as separators.
        let pert = changed("discount_rate: 8%", to: "discount_rate: pert(0,05, 0,07, 0,1)")
        expectIssue(issues(pert), line: 4, column: 16, message: ["“0,05” uses a decimal comma", "write 0.05"])
        let interval = changed("  ceiling: 60% to 85%", to: "  ceiling: 0,6 to 0,85")
        expectIssue(issues(interval), line: 10, column: 12, message: ["“0,6” uses a decimal comma", "write 0.6"])

        let spaced = changed("    amount: 100k", to: "    amount: 150 000")
        let s = issues(spaced)
        #expect(s.count == 1)
        expectIssue(s, line: 13, column: 13, message: ["“150 000” has a space as thousands separator; write 150000 or 150k."])
        // With a no-break space, as word processors write it, and inside a distribution.
        let nbsp = changed("    amount: 100k", to: "    amount: pert(1\u{00A0}200\u{00A0}000, 1\u{00A0}500\u{00A0}000, 2\u{00A0}000\u{00A0}000)")
        expectIssue(issues(nbsp), line: 13, column: 13, message: ["space as thousands separator", "write 1200000 or 1.2M"])
        // `1,000` could be either habit: both readings are offered.
        let either = changed("    amount: 100k", to: "    amount: 1,000")
        expectIssue(issues(either), line: 13, column: 13, message: ["“1,000”", "1.000", "1000"])
    }

    @Test func perYearListsEveryValidValue() {
        let yaml = changed("    per: month\n    from", to: "    per: year\n    from")
        let found = issues(yaml)
        #expect(found.count == 1)
        let at = position(of: "year", in: yaml)
        let issue = expectIssue(found, line: at.line, column: at.column,
                                message: ["“year”", "`once`", "`month`", "`seat`", "`active_user_month`"], hint: ["divide", "12"])
        #expect(issue?.hint?.contains("`seat`") == false, "no misleading guess: \(issue?.hint ?? "")")
    }

    @Test func validateExplainsInputsAndExitsWith1OnASlip() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try TemporaryFolder()
        try changed("    churn_reduction: 20%", to: "    churn_reduction: 0% to 30%")
            .write(toFile: folder.path("good.yaml"), atomically: true, encoding: .utf8)
        let good = try CLI.run(crmcase, ["validate", "good.yaml"], in: folder.url)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains(
            "segments[Key accounts].churn_reduction: 0% to 30% → beta(α=1, β=8.4) on 0 %…100 %, mean 10.6 %, P5 0.6 %, P95 30.0 %"),
            "\(good.stdout)")
        #expect(good.stdout.contains("adoption.ceiling: 60% to 85% → beta("), "\(good.stdout)")

        try changed("discount_rate: 8%", to: "discount_rate: 9").write(toFile: folder.path("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try CLI.run(crmcase, ["validate", "bad.yaml"], in: folder.url)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:4:16: “discount_rate” in “the scenario”: 9 means 900 % a year; write 9% or 0.09."),
                "\(bad.stderr)")
    }

    @Test func everyExampleScenarioStillValidates() throws {
        let folder = packageRoot.appendingPathComponent("Scenarios")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 4)
        for name in names {
            #expect(throws: Never.self, "\(name)") { try ScenarioLoader.load(path: folder.appendingPathComponent(name).path) }
        }
    }

    // MARK: `crmcase run` on a bad file writes no report

    // A bad scenario given to `run` (exit 1, one positioned sentence, no report folder even with
    // --out) is in BadInput/BadRangeTests.swift, with the other classes of bad input.

    @Test func runWithSeveralProblemsPrintsTheFirstAndPointsToValidate() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try TemporaryFolder()
        let scenario = folder.path("two-problems.yaml")
        var yaml = changed("    churn: 12%", to: "    chrun: 12%")
        yaml = changed("horizon: 36", to: "horizon: 0", in: yaml)
        try yaml.write(toFile: scenario, atomically: true, encoding: .utf8)
        // An earlier report in the output folder must survive a failed run untouched.
        let report = folder.path("report")
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: false)
        try "old".write(toFile: report + "/report.md", atomically: true, encoding: .utf8)

        let result = try CLI.run(crmcase, ["run", scenario, "--out", report, "--trials", "50", "--quiet"], in: folder.url)
        #expect(result.status == 1, "exit status \(result.status); stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: ") == true, "stderr: \(result.stderr)")
        #expect(lines.first?.contains("two-problems.yaml:3:") == true, "the first problem is the horizon on line 3: \(result.stderr)")
        #expect(lines.dropFirst().contains { $0.contains("more") && $0.contains("crmcase validate") }, "stderr: \(result.stderr)")
        #expect(try String(contentsOfFile: report + "/report.md", encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: report) == ["report.md"])
        #expect(try folder.stagingFolders().isEmpty)
    }

    @Test func runWritesTheSameReportWhateverTheThreads() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let folder = try TemporaryFolder()
        let scenario = folder.path("good.yaml")
        try validYAML.write(toFile: scenario, atomically: true, encoding: .utf8)
        var contents: [[String: Data]] = []
        for threads in ["1", "2"] {
            let report = folder.path("report-\(threads)")
            let result = try CLI.run(
                crmcase, ["run", "good.yaml", "--out", report, "--trials", "50", "--seed", "3", "--threads", threads, "--quiet"],
                in: folder.url)
            #expect(result.status == 0, "exit status \(result.status); stderr: \(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: report).sorted()
            #expect(names == [".crmcase-report", "adoption.svg", "cash-flow.csv", "cumulative-cash.svg", "drivers.svg", "inputs.csv",
                              "lines.csv", "monthly.csv", "npv-distribution.svg", "outside-view.svg", "report.html", "report.md",
                              "report.xlsx", "sensitivity.csv", "summary.csv"])
            var files: [String: Data] = [:]
            for name in names {
                let data = try Data(contentsOf: URL(fileURLWithPath: report + "/" + name))
                #expect(!data.isEmpty, "\(name) is empty")
                files[name] = data
            }
            contents.append(files)
        }
        #expect(try folder.stagingFolders().isEmpty)
        try #require(contents.count == 2)
        for name in contents[0].keys.sorted() {
            #expect(contents[0][name] == contents[1][name], "\(name) differs between --threads 1 and --threads 2")
        }
        let report = String(decoding: contents[0]["report.md"] ?? Data(), as: UTF8.self)
        #expect(report.contains("Test case"))
    }
}

// MARK: Running the built binary (CLIProcess.swift)

/// The package root, from this file's place in it (Tests/CRMCaseTests/…).
private let packageRoot = CLI.packageRoot

/// A fresh folder under the system's temporary folder, removed when the value goes away.
private final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Leftover staging folders of `ReportFolder.write` (`.NAME.tmp-PID`).
    func stagingFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.contains(".tmp-") }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

@Suite("Extreme but valid inputs never crash")
struct ExtremeInputTests {
    @Test("A number that overflows after its suffix is rejected, not read as infinity")
    func overflowingSuffix() throws {
        let yaml = """
        name: x
        currency: EUR
        licences: { seats: 1, price: 1e308bn }
        adoption: { go_live: 1, ceiling: 50% }
        segments:
          - { name: A, customers: 10, margin: 1, churn: 10% }
        """
        #expect(throws: ScenarioErrors.self) { try ScenarioLoader.parse(yaml: yaml) }
    }

    @Test("Problems are listed in file order")
    func fileOrder() throws {
        let yaml = """
        name: x
        currency: EUR
        horizon: 0
        licences: { seats: -1, price: 1 }
        adoption: { go_live: 1, ceiling: 50% }
        segments:
          - { name: A, customers: 10, margin: 1, churn: 10%, colour: red }
        """
        do {
            _ = try ScenarioLoader.parse(yaml: yaml)
            Issue.record("the scenario should have been rejected")
        } catch {
            let lines = error.issues.compactMap(\.line)
            #expect(lines == lines.sorted())
            #expect(lines.first == 3)
        }
    }

    @Test("Heavy-tailed go-live, delay and customer counts run without overflow")
    func heavyTails() throws {
        let yaml = """
        name: x
        currency: EUR
        horizon: 24
        licences: { seats: "lognormal(20, 2000)", price: 10 }
        adoption: { go_live: "lognormal(3, 3000)", ceiling: 50% }
        segments:
          - { name: A, customers: "lognormal(100, 100000)", margin: 1, churn: 10% }
        risks:
          - { name: Late, probability: 50%, effect: go_live, months: "gamma(0.05, 1000)" }
        """
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 2000, seed: 3)).run()
        #expect(result.npv.count == 2000)
        #expect(result.npv.mean.isFinite)
    }
}

@Suite("crmcase track on the command line")
struct TrackCommandTests {
    @Test("Invalid actuals: exit 1, the first problem with its line, and no report")
    func invalidActualsWriteNothing() throws {
        let binary = try #require(CLI.binary(), "build the package first: the crmcase executable was not found")
        let folder = try TemporaryFolder()
        try validYAML.write(toFile: folder.path(fileName), atomically: true, encoding: .utf8)
        let actuals = """
        month,metric,segment,value
        1,churned,Key accounts,2
        2,chruned,Key accounts,3
        40,licence_cost,,1000
        """
        try actuals.write(toFile: folder.path("actuals.csv"), atomically: true, encoding: .utf8)
        let result = try CLI.run(binary, ["track", fileName, "--actuals", "actuals.csv", "--out", "follow-up",
                                             "--trials", "200"], in: folder.url)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("error: actuals.csv:3") == true, "\(result.stderr)")
        #expect(lines.first?.contains("chruned") == true)
        #expect(result.stderr.contains("1 more problem"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(!leftovers.contains("follow-up"))
        #expect(!leftovers.contains { $0.contains(".tmp-") })
    }

    @Test("Valid actuals give track.md and track.csv with one row per figure")
    func validActuals() throws {
        let binary = try #require(CLI.binary(), "build the package first: the crmcase executable was not found")
        let folder = try TemporaryFolder()
        try validYAML.write(toFile: folder.path(fileName), atomically: true, encoding: .utf8)
        let actuals = """
        # a comment line
        month,active_users,churned[Key accounts],new_customers[Small],licence_cost
        1,0,1,3,1000
        2,,1,2,1000
        3,2,0,4,1000
        """
        try actuals.write(toFile: folder.path("actuals.csv"), atomically: true, encoding: .utf8)
        let result = try CLI.run(binary, ["track", fileName, "--actuals", "actuals.csv", "--out", "follow-up",
                                             "--trials", "500", "--particles", "200"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: folder.path("follow-up/track.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 11, "a header and the 11 figures given")
        let markdown = try String(contentsOfFile: folder.path("follow-up/track.md"), encoding: .utf8)
        #expect(markdown.contains("**Verdict.** After 3 months of actuals"))
        #expect(markdown.contains("## Re-forecast with the actuals"))
    }
}
