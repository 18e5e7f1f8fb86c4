import Testing

// A value of the wrong kind: text where a number goes, a list where one value goes, a section
// written as a single value.

@Suite("Bad input: types")
struct BadTypeTests {
    static let cases: [BadInputCase] = [
        .scenario("a word where a number goes", "  seats: 20", "  seats: twenty", at: "twenty",
                  words: ["“seats” in “licences”: “twenty” is neither a number nor a distribution"]),
        .scenario("true where a month goes", "  go_live: 3", "  go_live: true", at: "true",
                  words: ["“go_live” in “adoption”: “true” is neither a number nor a distribution"]),
        .scenario("a list where a number goes", "  seats: 20", "  seats: [20, 30]", at: "[20, 30]",
                  words: ["should be a number or a distribution, but it is a list"]),
        .scenario("a mapping where a number goes", "    customers: 300", "    customers: {n: 300}", at: "{n: 300}",
                  words: ["“customers” in “a segment” should be a number or a distribution, but it is a set of `key: value` lines"]),
        .scenario("a number where a section goes", "licences:\n  seats: 20\n  price: 50", "licences: 20", place: "case.yaml:5:11",
                  words: ["“licences” should be a set of `key: value` lines, but it is the value “20”"]),
        .scenario("a list where a name goes", "name: Bad input", "name: [Bad, input]", at: "[Bad, input]",
                  words: ["“name” in “the scenario” should be a short text, but it is a list"]),
        .scenario("words where a whole number of months goes", "horizon: 36", "horizon: three years", at: "three years",
                  words: ["“horizon” in “the scenario” should be a whole number"]),
        .scenario("a fraction where a whole number of months goes", "horizon: 36", "horizon: 36.5", at: "36.5",
                  words: ["should be a whole number", "“36.5”"]),
        .scenario("words where a share goes", "    mix: 40%", "    mix: forty percent", at: "forty percent",
                  words: ["The “mix” of segment “Key accounts” should be a plain share"]),
        .scenario("a number where a risk effect goes", "    effect: go_live", "    effect: 12", place: "case.yaml:36:13",
                  words: ["“12” is not something a risk can affect"]),
        BadInputCase("a list where a variant's changes go",
                     files: ["case.yaml": BadInput.scenario,
                             "levers.yaml": "base: case.yaml\nvariants:\n  - name: A\n    set: [licences.seats]\n"],
                     ["compare", "levers.yaml", "--trials", "50", "--quiet"], place: "levers.yaml:4:10",
                     words: ["“set” of variant “A” should be `path: value` lines"]),
        BadInputCase("a number where variants go",
                     files: ["case.yaml": BadInput.scenario, "levers.yaml": "base: case.yaml\nvariants: 5\n"],
                     ["compare", "levers.yaml", "--trials", "50", "--quiet"], place: "levers.yaml:2:11",
                     words: ["“variants” should be a list"]),
        BadInputCase("a word where an actual figure goes",
                     files: ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals("3,churned,Key accounts,two\n")],
                     ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"],
                     place: "a.csv:4:24", words: ["“two” is not a number"]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
