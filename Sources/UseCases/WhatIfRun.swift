import CRMModel
import MonteCarlo
import ReportBuilders
import ReportDocument
import ScenarioFormat

/// One question of a workshop ("what if only 60 % adopt?"): the scenario with some values
/// changed, simulated on the seed of the baseline so that the two runs share their luck (common
/// random numbers: every input and every monthly draw is keyed by name, not by position), and
/// the first page of its report.
///
/// The workshop server calls it for every change; `crmcase run --set …` with the same seed and
/// trials gives the same numbers, because it is the same engine on the same keys.
public enum WhatIfRun {
    /// What the page shows of one run.
    public struct Outcome: Sendable {
        /// The scenario as simulated (with its changes).
        public let loaded: LoadedScenario
        /// The run's trials, for the sensitivity ranking of a baseline.
        public let result: SimulationResult
        /// Expected NPV in the scenario's currency, and its Monte Carlo standard error.
        public let npvMean: Double
        public let npvStandardError: Double
        /// The chance of an NPV below zero, a share in 0…1.
        public let chanceOfLoss: Double
        /// The report's first page (verdict, NPV distribution, cumulative cash, cash by year,
        /// outside view) without the drivers, which would need a sensitivity analysis per change.
        public let summary: [Block]
        /// The without-CRM world's draws this run recorded (`keepingBaselineDraws`), for the
        /// what-ifs of the same trials; nil when it recorded none.
        public let baselineDraws: BaselineDraws?
    }

    /// Runs `scenarioFile` with `overrides` applied in order.
    ///
    /// - Parameters:
    ///   - trials: the number of trials (the page offers 5 000 to 100 000).
    ///   - seed: the baseline's seed; a change run on the same seed differs from the baseline
    ///     by what the change does, not by other luck.
    /// - Throws: ``CaseFailure/inputProblems(_:validate:)`` with the loader's sentences when a
    ///   changed value is not valid (the same sentences `crmcase validate` gives).
    ///   - keepingBaselineDraws: record the run's without-CRM draws (``Outcome/baselineDraws``:
    ///     two 16-bit counts per segment and month of each trial) — for the scenario as written,
    ///     whose what-ifs then pass them as `baselineDraws`.
    ///   - baselineDraws: draws a run of the same trials kept: used where this run's without-CRM
    ///     world is the same, which makes the run faster and changes none of its numbers.
    public static func outcome(scenarioFile: String, overrides: [Override], trials: Int, seed: UInt64,
                               sampler: CountSampler = .fast, threads: Int? = nil,
                               keepingBaselineDraws: Bool = false,
                               baselineDraws: BaselineDraws? = nil) throws(CaseFailure) -> Outcome {
        try outcome(scenarioFile: scenarioFile, overrides: overrides, trials: trials, seed: seed, sampler: sampler,
                    threads: threads, keepingBaselineDraws: keepingBaselineDraws, baselineDraws: baselineDraws,
                    isCancelled: nil)!
    }

    /// ``outcome(scenarioFile:overrides:trials:seed:sampler:threads:)``, or nil when
    /// `isCancelled` answers true before the trials are done (a newer question came in).
    public static func outcome(scenarioFile: String, overrides: [Override], trials: Int, seed: UInt64,
                               sampler: CountSampler = .fast, threads: Int? = nil,
                               keepingBaselineDraws: Bool = false, baselineDraws: BaselineDraws? = nil,
                               isCancelled: (@Sendable () -> Bool)?) throws(CaseFailure) -> Outcome? {
        let loaded = try ScenarioLoading.load(scenarioFile, overrides: overrides)
        let model = TrialModel(scenario: loaded.scenario, countSampler: sampler)
        let recorded = keepingBaselineDraws
            ? BaselineDraws(capacity: trials, segments: model.segmentCount, horizon: model.horizon) : nil
        let use: BaselineDraws.Use? = recorded.map { .record($0) } ?? baselineDraws.map { .reuse($0) }
        guard let result = Engine(model: model, options: .init(trials: trials, seed: seed, threads: threads, baseline: use))
            .run(isCancelled: isCancelled) else { return nil }
        let info = Provenance.runInfo(scenarioFile: scenarioFile, loaded: loaded, sampler: sampler)
        let document = BusinessCaseReport(result: result, info: info).document()
        let summary = document.blocks.prefix { $0 != .pageBreak }
        return Outcome(loaded: loaded, result: result, npvMean: result.npv.mean,
                       npvStandardError: result.npv.standardError,
                       chanceOfLoss: CaseJudgement(result: result).chanceOfLoss, summary: Array(summary),
                       baselineDraws: recorded)
    }
}
