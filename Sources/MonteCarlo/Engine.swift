import Dispatch
import Foundation
import CRMModel
import GSLSupport
import Synchronization

/// Runs many trials of a ``TrialModel`` on all cores and keeps what the statistics need.
///
/// Work is cut into blocks of ``Streams/blockSize`` trials; worker w of K takes blocks
/// w, w + K, w + 2K, …. Every trial writes only its own row, and every sum is taken in trial
/// (or block) order after the run, so the thread count never changes a result.
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

        public init(trials: Int, seed: UInt64, threads: Int? = nil, bandTrials: Int = 20_000,
                    recorder: TrialRecorder? = nil, sampling: Sampling = .monteCarlo) {
            self.trials = trials
            self.seed = seed
            self.threads = threads
            self.bandTrials = bandTrials
            self.recorder = recorder
            self.sampling = sampling
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
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let requested = options.threads ?? cores
        let blocks = (options.trials + Streams.blockSize - 1) / Streams.blockSize
        return max(1, min(requested, blocks))
    }

    /// Runs every trial. `progress` is called now and then from a worker with the number of
    /// trials done; it must be cheap.
    public func run(progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
        GSL.prepare()
        let trials = max(1, options.trials)
        let blockCount = (trials + Streams.blockSize - 1) / Streams.blockSize
        let store = TrialStore(model: model, trials: trials, bandTrials: min(trials, options.bandTrials),
                               blocks: blockCount, recordWidth: options.recorder?.width ?? 0)
        let workers = threadCount
        let done = Atomic<Int>(0)
        let seed = options.seed
        let model = self.model
        let options = self.options

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Everything a worker needs is allocated here, once: a trial allocates nothing.
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            var lineAccumulator = store.makeLineAccumulator()
            var yearAccumulator = LineAccumulator(lines: 2 * store.periods)
            var yearValues = [Double](repeating: 0, count: 2 * store.periods)
            var block = worker
            while block < blockCount {
                let first = block * Streams.blockSize
                let last = min(trials, first + Streams.blockSize)
                lineAccumulator.reset()
                yearAccumulator.reset()
                for trial in first..<last {
                    model.run(uniforms: TrialUniforms(seed: seed, trial: trial, sampling: options.sampling, trials: trials),
                              process: stream, workspace: &workspace)
                    store.record(trial: trial, workspace: workspace)
                    if let recorder = options.recorder {
                        recorder.record(workspace, store.recordRow(trial))
                    }
                    lineAccumulator.add(workspace.linePresentValues)
                    YearlyCashFlow.fill(&yearValues, from: workspace, horizon: model.horizon)
                    yearAccumulator.add(yearValues)
                }
                store.storeLines(lineAccumulator, block: block)
                store.storeYears(yearAccumulator, block: block)
                let total = done.add(last - first, ordering: .relaxed).newValue
                if worker == 0, let progress { progress(total) }
                block += workers
            }
        }
        progress?(trials)
        return SimulationResult(model: model, options: options, store: store)
    }
}

/// Per-trial outcomes in trial order, one column per outcome (never per month), plus the
/// monthly paths of the first trials for the bands.
///
/// Workers write disjoint rows concurrently, which is why this is `@unchecked Sendable`:
/// trial i is written by exactly one worker, and nothing reads a row before the run ends.
final class TrialStore: @unchecked Sendable {
    let trials: Int
    let months: Int
    let segments: Int
    let risks: Int
    let lines: Int
    let bandTrials: Int
    /// Periods of the yearly cash flow (``YearlyCashFlow/periods(horizon:)``).
    let periods: Int

