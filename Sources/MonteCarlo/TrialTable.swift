import CRMModel

/// The per-trial outcomes of a range of a run's trials, in trial order, one column per outcome
/// (never per month), plus the monthly paths of the run's first trials for the bands and, per
/// block of ``Streams/blockSize`` trials, the running means of the lines and the plan years.
///
/// A run of N trials is one table for `0..<N`; a shard of it is a table for a block-aligned
/// range (``blockAlignedRange(shard:of:trials:)``), and ``merged(_:)`` puts shards back
/// together in trial order, so that ``SimulationResult`` built from the merge is the one a
/// single run gives, bit for bit. Ranges are block-aligned because the lines' and years' means
/// are kept per block: a block cut in two would be summed in a different order.
///
/// Workers write disjoint rows concurrently, which is why this is `@unchecked Sendable`: trial
/// i is written by exactly one worker, and nothing reads a row before the run ends.
public final class TrialTable: @unchecked Sendable {
    /// The trials this table holds, by their index in the run.
    public let range: Range<Int>
    /// The run's whole trial count (a shard's `range` is part of `0..<runTrials`).
    public let runTrials: Int
    public let segments: Int
    public let risks: Int
    public let lines: Int
    /// Months 0…horizon: horizon + 1.
    public let months: Int
    /// The run's trials `0..<bandTrials` keep their monthly paths (the same for every shard).
    public let bandTrials: Int
    /// Periods of the yearly cash flow (``YearlyCashFlow/periods(horizon:)``).
    public let periods: Int
    /// Numbers a ``TrialRecorder`` keeps per trial.
    public let recordWidth: Int

    /// Rows: trials in this table.
    public var count: Int { range.count }
    /// The run's band trials that fall into this table's range.
    var bandRange: Range<Int> { shape.bandRange }
    /// Blocks of ``Streams/blockSize`` trials this table holds.
    var blockRange: Range<Int> { shape.blockRange }

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
    /// Segment-major: segment s of row i at s·count + i.
    let customersWith: UnsafeMutableBufferPointer<Double>
    let customersWithout: UnsafeMutableBufferPointer<Double>
    let clvWith: UnsafeMutableBufferPointer<Double>
    let clvWithout: UnsafeMutableBufferPointer<Double>
    let ltvToCac: UnsafeMutableBufferPointer<Double>
    /// Risk-major: risk r of row i at r·count + i; 1 when the event happened.
    let riskOccurred: UnsafeMutableBufferPointer<UInt8>

    /// Band paths of the rows in `bandRange`, row-major, months 0…H, in single precision (7
    /// significant digits, plenty for a percentile band).
    let bandCumulativeCash: UnsafeMutableBufferPointer<Float>
    let bandAdoption: UnsafeMutableBufferPointer<Float>
    /// Row-major, then segment, then month.
    let bandCustomersWith: UnsafeMutableBufferPointer<Float>
    let bandCustomersWithout: UnsafeMutableBufferPointer<Float>

    /// Per block of `blockRange`: count, mean and sum of squared deviations of each line's
    /// present value.
    let blockLineMean: UnsafeMutableBufferPointer<Double>
    let blockLineM2: UnsafeMutableBufferPointer<Double>
    let blockCount: UnsafeMutableBufferPointer<Int>
    /// Per block: the mean costs per period, then the mean benefits per period (2 × periods).
    let blockYearMean: UnsafeMutableBufferPointer<Double>
    /// What a ``TrialRecorder`` kept: `recordWidth` numbers per row, row-major.
    let recorded: UnsafeMutableBufferPointer<Double>

    /// Where the columns live: the scratch file all of them are carved from, or (without one)
    /// zero pages of the machine's memory, unmapped with the table.
    private let mapping: ScratchMapping?
    private let memory: ZeroPages?

    /// The table's shape (its range and the model's dimensions).
    public var shape: Shape {
        Shape(range: range, runTrials: runTrials, segments: segments, risks: risks, lines: lines, months: months,
              bandTrials: bandTrials, periods: periods, recordWidth: recordWidth)
    }

    /// An empty (all-zero) table of `model`'s shape for `range` of a run of `runTrials` trials.
    /// - Precondition: `range` lies in `0..<runTrials` and starts on a block boundary.
    convenience init(model: TrialModel, range: Range<Int>, runTrials: Int, bandTrials: Int, recordWidth: Int) {
        self.init(Shape(range: range, runTrials: runTrials, segments: model.segmentCount, risks: model.riskCount,
                        lines: model.lines.count, months: model.horizon + 1, bandTrials: min(bandTrials, runTrials),
                        periods: YearlyCashFlow.periods(horizon: model.horizon), recordWidth: recordWidth))
    }

    /// Whether this table is the whole of a run of `model` with `options` (without a recorder):
    /// the shape that run's own table has. A table merged from shards is checked so before it is
    /// analysed, since its file, not the model, fixed its dimensions.
    public func isWholeRun(of model: TrialModel, options: Engine.Options) -> Bool {
        let trials = max(1, options.trials)
        return shape == Shape(range: 0..<trials, runTrials: trials, segments: model.segmentCount, risks: model.riskCount,
                              lines: model.lines.count, months: model.horizon + 1, bandTrials: min(options.bandTrials, trials),
                              periods: YearlyCashFlow.periods(horizon: model.horizon), recordWidth: options.recorder?.width ?? 0)
    }

    /// An empty (all-zero) table of `shape`, in memory.
    convenience init(_ shape: Shape) {
        self.init(shape, mapping: nil)
    }

