import UseCases
import CRMModel
import Foundation
import ScenarioFormat
import Testing
import Tracking

// Inputs from fuzzing (Fuzz/, see README "Fuzzing"), fed through the same APIs as the fuzz
// targets in Fuzz/Sources/crmcase-fuzz/main.swift. An error is a normal outcome; the test
// fails only by crashing or hanging. Every input in Fuzz/corpus/<target>/ is run: the seeds,
// and any crashing input found by Fuzz/run.sh once it is copied there and fixed.

private let fuzzRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

private func text(_ relative: String) throws -> String {
    try String(contentsOf: fuzzRoot.appendingPathComponent(relative), encoding: .utf8)
}

/// The UTF-8 inputs of one target's corpus (the fuzz targets skip other bytes as well).
private func corpus(_ target: String) throws -> [(name: String, text: String)] {
    let folder = fuzzRoot.appendingPathComponent("Fuzz/corpus/\(target)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    return names.compactMap { name in
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return (name, text)
    }
}

private let valuePaths = ["licences.seats", "costs[Partner].amount", "adoption.ceiling",
                          "segments[Accounts].churn_reduction", "adoption.half_time", "discount_rate"]

@Suite struct FuzzRegressionTests {
    @Test func scenarioCorpus() throws {
        let inputs = try corpus("scenario")
        #expect(!inputs.isEmpty)
        for input in inputs {
            _ = try? ScenarioLoader.parse(yaml: input.text, file: input.name)
            _ = try? ScenarioLoader.variants(yaml: input.text, file: input.name)
        }
    }

    @Test func valueCorpus() throws {
        let base = try text("Tests/Snapshots/closed-form.yaml")
        for input in try corpus("value") {
            _ = NumberText.parse(input.text)
            for path in valuePaths {
                _ = try? ScenarioLoader.parse(yaml: base, file: "base.yaml",
                                              overrides: [Override(path: path, value: input.text, origin: "--set")])
            }
        }
    }

    @Test func setCorpus() throws {
        let base = try text("Tests/Snapshots/closed-form.yaml")
        for input in try corpus("set") {
            let overrides = input.text.split(separator: "\n").prefix(16).map { line in
                Override.parse(String(line)) ?? Override(path: String(line), value: "", origin: "--set")
            }
            _ = try? ScenarioLoader.parse(yaml: base, file: "base.yaml", overrides: overrides)
        }
    }

    @Test func variantsCorpus() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmcase-fuzz-regression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let carDealership = try text("Scenarios/car-dealership.yaml")
        for input in try corpus("variants") {
            let parts = input.text.components(separatedBy: "\n#--- base\n")
            let variantsPath = folder.appendingPathComponent("levers.variants.yaml").path
            try parts[0].write(toFile: variantsPath, atomically: false, encoding: .utf8)
            try (parts.count > 1 ? parts[1...].joined(separator: "\n") : carDealership)
                .write(toFile: folder.appendingPathComponent("car-dealership.yaml").path, atomically: false, encoding: .utf8)
            guard let loaded = try? ScenarioLoader.load(path: variantsPath) else { continue }
            for variant in loaded.variants.prefix(3) {
                _ = try? ScenarioLoader.load(path: variantsPath, overrides: variant.overrides)
            }
        }
    }

    @Test func actualsCorpus() throws {
        let scenarios = try ["car-dealership", "b2b-distributor", "subscription-churn"].map { name in
            try ScenarioLoader.parse(yaml: text("Scenarios/\(name).yaml"), file: name)
        }
        for input in try corpus("actuals") {
            for scenario in scenarios {
                _ = try? ActualsParser.parse(csv: input.text, file: input.name, scenario: scenario)
            }
        }
    }

    @Test func sweepCorpus() throws {
        for input in try corpus("sweep") {
            _ = try? SweepRange(input.text)
        }
    }
}
