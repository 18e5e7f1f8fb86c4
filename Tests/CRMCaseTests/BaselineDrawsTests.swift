import Foundation
import Testing
@_spi(Testing) import CRMModel
import MonteCarlo
import ScenarioFormat

private func example(_ name: String) throws -> Scenario {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/\(name).yaml").path).scenario
}

/// The kept without-CRM draws (`BaselineDraws`) only save work: a rerun that uses them must give
/// the very bytes of a fresh run, whatever changed, and must use them where nothing that matters
/// to the without-CRM world changed.
@Suite("Kept baseline draws")
struct BaselineDrawsTests {
    static let trials = 3_000

    /// The trial table of `model`'s run, as bytes, with `baseline` as given.
    static func tableBytes(_ model: TrialModel, seed: UInt64 = 11, threads: Int = 2,
                           baseline: BaselineDraws.Use? = nil) -> Data {
        let options = Engine.Options(trials: trials, seed: seed, threads: threads, baseline: baseline)
        return Engine(model: model, options: options).run().perTrial.table.bytes()
    }

    static func recorded(_ model: TrialModel, seed: UInt64 = 11, capacity: Int = trials) -> BaselineDraws {
        let draws = BaselineDraws(capacity: capacity, segments: model.segmentCount, horizon: model.horizon)
        _ = tableBytes(model, seed: seed, baseline: .record(draws))
        return draws
    }

    static func input(_ model: TrialModel, _ name: String) -> Int {
        model.inputs.firstIndex { $0.name == name }!
    }

    @Test("Recording changes nothing, and keeps the trials whose months all run the usual way",
          arguments: ["car-dealership", "b2b-distributor", "subscription-churn"])
    func recordingChangesNothing(_ name: String) throws {
        let model = TrialModel(scenario: try example(name))
        let draws = BaselineDraws(capacity: Self.trials, segments: model.segmentCount, horizon: model.horizon)
        #expect(Self.tableBytes(model, baseline: .record(draws)) == Self.tableBytes(model))
        // Risk events that cut the CRM's effects never turn them around, so every trial is kept.
        #expect(draws.keptTrials == Self.trials, "\(name): \(draws.keptTrials) of \(Self.trials) kept")
    }

    @Test("A rerun with other CRM settings gives a fresh run's bytes, on 1 and 2 threads",
          arguments: ["adoption.ceiling", "acquisition.win_rate_uplift", "licences.price"])
    func crmLeverReruns(_ lever: String) throws {
        let model = TrialModel(scenario: try example("car-dealership"))
        let draws = Self.recorded(model)
        let changed = model.holding(inputs: [Self.input(model, lever): model.inputs[Self.input(model, lever)].distribution.quantile(0.1)])
        let fresh = Self.tableBytes(changed)
        #expect(Self.tableBytes(changed, baseline: .reuse(draws)) == fresh)
        #expect(Self.tableBytes(changed, threads: 1, baseline: .reuse(draws)) == fresh)
        // And it really reads them: with every kept count off by one, it is no longer that run.
        draws.scramble()
        #expect(Self.tableBytes(changed, baseline: .reuse(draws)) != fresh)
    }

    @Test("A change to what the without-CRM world depends on, or another seed, is a fresh run")
    func baselineChangesDrawAfresh() throws {
        let model = TrialModel(scenario: try example("car-dealership"))
        let draws = Self.recorded(model)
        let churn = Self.input(model, "segments[Economists].churn")
        let newCustomers = Self.input(model, "acquisition.new_customers")
        for changed in [model.holding(inputs: [churn: 0.5]), model.holding(inputs: [newCustomers: 80])] {
            #expect(Self.tableBytes(changed, baseline: .reuse(draws)) == Self.tableBytes(changed))
        }
        #expect(Self.tableBytes(model, seed: 12, baseline: .reuse(draws)) == Self.tableBytes(model, seed: 12))
        let gsl = TrialModel(scenario: try example("car-dealership"), countSampler: .gsl)
        #expect(Self.tableBytes(gsl, baseline: .reuse(draws)) == Self.tableBytes(gsl))
        // None of these read a kept draw: scrambled, they still give the fresh bytes.
        draws.scramble()
        #expect(Self.tableBytes(model.holding(inputs: [churn: 0.5]), baseline: .reuse(draws))
                == Self.tableBytes(model.holding(inputs: [churn: 0.5])))
    }

    @Test("Only the first `capacity` trials are kept; the rest run as usual")
    func capacity() throws {
        let model = TrialModel(scenario: try example("car-dealership"))
        let draws = Self.recorded(model, capacity: 500)
        #expect(draws.keptTrials == 500)
        let changed = model.holding(inputs: [Self.input(model, "adoption.ceiling"): 0.6])
        #expect(Self.tableBytes(changed, baseline: .reuse(draws)) == Self.tableBytes(changed))
        #expect(BaselineDraws.bytes(trials: 100_000, segments: 3, horizon: 60) == 100_000 * (8 + 180 * 4))
    }
}