    let npv: UnsafeMutableBufferPointer<Double>
    let pvBenefits: UnsafeMutableBufferPointer<Double>
    let pvCosts: UnsafeMutableBufferPointer<Double>
    let roi: UnsafeMutableBufferPointer<Double>
    /// Annual IRR; NaN where there is none (see `irrKind`).
    let irr: UnsafeMutableBufferPointer<Double>
    /// 0: a rate, 1: no sign change, 2: ambiguous, 3: no root in the searched range.
    let irrKind: UnsafeMutableBufferPointer<UInt8>
    /// Month; +∞ where the trial does not pay back within the horizon.
    let payback: UnsafeMutableBufferPointer<Double>
    let discountedPayback: UnsafeMutableBufferPointer<Double>
    let peakFunding: UnsafeMutableBufferPointer<Double>
    /// Segment-major: segment s of trial i at s·trials + i.
    let customersWith: UnsafeMutableBufferPointer<Double>
    let customersWithout: UnsafeMutableBufferPointer<Double>
    let clvWith: UnsafeMutableBufferPointer<Double>
    let clvWithout: UnsafeMutableBufferPointer<Double>
    let ltvToCac: UnsafeMutableBufferPointer<Double>
    /// Risk-major: risk r of trial i at r·trials + i; 1 when the event happened.
    let riskOccurred: UnsafeMutableBufferPointer<UInt8>

    /// Band paths of the first `bandTrials` trials, trial-major, months 0…H, in single
    /// precision (7 significant digits, plenty for a percentile band).
    let bandCumulativeCash: UnsafeMutableBufferPointer<Float>
    let bandAdoption: UnsafeMutableBufferPointer<Float>
    /// Trial-major, then segment, then month.
    let bandCustomersWith: UnsafeMutableBufferPointer<Float>
    let bandCustomersWithout: UnsafeMutableBufferPointer<Float>

    /// Per block: count, mean and sum of squared deviations of each line's present value.
    let blockLineMean: UnsafeMutableBufferPointer<Double>
    let blockLineM2: UnsafeMutableBufferPointer<Double>
    let blockCount: UnsafeMutableBufferPointer<Int>
    /// Per block: the mean costs per period, then the mean benefits per period (2 × periods).
    let blockYearMean: UnsafeMutableBufferPointer<Double>
    /// What a ``TrialRecorder`` kept: `recordWidth` numbers per trial, trial-major.
    let recordWidth: Int
    let recorded: UnsafeMutableBufferPointer<Double>

