import Foundation
import ScenarioFormat
import Testing

/// The JSON Schema for editors (`crmcase schema`, `docs/scenario.schema.json`): it matches the
/// loader, a validator crmcase did not write (Python's jsonschema) accepts every example and
/// every `init` template and refuses misspelt keys, and at every numeric bound it gives the
/// loader's own answer.
@Suite("JSON Schema of scenario files")
struct SchemaTests {
    static let root = CLI.packageRoot
    static let schemaPath = root.appendingPathComponent("docs/scenario.schema.json").path

    @Test("docs/scenario.schema.json is what crmcase schema prints, and what the loader's table gives")
    func committedSchemaIsCurrent() throws {
        let committed = try String(contentsOfFile: Self.schemaPath, encoding: .utf8)
        #expect(committed == ScenarioKeys.jsonSchema(), "run `crmcase schema > docs/scenario.schema.json`")
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let printed = try CLI.run(crmcase, ["schema"], in: Self.root)
        #expect(printed.status == 0)
        #expect(printed.stdout == committed)
    }

    /// Runs Tests/Schema/check_schema.py on `files`: file → nil when valid, else jsonschema's message.
    static func validate(_ files: [String], schema: String = schemaPath) throws -> [String: String?] {
        let script = root.appendingPathComponent("Tests/Schema/check_schema.py").path
        let result = try CLI.run("/usr/bin/env", ["python3", script, schema] + files, in: root)
        try #require(result.status == 0, "check_schema.py failed (is jsonschema installed? scripts/setup.sh --deps): \(result.stderr)")
        var verdicts: [String: String?] = [:]
        for line in result.stdout.split(separator: "\n").map(String.init) {
            if line.hasPrefix("valid ") {
                verdicts[String(line.dropFirst(6))] = .some(nil)
            } else if line.hasPrefix("invalid "), let colon = line.range(of: ": ") {
                verdicts[String(line[line.index(line.startIndex, offsetBy: 8)..<colon.lowerBound])] = .some(String(line[colon.upperBound...]))
            }
        }
        try #require(verdicts.count == files.count, "one verdict per file: \(result.stdout)")
        return verdicts
    }

    @Test("Every example scenario and variants file, and every init template, validates")
    func examplesValidate() throws {
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Scenarios").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "Scenarios/\($0)" }
        #expect(scenarios.count >= 4)
        let scratch = try ScratchFolder("schema")
        // Every template `init` writes, with the schema file it writes beside them.
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        var templates: [String] = []
        for kind in ["b2b", "retail", "subscription"] {
            let made = try CLI.run(crmcase, ["init", "\(kind).yaml", "--kind", kind], in: scratch.url)
            try #require(made.status == 0, "\(made.stderr)")
            let text = try String(contentsOfFile: scratch.path("\(kind).yaml"), encoding: .utf8)
            #expect(text.hasPrefix("# yaml-language-server: $schema=scenario.schema.json\n"), "the editor's pointer, first line")
            templates.append(scratch.path("\(kind).yaml"))
        }
        let written = try String(contentsOfFile: scratch.path("scenario.schema.json"), encoding: .utf8)
        #expect(written == ScenarioKeys.jsonSchema(), "init writes the schema beside the scenario")
        let verdicts = try Self.validate(scenarios + templates)
        for (file, problem) in verdicts {
            #expect(problem == nil, "\(file): \(problem ?? "")")
        }
    }

    /// A copy of car-dealership.yaml with `old` replaced by `new` (once).
    static func variant(of old: String, _ new: String, in scratch: ScratchFolder, name: String) throws -> String {
        let text = try String(contentsOfFile: root.appendingPathComponent("Scenarios/car-dealership.yaml").path, encoding: .utf8)
        let range = try #require(text.range(of: old), "car-dealership.yaml has no “\(old)”")
        try scratch.write(name, text.replacingCharacters(in: range, with: new))
        return scratch.path(name)
    }

