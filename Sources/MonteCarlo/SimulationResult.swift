import CRMModel
import GSLSupport

/// Everything a report needs from a run, summarised once after the trials.
public struct SimulationResult: Sendable {
    public let model: TrialModel
    public let options: Engine.Options
    public var trials: Int { options.trials }

    /// The input uniforms trial `i` of this run used (to draw its inputs again exactly).
    public func uniforms(trial i: Int) -> TrialUniforms {
        TrialUniforms(seed: options.seed, trial: i, sampling: options.sampling, trials: options.trials)
    }

    public let npv: Summary
    public let pvBenefits: Summary
    public let pvCosts: Summary
    /// ROI as a share (0.25 is 25 %); undefined where PV costs is 0.
    public let roi: Summary
    /// Annual IRR as a share, over the trials that have one.
    public let irr: Summary
    /// Trials whose cash flows never change sign.
    public let irrNoSignChange: Int
    /// Trials whose NPV has several roots.
    public let irrAmbiguous: Int
    /// Trials whose flows change sign but whose NPV has no root at monthly rates from −80 %
    /// to +400 %.
    public let irrNoRoot: Int
    /// Months; trials that do not pay back count as +∞ in the percentiles.
    public let payback: Summary
    public let discountedPayback: Summary
    public let peakFunding: Summary

    public let probabilityOfLoss: Probability
    public let probabilityOfNegativeROI: Probability
    public let probabilityOfPayback: Probability
    public let probabilityOfDiscountedPayback: Probability

    /// Per segment, in scenario order.
    public let segments: [SegmentResult]
    /// Customers summed over segments at the horizon.
    public let totalCustomersWith: Summary
    public let totalCustomersWithout: Summary

    public let lines: [LineSummary]
    public let risks: [RiskImpact]

    /// Trials whose monthly paths make the bands (the first ones of the run).
    public let bandTrials: Int
    public let cumulativeCash: Band
    public let adoption: Band
    /// Mean costs and benefits per plan year over all trials (undiscounted).
    public let yearlyCashFlow: YearlyCashFlow

    /// The per-trial outcomes, in trial order, for `trials.csv`.
    public let perTrial: PerTrial

    public struct SegmentResult: Sendable {
        public let name: String
        public let customersWith: Summary
        public let customersWithout: Summary
        /// Customers with minus without the CRM at the horizon.
        public let customersGained: Summary
        public let clvWith: Summary
        public let clvWithout: Summary
        public let ltvToCac: Summary
        public let customersWithBand: Band
        public let customersWithoutBand: Band
    }

    /// Read-only access to the stored per-trial outcomes.
    public struct PerTrial: Sendable {
        fileprivate let store: TrialTable
        /// The run's trial table (all its trials, `0..<count`).
        public var table: TrialTable { store }
        public var count: Int { store.count }
        public func npv(_ i: Int) -> Double { store.npv[i] }
        public func pvBenefits(_ i: Int) -> Double { store.pvBenefits[i] }
        public func pvCosts(_ i: Int) -> Double { store.pvCosts[i] }
        public func roi(_ i: Int) -> Double { store.roi[i] }
        /// NaN where there is no IRR.
        public func irr(_ i: Int) -> Double { store.irr[i] }
        /// +∞ where the trial does not pay back.
        public func payback(_ i: Int) -> Double { store.payback[i] }
        public func discountedPayback(_ i: Int) -> Double { store.discountedPayback[i] }
        public func peakFunding(_ i: Int) -> Double { store.peakFunding[i] }
        public func customersWith(_ i: Int, segment s: Int) -> Double { store.customersWith[s * store.count + i] }
        public func customersWithout(_ i: Int, segment s: Int) -> Double { store.customersWithout[s * store.count + i] }
        public func clvWith(_ i: Int, segment s: Int) -> Double { store.clvWith[s * store.count + i] }
        public func clvWithout(_ i: Int, segment s: Int) -> Double { store.clvWithout[s * store.count + i] }
        public func riskOccurred(_ i: Int, risk r: Int) -> Bool { store.riskOccurred[r * store.count + i] != 0 }
        /// What the run's ``TrialRecorder`` kept for trial `i` (empty without a recorder).
        public func recorded(_ i: Int) -> UnsafeBufferPointer<Double> {
            UnsafeBufferPointer(store.recordRow(trial: i))
        }
    }

