import Dispatch
import Foundation
import CRMModel
import GSLSupport
import Synchronization

/// Runs many trials of a ``TrialModel`` on all cores and keeps what the statistics need (a
/// ``TrialTable``).
///
/// Work is cut into blocks of ``Streams/blockSize`` trials; each worker takes the next block
/// not yet taken, so a worker slowed down (by another process on its core, say) does fewer
/// blocks instead of holding up the end of the run. Every trial writes only its own row, and
/// every sum is taken in trial (or block) order after the run, so neither the thread count nor
/// which worker ran a block ever changes a result.
public struct Engine: Sendable {
    public struct Options: Sendable {
        /// Number of trials (≥ 1).
        public var trials: Int
        /// The run seed.
        public var seed: UInt64
        /// Worker threads; nil means one per core.
        public var threads: Int?
        /// How many of the first trials keep their monthly paths for the monthly bands.
        public var bandTrials: Int
        /// Extra numbers to keep from every trial (for the follow-up of actuals), if any.
        public var recorder: TrialRecorder?
        /// Plain Monte Carlo or Latin hypercube.
        public var sampling: Sampling
        /// Record the without-CRM world's draws for later runs of the same trials, or use the
        /// ones an earlier run kept (``BaselineDraws``); the results are the same either way.
        public var baseline: BaselineDraws.Use?

        public init(trials: Int, seed: UInt64, threads: Int? = nil, bandTrials: Int = 20_000,
                    recorder: TrialRecorder? = nil, sampling: Sampling = .monteCarlo,
                    baseline: BaselineDraws.Use? = nil) {
            self.trials = trials
            self.seed = seed
            self.threads = threads
            self.bandTrials = bandTrials
            self.recorder = recorder
            self.sampling = sampling
            self.baseline = baseline
        }
    }

    public let model: TrialModel
    public let options: Options

    public init(model: TrialModel, options: Options) {
        self.model = model
        self.options = options
    }

    /// The number of threads the run uses.
    public var threadCount: Int {
        let cores = Cores.available
        let requested = options.threads ?? cores
        let blocks = (options.trials + Streams.blockSize - 1) / Streams.blockSize
        return max(1, min(requested, blocks))
    }

    /// Runs every trial. `progress` is called now and then from a worker with the number of
    /// trials done; it must be cheap.
    ///
    /// - Precondition: `options.trials` is at most ``Limits/trials`` (1,000,000,000); beyond it the
    ///   run stops the process with a message saying so. Callers check a requested number first,
    ///   as every command does (`CommandLineLimits.trials`), and refuse it in a sentence.
    public func run(progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
        run(progress: progress, isCancelled: nil)!
    }

    /// Runs every trial unless `isCancelled` answers true first (asked before each block of
    /// ``Streams/blockSize`` trials, from the workers): then the run stops within a block per
    /// worker and the answer is nil. For the workshop, whose user may change a value again
    /// before the last change's run is done.
    public func run(progress: (@Sendable (Int) -> Void)? = nil,
                    isCancelled: (@Sendable () -> Bool)?) -> SimulationResult? {
        let trials = max(1, options.trials)
        var options = self.options
        options.trials = trials
        guard let table = Engine(model: model, options: options).table(for: 0..<trials, progress: progress,
                                                                       isCancelled: isCancelled) else { return nil }
        return SimulationResult(model: model, options: options, table: table)
    }

    /// Runs the trials in `range` (indices in a run of `options.trials` trials) and returns
    /// their table: the rows a whole run would hold for them, so that the tables of ranges
    /// that tile the run merge (``TrialTable/merged(_:)``) into the whole run's table.
    /// - Precondition: `range` lies in `0..<options.trials` and starts on a block boundary
    ///   (``TrialTable/blockAlignedRange(shard:of:trials:)`` gives such ranges).
    public func table(for range: Range<Int>, progress: (@Sendable (Int) -> Void)? = nil) -> TrialTable {
        table(for: range, progress: progress, isCancelled: nil)!
    }

    /// ``table(for:progress:)``, or nil when `isCancelled` answered true before every block ran.
    func table(for range: Range<Int>, progress: (@Sendable (Int) -> Void)?,
               isCancelled: (@Sendable () -> Bool)?) -> TrialTable? {
        // fatalError, not precondition: its message is printed in release builds too.
        if options.trials > Limits.trials {
            fatalError("Engine.run: \(options.trials) trials is above Limits.trials (\(Limits.grouped(Limits.trials))); check the number before running.")
        }
        GSL.prepare()
        let trials = max(1, options.trials)
        let table = TrialTable(model: model, range: range, runTrials: trials, bandTrials: options.bandTrials,
                               recordWidth: options.recorder?.width ?? 0)
        let blocks = table.blockRange
        let workers = max(1, min(threadCount, blocks.count))
        let done = Atomic<Int>(0)
        let nextBlock = Atomic<Int>(blocks.lowerBound)
        let stopped = Atomic<Bool>(false)
        let seed = options.seed
        let model = self.model
        let options = self.options

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Everything a worker needs is allocated here, once: a trial allocates nothing.
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            var lineAccumulator = LineAccumulator(lines: table.lines)
            var yearAccumulator = LineAccumulator(lines: 2 * table.periods)
            var yearValues = [Double](repeating: 0, count: 2 * table.periods)
            while true {
                let block = nextBlock.add(1, ordering: .relaxed).oldValue
                guard block < blocks.upperBound else { break }
                if let isCancelled, stopped.load(ordering: .relaxed) || isCancelled() {
                    stopped.store(true, ordering: .relaxed)
                    return
                }
                let first = max(range.lowerBound, block * Streams.blockSize)
                let last = min(range.upperBound, (block + 1) * Streams.blockSize)
                lineAccumulator.reset()
                yearAccumulator.reset()
                for trial in first..<last {
                    model.run(uniforms: TrialUniforms(seed: seed, trial: trial, sampling: options.sampling, trials: trials),
                              process: stream, workspace: &workspace,
                              baseline: options.baseline.map { BaselineDraws.Slot(use: $0, trial: trial) })
                    table.record(trial: trial, workspace: workspace)
                    if let recorder = options.recorder {
                        recorder.record(workspace, table.recordRow(trial: trial))
                    }
                    lineAccumulator.add(workspace.linePresentValues)
                    YearlyCashFlow.fill(&yearValues, from: workspace, horizon: model.horizon)
                    yearAccumulator.add(yearValues)
                }
                table.storeLines(lineAccumulator, block: block)
                table.storeYears(yearAccumulator, block: block)
                let total = done.add(last - first, ordering: .relaxed).newValue
                if worker == 0, let progress { progress(total) }
            }
        }
        if stopped.load(ordering: .relaxed) { return nil }
        progress?(range.count)
        return table
    }
}
