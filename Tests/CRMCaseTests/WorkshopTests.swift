import Foundation
import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat
import UseCases
import Workshop

/// The workshop's session without a browser: its numbers against independent runs, its answers
/// to bad values and to stale requests, and the variants file it writes.
@Suite("Workshop session", .serialized)
struct WorkshopTests {
    static let trials = 4_000

    /// A session on a copy of the car-dealership example in a scratch folder (the variants file
    /// is written beside it).
    static func session(_ scratch: ScratchFolder) throws -> WorkshopSession {
        let example = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml")
        try scratch.write("car-dealership.yaml", try Data(contentsOf: example))
        return try WorkshopSession(scenarioFile: scratch.path("car-dealership.yaml"), seed: 1, trials: trials)
    }

    @Test("A change's Δ NPV is the difference of two independent runs on the seed, and pairing shrinks its error")
    func deltaIsTheDifferenceOfRuns() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        #expect(session.history.count == 1 && session.history[0].deltaNPV == 0 && session.history[0].deltaNPVText == "no change")
        let controls = session.controls.filter { $0.kind == .input }
        #expect(controls.count == 6)
        // The controls follow the sensitivity ranking: the largest swing first.
        #expect(zip(controls, controls.dropFirst()).allSatisfy { $0.swing >= $1.swing })

