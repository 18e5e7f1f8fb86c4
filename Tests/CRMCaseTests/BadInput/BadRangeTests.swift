import Testing

// A value of the right kind outside what it can mean: a negative count, a share above 100 %,
// a month after the horizon, a plain number where a percentage was meant.

private let track = ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"]

@Suite("Bad input: ranges")
struct BadRangeTests {
    static let cases: [BadInputCase] = [
        // Also given an --out folder: a bad scenario writes no report there either.
        .scenario("a negative number of seats", "  seats: 20", "  seats: -5", at: "-5",
                  command: ["run", "case.yaml", "--out", "report", "--trials", "50", "--quiet"],
                  words: ["“seats” in “licences” is -5, but it must be between 0 and a billion."]),
        .scenario("a probability above 100 %", "    probability: 30%", "    probability: 120%", at: "120%",
                  words: ["“probability” in “a risk” is 120%", "between 0 % and 100 %"]),
        .scenario("a horizon of 0 months", "horizon: 36", "horizon: 0", place: "case.yaml:3:10",
                  words: ["“horizon” in “the scenario” is 0; it must be between 1 and 600"]),
        .scenario("a share written as a plain number", "    churn: 25%", "    churn: 25", place: "case.yaml:31:12",
                  words: ["“churn” in “a segment”: 25 means 2500 % a year", "write 25% or 0.25"]),
        .scenario("a go-live after the horizon", "  go_live: 3", "  go_live: 40", place: "case.yaml:9:12",
                  words: ["“go_live” in “adoption” is month 40, after the horizon of 36 months"]),
        .scenario("an interval written high to low", "  ceiling: 60% to 85%", "  ceiling: 90% to 60%", at: "90% to 60%",
                  words: ["the 5th percentile (P5) is not below the 95th (P95)"]),
        .scenario("segment mixes adding up to 90 %", "    mix: 60%", "    mix: 50%", at: "- name: Key accounts",
                  words: ["The segments’ “mix” shares add up to 90 %, not 100 %."]),
        .scenario("a decimal comma", "discount_rate: 8%", "discount_rate: 0,07", at: "0,07",
                  words: ["“0,07” uses a decimal comma; write 0.07"]),
        .scenario("a number beyond floating point", "    margin: 800", "    margin: 1e400", at: "1e400",
                  words: ["“margin” in “a segment”: “1e400” is neither a number nor a distribution"]),
        .scenario("a fractional count", "  seats: 20", "  seats: 35.5", at: "35.5",
                  words: ["must be a whole number (a count); write 35 or 36"]),
        BadInputCase("an actual figure for a month after the horizon",
                     files: ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals("40,churned,Key accounts,2\n")],
                     track, place: "a.csv:4:1", words: ["Month 40 is outside the business case, which covers months 0…36."]),
        BadInputCase("a negative number of customers lost",
                     files: ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals("3,churned,Key accounts,-2\n")],
                     track, place: "a.csv:4:24", words: ["churned[Key accounts] is -2; a number of customers cannot be negative."]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
