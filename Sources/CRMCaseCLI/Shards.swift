import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

/// `--shard K/N` of the three commands that can be sharded: each computes its shard's trials
/// (``ShardJob``) and writes them with ``writeShard(_:to:shard:of:trials:)``; `crmcase merge`
/// (Merge.swift) writes the report.
extension CRMCase.Run {
    /// `crmcase run … --shard K/N`: computes the shard's trials and writes its manifest and trial
    /// table into the shard folder (``ShardRun``); no report.
    func runShard(_ k: Int, of n: Int) throws {
        let loaded = try changes.load(scenario)
        // This shard's own trials (whole blocks: up to 255 more than trials / n).
        let range = TrialTable.blockAlignedRange(shard: k, of: n, trials: trials)
        try MemoryCheck.require(BusinessCaseRun.memoryEstimate(loaded, trials: range.count),
                                what: "its shard of \(Limits.grouped(range.count)) trials", option: "--trials, or make more shards")
        let options = Engine.Options(trials: trials, seed: simulation.seed, threads: simulation.threads, sampling: sampling)
        let job = ShardJob.run(loaded, scenarioFile: scenario, assignments: changes.assignments, options: options,
                               sampler: simulation.sampler, sensitivity: !noSensitivity, trialsCSV: trialsCSV)
        let files = try ShardRun.files(for: job, shard: k, of: n, progress: { _ in progress.line(total: range.count)?.update })
        progress.clear()
        try writeShard(files, to: out ?? "Shards/\(loaded.baseName)", shard: k, of: n, trials: trials)
    }
}

extension CRMCase.Compare {
    /// `crmcase compare … --shard K/N`: the shard's trials of every option (one table each).
    func compareShard(_ k: Int, of n: Int, options: [ComparisonRun.Option]) throws {
        let range = TrialTable.blockAlignedRange(shard: k, of: n, trials: trials)
        try ComparisonRun.checkMemory(options, trials: range.count, shard: true)
        let job = ShardJob.compare(options, scenarioFiles: scenarios, assignments: changes.assignments, trials: trials,
                                   seed: simulation.seed, threads: simulation.threads, sampler: simulation.sampler)
        let files = try ShardRun.files(for: job, shard: k, of: n, progress: { part in
            progress.line(total: range.count, label: "option \(part + 1) of \(options.count) (\(options[part].name))")?.update
        })
        progress.clear()
        try writeShard(files, to: out ?? "Shards/\(options[0].loaded.baseName)-compare", shard: k, of: n, trials: trials)
    }
}

extension CRMCase.Sweep {
    /// `crmcase sweep … --shard K/N`: the shard's trials of every value (one table each).
    func sweepShard(_ k: Int, of n: Int, range: SweepRange) throws {
        var values: [LoadedScenario] = []
        for index in range.values.indices {
            values.append(try SweepRun.load(scenario, overrides: changes.overrides, range: range, value: index))
        }
        let trialRange = TrialTable.blockAlignedRange(shard: k, of: n, trials: trials)
        try SweepRun.checkMemory(values[0], range: range, trials: trialRange.count, shard: true)
        let job = ShardJob.sweep(values, scenarioFile: scenario, assignments: changes.assignments, vary: vary, range: range,
                                 trials: trials, seed: simulation.seed, threads: simulation.threads, sampler: simulation.sampler)
        let files = try ShardRun.files(for: job, shard: k, of: n, progress: { part in
            progress.line(total: trialRange.count, label: "\(range.path) = \(range.values[part]) (value \(part + 1) of \(range.values.count))")?.update
        })
        progress.clear()
        try writeShard(files, to: out ?? "Shards/\(values[0].baseName)-sweep", shard: k, of: n, trials: trials)
    }
}