        let answer = await session.simulate(WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials,
                                                            values: ["adoption.ceiling": "60%"]))
        #expect(answer.status == .ok)
        let tried = try #require(answer.result)
        // Independently: the same change through `crmcase run`'s use case, and the baseline.
        let file = scratch.path("car-dealership.yaml")
        let changed = try WhatIfRun.outcome(scenarioFile: file, overrides: [Override(path: "adoption.ceiling", value: "60%", origin: "--set")],
                                            trials: Self.trials, seed: 1)
        let base = try WhatIfRun.outcome(scenarioFile: file, overrides: [], trials: Self.trials, seed: 1)
        #expect(abs(tried.npv - changed.npvMean) <= 1e-9 * abs(changed.npvMean))
        #expect(abs(tried.deltaNPV - (changed.npvMean - base.npvMean)) <= 1e-6 * abs(tried.deltaNPV))
        #expect(tried.chanceOfLoss == changed.chanceOfLoss)
        #expect(abs(tried.deltaChanceOfLoss - (changed.chanceOfLoss - base.chanceOfLoss)) < 1e-15)
        // Common random numbers: the paired error is far below that of two independent runs.
        let halfWidth = try #require(Double(tried.deltaNPVText.split(separator: "±")[1]
            .replacingOccurrences(of: ",", with: "").split(separator: " ")[0].trimmingCharacters(in: .punctuationCharacters)))
        let unpaired = 1.96 * (changed.npvStandardError * changed.npvStandardError + base.npvStandardError * base.npvStandardError).squareRoot()
        #expect(halfWidth < unpaired / 3, "paired ± \(halfWidth) against unpaired ± \(unpaired)")
        #expect(answer.html?.contains("<svg") == true && answer.html?.contains("Verdict.") == true)
        #expect(answer.history.count == 2)
    }

    @Test("A bad value is answered with validate's sentence, beside its control")
    func badValue() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        let answer = await session.simulate(WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials,
                                                            values: ["adoption.ceiling": "150%"]))
        #expect(answer.status == .invalid && answer.html == nil)
        let problem = try #require(answer.problems.first)
        #expect(problem.path == "adoption.ceiling")
        do {
            _ = try ScenarioLoader.load(path: scratch.path("car-dealership.yaml"),
                                        overrides: [Override(path: "adoption.ceiling", value: "150%", origin: "--set")])
            Issue.record("150 % was accepted")
        } catch {
            #expect(error.issues.contains { $0.message.hasSuffix(problem.message) }, "\(problem.message)")
        }
        let trials = await session.simulate(WorkshopRequest(tab: "a", sequence: 2, trials: 10))
        #expect(trials.status == .invalid && trials.problems.first?.path == "trials")
        // Neither is in the history.
        #expect(session.history.count == 1)
    }

    @Test("A request older than its tab's newest is not simulated; other tabs are not affected")
    func staleRequests() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        async let newer = session.simulate(WorkshopRequest(tab: "a", sequence: 5, trials: Self.trials))
        let newest = await newer
        let older = await session.simulate(WorkshopRequest(tab: "a", sequence: 4, trials: Self.trials))
        let otherTab = await session.simulate(WorkshopRequest(tab: "b", sequence: 1, trials: Self.trials))
        #expect(newest.status == .ok)
        #expect(older.status == .stale && older.html == nil)
        #expect(otherTab.status == .ok)
    }

    @Test("A newer request stops the run of an older one of its tab part-way")
    func runningStaleRequestStops() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        let clock = ContinuousClock()
        let start = clock.now
        async let long = session.simulate(WorkshopRequest(tab: "a", sequence: 1, trials: 100_000))
        try await Task.sleep(for: .milliseconds(300))
        let newer = await session.simulate(WorkshopRequest(tab: "a", sequence: 2, trials: Self.trials))
        let older = await long
        let elapsed = clock.now - start
        #expect(older.status == .stale)
        #expect(newer.status == .ok)
        // Run to its end it would have answered .ok; stopped, it answered .stale, early.
        #expect(elapsed < .seconds(30), "\(elapsed)")
    }

    @Test("An engine run asked to stop gives nothing; one never asked is the plain run, bit for bit")
    func engineCancellation() throws {
        let example = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let model = TrialModel(scenario: try ScenarioLoader.load(path: example).scenario)
        let engine = Engine(model: model, options: .init(trials: 3_000, seed: 7))
        #expect(engine.run(isCancelled: { true }) == nil)
        let plain = engine.run()
        let never: @Sendable () -> Bool = { false }
        let asked = try #require(engine.run(isCancelled: never))
        #expect((0..<3_000).allSatisfy { plain.perTrial.npv($0).bitPattern == asked.perTrial.npv($0).bitPattern })
    }

    @Test("Risk switches and the order of changes")
    func overrides() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        let risk = try #require(session.controls.first { $0.kind == .risk })
        let off = await session.simulate(WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials, risks: [risk.path: "off"]))
        let certain = await session.simulate(WorkshopRequest(tab: "a", sequence: 2, trials: Self.trials, risks: [risk.path: "certain"]))
        #expect(off.result?.changes == ["\(risk.path) = 0%"])
        #expect(certain.result?.changes == ["\(risk.path) = 100%"])
        // A risk that costs money: off can only help, certain only hurt.
        #expect(try #require(off.result?.deltaNPV) >= 0 && (try #require(certain.result?.deltaNPV)) <= 0)
        // A field left as the scenario writes it changes nothing.
        let same = await session.simulate(WorkshopRequest(tab: "a", sequence: 3, trials: Self.trials,
                                                          values: Dictionary(uniqueKeysWithValues: session.controls.map { ($0.path, $0.baseline) })))
        #expect(same.result?.changes == [] && same.result?.deltaNPV == 0)
    }

    @Test("The levers beside a scenario are offered; a control's change of the same value replaces the lever's")
    func leversAndVariants() async throws {
        let scratch = try ScratchFolder("workshop")
        let levers = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership-levers.variants.yaml")
        try scratch.write("car-dealership-levers.variants.yaml", try Data(contentsOf: levers))
        // A variants file of another scenario is not offered.
        try scratch.write("other.variants.yaml", "base: other.yaml\nvariants:\n  - name: Elsewhere\n    set:\n      licences.seats: 3\n")
        let session = try Self.session(scratch)
        #expect(session.variants.map(\.label) == [
            "CRM only, no levers (car-dealership-levers.variants.yaml)", "Training only (car-dealership-levers.variants.yaml)",
            "Loyalty programme only (car-dealership-levers.variants.yaml)",
            "Both levers plus segmented follow-up (car-dealership-levers.variants.yaml)",
        ])
        let first = try #require(session.variants.first)
        #expect(first.overrides.contains { $0.path == "adoption.ceiling" })
        let request = WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials, values: ["adoption.ceiling": "61%"], variant: 0)
        let answer = await session.simulate(request)
        let changes = try #require(answer.result?.changes)
        #expect(changes.filter { $0.hasPrefix("adoption.ceiling") } == ["adoption.ceiling = 61%"])
        #expect(changes.count == first.overrides.count)
        // The lever alone against a run of `crmcase compare`'s option of that name, on the same seed.
        let alone = await session.simulate(WorkshopRequest(tab: "a", sequence: 2, trials: Self.trials, variant: 1))
        let options = try ComparisonRun.options(scenarios: [scratch.path("car-dealership-levers.variants.yaml")], overrides: [])
        let base = try WhatIfRun.outcome(scenarioFile: scratch.path("car-dealership.yaml"), overrides: [], trials: Self.trials, seed: 1)
        let training = try WhatIfRun.outcome(scenarioFile: scratch.path("car-dealership.yaml"), overrides: options[2].loaded.overrides,
                                             trials: Self.trials, seed: 1)
        #expect(options[2].name == "Training only")
        let delta = try #require(alone.result?.deltaNPV)
        #expect(abs(delta - (training.npvMean - base.npvMean)) <= 1e-6 * abs(delta))
    }

    @Test("Two saves at once: one is saved, the other refused by name, and the file is whole")
    func concurrentSaves() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        let request = WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials, values: ["adoption.ceiling": "60%"], name: "Twice")
        async let first = session.saveVariant(request)
        async let second = session.saveVariant(request)
        let answers = await [first, second]
        #expect(answers.filter(\.ok).count == 1)
        #expect(answers.contains { !$0.ok && $0.message.contains("already saved") })
        let file = try #require(answers.first { $0.ok }?.path)
        let variants = try ScenarioLoader.variants(yaml: try String(contentsOfFile: file, encoding: .utf8), file: file)
        #expect(variants.map(\.name) == ["Twice"])
    }

    @Test("Names and values from the scenario and the user are escaped in the page")
    func pageEscapes() throws {
        let scratch = try ScratchFolder("workshop")
        let example = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml"), encoding: .utf8)
        let hostile = example.replacingOccurrences(of: "name: Car dealership — cloud CRM, training and loyalty programme\n",
                                                   with: "name: \"<script>alert(1)</script> Car dealership\"\n")
        #expect(hostile != example)
        try scratch.write("car-dealership.yaml", hostile)
        let session = try WorkshopSession(scenarioFile: scratch.path("car-dealership.yaml"), seed: 1, trials: 1_000)
        let html = WorkshopPage.html(session: session, token: "t</script><script>x")
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Car dealership"))
        #expect(!html.contains("t</script><script>x"))
        // The error shown is rounded up to two significant digits, never down.
        #expect(WorkshopSession.roundedUp(14_930) == 15_000)
        #expect(WorkshopSession.roundedUp(10_000) == 10_000)
        #expect(WorkshopSession.roundedUp(10_001) == 11_000)
        #expect(WorkshopSession.roundedUp(7_000) == 7_000)
        #expect(WorkshopSession.roundedUp(0) == 0)
    }

    @Test("Save as variant appends to a variants file compare reads, and never overwrites")
    func saveVariant() async throws {
        let scratch = try ScratchFolder("workshop")
        let session = try Self.session(scratch)
        let nothing = await session.saveVariant(WorkshopRequest(tab: "a", sequence: 1, trials: Self.trials, name: "Nothing"))
        #expect(!nothing.ok && nothing.message.contains("Nothing is changed"))
        let name = "Only 60 % adopt — \"quoted\" \\ and: colon # hash"
        let saved = await session.saveVariant(WorkshopRequest(tab: "a", sequence: 2, trials: Self.trials,
                                                        values: ["adoption.ceiling": "60%", "acquisition.win_rate_uplift": "pert(0%, 2%, 5%)"],
                                                        name: name))
        #expect(saved.ok, "\(saved.message)")
        let file = try #require(saved.path)
        let second = await session.saveVariant(WorkshopRequest(tab: "a", sequence: 3, trials: Self.trials,
                                                         values: ["adoption.ceiling": "70%"], name: "Seventy"))
        #expect(second.ok)
        let again = await session.saveVariant(WorkshopRequest(tab: "a", sequence: 4, trials: Self.trials,
                                                        values: ["adoption.ceiling": "75%"], name: "Seventy"))
        #expect(!again.ok && again.message.contains("already saved"))
        // Read back by the loader compare uses: names and values exactly as given.
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
        let variants = try ScenarioLoader.variants(yaml: yaml, file: file)
        #expect(variants.map(\.name) == [name, "Seventy"])
        let changes = variants[0].overrides.map { "\($0.path)=\($0.value)" }
        #expect(changes.sorted() == ["acquisition.win_rate_uplift=pert(0%, 2%, 5%)", "adoption.ceiling=60%"])
        let options = try ComparisonRun.options(scenarios: [file], overrides: [])
        #expect(options.count == 3)
        // A file of that name that the workshop did not write is left alone.
        try scratch.write("other.yaml", try Data(contentsOf: URL(fileURLWithPath: scratch.path("car-dealership.yaml"))))
        try scratch.write("other.workshop.variants.yaml", "base: other.yaml\nvariants: []\n")
        let other = try WorkshopSession(scenarioFile: scratch.path("other.yaml"), seed: 1, trials: 1_000)
        let refused = await other.saveVariant(WorkshopRequest(tab: "a", sequence: 1, trials: 1_000, values: ["adoption.ceiling": "60%"], name: "x"))
        #expect(!refused.ok && refused.message.contains("not written by the workshop"))
        #expect(try String(contentsOfFile: scratch.path("other.workshop.variants.yaml"), encoding: .utf8) == "base: other.yaml\nvariants: []\n")
    }

    @Test("Fixing a correlated input for a run leaves its correlations out; in the file it is still refused")
    func fixedCorrelatedInput() throws {
        let example = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let original = try ScenarioLoader.load(path: example)
        #expect(original.scenario.correlations.contains { $0.first == "adoption.ceiling" || $0.second == "adoption.ceiling" })
        let fixed = try ScenarioLoader.load(path: example, overrides: [Override(path: "adoption.ceiling", value: "60%", origin: "--set")])
        #expect(!fixed.scenario.correlations.contains { $0.first == "adoption.ceiling" || $0.second == "adoption.ceiling" })
        #expect(fixed.scenario.correlations.count < original.scenario.correlations.count)
        let yaml = try String(contentsOfFile: example, encoding: .utf8)
            .replacingOccurrences(of: "ceiling: pert(65%, 80%, 92%)", with: "ceiling: 60%")
        #expect(yaml.contains("ceiling: 60%"))
        #expect(throws: ScenarioErrors.self) { try ScenarioLoader.parse(yaml: yaml) }
    }

    @Test("The page in headless Chromium: changes, risks, bad values, tabs, a saved variant compare agrees with, a report; latency printed")
    func browser() throws {
        let binary = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        let scratch = try ScratchFolder("workshop-browser")
        let script = CLI.packageRoot.appendingPathComponent("Tests/Browser/workshop_test.py").path
        let example = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let result = try CLI.run("/usr/bin/env", ["python3", script, binary, example, scratch.path("run"), "--changes", "20"],
                                 in: scratch.url)
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("workshop latency") { print(line) }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        if let keep = ProcessInfo.processInfo.environment["CRMCASE_SCREENSHOTS"] {
            try? FileManager.default.copyItem(atPath: scratch.path("run/workshop.png"), toPath: keep + "/workshop.png")
        }
    }
}
