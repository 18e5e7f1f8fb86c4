import Foundation
import GSLSupport

/// The monthly model of one trial, once its inputs are drawn and its risk events applied
/// (``TrialModel/Parameters``): months 0…H in three passes.
///
/// 1. **Months** (``monthLines``): the adoption share, the discount factor, the licence and
///    every cost and benefit line of each month, line by line.
/// 2. **Customers** (``segmentMonths``): each segment's customers in both worlds, month by
///    month, segment after segment (a segment's draws depend on its own earlier months only,
///    each from its own key), adding the customer value to the months' benefits.
/// 3. **Cash** (``cashFlows``): each month's cash flow, the cumulative cash and the present values.
///
/// Every month's costs add the licence and then the cost lines in the scenario's order, its
/// benefits the benefit lines and then the segments in order, and every present value adds its
/// months in order: the same sums, in the same order, as a single loop over the months would
/// make, so the same numbers bit for bit. The passes keep the inner loops small (a line's
/// months, a segment's months) and touch each array through one buffer.
extension TrialModel {
    /// Months 0…`lastMonth` of the trial with parameters `p` (its inputs already in `w`): the
    /// paths, and, through the horizon, the outcomes (NPV, ROI, IRR, payback, CLV); with
    /// `baseline`, recording or reusing the without-CRM world's draws (``BaselineDraws``).
    func simulate<Sampler: ProcessSampler & ~Copyable>(
        _ p: Parameters, process: borrowing Sampler, processKey: UInt64, workspace w: inout TrialWorkspace,
        through lastMonth: Int, baseline: BaselineDraws.Slot?
    ) {
        let H = horizon
        let S = segmentCount
        let last = min(H, max(0, lastMonth))
        for k in w.linePresentValues.indices { w.linePresentValues[k] = 0 }

        let inputs = w.inputValues
        w.withMonthBuffers { monthLines(p, inputs: inputs, through: last, buffers: $0) }

        // The without-CRM world's kept draws (BaselineDraws): the cells to use or to fill.
        let arrivalsWithoutCRM = min(Double(Limits.customers), p.newCustomers)
        var keptCells: UnsafeMutablePointer<BaselineDraws.Cell>?
        var recordedCells: UnsafeMutablePointer<BaselineDraws.Cell>?
        var fingerprint: UInt64 = 0
        if let baseline {
            fingerprint = baselineFingerprint(processKey: processKey, arrivalsWithout: arrivalsWithoutCRM, workspace: w)
            switch baseline.use {
            case .reuse(let draws): keptCells = draws.kept(trial: baseline.trial, fingerprint: fingerprint)
            case .record(let draws): recordedCells = draws.recording(trial: baseline.trial)
            }
        }

        // Customers: both worlds on the same luck (CoupledSegment), segment after segment.
        let adoption = w.adoptionPath, discount = w.discountFactors
        let costCount = scenario.costs.count, benefitCount = scenario.benefits.count
        var recordable = true
        for s in 0..<S {
            let segment = SegmentTrial(
                start: w.segmentStart[s], churn: w.segmentChurn[s], hazards: retentionHazards[s], mix: segmentMix[s],
                margin: w.segmentMargin[s], reduction: w.segmentReduction[s], uplift: w.segmentUplift[s],
                cac: w.segmentCAC[s])
            let kept = keptCells.map { $0 + s * H }
            let recorded = recordable ? recordedCells.map { $0 + s * H } : nil
            let outcome = w.withCustomerBuffers { buffers in
                segmentMonths(s, segment, p, through: last, adoption: adoption, discount: discount,
                              arrivalsWithout: arrivalsWithoutCRM, process: process, processKey: processKey,
                              kept: kept, recorded: recorded, buffers: buffers)
            }
            w.customersWith[s] = outcome.with
            w.customersWithout[s] = outcome.without
            let slot = 1 + costCount + benefitCount + 2 * s
            w.linePresentValues[slot] = outcome.marginPresentValue
            w.linePresentValues[slot + 1] = outcome.acquisitionPresentValue
            if recorded != nil && !outcome.recordable { recordable = false }
        }

        let costs = w.monthlyCosts, benefits = w.monthlyBenefits, licence = w.licenceCostPath
        let cash = w.withCashBuffers {
            cashFlows(through: last, discount: discount, costs: costs, benefits: benefits, licence: licence, buffers: $0)
        }

        w.seatsInTrial = p.seats
        guard lastMonth >= H else {
            // A partial trial (run(uniformValues:…throughMonth:)): no outcome of the whole horizon.
            w.npv = .nan
            w.pvBenefits = .nan
            w.pvCosts = .nan
            w.roi = .nan
            w.irr = .noSignChange
            w.payback = nil
            w.discountedPayback = nil
            w.peakFunding = .nan
            for s in 0..<S {
                w.clvWith[s] = .nan
                w.clvWithout[s] = .nan
                w.ltvToCac[s] = .nan
            }
            return
        }
        if let baseline, case .record(let draws) = baseline.use, recordable, recordedCells != nil {
            draws.keep(trial: baseline.trial, fingerprint: fingerprint)
        }
        w.npv = cash.pvBenefits - cash.pvCosts
        w.pvBenefits = cash.pvBenefits
        w.pvCosts = cash.pvCosts
        w.roi = cash.pvCosts > 0 ? (cash.pvBenefits - cash.pvCosts) / cash.pvCosts : .nan
        w.irr = w.cash.withUnsafeBufferPointer { Finance.irr($0) }
        w.payback = w.cumulativeCash.withUnsafeBufferPointer { Finance.paybackMonth(cumulative: $0) }
        w.discountedPayback = w.cumulativeDiscountedCash.withUnsafeBufferPointer {
            Finance.paybackMonth(cumulative: $0)
        }
        w.peakFunding = -cash.lowest

        // CLV per segment, with the CRM at the trial's adoption ceiling (after risk events),
        // reaching customers through the covered share of the users like pass 2.
        let ceilingReach = p.ceiling * p.coverage
        for s in 0..<S {
            let margin = w.segmentMargin[s]
            let churnFactor = min(1, max(0, 1 - w.segmentReduction[s] * ceilingReach))
            if let sbg = scenario.segments[s].retention {
                // A new customer on the sBG curve, with and without the CRM's reduction.
                w.clvWithout[s] = margin * Finance.discountedLifetime(sbg, churnFactor: 1, discount: p.monthlyDiscount)
                w.clvWith[s] = margin * (1 + w.segmentUplift[s] * ceilingReach)
                    * Finance.discountedLifetime(sbg, churnFactor: churnFactor, discount: p.monthlyDiscount)
            } else {
                let churn = w.segmentChurn[s]
                w.clvWithout[s] = Finance.customerLifetimeValue(
                    margin: margin, retention: 1 - churn, discount: p.monthlyDiscount)
                w.clvWith[s] = Finance.customerLifetimeValue(
                    margin: margin * (1 + w.segmentUplift[s] * ceilingReach), retention: 1 - churn * churnFactor,
                    discount: p.monthlyDiscount)
            }
            w.ltvToCac[s] = w.segmentCAC[s] > 0 ? w.clvWith[s] / w.segmentCAC[s] : .nan
        }
    }

