import CRMModel
import MonteCarlo
import ReportBuilders
import ScenarioFormat

/// `crmcase run`: simulates a loaded scenario and renders every report file; no file is
/// written here (``ReportFolder/write(_:to:inputs:)`` does that, all at once).
public enum BusinessCaseRun {
    /// Bytes of per-trial storage a run of `trials` needs (for ``MemoryCheck``), with its
    /// sensitivity analysis if `sensitivity` (a shard computes none: the merge does).
    public static func memoryEstimate(_ loaded: LoadedScenario, trials: Int, sensitivity: Bool = false) -> Double {
        MemoryBudget.trialStorageBytes(scenario: loaded.scenario, trials: trials)
            + (sensitivity ? MemoryBudget.sensitivityBytes(trials: trials) : 0)
    }

    /// The report folder when the user names none: `Reports/<name>` or, with changes,
    /// `Reports/<name>-what-if-<changes>`.
    public static func defaultFolder(_ loaded: LoadedScenario) -> String {
        ReportFolder.defaultPath(baseName: loaded.baseName, changes: loaded.overrides.map(\.pathAndValue))
    }

    /// The report files of a run: `report.md`, `report.html`, one SVG per chart, and the CSV
    /// files (`summary.csv`, `monthly.csv`, `lines.csv`, `sensitivity.csv`, `trials.csv`).
    ///
    /// With `precision`, trials are added (in runs of growing size, each a prefix-stable
    /// extension of the last) until the 95 % interval of the mean NPV is within `target` (a
    /// share of the mean, e.g. 0.02) of it or `cap` trials are reached.
    public static func files(
        for loaded: LoadedScenario, scenarioFile: String, options: Engine.Options, trialsCSV: Bool = false,
        precision: (target: Double, cap: Int)? = nil, sensitivity withSensitivity: Bool = true,
        sampler: CountSampler = .fast, progress: (@Sendable (Int) -> Void)? = nil
    ) -> [(name: String, contents: String)] {
        let model = TrialModel(scenario: loaded.scenario, countSampler: sampler)
        var options = options
        var result = Engine(model: model, options: options).run(progress: progress)
        if let precision {
            while options.trials < precision.cap {
                let halfWidth = 1.96 * result.npv.standardError
                let relative = halfWidth / max(abs(result.npv.mean), 1e-300)
                guard relative > precision.target else { break }
                // The interval shrinks as 1/√n: aim for the trials that would meet the target.
                let needed = Double(options.trials) * (relative / precision.target) * (relative / precision.target) * 1.1
                options.trials = min(precision.cap, max(options.trials * 2, Int(min(needed, 1e9))))
                result = Engine(model: model, options: options).run(progress: progress)
            }
        }
        return files(for: loaded, scenarioFile: scenarioFile, result: result, trialsCSV: trialsCSV, precision: precision,
                     sensitivity: withSensitivity)
    }

    /// The report files of a run whose trials are done: `result` of the whole run (from
    /// ``Engine/run(progress:)``, or from merged shards, which give the same result bit for bit).
    /// The sensitivity analysis and the unadjusted plan rerun the model on keyed streams, so they
    /// too are the same wherever the trials were run.
    public static func files(
        for loaded: LoadedScenario, scenarioFile: String, result: SimulationResult, trialsCSV: Bool = false,
        precision: (target: Double, cap: Int)? = nil, sensitivity withSensitivity: Bool = true
    ) -> [(name: String, contents: String)] {
        let model = result.model, options = result.options
        var info = Provenance.runInfo(scenarioFile: scenarioFile, loaded: loaded, sampler: model.countSampler)
        info.precision = precision
        let tables = CSVTables(result: result)
        let sensitivity = withSensitivity ? Sensitivity(result: result) : nil
        let shares = sensitivity.flatMap {
            VarianceShares.analyse(result: result, importance: $0.effects.map(\.name), threads: options.threads)
        }
        let plan = UnadjustedPlan.run(model: model, seed: options.seed, threads: options.threads)
        let report = BusinessCaseReport(result: result, info: info, sensitivity: sensitivity, varianceShares: shares,
                                        unadjusted: plan)
        // report.md, report.html and the charts from the one document; the CSV files are the
        // run's numbers for other tools.
        var files = ReportDocumentFiles.files(report.document(), stem: "report")
        files += [
            ("summary.csv", tables.summary()),
            ("monthly.csv", tables.monthly()),
            ("lines.csv", tables.lines()),
            ("cash-flow.csv", tables.cashFlow(plan: plan)),
            ("inputs.csv", tables.inputs()),
        ]
        if let sensitivity { files.append(("sensitivity.csv", CSVTables.sensitivity(sensitivity, shares: shares))) }
        if trialsCSV { files.append(("trials.csv", tables.trials())) }
        return files
    }
}