    init(model: TrialModel, trials: Int, bandTrials: Int, blocks: Int, recordWidth: Int) {
        self.trials = trials
        self.months = model.horizon + 1
        self.segments = model.segmentCount
        self.risks = model.riskCount
        self.lines = model.lines.count
        self.bandTrials = bandTrials
        self.periods = YearlyCashFlow.periods(horizon: model.horizon)
        func column<T: Numeric>(_ count: Int, _: T.Type) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            return buffer
        }
        npv = column(trials, Double.self)
        pvBenefits = column(trials, Double.self)
        pvCosts = column(trials, Double.self)
        roi = column(trials, Double.self)
        irr = column(trials, Double.self)
        irrKind = column(trials, UInt8.self)
        payback = column(trials, Double.self)
        discountedPayback = column(trials, Double.self)
        peakFunding = column(trials, Double.self)
        customersWith = column(trials * segments, Double.self)
        customersWithout = column(trials * segments, Double.self)
        clvWith = column(trials * segments, Double.self)
        clvWithout = column(trials * segments, Double.self)
        ltvToCac = column(trials * segments, Double.self)
        riskOccurred = column(trials * risks, UInt8.self)
        bandCumulativeCash = column(bandTrials * months, Float.self)
        bandAdoption = column(bandTrials * months, Float.self)
        bandCustomersWith = column(bandTrials * months * segments, Float.self)
        bandCustomersWithout = column(bandTrials * months * segments, Float.self)
        blockLineMean = column(blocks * lines, Double.self)
        blockLineM2 = column(blocks * lines, Double.self)
        blockCount = column(blocks, Int.self)
        blockYearMean = column(blocks * 2 * periods, Double.self)
        self.recordWidth = recordWidth
        recorded = column(trials * recordWidth, Double.self)
    }

    func recordRow(_ trial: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: recorded[(trial * recordWidth)..<((trial + 1) * recordWidth)])
    }

    deinit {
        for buffer in [npv, pvBenefits, pvCosts, roi, irr, payback, discountedPayback, peakFunding,
                       customersWith, customersWithout, clvWith, clvWithout, ltvToCac,
                       blockLineMean, blockLineM2, blockYearMean, recorded] {
            buffer.deallocate()
        }
        irrKind.deallocate()
        riskOccurred.deallocate()
        blockCount.deallocate()
        for buffer in [bandCumulativeCash, bandAdoption, bandCustomersWith, bandCustomersWithout] {
            buffer.deallocate()
        }
    }

    func record(trial i: Int, workspace w: TrialWorkspace) {
        npv[i] = w.npv
        pvBenefits[i] = w.pvBenefits
        pvCosts[i] = w.pvCosts
        roi[i] = w.roi
        switch w.irr {
        case .rate(let r): irr[i] = r; irrKind[i] = 0
        case .noSignChange: irr[i] = .nan; irrKind[i] = 1
        case .ambiguous: irr[i] = .nan; irrKind[i] = 2
        case .noRoot: irr[i] = .nan; irrKind[i] = 3
        }
        payback[i] = w.payback.map(Double.init) ?? .infinity
        discountedPayback[i] = w.discountedPayback.map(Double.init) ?? .infinity
        peakFunding[i] = w.peakFunding
        let horizon = w.customersAtHorizon, baseline = w.baselineCustomersAtHorizon
        for s in 0..<segments {
            customersWith[s * trials + i] = horizon[s]
            customersWithout[s * trials + i] = baseline[s]
            clvWith[s * trials + i] = w.clvWith[s]
            clvWithout[s * trials + i] = w.clvWithout[s]
            ltvToCac[s * trials + i] = w.ltvToCac[s]
        }
        for r in 0..<risks {
            riskOccurred[r * trials + i] = w.riskOccurred[r] ? 1 : 0
        }
        guard i < bandTrials else { return }
        let base = i * months
        for t in 0..<months {
            bandCumulativeCash[base + t] = Float(w.cumulativeCash[t])
            bandAdoption[base + t] = Float(w.adoptionPath[t])
        }
        for s in 0..<segments {
            let row = (i * segments + s) * months
            for t in 0..<months {
                bandCustomersWith[row + t] = Float(w.customersWithPath[s * months + t])
                bandCustomersWithout[row + t] = Float(w.customersWithoutPath[s * months + t])
            }
        }
    }

    func makeLineAccumulator() -> LineAccumulator {
        LineAccumulator(lines: lines)
    }

    func storeLines(_ accumulator: LineAccumulator, block: Int) {
        blockCount[block] = accumulator.count
        for l in 0..<lines {
            blockLineMean[block * lines + l] = accumulator.mean[l]
            blockLineM2[block * lines + l] = accumulator.m2[l]
        }
    }

    /// The block's mean costs and benefits per period (its trial count is ``storeLines``').
    func storeYears(_ accumulator: LineAccumulator, block: Int) {
        let width = 2 * periods
        for k in 0..<width { blockYearMean[block * width + k] = accumulator.mean[k] }
    }
}

/// Keeps `width` numbers of every trial beyond the standard outcomes: `record` reads them
/// from the trial's workspace into the trial's row. It runs on the worker threads, so it must
/// only read the workspace and write the row it is given.
public struct TrialRecorder: Sendable {
    public let width: Int
    public let record: @Sendable (TrialWorkspace, UnsafeMutableBufferPointer<Double>) -> Void

    public init(width: Int, record: @escaping @Sendable (TrialWorkspace, UnsafeMutableBufferPointer<Double>) -> Void) {
        self.width = width
        self.record = record
    }
}

/// Welford's running mean and sum of squared deviations, for one block of trials.
struct LineAccumulator {
    var count = 0
    var mean: [Double]
    var m2: [Double]

    init(lines: Int) {
        mean = Array(repeating: 0, count: lines)
        m2 = mean
    }

    /// Back to no trials, keeping the arrays.
    mutating func reset() {
        count = 0
        for l in mean.indices {
            mean[l] = 0
            m2[l] = 0
        }
    }

    mutating func add(_ values: [Double]) {
        count += 1
        let n = Double(count)
        for l in values.indices {
            let delta = values[l] - mean[l]
            mean[l] += delta / n
            m2[l] += delta * (values[l] - mean[l])
        }
    }
}