    /// An empty (all-zero) table of `shape` whose columns live in a scratch file in `directory`
    /// (``ScratchMapping``): for a merged run too large for memory.
    static func inScratchFile(_ shape: Shape, directory: String) throws(ScratchMapping.Failure) -> TrialTable {
        TrialTable(shape, mapping: try ScratchMapping(size: layout(shape).size, directory: directory))
    }

    /// Where each column of `shape` starts in the one region that holds them all, and the
    /// region's size in bytes: every column on a 64-byte boundary, so that typed access is aligned.
    private static func layout(_ shape: Shape) -> (offsets: [Int], size: Int) {
        var offsets: [Int] = []
        var size = 0
        for (_, bytes) in shape.columns {
            offsets.append(size)
            size += (bytes + 63) / 64 * 64
        }
        return (offsets, size)
    }

    private init(_ shape: Shape, mapping: consuming ScratchMapping?) {
        let range = shape.range
        precondition(range.lowerBound >= 0 && range.upperBound <= shape.runTrials, "trial range outside the run")
        precondition(range.lowerBound % Streams.blockSize == 0, "trial range must start on a block boundary")
        self.range = range
        self.runTrials = shape.runTrials
        self.segments = shape.segments
        self.risks = shape.risks
        self.lines = shape.lines
        self.months = shape.months
        self.bandTrials = shape.bandTrials
        self.periods = shape.periods
        self.recordWidth = shape.recordWidth
        // Every column in one zero-filled region: the scratch file's, or pages of the machine's
        // own (which cost nothing until written).
        let (offsets, size) = TrialTable.layout(shape)
        let base: UnsafeMutableRawPointer
        if let mapped = mapping?.base {
            precondition(mapping?.size ?? 0 >= size, "scratch mapping smaller than the table")
            base = mapped
            memory = nil
        } else {
            let pages = ZeroPages(size: size)
            base = pages.base
            memory = .some(pages)
        }
        let starts = offsets.map { base + $0 }
        self.mapping = mapping
        let columns = shape.columns
        func column<T>(_ index: Int, _: T.Type) -> UnsafeMutableBufferPointer<T> {
            precondition(columns[index].column.elementSize == MemoryLayout<T>.stride, "column \(index) has another type")
            let count = columns[index].bytes / MemoryLayout<T>.stride
            return UnsafeMutableBufferPointer(start: starts[index].bindMemory(to: T.self, capacity: count), count: count)
        }
        npv = column(0, Double.self)
        pvBenefits = column(1, Double.self)
        pvCosts = column(2, Double.self)
        roi = column(3, Double.self)
        irr = column(4, Double.self)
        irrKind = column(5, UInt8.self)
        payback = column(6, Double.self)
        discountedPayback = column(7, Double.self)
        peakFunding = column(8, Double.self)
        customersWith = column(9, Double.self)
        customersWithout = column(10, Double.self)
        clvWith = column(11, Double.self)
        clvWithout = column(12, Double.self)
        ltvToCac = column(13, Double.self)
        riskOccurred = column(14, UInt8.self)
        bandCumulativeCash = column(15, Float.self)
        bandAdoption = column(16, Float.self)
        bandCustomersWith = column(17, Float.self)
        bandCustomersWithout = column(18, Float.self)
        blockLineMean = column(19, Double.self)
        blockLineM2 = column(20, Double.self)
        blockCount = column(21, Int.self)
        blockYearMean = column(22, Double.self)
        recorded = column(23, Double.self)
    }

    /// The row of `trial` (an index in the run).
    @inline(__always) func row(_ trial: Int) -> Int { trial - range.lowerBound }

    func recordRow(trial: Int) -> UnsafeMutableBufferPointer<Double> {
        let i = row(trial)
        return UnsafeMutableBufferPointer(rebasing: recorded[(i * recordWidth)..<((i + 1) * recordWidth)])
    }

    /// Writes the outcomes of run trial `trial` from its workspace.
    func record(trial: Int, workspace w: TrialWorkspace) {
        let i = row(trial), n = count
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
            customersWith[s * n + i] = horizon[s]
            customersWithout[s * n + i] = baseline[s]
            clvWith[s * n + i] = w.clvWith[s]
            clvWithout[s * n + i] = w.clvWithout[s]
            ltvToCac[s * n + i] = w.ltvToCac[s]
        }
        for r in 0..<risks {
            riskOccurred[r * n + i] = w.riskOccurred[r] ? 1 : 0
        }
        guard trial < bandTrials else { return }
        let base = i * months
        for t in 0..<months {
            bandCumulativeCash[base + t] = Float(w.cumulativeCash[t])
            bandAdoption[base + t] = Float(w.adoptionPath[t])
        }
        for s in 0..<segments {
            let band = (i * segments + s) * months
            for t in 0..<months {
                bandCustomersWith[band + t] = Float(w.customersWithPath[s * months + t])
                bandCustomersWithout[band + t] = Float(w.customersWithoutPath[s * months + t])
            }
        }
    }

    /// Keeps block `block`'s (an index in the run) line means.
    func storeLines(_ accumulator: LineAccumulator, block: Int) {
        let b = block - blockRange.lowerBound
        blockCount[b] = accumulator.count
        for l in 0..<lines {
            blockLineMean[b * lines + l] = accumulator.mean[l]
            blockLineM2[b * lines + l] = accumulator.m2[l]
        }
    }

    /// The block's mean costs and benefits per period (its trial count is ``storeLines``').
    func storeYears(_ accumulator: LineAccumulator, block: Int) {
        let b = block - blockRange.lowerBound
        let width = 2 * periods
        for k in 0..<width { blockYearMean[b * width + k] = accumulator.mean[k] }
    }
}
