import Foundation
import Testing

/// Every example a user reads in `crmcase help` runs, and every file the README's commands name
/// exists: a copied example that fails, or names a file nobody has, is the first thing a new user
/// meets.
@Suite("Help examples", .serialized)
struct HelpExampleTests {
    /// The root command ("") and every subcommand.
    static let commands = ["", "run", "validate", "track", "compare", "sweep", "synthesize-actuals", "workshop"]
    /// The commands whose examples run to an end here (`workshop` serves until stopped: its
    /// browser test, WorkshopTests, runs it).
    static let finishing = commands.filter { $0 != "workshop" }

    /// `crmcase help <command>` (the root's `--help`), as a user sees it.
    static func help(_ crmcase: String, _ command: String) throws -> String {
        let result = try CLI.run(crmcase, command.isEmpty ? ["--help"] : ["help", command], in: CLI.packageRoot)
        #expect(result.status == 0, "crmcase help \(command): \(result.stderr)")
        return result.stdout
    }

    /// The lines of `help` that follow it and start with `crmcase`, under an "Examples:" (or
    /// "Example:") heading, up to the first line that is not one.
    static func examples(in help: String) -> (lines: [String], strays: [String]) {
        var lines: [String] = [], strays: [String] = []
        var inside = false
        for raw in help.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "Examples:" || line == "Example:" { inside = true; continue }
            guard inside else { continue }
            if line.hasPrefix("crmcase ") { lines.append(line); continue }
            // A non-empty line right after an example is the example wrapped by the help
            // formatter: copied as shown, it would not run.
            if !line.isEmpty { strays.append(line) }
            inside = false
        }
        return (lines, strays)
    }

    /// Splits a command line as a POSIX shell would for the cases the help uses: spaces, single
    /// and double quotes, backslash escapes.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], word = "", inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { word.append(c); escaped = false; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { word.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = c; inWord = true
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            default: word.append(c); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// `arguments` with `option`'s value replaced by `value`, or the option added.
    static func setting(_ option: String, to value: String, in arguments: [String]) -> [String] {
        var arguments = arguments
        if let k = arguments.firstIndex(of: option), k + 1 < arguments.count {
            arguments[k + 1] = value
        } else {
            arguments += [option, value]
        }
        return arguments
    }

    /// An example's arguments made fast and harmless: a report folder (or output file) inside
    /// `scratch`, never Reports/; 300 trials; 200 particles for `track`.
    static func adapted(_ arguments: [String], scratch: URL) -> (arguments: [String], writes: String?) {
        var arguments = arguments
        switch arguments.first {
        case "run", "compare", "sweep", "track":
            let out = scratch.appendingPathComponent("report").path
            arguments = setting("--out", to: out, in: setting("--trials", to: "300", in: arguments))
            if arguments.first == "track" { arguments = setting("--particles", to: "200", in: arguments) }
            return (arguments, out)
        case "synthesize-actuals" where arguments.contains("--out"):
            let out = scratch.appendingPathComponent("actuals.csv").path
            return (setting("--out", to: out, in: arguments), out)
        default:
            return (arguments, nil)
        }
    }

    @Test("Every command's help has examples, none wrapped across lines", arguments: commands)
    func examplesAreWhole(command: String) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let (lines, strays) = Self.examples(in: try Self.help(crmcase, command))
        #expect(!lines.isEmpty, "crmcase help \(command) shows no example")
        #expect(strays.isEmpty, "crmcase help \(command): a wrapped example, continued by \(strays)")
    }

    @Test("Every example in a command's help runs", arguments: finishing)
    func examplesRun(command: String) throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        for line in Self.examples(in: try Self.help(crmcase, command)).lines {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-example-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let (arguments, writes) = Self.adapted(Array(Self.words(line).dropFirst()), scratch: scratch)
            let result = try CLI.run(crmcase, arguments, in: CLI.packageRoot)
            #expect(result.status == 0, "\(line) (run as crmcase \(arguments.joined(separator: " "))): \(result.stderr)")
            if let writes {
                #expect(FileManager.default.fileExists(atPath: writes), "\(line) wrote nothing to \(writes)")
            }
        }
    }

    @Test("The README's commands name files that exist")
    func readmeFilesExist() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var commands: [String] = [], block: String?
        for line in readme.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let text = block { commands += text.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: "\n") }
                block = line == "```sh" ? "" : nil
                continue
            }
            if block != nil { block! += line + "\n" }
        }
        #expect(!commands.isEmpty, "no ```sh block found in README.md")
        var named = 0
        // Folders an earlier command of the README writes (its --out), which a later one reads
        // (e.g. `crmcase merge` the shards of `crmcase run --shard`).
        var written: Set<String> = []
        for command in commands {
            // What follows ` #` is a comment: it may name a folder a command writes.
            let code = command.trimmingCharacters(in: .whitespaces).hasPrefix("#") ? ""
                : command.components(separatedBy: " #")[0]
            let words = Self.words(code)
            for (k, word) in words.enumerated() where word.contains("/") && !word.hasPrefix("-") {
                // The executable is built, an --out target is written, by the command itself.
                if word.hasPrefix(".build/") || (k > 0 && words[k - 1] == "--out") {
                    if k > 0 && words[k - 1] == "--out" { written.insert(word) }
                    continue
                }
                // `--shard K/N` is a fraction, not a path.
                if k > 0 && words[k - 1] == "--shard" { continue }
                if written.contains(word) { continue }
                named += 1
                #expect(FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent(word).path),
                        "README.md: `\(code.trimmingCharacters(in: .whitespaces))` names \(word), which does not exist")
            }
        }
        #expect(named > 0, "no file named in the README's commands")
    }
}
