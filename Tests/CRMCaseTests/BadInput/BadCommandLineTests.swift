import Testing

// Values on the command line. A malformed or out-of-range option is a command-line mistake
// (exit 64, before any work starts, the limit named); a `--set` or `--vary` path or value is
// read like a value of the scenario (exit 1) and named by its option, since no file is at fault.

private let files = ["case.yaml": BadInput.scenario, "a.csv": BadInput.actuals()]

private func line(_ name: String, _ arguments: [String], status: Int32 = 64, place: String? = nil,
                  _ words: [String]) -> BadInputCase {
    BadInputCase(name, files: files, arguments, status: status, place: place, words: words)
}

@Suite("Bad input: command-line values")
struct BadCommandLineTests {
    static let cases: [BadInputCase] = [
        line("--trials 0", ["run", "case.yaml", "--trials", "0"], ["--trials must be at least 1."]),
        line("--trials not a number", ["run", "case.yaml", "--trials", "abc"], ["The value 'abc' is invalid for '--trials <trials>'"]),
        line("--seed negative", ["run", "case.yaml", "--seed=-1"], ["The value '-1' is invalid for '--seed <seed>'"]),
        line("--threads 0", ["run", "case.yaml", "--threads", "0"], ["--threads must be at least 1."]),
        line("--precision 2", ["run", "case.yaml", "--precision", "2"], ["--precision 2: give a share between 0 and 1"]),
        line("--sampling unknown", ["run", "case.yaml", "--sampling", "sobol"], ["The value 'sobol' is invalid for '--sampling <sampling>'"]),
        line("--particles below the least", ["track", "case.yaml", "--actuals", "a.csv", "--particles", "10"],
             ["--particles must be at least 100."]),
        line("--set without a value", ["run", "case.yaml", "--set", "licences.seats"],
             ["--set licences.seats: write it as path=value"]),
        line("--set with a path of 16,000 steps", ["validate", "case.yaml", "--set", Array(repeating: "a", count: 16_000).joined(separator: ".") + "=1"],
             ["--set: The path has 31,999 characters, above the limit of 1,000"]),
        line("--vary running backwards", ["sweep", "case.yaml", "--vary", "licences.seats=30:20:5"],
             ["the step must be above 0 and `to` at least `from`."]),
        line("--vary not numbers", ["sweep", "case.yaml", "--vary", "licences.seats=a:b:c"],
             ["the range must be three numbers from:to:step"]),
        line("no scenario file", ["run"], ["Missing expected argument '<scenario>'"]),
        line("an unknown command", ["frobnicate"], ["Unexpected argument 'frobnicate'"]),

        // Limits: each of these once trapped, aborted on an allocation or ran for ever.
        line("compare --trials Int.max", ["compare", "case.yaml", "case.yaml", "--trials", "9223372036854775807"], ["1,000,000,000"]),
        line("sweep --trials above a billion", ["sweep", "case.yaml", "--vary", "licences.seats=20:30:10", "--trials", "1000000001"],
             ["1,000,000,000"]),
        line("track --trials Int.max", ["track", "case.yaml", "--actuals", "a.csv", "--trials", "9223372036854775807"], ["1,000,000,000"]),
        line("track --particles a billion", ["track", "case.yaml", "--actuals", "a.csv", "--particles", "1000000000"],
             ["1,000,000 particles"]),
        line("run --max-trials above a billion", ["run", "case.yaml", "--precision", "2%", "--max-trials", "1000000001"], ["1,000,000,000"]),
        line("run --trials one above the limit", ["run", "case.yaml", "--trials", "1000000001"],
             ["--trials 1000000001 is above the limit of 1,000,000,000 trials per run."]),
        line("sweep over 10^19 values", ["sweep", "case.yaml", "--vary", "licences.seats=0:1e19:1"], ["limit of 200 values"]),
        line("sweep with a step of 5e-324", ["sweep", "case.yaml", "--vary", "licences.seats=0:1:5e-324"], ["limit of 200 values"]),

        // Paths and values: read as the scenario's own, exit 1, named by the option.
        line("--set a value out of range", ["run", "case.yaml", "--set", "licences.seats=-5", "--trials", "50", "--quiet"],
             status: 1, place: "--set", ["In licences.seats=-5: “seats” in “licences” is -5"]),
        // Once reported as a mistake in case.yaml, which has no such line.
        line("--set a setting that does not exist", ["run", "case.yaml", "--set", "licences.seets=5", "--trials", "50", "--quiet"],
             status: 1, place: "--set", ["In licences.seets=5: “seets” is not a setting of “licences”. Did you mean `seats`?"]),
        line("--set a malformed path", ["run", "case.yaml", "--set", "licences..seats=5", "--trials", "50", "--quiet"],
             status: 1, place: "--set", ["“licences..seats” is not a path to a value."]),
        line("--vary a setting that does not exist", ["sweep", "case.yaml", "--vary", "licences.seets=10:20:5", "--trials", "50", "--quiet"],
             status: 1, place: "--vary", ["“seets” is not a setting of “licences”"]),
    ]

    @Test(arguments: cases)
    func refused(_ c: BadInputCase) throws {
        try BadInput.check(c)
    }
}
