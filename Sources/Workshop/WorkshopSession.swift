import CRMModel
import Dispatch
import Foundation
import MonteCarlo
import Renderers
import ReportBuilders
import ReportDocument
import ScenarioFormat
import Synchronization
import UseCases

/// One workshop: a scenario, its baseline, the controls the page shows, and what the room has
/// tried so far. The server holds one; several tabs share it.
///
/// Every what-if runs on the baseline's seed, so it and the baseline share their luck (common
/// random numbers) and the difference shown is what the change does. The ΔNPV's error comes
/// from the paired trials (the spread of the per-trial differences), which is why it is much
/// smaller than either NPV's own error.
///
/// Simulations run one at a time on their own queue (each uses every core); a request whose tab
/// has sent a newer one before it started is answered as stale without being simulated, so a
/// user who types fast waits only for the last change.
public final class WorkshopSession: Sendable {
    /// The scenario file as the user named it.
    public let scenarioFile: String
    public let seed: UInt64
    /// The trial count the page starts with.
    public let defaultTrials: Int
    public let sampler: CountSampler
    public let threads: Int?
    /// The scenario as written, its sensitivity ranking and currency.
    public let baseline: WhatIfRun.Outcome
    public let controls: [WorkshopControl]
    /// The levers and variants the page can start from (``WorkshopVariant/all(for:baseline:)``).
    public let variants: [WorkshopVariant]
    /// The baseline's "what drives the result" chart (the report's tornado), as HTML; nil when
    /// nothing is uncertain.
    public let driversHTML: String?
    public var currency: String { baseline.loaded.scenario.currency }
    public var title: String { baseline.loaded.scenario.name }

    private let baselines: Mutex<[Int: WhatIfRun.Outcome]>
    private let latest = Mutex<[String: Int]>([:])
    private let tried = Mutex<[WorkshopResponse.Tried]>([])
    let simulations = DispatchQueue(label: "crmcase.workshop.simulations")
    /// Saving variants and writing reports, one at a time, apart from the simulations (a report
    /// with its sensitivity analysis must not hold up every tab's what-ifs).
    let files = DispatchQueue(label: "crmcase.workshop.files")
    /// The trial counts the page offers; a request for another is refused, which also bounds
    /// the baselines kept (one per count).
    public var trialChoices: [Int] { Array(Set([5_000, 20_000, 100_000, defaultTrials])).sorted() }
    /// The most what-ifs the history keeps (the oldest go first, the scenario as written stays).
    static let historyLimit = 200

    /// Loads and simulates the baseline (with its sensitivity analysis, which ranks the inputs
    /// the page offers).
    public init(scenarioFile: String, seed: UInt64 = 1, trials: Int = 20_000, sampler: CountSampler = .fast,
                threads: Int? = nil) throws(CaseFailure) {
        self.scenarioFile = scenarioFile
        self.seed = seed
        self.defaultTrials = trials
        self.sampler = sampler
        self.threads = threads
        let baseline = try WhatIfRun.outcome(scenarioFile: scenarioFile, overrides: [], trials: trials, seed: seed,
                                             sampler: sampler, threads: threads, keepingBaselineDraws: true)
        self.baseline = baseline
        self.baselines = Mutex([trials: baseline])
        self.variants = WorkshopVariant.all(for: scenarioFile, baseline: baseline.loaded)
        let sensitivity = Sensitivity(result: baseline.result)
        self.controls = WorkshopControl.controls(for: baseline.loaded.scenario, sensitivity: sensitivity)
        let info = Provenance.runInfo(scenarioFile: scenarioFile, loaded: baseline.loaded, sampler: sampler)
        let drivers = BusinessCaseReport(result: baseline.result, info: info, sensitivity: sensitivity).document()
            .figures.first { $0.name == "drivers" }
        self.driversHTML = drivers.map { HTMLRenderer(drawFigure: FigureDrawing.svg).fragment([.figure($0)]) }
        // The scenario as written opens the history, with Δ = 0.
        let first = tried(baseline, against: baseline, changes: [], trials: trials)
        tried.withLock { $0 = [first] }
    }

    /// The scenario as written, at `trials` (simulated once per trial count, then kept, with
    /// its without-CRM draws for the what-ifs at that count: 72 MB at 100,000 trials of the car
    /// dealer, see ``BaselineDraws``).
    func baseline(trials: Int) throws(CaseFailure) -> WhatIfRun.Outcome {
        if let known = baselines.withLock({ $0[trials] }) { return known }
        let outcome = try WhatIfRun.outcome(scenarioFile: scenarioFile, overrides: [], trials: trials, seed: seed,
                                            sampler: sampler, threads: threads, keepingBaselineDraws: true)
        baselines.withLock { $0[trials] = outcome }
        return outcome
    }

    /// Every what-if tried so far, newest last.
    public var history: [WorkshopResponse.Tried] { tried.withLock { $0 } }

    /// Simulates `request` (unless its tab has asked again meanwhile).
    public func simulate(_ request: WorkshopRequest) async -> WorkshopResponse {
        latest.withLock { $0[request.tab] = max($0[request.tab] ?? .min, request.sequence) }
        return await withCheckedContinuation { continuation in
            simulations.async {
                continuation.resume(returning: self.simulateNow(request))
            }
        }
    }

    private func simulateNow(_ request: WorkshopRequest) -> WorkshopResponse {
        let start = ContinuousClock.now
        if let newest = latest.withLock({ $0[request.tab] }), newest > request.sequence {
            return WorkshopResponse(status: .stale, sequence: request.sequence)
        }
        var response = simulateFresh(request)
        response.serverMilliseconds = milliseconds(since: start)
        return response
    }

