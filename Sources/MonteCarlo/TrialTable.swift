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
    var bandRange: Range<Int> { range.lowerBound..<max(range.lowerBound, min(range.upperBound, bandTrials)) }
    /// Blocks of ``Streams/blockSize`` trials this table holds.
    var blockRange: Range<Int> {
        (range.lowerBound / Streams.blockSize)..<((range.upperBound + Streams.blockSize - 1) / Streams.blockSize)
    }

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

    /// An empty (all-zero) table of `model`'s shape for `range` of a run of `runTrials` trials.
    /// - Precondition: `range` lies in `0..<runTrials` and starts on a block boundary.
    convenience init(model: TrialModel, range: Range<Int>, runTrials: Int, bandTrials: Int, recordWidth: Int) {
        self.init(range: range, runTrials: runTrials, segments: model.segmentCount, risks: model.riskCount,
                  lines: model.lines.count, months: model.horizon + 1, bandTrials: min(bandTrials, runTrials),
                  periods: YearlyCashFlow.periods(horizon: model.horizon), recordWidth: recordWidth)
    }

    init(range: Range<Int>, runTrials: Int, segments: Int, risks: Int, lines: Int, months: Int,
                 bandTrials: Int, periods: Int, recordWidth: Int) {
        precondition(range.lowerBound >= 0 && range.upperBound <= runTrials, "trial range outside the run")
        precondition(range.lowerBound % Streams.blockSize == 0, "trial range must start on a block boundary")
        self.range = range
        self.runTrials = runTrials
        self.segments = segments
        self.risks = risks
        self.lines = lines
        self.months = months
        self.bandTrials = bandTrials
        self.periods = periods
        self.recordWidth = recordWidth
        let n = range.count
        let bandRows = max(0, min(range.upperBound, bandTrials) - range.lowerBound)
        let blocks = (range.upperBound + Streams.blockSize - 1) / Streams.blockSize - range.lowerBound / Streams.blockSize
        func column<T: Numeric>(_ count: Int, _: T.Type) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            return buffer
        }
        npv = column(n, Double.self)
        pvBenefits = column(n, Double.self)
        pvCosts = column(n, Double.self)
        roi = column(n, Double.self)
        irr = column(n, Double.self)
        irrKind = column(n, UInt8.self)
        payback = column(n, Double.self)
        discountedPayback = column(n, Double.self)
        peakFunding = column(n, Double.self)
        customersWith = column(n * segments, Double.self)
        customersWithout = column(n * segments, Double.self)
        clvWith = column(n * segments, Double.self)
        clvWithout = column(n * segments, Double.self)
        ltvToCac = column(n * segments, Double.self)
        riskOccurred = column(n * risks, UInt8.self)
        bandCumulativeCash = column(bandRows * months, Float.self)
        bandAdoption = column(bandRows * months, Float.self)
        bandCustomersWith = column(bandRows * months * segments, Float.self)
        bandCustomersWithout = column(bandRows * months * segments, Float.self)
        blockLineMean = column(blocks * lines, Double.self)
        blockLineM2 = column(blocks * lines, Double.self)
        blockCount = column(blocks, Int.self)
        blockYearMean = column(blocks * 2 * periods, Double.self)
        recorded = column(n * recordWidth, Double.self)
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

// MARK: - Shards and merging

extension TrialTable {
    /// The trials of shard `shard` (0-based) of `shards` for a run of `trials` trials: the run's
    /// blocks of ``Streams/blockSize`` trials split as evenly as whole blocks allow, in order.
    /// Shards tile `0..<trials` with no gap or overlap; a shard may be empty when there are
    /// more shards than blocks.
    /// - Precondition: `0 ≤ shard < shards`, `trials ≥ 0`.
    public static func blockAlignedRange(shard: Int, of shards: Int, trials: Int) -> Range<Int> {
        precondition(shards >= 1 && (0..<shards).contains(shard) && trials >= 0)
        let blocks = (trials + Streams.blockSize - 1) / Streams.blockSize
        // shard·blocks ≤ 2⁶³ for any run crmcase allows (≤ 10⁹ trials, shards ≤ blocks + …).
        let firstBlock = shard * blocks / shards
        let endBlock = (shard + 1) * blocks / shards
        return min(trials, firstBlock * Streams.blockSize)..<min(trials, endBlock * Streams.blockSize)
    }

    /// Why tables cannot be merged, as a sentence.
    public enum MergeError: Error, Equatable, Sendable, CustomStringConvertible {
        case nothingToMerge
        /// Tables of different scenarios or settings (their shapes differ).
        case differentShapes
        /// Trials `gap` are in no table.
        case gap(Range<Int>)
        /// Trials from `overlapStart` are in two tables.
        case overlap(at: Int)

