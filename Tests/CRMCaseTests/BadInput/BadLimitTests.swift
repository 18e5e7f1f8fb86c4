import Foundation
import Testing

// Values within their type and range but beyond what crmcase can compute in seconds (docs:
// Limits in SCENARIO-FORMAT.md): refused at once, naming the limit, instead of running for
// minutes, trapping or exhausting memory. The command-line limits (--trials, --particles,
// --vary) are in BadCommandLineTests.

/// A scenario with `count` segments (only the segments differ from the base).
private func segments(_ count: Int) -> String {
    let many = (0..<count).map { "  - { name: s\($0), customers: 1, margin: 1, churn: 10% }" }.joined(separator: "\n")
    let text = BadInput.scenario
    let start = text.range(of: "segments:\n")!.upperBound, end = text.range(of: "risks:")!.lowerBound
    return text.replacingCharacters(in: start..<end, with: many + "\n")
}

/// Variants files chained by `base:`, c17.yaml → c16.yaml → … → c0.yaml → case.yaml.
private func chain(_ length: Int) -> [String: String] {
    var files = ["case.yaml": BadInput.scenario]
    for k in 0...length {
        files["c\(k).yaml"] = "base: \(k == 0 ? "case.yaml" : "c\(k - 1).yaml")\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n"
    }
    return files
}

@Suite("Bad input: limits")
struct BadLimitTests {
    static let cases: [BadInputCase] = [
        // The issue's hang: one mutated character made this run for ever.
        .scenario("an uplift of 4.7e301 %", "  win_rate_uplift: 10%", "  win_rate_uplift: pert(0%, 4%, 4.7e301%)",
                  at: "pert(0%, 4%, 4.7e301%)", words: ["can be as high as", "between 0 % and 1000 %"]),
        .scenario("a horizon beyond 600 months", "horizon: 36", "horizon: 601", at: "601",
                  words: ["“horizon” in “the scenario” is 601; it must be between 1 and 600"]),
        .scenario("more than a billion seats", "  seats: 20", "  seats: 2e9", at: "2e9",
                  words: ["“seats” in “licences” is 2e9, but it must be between 0 and a billion."]),
        // Each factor within its bound, their product not.
        BadInputCase("monthly arrivals above a billion",
                     files: ["case.yaml": BadInput.scenario.replacingOccurrences(of: "  new_customers: 5", with: "  new_customers: 900M")
                        .replacingOccurrences(of: "  win_rate_uplift: 10%", with: "  win_rate_uplift: 900%")],
                     BadInputCase.run, place: "case.yaml:20:18",
                     words: ["up to 3,600,000,000 new customers could arrive in one month", "limit of 1,000,000,000 customers"]),
        BadInputCase("1,001 segments", files: ["case.yaml": segments(1_001)], BadInputCase.run, place: "case.yaml:23:3",
                     words: ["“segments” lists 1,001 segments, above the limit of 1,000."]),
        BadInputCase("17 variants files chained by base:", files: chain(17), ["compare", "c17.yaml", "--trials", "50", "--quiet"],
                     place: "c2.yaml:1:7", words: ["More than 16 variants files lead to one another through “base”."]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
