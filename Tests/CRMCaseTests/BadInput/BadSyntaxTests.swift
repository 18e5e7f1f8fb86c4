import Testing

// Files that are not valid YAML or CSV at all: the sentence points where the reader stopped.

private let track = ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"]

@Suite("Bad input: syntax")
struct BadSyntaxTests {
    static let cases: [BadInputCase] = [
        // libyaml stops at the `:` after the over-indented key.
        .scenario("a key indented one space too far", "  price: 50", "   price: 50", place: "case.yaml:7:9",
                  words: ["not valid YAML", "indentation"]),
        // It notices the missing `]` at the next token, on the line after the bracket.
        .scenario("an unclosed bracket", "    per: once", "    per: [once", place: "case.yaml:15:9",
                  words: ["not valid YAML", "']'"]),
        .scenario("a tab as indentation", "  seats: 20", "\tseats: 20", place: "case.yaml:6:1",
                  words: ["not valid YAML", "cannot start any token"]),
        .scenario("an unclosed quote runs to the end of the file", "name: Bad input", "name: \"Bad input",
                  place: "case.yaml:38:1", words: ["not valid YAML", "quoted scalar"]),
        .scenario("a key given twice", "horizon: 36", "horizon: 36\nhorizon: 24", place: "case.yaml:3:1",
                  words: ["These keys appear twice: horizon."]),
        .scenario("a distribution without its closing bracket", "  seats: 20", "  seats: pert(10, 20", at: "pert(10, 20",
                  words: ["“seats” in “licences” has no closing bracket"]),
        BadInputCase("an empty scenario file", files: ["case.yaml": ""], BadInputCase.run, place: "case.yaml:1:1",
                     words: ["The scenario file is empty."]),
        BadInputCase("a scenario file that is a list", files: ["case.yaml": "- just a list\n"], BadInputCase.run,
                     place: "case.yaml:1:1", words: ["should be a set of `key: value` lines, but it is a list"]),
        BadInputCase("a variants file with an unclosed brace",
                     files: ["case.yaml": BadInput.scenario,
                             "levers.yaml": "base: case.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 }\n"],
                     ["compare", "levers.yaml", "--trials", "50", "--quiet"], place: "levers.yaml:4:1",
                     words: ["not valid YAML", "'}'"]),
        BadInputCase("an actuals field whose quote is never closed",
                     files: ["case.yaml": BadInput.scenario,
                             "a.csv": "month,metric,segment,value\n1,churned,\"Key accounts,1\n2,churned,Key accounts,2\n"],
                     track, place: "a.csv:2:11", words: ["A quoted field that starts on this line runs on to line 3"]),
        BadInputCase("an actuals file separated by semicolons",
                     files: ["case.yaml": BadInput.scenario, "a.csv": "month;metric;segment;value\n1;churned;Key accounts;1\n"],
                     track, place: "a.csv:1:1", words: ["The header has no commas"]),
    ]

    @Test("The unchanged scenario and actuals are fine (so each case has one mistake)")
    func baseline() throws {
        let folder = try ScratchFolder("bad-input-baseline")
        try folder.write("case.yaml", BadInput.scenario)
        try folder.write("a.csv", BadInput.actuals())
        let validate = try folder.crmcase(["validate", "case.yaml"])
        #expect(validate.status == 0, "\(validate.stderr)")
        let followUp = try folder.crmcase(track + ["--out", "follow-up"])
        #expect(followUp.status == 0, "\(followUp.stderr)")
    }

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