    // MARK: - Months

    /// Pass 1, months 0…`last`, from the trial's drawn inputs (`inputs`): the adoption share A_t,
    /// the discount factor 1/(1 + r)ᵗ (r per month), the licence cost, each month's costs (the
    /// licence and the cost lines) and benefit lines (currency, undiscounted), and the present
    /// value of the licence and of each line (`presentValues`, which must start at 0).
    private func monthLines(_ p: Parameters, inputs values: [Double], through last: Int,
                            buffers: TrialWorkspace.MonthBuffers) {
        let adoptionShare = buffers.adoption, factor = buffers.discount, licenceCost = buffers.licence
        let cost = buffers.costs, benefit = buffers.benefits, pv = buffers.presentValues
        let v = 1 / (1 + p.monthlyDiscount)
        var d = 1.0
        // The licence escalation factor of the current licence year: one `pow` a year, not one a
        // month (the same value, so the same bits).
        var escalationYears = -1.0
        var escalationFactor = 1.0
        for t in 0...last {
            adoptionShare[t] = TrialModel.adoption(month: t, goLive: p.goLive, ceiling: p.ceiling,
                                                   bass: isBass, a: p.curveA, b: p.curveB)
            factor[t] = d
            // Licences: seats × price per seat per month, escalated on each anniversary.
            var monthCosts = 0.0
            var monthLicence = 0.0
            if licenceMonths.contains(t) {
                let years = Double((t - licenceMonths.lowerBound) / 12)
                if years != escalationYears {
                    escalationFactor = pow(1 + p.escalation, years)
                    escalationYears = years
                }
                monthLicence = p.seats * p.price * escalationFactor
                monthCosts += monthLicence
                pv[0] += monthLicence * d
            }
            licenceCost[t] = monthLicence
            cost[t] = monthCosts
            benefit[t] = 0
            d *= v
        }

        // Cost lines, each over its own months.
        for c in costPlan.indices {
            let line = costPlan[c]
            let from = max(0, line.from), to = min(last, line.to)
            guard from <= to else { continue }
            let value = values[index.costs[c]]
            var present = 0.0
            if line.basis == .activeUserMonth {
                // Per active user: the only cost that follows adoption month by month.
                let perActiveShare = p.recurringFactor * p.seats
                for t in from...to {
                    let amount = value * (perActiveShare * adoptionShare[t])
                    cost[t] += amount
                    present += amount * factor[t]
                }
            } else {
                let amount = switch line.basis {
                case .once: value * p.oneOffFactor / Double(line.to - line.from + 1)
                case .month: value * p.recurringFactor
                case .seat, .activeUserMonth: value * (p.recurringFactor * p.seats)   // (not per active user: above)
                }
                for t in from...to { cost[t] += amount; present += amount * factor[t] }
            }
            pv[1 + c] = present
        }

        // Benefit lines: "at full adoption", scaled by A_t unless the line says otherwise.
        // A `crm_effects` risk cuts what the CRM achieves through being used; a line that
        // does not scale with adoption (a retired system's savings) does not depend on use,
        // so the factor leaves it alone (docs/MODEL.md, "Risk events").
        for b in benefitPlan.indices {
            let line = benefitPlan[b]
            let from = max(0, line.from), to = min(last, line.to)
            guard from <= to else { continue }
            var amount = values[index.benefits[b]]
            if line.scalesWithAdoption { amount *= p.effectFactor }
            switch line.basis {
            case .once: amount /= Double(line.to - line.from + 1)
            case .month: break
            case .seat, .activeUserMonth: amount *= p.seats
            }
            var present = 0.0
            if line.scalesWithAdoption {
                for t in from...to {
                    let scaled = amount * adoptionShare[t]
                    benefit[t] += scaled
                    present += scaled * factor[t]
                }
            } else {
                for t in from...to { benefit[t] += amount; present += amount * factor[t] }
            }
            pv[1 + costPlan.count + b] = present
        }
    }

