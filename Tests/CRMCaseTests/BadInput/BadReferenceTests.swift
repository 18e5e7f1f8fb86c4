import Testing

// References from one file to another: a variants file's `base:` and the paths its variants
// change, an actuals file's segments and metrics, files named on the command line. The
// sentence points at the reference (the line of the file that names what is not there).

private let compare = ["compare", "levers.yaml", "--trials", "50", "--quiet"]
private let track = ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"]

/// case.yaml and a variants file levers.yaml with `text`.
private func variants(_ text: String) -> [String: String] {
    ["case.yaml": BadInput.scenario, "levers.yaml": text]
}

private func variant(_ set: String) -> String {
    "base: case.yaml\nvariants:\n  - name: Bad\n    set: { \(set) }\n"
}

@Suite("Bad input: references between files")
struct BadReferenceTests {
    static let cases: [BadInputCase] = [
        BadInputCase("base: names a file that is not there",
                     files: variants("base: nowhere.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n"),
                     compare, place: "levers.yaml:1:7", words: ["“base” names nowhere.yaml, but there is no such file."]),
        BadInputCase("base: names the variants file itself",
                     files: ["levers.yaml": "base: levers.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n"],
                     compare, place: "levers.yaml:1:7", words: ["would name each other without end: levers.yaml → levers.yaml"]),
        // The stack overflow: two files naming each other.
        BadInputCase("two variants files name each other",
                     files: ["a.yaml": "base: b.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n",
                             "b.yaml": "base: a.yaml\nvariants:\n  - { name: B, set: { licences.seats: 40 } }\n"],
                     ["compare", "a.yaml", "--trials", "50", "--quiet"], place: "b.yaml:1:7",
                     words: ["a.yaml → b.yaml → a.yaml"]),
        BadInputCase("base: left empty", files: variants("base: \nvariants: []\n"), compare, place: "levers.yaml:1:6",
                     words: ["“base” should name the scenario file these variants change"]),
        BadInputCase("a variant changes a segment that is not there", files: variants(variant("\"segments[Nope].churn\": 10%")),
                     compare, place: "levers.yaml:4:12",
                     words: ["In segments[Nope].churn=10% (variant “Bad”): “segments” has no item called “Nope”."]),
        // The key the path adds is the variant's mistake, not the base file's (it once named case.yaml).
        BadInputCase("a variant changes a setting that does not exist", files: variants(variant("licences.seets: 10")),
                     compare, place: "levers.yaml:4:12",
                     words: ["In licences.seets=10 (variant “Bad”): “seets” is not a setting of “licences”. Did you mean `seats`?"]),
        BadInputCase("a variant names a section that does not exist",
                     files: variants("base: case.yaml\nvariants:\n  - name: Bad\n    set:\n      acquisitoin.new_customers: 5\n"),
                     compare, place: "levers.yaml:5:7", words: ["“acquisitoin” is not a setting of “the scenario”"]),
        BadInputCase("a variant's value is out of range (placed at the value)", files: variants(variant("licences.seats: 35.5")),
                     compare, place: "levers.yaml:4:28", words: ["In licences.seats=35.5 (variant “Bad”)", "write 35 or 36"]),
        BadInputCase("two variants with one name",
                     files: variants("base: case.yaml\nvariants:\n  - { name: A, set: { licences.seats: 30 } }\n  - { name: A, set: { licences.seats: 40 } }\n"),
                     compare, place: "levers.yaml:4:13", words: ["There are two variants called “A”."]),
        BadInputCase("actuals name a segment that is not there (long form)",
                     files: ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals("3,churned,Nope,2\n")],
                     track, place: "a.csv:4:11", words: ["There is no segment “Nope” in the scenario."]),
        BadInputCase("actuals name a segment that is not there (wide form)",
                     files: ["case.yaml": BadInput.scenario, "a.csv": "month,churned[Nope]\n1,1\n"],
                     track, place: "a.csv:1:7", words: ["There is no segment “Nope” in the scenario."]),
        BadInputCase("actuals name a metric that does not exist",
                     files: ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals("3,chruned,Key accounts,2\n")],
                     track, place: "a.csv:4:3", words: ["“chruned” is not a metric an actuals file can give. Did you mean `churned`?"]),
        BadInputCase("a second scenario file that is not there", files: ["case.yaml": BadInput.scenario],
                     ["compare", "case.yaml", "other.yaml", "--trials", "50", "--quiet"], place: "other.yaml",
                     words: ["There is no scenario file here."]),
        BadInputCase("an actuals file that is not there", files: ["case.yaml": BadInput.scenario],
                     ["track", "case.yaml", "--actuals", "a.csv", "--trials", "50", "--particles", "100", "--quiet"],
                     place: "a.csv", words: ["There is no actuals file here."]),
        BadInputCase("a folder given as the scenario file", files: ["case.yaml/keep": ""], BadInputCase.run,
                     place: "case.yaml", words: ["This is a folder, not a scenario file."]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