    @Test("A misspelt key, an unknown distribution or a number out of range fails the schema and the loader alike")
    func mistakesFail() throws {
        let scratch = try ScratchFolder("schema")
        let mistakes: [(old: String, new: String, expected: String)] = [
            ("\nhorizon:", "\nhorizn:", "horizn"),                    // top level
            ("  seats:", "  seets:", "seets"),                          // licences
            ("  ceiling:", "  cieling:", "cieling"),                    // adoption
            ("    per:", "    pr:", "pr"),                              // a cost line
            ("    churn:", "    churm:", "churm"),                      // a segment
            ("    probability:", "    probabilty:", "probabilty"),     // a risk
            ("  ceiling: ", "  ceiling: prt(0.5, 0.7, 0.9) #", "does not match"), // a misspelt distribution
            ("  seats: ", "  seats: 30.5 #", "multiple of 1"),          // seats are whole
        ]
        var files: [String] = []
        for (k, mistake) in mistakes.enumerated() {
            files.append(try Self.variant(of: mistake.old, mistake.new, in: scratch, name: "m\(k).yaml"))
        }
        // A variants file with a misspelt key, on a valid base (so that only the key is wrong).
        try scratch.write("base.yaml", try String(contentsOfFile: Self.root.appendingPathComponent("Scenarios/car-dealership.yaml").path, encoding: .utf8))
        try scratch.write("v.variants.yaml", "base: base.yaml\nvariant:\n  - name: A\n    set: { licences.seats: 40 }\n")
        files.append(scratch.path("v.variants.yaml"))
        let verdicts = try Self.validate(files)
        for (k, file) in files.enumerated() {
            let problem = try #require(verdicts[file])
            #expect(problem != nil, "\(file) passed the schema")
            if k < mistakes.count { #expect(problem?.contains(mistakes[k].expected) == true, "\(problem ?? "")") }
            // The loader refuses each file too (the schema is never the only check).
            #expect(throws: ScenarioErrors.self) { _ = try ScenarioLoader.load(path: file) }
        }
    }

    /// The schema's definitions as JSON objects.
    static func definitions() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["definitions"] as? [String: [String: Any]])
    }

    @Test("At each numeric bound the schema states, the loader gives the same answer: the bound passes, a step beyond fails")
    func boundsAgreeWithLoader() throws {
        let definitions = try Self.definitions()
        // Where each section's keys live in car-dealership.yaml, as --set paths.
        let paths: [String: String] = [
            "scenario": "", "licences": "licences.", "adoption": "adoption.", "acquisition": "acquisition.",
            "segment": "segments[Economists].", "risk": "risks[CRM project fails to deliver its effects].",
            "cost_line": "costs[Licences].", "benefit_line": "benefits[Less time on administration and reporting].",
        ]
        let file = Self.root.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let base = try ScenarioLoader.load(path: file)
        let inputs = Set(base.scenario.inputs.map(\.name))
        var checked = 0
        for (section, prefix) in paths {
            let properties = try #require(definitions[section]?["properties"] as? [String: [String: Any]], "\(section)")
            for (key, property) in properties {
                guard let options = property["anyOf"] as? [[String: Any]],
                      let number = options.first(where: { $0["type"] as? String == "number" }) else { continue }
                let path = prefix + key
                // Only inputs this scenario has (an override cannot add a cost line's key, say).
                guard inputs.contains(path) || inputs.contains(where: { $0.hasPrefix(path) }) else { continue }
                let whole = number["multipleOf"] != nil
                let step = whole ? 1.0 : 1e-6
                for (bound, outward) in [(number["minimum"] as? Double, -step), (number["maximum"] as? Double, step)] {
                    guard let bound else { continue }
                    func load(_ x: Double) -> String {
                        Self.problems { _ = try ScenarioLoader.load(path: file, overrides: [Override(path: path, value: Self.text(x), origin: "--set")]) }
                    }
                    // At the bound: accepted, or refused for another reason than the range
                    // (a billion seats fails the scale check, not the bound).
                    let atProblems = load(bound)
                    #expect(!atProblems.contains("must be"), "\(path) = \(bound): \(atProblems)")
                    let beyond = load(bound + outward * max(1, abs(bound)))
                    #expect(!beyond.isEmpty, "\(path) = \(bound + outward): the loader accepts what the schema refuses")
                    checked += 1
                }
            }
        }
        #expect(checked >= 20, "only \(checked) bounds checked")
    }

    static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }

    static func problems(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test("Every key the loader accepts is explained in docs/SCENARIO-FORMAT.md")
    func keysDocumented() throws {
        let format = try String(contentsOfFile: Self.root.appendingPathComponent("docs/SCENARIO-FORMAT.md").path, encoding: .utf8)
        for (section, definition) in try Self.definitions() {
            let properties = try #require(definition["properties"] as? [String: Any])
            for key in properties.keys {
                // As a key of its own: `key`, `key:` or `section.key`, or `key: …` in an example.
                let pattern = "(`|\\.)\(key)(`|:)|^\\s*-?\\s*\(key):"
                let found = format.range(of: pattern, options: .regularExpression) != nil
                    || format.split(separator: "\n").contains { $0.range(of: pattern, options: .regularExpression) != nil }
                #expect(found, "\(section).\(key) is not in SCENARIO-FORMAT.md")
            }
        }
    }

    @Test("The whole numbers' ranges and Bass p's open bound agree with the loader")
    func integersAndOpenBounds() throws {
        let file = Self.root.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let definitions = try Self.definitions()
        let horizon = try #require((definitions["scenario"]?["properties"] as? [String: [String: Any]])?["horizon"]?["anyOf"] as? [[String: Any]])
        let range = try #require(horizon.first { $0["type"] as? String == "integer" })
        let lowest = try #require(range["minimum"] as? Int), highest = try #require(range["maximum"] as? Int)
        func problems(_ path: String, _ value: String) -> String {
            Self.problems { _ = try ScenarioLoader.load(path: file, overrides: [Override(path: path, value: value, origin: "--set")]) }
        }
        #expect(!problems("horizon", String(lowest - 1)).isEmpty)
        #expect(!problems("horizon", String(highest + 1)).isEmpty)
        #expect(!problems("horizon", String(highest)).contains("must be between"))
        // Bass p: exclusiveMinimum 0 in the schema, refused at 0 by the loader, fine just above.
        let adoption = try #require(definitions["adoption"]?["properties"] as? [String: [String: Any]])
        let p = try #require((adoption["p"]?["anyOf"] as? [[String: Any]])?.first { $0["type"] as? String == "number" })
        #expect(p["exclusiveMinimum"] as? Double == 0)
        // car-dealership.yaml's adoption is Bass.
        #expect(problems("adoption.p", "0").contains("above 0"))
        #expect(problems("adoption.p", "0.001").isEmpty)
    }
}