    // MARK: - Customers

    /// One segment's drawn parameters in a trial.
    struct SegmentTrial {
        /// Customers at month 0 (whole).
        var start: Double
        /// Monthly churn probability without the CRM (when the segment has no retention curve).
        var churn: Double
        /// The retention curve's churn probability of month t (index t), if the segment has one.
        var hazards: [Double]?
        /// The segment's share of new customers.
        var mix: Double
        /// Margin per customer per month (currency).
        var margin: Double
        /// The CRM's churn reduction and margin uplift at full reach (shares).
        var reduction: Double, uplift: Double
        /// Cost per new customer (currency).
        var cac: Double
    }

    /// What pass 2 gives back for one segment.
    struct SegmentOutcome {
        /// Customers with and without the CRM at the last month simulated.
        var with = 0.0, without = 0.0
        /// Present values of the segment's extra margin and extra acquisition cost (currency).
        var marginPresentValue = 0.0, acquisitionPresentValue = 0.0
        /// False when a month could not be recorded for ``BaselineDraws`` (the trial is then not kept).
        var recordable = true
    }

    /// Pass 2 for segment `s`, months 0…`last`: its customers in both worlds (the paths in
    /// `buffers`), its customer value added to each month's benefits (extra margin less extra
    /// acquisition cost, currency, undiscounted), and the present values of both.
    ///
    /// `kept` and `recorded` point at the segment's cells of a ``BaselineDraws`` (month t at
    /// t − 1). The without-CRM world's two draws are its own only while it has the higher churn
    /// and the lower arrivals; from the first month it does not, the segment draws everything
    /// (its shared customers take another path from there), and the trial is not recorded.
    ///
    /// `adoption` and `discount` are pass 1's A_t and discount factors; `arrivalsWithout` is the
    /// trial's new customers per month without the CRM, all segments together (× the segment's
    /// mix here).
    private func segmentMonths<Sampler: ProcessSampler & ~Copyable>(
        _ s: Int, _ segment: SegmentTrial, _ p: Parameters, through last: Int,
        adoption: [Double], discount: [Double], arrivalsWithout: Double,
        process: borrowing Sampler, processKey: UInt64,
        kept keptCells: UnsafeMutablePointer<BaselineDraws.Cell>?,
        recorded: UnsafeMutablePointer<BaselineDraws.Cell>?,
        buffers b: TrialWorkspace.CustomerBuffers
    ) -> SegmentOutcome {
        var outcome = SegmentOutcome()
        var customers = CoupledSegment(customers: Int(segment.start))
        var kept = keptCells
        let first = s * (horizon + 1)
        // Month 0 has no customer movements; customers earn from month 1 on.
        b.customersWith[first] = segment.start
        b.customersWithout[first] = segment.start
        b.churned[first] = 0
        b.joined[first] = 0
        b.margin[first] = 0
        b.churnProbability[first] = 0
        b.arrivalRate[first] = 0
        let arrivalsWithoutHere = arrivalsWithout * segment.mix
        for t in stride(from: 1, through: last, by: 1) {
            // The CRM reaches customers through the people who use it: with fewer seats than
            // users only the share `coverage` of them can, so the customer effects work through
            // A_t × coverage (docs/MODEL.md, "Seats, users and customer effects"); × 1 leaves A_t
            // exact.
            let reach = adoption[t] * p.coverage
            // Clamped like every count: the loader refuses scenarios whose draws come near
            // the limit, so only a one-in-a-million tail draw is cut (and cannot hang a trial).
            let arrivalsWith = min(Double(Limits.customers), p.newCustomers * (1 + p.winRateUplift * reach))
            let churn = segment.hazards?[t] ?? segment.churn
            let churnWith = min(1, max(0, churn * (1 - segment.reduction * reach)))
            let usual = churnWith <= churn && arrivalsWith * segment.mix >= arrivalsWithoutHere
            if !usual { kept = nil }
            let moved = customers.advance(
                churnWith: churnWith, churnWithout: churn,
                arrivalsWith: arrivalsWith * segment.mix, arrivalsWithout: arrivalsWithoutHere,
                process: process, processKey: processKey, segment: s, month: t, baseline: kept?[t - 1])
            if let recorded, outcome.recordable {
                if usual, moved.sharedLeaversHigh <= Int(UInt16.max), moved.arrivalsLow <= Int(UInt16.max) {
                    recorded[t - 1] = BaselineDraws.Cell(leavers: UInt16(moved.sharedLeaversHigh),
                                                         arrivals: UInt16(moved.arrivalsLow))
                } else {
                    outcome.recordable = false
                }
            }
            let path = first + t
            let with = Double(customers.withCRM)
            let without = Double(customers.withoutCRM)
            b.churnProbability[path] = churnWith
            b.arrivalRate[path] = arrivalsWith * segment.mix
            b.churned[path] = Double(moved.leftWith)
            b.joined[path] = Double(moved.joinedWith)
            b.customersWith[path] = with
            b.customersWithout[path] = without

            let earned = segment.margin * (1 + segment.uplift * reach) * with
            b.margin[path] = earned
            let extraMargin = earned - segment.margin * without
            // A new customer of this segment costs the same in both worlds: the CRM pays
            // for the extra ones it wins, at the segment's own cost per customer.
            let extraAcquisition = -segment.cac * Double(moved.joinedWith - moved.joinedWithout)
            b.benefits[t] += extraMargin + extraAcquisition
            outcome.marginPresentValue += extraMargin * discount[t]
            outcome.acquisitionPresentValue += extraAcquisition * discount[t]
        }
        // (With no customer month, the start itself, as drawn.)
        outcome.with = last >= 1 ? Double(customers.withCRM) : segment.start
        outcome.without = last >= 1 ? Double(customers.withoutCRM) : segment.start
        return outcome
    }

