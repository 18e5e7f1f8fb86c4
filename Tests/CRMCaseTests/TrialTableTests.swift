import Foundation
import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat

/// A run cut into block-aligned shards and merged again is the run: every summary, band, line
/// and per-trial value bit for bit (the contract sharded runs rely on).
@Suite("Trial tables: shards merge into the whole run")
struct TrialTableTests {
    static func model() throws -> TrialModel {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return TrialModel(scenario: try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/car-dealership.yaml").path).scenario)
    }

    // 1,300 trials: 6 blocks of 256 (the last one short); 700 band trials end inside block 2.
    static let options = Engine.Options(trials: 1300, seed: 42, threads: 2, bandTrials: 700)

    @Test("Shard ranges tile the run in whole blocks", arguments: [1, 2, 3, 7, 9])
    func ranges(shards: Int) {
        for trials in [1, 255, 256, 257, 1300, 100_000] {
            let ranges = (0..<shards).map { TrialTable.blockAlignedRange(shard: $0, of: shards, trials: trials) }
            #expect(ranges.first?.lowerBound == 0)
            #expect(ranges.last?.upperBound == trials)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            for r in ranges { #expect(r.lowerBound % Streams.blockSize == 0) }
            // As even as whole blocks allow: shard sizes differ by at most one block.
            let sizes = ranges.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= Streams.blockSize)
        }
    }

    @Test("Merged shards give the single run's result bit for bit", arguments: [1, 2, 3, 7])
    func mergedEqualsWhole(shards: Int) throws {
        let model = try Self.model()
        let whole = Engine(model: model, options: Self.options).run()
        let engine = Engine(model: model, options: Self.options)
        // Shuffled on purpose: the merge orders the tables itself.
        let tables = (0..<shards).reversed().map {
            engine.table(for: TrialTable.blockAlignedRange(shard: $0, of: shards, trials: Self.options.trials))
        }
        let merged = SimulationResult(model: model, options: Self.options, table: try TrialTable.merged(tables))
        #expect(merged.npv == whole.npv)
        #expect(merged.pvBenefits == whole.pvBenefits)
        #expect(merged.pvCosts == whole.pvCosts)
        #expect(merged.payback == whole.payback)
        #expect(merged.peakFunding == whole.peakFunding)
        #expect(merged.irrNoSignChange == whole.irrNoSignChange)
        #expect(merged.probabilityOfLoss == whole.probabilityOfLoss)
        #expect(merged.lines == whole.lines)
        #expect(merged.risks == whole.risks)
        #expect(merged.yearlyCashFlow == whole.yearlyCashFlow)
        #expect(merged.cumulativeCash == whole.cumulativeCash)
        #expect(merged.adoption == whole.adoption)
        for s in whole.segments.indices {
            #expect(merged.segments[s].customersGained == whole.segments[s].customersGained)
            #expect(merged.segments[s].clvWith == whole.segments[s].clvWith)
            #expect(merged.segments[s].customersWithoutBand == whole.segments[s].customersWithoutBand)
        }
        for i in stride(from: 0, to: Self.options.trials, by: 37) {
            #expect(merged.perTrial.npv(i).bitPattern == whole.perTrial.npv(i).bitPattern)
            #expect(merged.perTrial.customersWith(i, segment: 1) == whole.perTrial.customersWith(i, segment: 1))
            #expect(merged.perTrial.riskOccurred(i, risk: 0) == whole.perTrial.riskOccurred(i, risk: 0))
        }
    }

    @Test("Tables that do not tile a run are refused with a sentence")
    func refusals() throws {
        let model = try Self.model()
        let engine = Engine(model: model, options: Self.options)
        let a = engine.table(for: 0..<256), c = engine.table(for: 512..<768)
        #expect(throws: TrialTable.MergeError.gap(256..<512)) { try TrialTable.merged([a, c]) }
        #expect(throws: TrialTable.MergeError.overlap(at: 0)) { try TrialTable.merged([a, engine.table(for: 0..<512)]) }
        #expect(throws: TrialTable.MergeError.nothingToMerge) { try TrialTable.merged([]) }
        var other = Self.options
        other.trials = 2000
        let foreign = Engine(model: model, options: other).table(for: 256..<512)
        #expect(throws: TrialTable.MergeError.differentShapes) { try TrialTable.merged([a, foreign]) }
        #expect(TrialTable.MergeError.gap(256..<512).description == "Trials 256 to 511 are in none of the tables.")
    }
}
