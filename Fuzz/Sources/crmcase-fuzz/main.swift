// libFuzzer targets for crmcase's parsers. Usage: crmcase-fuzz TARGET [libFuzzer options] [corpus…]
// (Fuzz/run.sh runs them all). A thrown error is a normal outcome: only crashes, traps, hangs
// (libFuzzer -timeout) and sanitizer findings count as findings.
import CFuzzDriver
import UseCases
import CRMModel
import Foundation
import ScenarioFormat
import Tracking

/// The repository's root, for the example scenarios the targets use as bases.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

func read(_ relative: String) -> String {
    guard let data = FileManager.default.contents(atPath: "\(root)/\(relative)"),
          let text = String(data: data, encoding: .utf8) else {
        fatalError("crmcase-fuzz: cannot read \(root)/\(relative)")
    }
    return text
}

/// Small scenario the value, --set and sweep targets apply their inputs to (fast to parse).
let smallBase = read("Tests/Snapshots/closed-form.yaml")
/// Paths of `smallBase` with different bounds: a count, an amount, a share, a rate, a month.
let valuePaths = ["licences.seats", "costs[Partner].amount", "adoption.ceiling",
                  "segments[Accounts].churn_reduction", "adoption.half_time", "discount_rate"]
/// The example scenarios with actuals files, parsed once.
let actualsScenarios: [Scenario] = ["car-dealership", "b2b-distributor", "subscription-churn"].map { name in
    guard let s = try? ScenarioLoader.parse(yaml: read("Scenarios/\(name).yaml"), file: name) else {
        fatalError("crmcase-fuzz: Scenarios/\(name).yaml does not parse")
    }
    return s
}
let carDealership = read("Scenarios/car-dealership.yaml")
/// Where the variants target writes its pair of files (one folder per process).
let scratch = NSTemporaryDirectory() + "crmcase-fuzz-\(ProcessInfo.processInfo.processIdentifier)"

func text(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String? {
    guard let data else { return size == 0 ? "" : nil }
    return String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8)
}

/// Each target takes the input as UTF-8 text (other bytes are skipped: every file reader
/// refuses non-UTF-8 before parsing).
let targets: [String: (String) -> Void] = [
    // A whole scenario file.
    "scenario": { yaml in
        _ = try? ScenarioLoader.parse(yaml: yaml, file: "fuzz.yaml")
        _ = try? ScenarioLoader.variants(yaml: yaml, file: "fuzz.yaml")
    },
    // One value as written in a scenario (`pert(10, 20, 40)`, `60% to 85%`, `1.2M`), put into
    // fields with different bounds through an override, and read as a plain number.
    "value": { value in
        _ = NumberText.parse(value)
        for path in valuePaths {
            _ = try? ScenarioLoader.parse(yaml: smallBase, file: "base.yaml",
                                          overrides: [Override(path: path, value: value, origin: "--set")])
        }
    },
    // `--set` lines, one per line, read as the command line reads them and applied together.
    "set": { lines in
        let overrides = lines.split(separator: "\n", omittingEmptySubsequences: true).prefix(16).map { line in
            Override.parse(String(line)) ?? Override(path: String(line), value: "", origin: "--set")
        }
        _ = try? ScenarioLoader.parse(yaml: smallBase, file: "base.yaml", overrides: overrides)
    },
    // A variants file and its base: the input is the variants file, optionally followed by a
    // line `#--- base` and the base scenario (else the car dealership). Loaded from files as
    // `crmcase compare` does, then each variant applied to its base.
    "variants": { input in
        let parts = input.components(separatedBy: "\n#--- base\n")
        let variantsText = parts[0]
        let baseText = parts.count > 1 ? parts[1...].joined(separator: "\n") : carDealership
        let variantsPath = "\(scratch)/levers.variants.yaml"
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            try variantsText.write(toFile: variantsPath, atomically: false, encoding: .utf8)
            try baseText.write(toFile: "\(scratch)/car-dealership.yaml", atomically: false, encoding: .utf8)
        } catch {
            fatalError("crmcase-fuzz: cannot write to \(scratch): \(error)")
        }
        guard let loaded = try? ScenarioLoader.load(path: variantsPath) else { return }
        for variant in loaded.variants.prefix(3) {
            _ = try? ScenarioLoader.load(path: variantsPath, overrides: variant.overrides)
        }
    },
    // An actuals CSV file, checked against each example scenario that has one.
    "actuals": { csv in
        for scenario in actualsScenarios {
            _ = try? ActualsParser.parse(csv: csv, file: "fuzz.actuals.csv", scenario: scenario)
        }
    },
    // A `--vary` sweep range; its first and last values are then applied as `--set` would.
    "sweep": { text in
        guard let range = try? SweepRange(text) else { return }
        for value in [range.values.first, range.values.last].compactMap({ $0 }) {
            _ = try? ScenarioLoader.parse(yaml: smallBase, file: "base.yaml",
                                          overrides: [Override(path: range.path, value: value, origin: "--vary")])
        }
    },
]

nonisolated(unsafe) var selected: (String) -> Void = { _ in }

var arguments = CommandLine.arguments
guard arguments.count >= 2, let target = targets[arguments[1]] else {
    let names = targets.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: crmcase-fuzz TARGET [libFuzzer options] [corpus…]; targets: \(names)\n".utf8))
    exit(2)
}
selected = target
arguments.remove(at: 1)

// libFuzzer takes a C argv; the strings live for the whole run.
var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
var argc = CInt(arguments.count)
let status = argv.withUnsafeMutableBufferPointer { buffer -> CInt in
    var base = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &base) { data, size in
        if let input = text(data, size) { selected(input) }
        return 0
    }
}
exit(status)