        public var description: String {
            switch self {
            case .nothingToMerge: return "There are no trial tables to merge."
            case .differentShapes:
                return "The trial tables come from different runs (their trial counts, segments, risks or horizons differ)."
            case .gap(let gap): return "Trials \(gap.lowerBound) to \(gap.upperBound - 1) are in none of the tables."
            case .overlap(let at): return "Trial \(at) is in more than one table."
            }
        }
    }

    /// The tables, in any order, as one table in trial order: exactly the table one run of
    /// their union gives (the columns concatenated; nothing is recomputed).
    public static func merged(_ tables: [TrialTable]) throws(MergeError) -> TrialTable {
        guard let head = tables.first else { throw .nothingToMerge }
        let parts = tables.filter { !$0.range.isEmpty }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for t in tables where !(t.runTrials == head.runTrials && t.segments == head.segments && t.risks == head.risks
                               && t.lines == head.lines && t.months == head.months && t.bandTrials == head.bandTrials
                               && t.periods == head.periods && t.recordWidth == head.recordWidth) {
            throw .differentShapes
        }
        guard let first = parts.first, let last = parts.last else { return head }
        var end = first.range.lowerBound
        for t in parts {
            if t.range.lowerBound > end { throw .gap(end..<t.range.lowerBound) }
            if t.range.lowerBound < end { throw .overlap(at: t.range.lowerBound) }
            end = t.range.upperBound
        }
        if parts.count == 1 { return first }
        let out = TrialTable(range: first.range.lowerBound..<last.range.upperBound, runTrials: head.runTrials,
                             segments: head.segments, risks: head.risks, lines: head.lines, months: head.months,
                             bandTrials: head.bandTrials, periods: head.periods, recordWidth: head.recordWidth)
        for t in parts { out.copy(t) }
        return out
    }

    /// Copies `part`'s rows, band rows and blocks into their places here.
    private func copy(_ part: TrialTable) {
        func put<T>(_ source: UnsafeMutableBufferPointer<T>, into target: UnsafeMutableBufferPointer<T>,
                    at offset: Int, width: Int = 1, count rows: Int) {
            guard rows * width > 0 else { return }
            _ = UnsafeMutableBufferPointer(rebasing: target[(offset * width)..<((offset + rows) * width)])
                .update(fromContentsOf: source[0..<(rows * width)])
        }
        let offset = row(part.range.lowerBound), n = part.count
        for (s, t) in [(part.npv, npv), (part.pvBenefits, pvBenefits), (part.pvCosts, pvCosts), (part.roi, roi),
                       (part.irr, irr), (part.payback, payback), (part.discountedPayback, discountedPayback),
                       (part.peakFunding, peakFunding)] {
            put(s, into: t, at: offset, count: n)
        }
        put(part.irrKind, into: irrKind, at: offset, count: n)
        put(part.recorded, into: recorded, at: offset, width: recordWidth, count: n)
        // Segment-major and risk-major columns: each segment's (risk's) slice in its place.
        for (s, t) in [(part.customersWith, customersWith), (part.customersWithout, customersWithout),
                       (part.clvWith, clvWith), (part.clvWithout, clvWithout), (part.ltvToCac, ltvToCac)] {
            for k in 0..<segments {
                put(UnsafeMutableBufferPointer(rebasing: s[(k * n)..<((k + 1) * n)]), into: t, at: k * count + offset, count: n)
            }
        }
        for k in 0..<risks {
            put(UnsafeMutableBufferPointer(rebasing: part.riskOccurred[(k * n)..<((k + 1) * n)]), into: riskOccurred,
                at: k * count + offset, count: n)
        }
        let bandRows = part.bandRange.count
        put(part.bandCumulativeCash, into: bandCumulativeCash, at: offset, width: months, count: bandRows)
        put(part.bandAdoption, into: bandAdoption, at: offset, width: months, count: bandRows)
        put(part.bandCustomersWith, into: bandCustomersWith, at: offset, width: months * segments, count: bandRows)
        put(part.bandCustomersWithout, into: bandCustomersWithout, at: offset, width: months * segments, count: bandRows)
        let blockOffset = part.blockRange.lowerBound - blockRange.lowerBound, blocks = part.blockRange.count
        put(part.blockCount, into: blockCount, at: blockOffset, count: blocks)
        put(part.blockLineMean, into: blockLineMean, at: blockOffset, width: lines, count: blocks)
        put(part.blockLineM2, into: blockLineM2, at: blockOffset, width: lines, count: blocks)
        put(part.blockYearMean, into: blockYearMean, at: blockOffset, width: 2 * periods, count: blocks)
    }
}