    // MARK: - Cash

    /// Pass 3, months 0…`last`: each month's other costs (all but the licence), cash flow,
    /// cumulative cash and cumulative discounted cash (currency); the present values of the
    /// benefits and the costs, and the lowest cumulative cash (0 or below).
    private func cashFlows(
        through last: Int, discount: [Double], costs: [Double], benefits: [Double], licence: [Double],
        buffers: TrialWorkspace.CashBuffers
    ) -> (pvBenefits: Double, pvCosts: Double, lowest: Double) {
        let other = buffers.otherCosts, flows = buffers.cash
        let running = buffers.cumulative, runningDiscounted = buffers.cumulativeDiscounted
        var total = 0.0, totalDiscounted = 0.0, pvBenefits = 0.0, pvCosts = 0.0, lowest = 0.0
        for t in 0...last {
            let monthCosts = costs[t], monthBenefits = benefits[t], d = discount[t]
            other[t] = monthCosts - licence[t]
            let flow = monthBenefits - monthCosts
            flows[t] = flow
            total += flow
            totalDiscounted += flow * d
            running[t] = total
            runningDiscounted[t] = totalDiscounted
            lowest = min(lowest, total)
            pvBenefits += monthBenefits * d
            pvCosts += monthCosts * d
        }
        return (pvBenefits, pvCosts, lowest)
    }
}