    private func simulateFresh(_ request: WorkshopRequest) -> WorkshopResponse {
        var response = WorkshopResponse(status: .ok, sequence: request.sequence)
        guard trialChoices.contains(request.trials) else {
            response.status = .invalid
            response.problems = [.init(path: "trials", message: "The number of trials must be one of "
                + trialChoices.map { Format.amount(Double($0)) }.joined(separator: ", ") + ".")]
            return response
        }
        let changes = request.overrides(controls, variants: variants)
        // A newer request of the same tab stops this run at its next block of trials.
        let isStale: @Sendable () -> Bool = { [self] in
            (self.latest.withLock { $0[request.tab] } ?? .min) > request.sequence
        }
        do throws(CaseFailure) {
            // The baseline first: the what-if reuses its without-CRM draws (the same numbers, faster).
            let base = try baseline(trials: request.trials)
            guard let outcome = try WhatIfRun.outcome(scenarioFile: scenarioFile, overrides: changes, trials: request.trials,
                                                      seed: seed, sampler: sampler, threads: threads,
                                                      baselineDraws: base.baselineDraws, isCancelled: isStale) else {
                return WorkshopResponse(status: .stale, sequence: request.sequence)
            }
            let result = tried(outcome, against: base, changes: changes, trials: request.trials)
            response.result = result
            response.html = HTMLRenderer(drawFigure: FigureDrawing.svg).fragment(outcome.summary)
            response.history = tried.withLock { list in
                list.append(result)
                if list.count > WorkshopSession.historyLimit { list.remove(at: 1) }
                return list
            }
            response.deltaHTML = WorkshopPage.deltaHTML(result)
            response.historyHTML = response.history.map(WorkshopPage.historyRow).joined()
        } catch {
            response.status = .invalid
            response.problems = problems(error, changes: changes)
            response.history = history
        }
        return response
    }

    /// The figures of a what-if beside the baseline's, at the same trials and seed.
    func tried(_ outcome: WhatIfRun.Outcome, against base: WhatIfRun.Outcome, changes: [Override],
               trials: Int) -> WorkshopResponse.Tried {
        // Paired differences, trial by trial, as `crmcase compare` takes them: both runs drew
        // every input and every count from the same keys, so most of their luck cancels.
        let difference = Comparison(options: [.init(name: "baseline", result: base.result),
                                              .init(name: "change", result: outcome.result)]).differences[1]
        let mean = difference.npv.mean, se = difference.pairedStandardError
        let deltaLoss = outcome.chanceOfLoss - base.chanceOfLoss
        // Each amount rounded to what its own Monte Carlo error supports (as the report's verdict
        // does): the NPV to its 95 % half-width, the paired difference to its much smaller one.
        let npvWords = AmountWords(currency: currency, amounts: [outcome.npvMean],
                                   uncertainty: 1.96 * outcome.npvStandardError)
        let deltaWords = AmountWords(currency: currency, amounts: [mean], uncertainty: 1.96 * se)
        let halfWidth = 1.96 * se
        // The error is shown rounded up to two significant digits: never smaller than it is.
        let shownError = Format.amount(WorkshopSession.roundedUp(halfWidth))
        let deltaText: String
        if mean == 0 && se == 0 {
            deltaText = "no change"           // the scenario as written, or a change that changes nothing
        } else if deltaWords.isZero(mean) {
            deltaText = "no clear change (± \(currency) \(shownError), 95 %)"
        } else {
            let signed = deltaWords(mean).replacingOccurrences(of: "\(currency) ", with: "\(currency) " + (mean > 0 ? "+" : ""))
            deltaText = signed + " (± " + shownError + ", 95 %)"
        }
        let lossText = abs(deltaLoss) < 0.0005 ? (deltaLoss == 0 ? "no change" : "less than 0.1 percentage points")
            : (deltaLoss > 0 ? "+" : "−") + Format.percent(abs(deltaLoss), decimals: 1).replacingOccurrences(of: " %", with: " percentage points")
        return WorkshopResponse.Tried(
            changes: changes.map { "\($0.path) = \($0.value)" }, trials: trials,
            npv: outcome.npvMean, deltaNPV: mean, chanceOfLoss: outcome.chanceOfLoss, deltaChanceOfLoss: deltaLoss,
            npvText: npvWords(outcome.npvMean),
            deltaNPVText: deltaText,
            chanceOfLossText: Format.percent(outcome.chanceOfLoss, decimals: 1),
            deltaChanceOfLossText: lossText)
    }

    /// The loader's problems, each beside the control whose value caused it when there is one.
    func problems(_ failure: CaseFailure, changes: [Override]) -> [WorkshopResponse.Problem] {
        switch failure {
        case .inputProblems(let errors, _), .allProblems(let errors):
            return errors.issues.map { issue in
                for change in changes {
                    let prefix = "In \(change.path)=\(change.value): "
                    if issue.message.hasPrefix(prefix) {
                        var message = String(issue.message.dropFirst(prefix.count))
                        if let hint = issue.hint { message += " " + hint }
                        return .init(path: change.path, message: message)
                    }
                }
                return .init(path: nil, message: issue.hint.map { "\(issue.message) \($0)" } ?? issue.message)
            }
        case .unusableInput(let sentence), .tooLarge(let sentence):
            return [.init(path: nil, message: sentence)]
        case .cannotWrite(let error):
            return [.init(path: nil, message: error.description)]
        }
    }

    /// `value` (≥ 0) rounded up to two significant digits: 14,930 → 15,000; 0 stays 0.
    public static func roundedUp(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 0 }
        let step = Foundation.pow(10, (Foundation.log10(value)).rounded(.down) - 1)
        // The quotient of a round number can come out a hair above a whole number (70.000…01):
        // that hair is not a reason to round up.
        return (value / step * (1 - 1e-12)).rounded(.up) * step
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
    }
}
