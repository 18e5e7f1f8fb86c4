import Foundation
import Testing

// The bad-input suite: what a careless or unlucky user gives crmcase, one class of mistake per
// file (syntax, types, ranges, limits, encodings, references between files, command-line
// values). Every case runs the built binary in a fresh folder and asserts the same three things:
// the exit code (1 an input file is wrong, 64 the command line is), ONE sentence on standard
// error that starts with the place of the mistake (file:line:column when a file is at fault),
// and that nothing was written — no report folder, no staging, no other file.
//
// The library-level checks of each message's words and hints stay in ScenarioErrorTests,
// ActualsParserTests and RobustnessTests; these cases are the command as a user meets it.

/// One bad input: the files of a fresh folder, the command, and what must come back.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    /// What is wrong, in a few words (the test's name in the log).
    var name: String
    /// The folder's files, by name.
    var files: [String: Data]
    /// The command's arguments after `crmcase`.
    var arguments: [String]
    /// The exit code: 1 for an input file's problem, 64 for the command line.
    var status: Int32
    /// Where the sentence says the mistake is (`case.yaml:6:10`), or nil when no file is at fault.
    var place: String?
    /// Words the sentence must hold.
    var words: [String]

    var testDescription: String { name }

    /// A case whose mistake is in the file `file` (written as `text`), at `place`.
    init(_ name: String, files: [String: String], _ arguments: [String], status: Int32 = 1, place: String?,
         words: [String]) {
        self.init(name, data: files.mapValues { Data($0.utf8) }, arguments, status: status, place: place, words: words)
    }

    init(_ name: String, data: [String: Data], _ arguments: [String], status: Int32 = 1, place: String?,
         words: [String]) {
        self.name = name
        self.files = data
        self.arguments = arguments
        self.status = status
        self.place = place
        self.words = words
    }
}

extension BadInputCase {
    /// `crmcase run case.yaml`, quick.
    static let run = ["run", "case.yaml", "--trials", "50", "--no-sensitivity", "--quiet"]

    /// ``BadInput/scenario`` with `old` replaced by `new` as case.yaml, given to `command`. The
    /// mistake is where `needle` starts in the changed text, or at `place`.
    static func scenario(_ name: String, _ old: String, _ new: String, at needle: String? = nil, place: String? = nil,
                         command: [String] = run, words: [String]) -> BadInputCase {
        let text = BadInput.scenario(old, new)
        return BadInputCase(name, files: ["case.yaml": text], command,
                            place: needle.map { BadInput.place(of: $0, in: text) } ?? place, words: words)
    }
}

/// The scenario the cases change, one thing each; `case.yaml` in their folder. Line numbers:
/// 1 name, 3 horizon, 4 discount_rate, 6 seats, 7 price, 9 go_live, 10 ceiling, 12–14 the cost,
/// 16–18 the benefit, 20 new_customers, 21 win_rate_uplift, 23–27 segment Key accounts, 28–32
/// segment Small, 34–37 the risk.
enum BadInput {
    static let scenario = """
        name: Bad input
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
        benefits:
          - name: Time saved
            amount: 3k
            per: month
        acquisition:
          new_customers: 5
          win_rate_uplift: 10%
        segments:
          - name: Key accounts
            customers: 100
            margin: 800
            churn: 12%
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

    /// `scenario` with the one occurrence of `old` replaced by `new` (a mistake in writing a
    /// case gives a file that says so, and the case fails rather than the whole test run).
    static func scenario(_ old: String, _ new: String) -> String {
        guard scenario.components(separatedBy: old).count == 2 else { return "“\(old)” is not in the scenario exactly once" }
        return scenario.replacingOccurrences(of: old, with: new)
    }

    /// An actuals file for `scenario` (month 1 and 2 of one segment), with `rows` added.
    static func actuals(_ rows: String = "") -> String {
        "month,metric,segment,value\n1,churned,Key accounts,1\n2,churned,Key accounts,2\n" + rows
    }

    /// `file:line:column` of the first character of `needle`, which must occur once in `text`.
    static func place(of needle: String, in text: String, file: String = "case.yaml") -> String {
        let parts = text.components(separatedBy: needle)
        guard parts.count == 2 else { return "“\(needle)” does not occur exactly once" }
        let lines = parts[0].split(separator: "\n", omittingEmptySubsequences: false)
        return "\(file):\(lines.count):\(lines.last!.count + 1)"
    }

    /// Runs the case and checks exit code, the one sentence and that nothing was written.
    static func check(_ c: BadInputCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = try ScratchFolder("bad-input")
        for (name, data) in c.files { try folder.write(name, data) }
        let before = folder.contents()
        let started = ContinuousClock.now
        let result = try folder.crmcase(c.arguments, sourceLocation: sourceLocation)
        let took = ContinuousClock.now - started

        #expect(result.status == c.status, "exit \(result.status); stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        // One sentence. A command-line mistake may be followed by the command's usage, as
        // swift-argument-parser prints it (`Help: …`, `Usage: …`, `  See 'crmcase … --help'`).
        let extra = lines.dropFirst().filter { line in
            !(c.status == 64 && (line.hasPrefix("Usage: ") || line.hasPrefix("Help: ") || line.hasPrefix("  ")))
        }
        #expect(!lines.isEmpty && extra.isEmpty, "more than one sentence: \(result.stderr)", sourceLocation: sourceLocation)
        let first = lines.first ?? ""
        #expect(first.hasPrefix("error: ") || (c.status == 64 && first.hasPrefix("Error: ")),
                "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let sentence = String(first.drop { $0 != " " }.dropFirst())
        if let place = c.place {
            #expect(sentence.hasPrefix(place + ": "), "not at \(place): \(first)", sourceLocation: sourceLocation)
        }
        for word in c.words {
            #expect(sentence.contains(word), "“\(word)” missing from: \(first)", sourceLocation: sourceLocation)
        }
        #expect(!first.contains("\u{1B}"), sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
        // Nothing written: the folder holds exactly what it held before.
        let after = folder.contents()
        #expect(after == before, "written: \(Set(after.keys).symmetricDifference(before.keys).sorted())",
                sourceLocation: sourceLocation)
        // Refused before any work starts (the bound is loose for a busy machine).
        #expect(took < .seconds(10), "took \(took)", sourceLocation: sourceLocation)
    }
}