    /// Summarises a run's whole trial table: from ``Engine/run(progress:)``, or from the merged
    /// tables of its shards (``TrialTable/merged(_:)``), which gives the same result bit for bit.
    /// - Precondition: `table` holds the trials `0..<options.trials` of `model`.
    public init(model: TrialModel, options: Engine.Options, table store: TrialTable) {
        precondition(store.range == 0..<options.trials && store.runTrials == options.trials,
                     "a result needs the table of the whole run")
        self.model = model
        self.options = options
        let n = store.count
        let S = store.segments
        perTrial = PerTrial(store: store)

        @Sendable func slice(_ buffer: UnsafeMutableBufferPointer<Double>, _ s: Int) -> UnsafeBufferPointer<Double> {
            UnsafeBufferPointer(rebasing: buffer[(s * n)..<((s + 1) * n)])
        }
        @Sendable func whole(_ buffer: UnsafeMutableBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
            UnsafeBufferPointer(buffer)
        }

        // Scalar summaries: independent sorts, run in parallel (each is deterministic).
        enum Job: Sendable { case column(Int), segment(Int, Int), total(Bool) }
        let scalarColumns: [(UnsafeMutableBufferPointer<Double>, Bool)] = [
            (store.npv, false), (store.pvBenefits, false), (store.pvCosts, false), (store.roi, false),
            (store.irr, false), (store.payback, true), (store.discountedPayback, true), (store.peakFunding, false),
        ]
        var jobs: [Job] = scalarColumns.indices.map { .column($0) }
        for s in 0..<S { for k in 0..<6 { jobs.append(.segment(s, k)) } }
        jobs += [.total(true), .total(false)]
        let allJobs = jobs
        let columns = UnsafeSendable(scalarColumns)
        let storeBox = UnsafeSendable(store)
        let summaries: [Summary] = parallelMap(jobs.count) { j in
            let store = storeBox.value
            switch allJobs[j] {
            case .column(let c):
                let (buffer, infinite) = columns.value[c]
                return Summary(whole(buffer), undefinedAsInfinite: infinite)
            case .segment(let s, let k):
                switch k {
                case 0: return Summary(slice(store.customersWith, s))
                case 1: return Summary(slice(store.customersWithout, s))
                case 2:
                    var gained = [Double](repeating: 0, count: n)
                    for i in 0..<n { gained[i] = store.customersWith[s * n + i] - store.customersWithout[s * n + i] }
                    return Summary(gained)
                case 3: return Summary(slice(store.clvWith, s))
                case 4: return Summary(slice(store.clvWithout, s))
                default: return Summary(slice(store.ltvToCac, s))
                }
            case .total(let with):
                let source = with ? store.customersWith : store.customersWithout
                var total = [Double](repeating: 0, count: n)
                for s in 0..<S { for i in 0..<n { total[i] += source[s * n + i] } }
                return Summary(total)
            }
        }
        npv = summaries[0]
        pvBenefits = summaries[1]
        pvCosts = summaries[2]
        roi = summaries[3]
        irr = summaries[4]
        payback = summaries[5]
        discountedPayback = summaries[6]
        peakFunding = summaries[7]
        totalCustomersWith = summaries[summaries.count - 2]
        totalCustomersWithout = summaries[summaries.count - 1]

        var noSign = 0, ambiguous = 0, noRoot = 0, losses = 0, negativeROI = 0, paidBack = 0, discountedPaidBack = 0
        for i in 0..<n {
            switch store.irrKind[i] {
            case 1: noSign += 1
            case 2: ambiguous += 1
            case 3: noRoot += 1
            default: break
            }
            if store.npv[i] < 0 { losses += 1 }
            if store.roi[i] < 0 { negativeROI += 1 }
            if store.payback[i].isFinite { paidBack += 1 }
            if store.discountedPayback[i].isFinite { discountedPaidBack += 1 }
        }
        irrNoSignChange = noSign
        irrAmbiguous = ambiguous
        irrNoRoot = noRoot
        probabilityOfLoss = Probability(successes: losses, trials: n)
        probabilityOfNegativeROI = Probability(successes: negativeROI, trials: n)
        probabilityOfPayback = Probability(successes: paidBack, trials: n)
        probabilityOfDiscountedPayback = Probability(successes: discountedPaidBack, trials: n)

        // Lines: combine the blocks' Welford summaries in block order (Chan et al.).
        var lineSummaries: [LineSummary] = []
        let L = store.lines
        let blocks = store.blockCount.count
        for (l, line) in model.lines.enumerated() {
            var count = 0.0, mean = 0.0, m2 = 0.0
            for b in 0..<blocks where store.blockCount[b] > 0 {
                let nb = Double(store.blockCount[b])
                let mb = store.blockLineMean[b * L + l]
                let delta = mb - mean
                let total = count + nb
                mean += delta * nb / total
                m2 += store.blockLineM2[b * L + l] + delta * delta * count * nb / total
                count = total
            }
            let sd = count > 1 ? (m2 / (count - 1)).squareRoot() : 0
            lineSummaries.append(LineSummary(name: line.name, kind: line.kind.rawValue, mean: mean,
                                             standardDeviation: sd, standardError: sd / count.squareRoot()))
        }
        lines = lineSummaries

        // Costs and benefits per plan year: the blocks' means combined in block order, so the
        // figures do not depend on the number of threads.
        let width = 2 * store.periods
        var yearMean = [Double](repeating: 0, count: width)
        var yearCount = 0.0
        for b in 0..<blocks where store.blockCount[b] > 0 {
            let nb = Double(store.blockCount[b])
            let total = yearCount + nb
            for k in 0..<width {
                yearMean[k] += (store.blockYearMean[b * width + k] - yearMean[k]) * nb / total
            }
            yearCount = total
        }
        yearlyCashFlow = YearlyCashFlow(horizon: model.horizon, costs: Array(yearMean[..<store.periods]),
                                        benefits: Array(yearMean[store.periods...]))

        // Risk events: NPV when the event happens versus when it does not.
        var impacts: [RiskImpact] = []
        for (r, risk) in model.scenario.risks.enumerated() {
            var hit = 0, hitLoss = 0, missLoss = 0
            var hitSum = 0.0, missSum = 0.0
            for i in 0..<n {
                let value = store.npv[i]
                if store.riskOccurred[r * n + i] != 0 {
                    hit += 1
                    hitSum += value
                    if value < 0 { hitLoss += 1 }
                } else {
                    missSum += value
                    if value < 0 { missLoss += 1 }
                }
            }
            impacts.append(RiskImpact(
                name: risk.name,
                occurred: Probability(successes: hit, trials: n),
                meanNPVWhenItHappens: hit > 0 ? hitSum / Double(hit) : .nan,
                meanNPVOtherwise: n - hit > 0 ? missSum / Double(n - hit) : .nan,
                lossWhenItHappens: Probability(successes: hitLoss, trials: hit),
                lossOtherwise: Probability(successes: missLoss, trials: n - hit)))
        }
        risks = impacts

        // Monthly bands from the first `bandTrials` trials.
        let K = store.bandTrials
        let months = store.months
        bandTrials = K
        func band(_ column: UnsafeMutableBufferPointer<Float>, rowStride: Int, offset: Int = 0) -> Band {
            Band(paths: UnsafeBufferPointer(column), trials: K, months: months, rowStride: rowStride, offset: offset)
        }
        // Path k's month t at [k * months + t]; per segment s, at [(k * S + s) * months + t].
        cumulativeCash = band(store.bandCumulativeCash, rowStride: months)
        adoption = band(store.bandAdoption, rowStride: months)

        var segmentResults: [SegmentResult] = []
        for (s, segment) in model.scenario.segments.enumerated() {
            let base = 8 + s * 6
            segmentResults.append(SegmentResult(
                name: segment.name,
                customersWith: summaries[base], customersWithout: summaries[base + 1],
                customersGained: summaries[base + 2], clvWith: summaries[base + 3],
                clvWithout: summaries[base + 4], ltvToCac: summaries[base + 5],
                customersWithBand: band(store.bandCustomersWith, rowStride: S * months, offset: s * months),
                customersWithoutBand: band(store.bandCustomersWithout, rowStride: S * months, offset: s * months)))
        }
        segments = segmentResults
    }
}

/// Hands a value the compiler cannot prove thread-safe to parallel readers. Used only for
/// buffers that are read, not written, while the jobs run.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
