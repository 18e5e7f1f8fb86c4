import Foundation
import GSLSupport

/// Where one trial's uniform random numbers come from: one per input, keyed by the input's
/// ``Uncertain/streamKey`` (the engine derives it from the seed and the trial number).
public protocol InputUniforms {
    /// A uniform number in the open interval (0, 1) for the input with this key.
    func uniform(forKey key: UInt64) -> Double
    /// The 64-bit key of the trial's monthly random process (churners, new customers): each
    /// draw restarts the process stream from this key combined with its segment, month and kind.
    var processKey: UInt64 { get }
}

/// The monthly business-case model of `docs/MODEL.md`, prepared once per scenario and then
/// run once per trial.
///
/// A `TrialModel` is an immutable value shared by all workers; each worker owns a
/// ``TrialWorkspace`` for its scratch arrays and results, so a trial allocates nothing.
public struct TrialModel: Sendable {
    public let scenario: Scenario
    /// Every input, in the order of ``Scenario/inputs``.
    public let inputs: [Uncertain]
    /// Names of the lines whose present value is tracked, in the order of
    /// ``TrialWorkspace/linePresentValues``.
    public let lines: [LineDescriptor]
    /// How the monthly customer counts (leavers, new customers) are drawn: crmcase's exact
    /// samplers or GSL's. Both are exact; the same seed gives different trials under each.
    public let countSampler: CountSampler
    public var horizon: Int { scenario.horizon }
    public var segmentCount: Int { scenario.segments.count }
    public var riskCount: Int { scenario.risks.count }

    // Positions of inputs in `inputs`.
    private let index: Layout
    // How each input turns its uniform into a value.
    private var samplers: [Sampler]
    // Correlated inputs: their positions in `inputs` and the copula that correlates their
    // uniforms (nil when the scenario has no correlations).
    private let correlated: [Int]
    private let copula: GaussianCopula?
    // Risk events forced to happen (true) or not (false) in every trial; nil: drawn.
    private var forcedRisks: [Bool?]
    private let streamKeys: [UInt64]
    /// ``uniformKeys``, kept: what the inlinable ``run(uniforms:process:workspace:)`` asks for.
    @usableFromInline let allUniformKeys: [UInt64]

    private enum Sampler: Sendable {
        case fixed(Double)
        case direct(Distribution)
        case table(QuantileTable)
    }
    // Keys of the risk occurrence uniforms (`risks[NAME].occurs`).
    private let occurrenceKeys: [UInt64]
    // Plain copies of what the monthly loop reads, so the hot loop touches no strings.
    private let costPlan: [LinePlan]
    private let benefitPlan: [LinePlan]
    private let segmentMix: [Double]
    /// Per segment: churn probability of month t (index t) from an sBG retention curve, or nil
    /// for a constant churn drawn in each trial.
    private let retentionHazards: [[Double]?]
    private let licenceMonths: ClosedRange<Int>
    private let isBass: Bool
    /// A hash of ``retentionHazards`` (part of ``BaselineDraws``' fingerprints).
    private let retentionFingerprint: UInt64

    private struct LinePlan: Sendable {
        var basis: Line.Basis
        var from: Int
        var to: Int
        var scalesWithAdoption: Bool
        init(_ line: Line) {
            basis = line.basis
            from = line.from
            to = line.to
            scalesWithAdoption = line.scalesWithAdoption
        }
    }

    /// What a tracked line is, for reports.
    public struct LineDescriptor: Sendable, Hashable {
        public enum Kind: String, Sendable {
            case cost
            case benefit
        }
        public var name: String
        public var kind: Kind
    }

    private struct Layout: Sendable {
        var discount = 0, seats = 0, price = 0, escalation = 0, goLive = 0, ceiling = 0
        var users: Int?
        var curveA = 0, curveB = 0
        var costs: [Int] = [], benefits: [Int] = []
        var newCustomers = 0, winRate = 0, cac = 0
        var segments: [(customers: Int, margin: Int, churn: Int, reduction: Int, uplift: Int, cac: Int?)] = []
        var risks: [(probability: Int, sizes: [Int])] = []
    }

    /// - Parameter countSampler: how the monthly customer counts are drawn (``CountSampler``).
    public init(scenario: Scenario, countSampler: CountSampler = .fast) {
        self.countSampler = countSampler
        self.scenario = scenario
        let inputs = scenario.inputs
        self.inputs = inputs
        var position: [String: Int] = [:]
        for (i, input) in inputs.enumerated() where position[input.name] == nil {
            position[input.name] = i
        }
        func at(_ u: Uncertain) -> Int { position[u.name]! }
        var layout = Layout()
        layout.discount = at(scenario.discountRate)
        layout.seats = at(scenario.licences.seats)
        layout.users = scenario.licences.users.map(at)
        layout.price = at(scenario.licences.price)
        layout.escalation = at(scenario.licences.escalation)
        layout.goLive = at(scenario.adoption.goLive)
        layout.ceiling = at(scenario.adoption.ceiling)
        switch scenario.adoption.curve {
        case .logistic(let h, let k): layout.curveA = at(h); layout.curveB = at(k)
        case .bass(let p, let q): layout.curveA = at(p); layout.curveB = at(q)
        }
        layout.costs = scenario.costs.map { at($0.amount) }
        layout.benefits = scenario.benefits.map { at($0.amount) }
        layout.newCustomers = at(scenario.acquisition.newCustomers)
        layout.winRate = at(scenario.acquisition.winRateUplift)
        layout.cac = at(scenario.acquisition.costPerCustomer)
        layout.segments = scenario.segments.map {
            (at($0.customers), at($0.margin), at($0.churn), at($0.churnReduction), at($0.marginUplift),
             $0.costPerCustomer.map(at))
        }
        layout.risks = scenario.risks.map { (at($0.probability), $0.effects.map { at($0.size) }) }
        self.index = layout
        self.streamKeys = inputs.map(\.streamKey)
        let (names, rows) = InputCorrelation.matrix(scenario.correlations)
        self.correlated = names.map { position[$0]! }
        // The scenario format checked the matrix; a contradictory one never gets here.
        self.copula = names.isEmpty ? nil
            : (try? CorrelationMatrix(rows, names: names)).flatMap { try? GaussianCopula(spearman: $0) }
        self.forcedRisks = scenario.risks.map { _ in nil }
        self.samplers = inputs.map { input in
            switch input.distribution {
            case .fixed(let x): return .fixed(x)
            case let d where d.hasIterativeQuantile: return .table(QuantileTable.shared(d))
            case let d: return .direct(d)
            }
        }
        self.occurrenceKeys = scenario.risks.map { Uncertain.fnv1a("risks[\($0.name)].occurs") }
        self.allUniformKeys = streamKeys + occurrenceKeys
        self.costPlan = scenario.costs.map(LinePlan.init)
        self.benefitPlan = scenario.benefits.map(LinePlan.init)
        self.segmentMix = scenario.segments.map(\.mix)
        self.retentionHazards = scenario.segments.map { segment in
            segment.retention.map { sbg in
                [0] + (1...max(1, scenario.horizon)).map { 1 - sbg.retentionRate(inPeriod: $0) }
            }
        }
        var retentionHash: UInt64 = 0x7265_7465_6e74_696f               // "retentio"
        for hazards in retentionHazards {
            retentionHash = SplitMix64.mix(retentionHash ^ UInt64(hazards?.count ?? 0))
            for h in hazards ?? [] { retentionHash = SplitMix64.mix(retentionHash ^ h.bitPattern) }
        }
        self.retentionFingerprint = retentionHash
        self.licenceMonths = scenario.licences.from...max(scenario.licences.from, scenario.licences.to)
        if case .bass = scenario.adoption.curve { isBass = true } else { isBass = false }

        var lines: [LineDescriptor] = [LineDescriptor(name: "Licences", kind: .cost)]
        lines += scenario.costs.map { LineDescriptor(name: $0.name, kind: .cost) }
        lines += scenario.benefits.map { LineDescriptor(name: $0.name, kind: .benefit) }
        for segment in scenario.segments {
            lines.append(LineDescriptor(name: "Customer margin: \(segment.name)", kind: .benefit))
            lines.append(LineDescriptor(name: "Extra acquisition cost: \(segment.name)", kind: .benefit))
        }
        self.lines = lines
    }

    /// Every key a trial asks its ``InputUniforms`` for: one per input (in ``inputs`` order),
    /// then one per risk event for whether it happens. A trial is a deterministic function of
    /// these uniforms and its process stream.
    public var uniformKeys: [UInt64] { allUniformKeys }

    /// A workspace sized for this model.
    public func makeWorkspace(recordsPath: Bool = true) -> TrialWorkspace {
        TrialWorkspace(months: horizon + 1, segments: segmentCount, inputs: inputs.count,
                       lines: lines.count, risks: riskCount, uniforms: allUniformKeys.count)
    }

    // MARK: - One trial

    /// Draws the inputs of one trial, applies its risk events and runs months 0…H.
    ///
    /// Results land in `workspace`: the drawn inputs, the monthly paths and the trial's
    /// outcomes. The random process (churners, new customers) draws each count from the
    /// counter-based stream of its own key, made of the uniforms' ``InputUniforms/processKey``,
    /// the segment, the month and the kind of draw (``ProcessDraw``) — so the draws of one cell
    /// do not depend on how many uniforms other draws used, and two scenarios that share the key
    /// share their luck as far as their parameters allow. With ``countSampler`` `.gsl` the draws
    /// go through `process` (a ``RandomStream/init(key:)`` stream the caller owns, one per
    /// thread); with `.fast` `process` is not used.
    ///
    /// Inlinable so that the caller's module specialises it for its own `U`: the trial's
    /// uniforms are then computed inline into the workspace (no call through a protocol
    /// witness per uniform), and the rest of the trial is the non-generic
    /// ``run(uniformValues:processKey:process:workspace:)``.
    ///
    /// With `baseline` the trial records its without-CRM world's draws into a
    /// ``BaselineDraws``, or uses the ones kept there by another run of the same trial: the same
    /// results either way, only faster (see ``BaselineDraws``).
    @inlinable
    public func run<U: InputUniforms>(
        uniforms: U, process: borrowing RandomStream, workspace w: inout TrialWorkspace,
        baseline: BaselineDraws.Slot? = nil
    ) {
        let keys = allUniformKeys
        w.uniformValues.withUnsafeMutableBufferPointer { values in
            keys.withUnsafeBufferPointer { keys in
                for k in keys.indices { values[k] = uniforms.uniform(forKey: keys[k]) }
            }
        }
        runDrawn(processKey: uniforms.processKey, process: process, workspace: &w, throughMonth: horizon,
                 baseline: baseline)
    }

    /// One trial from its uniforms given directly: `uniformValues[k]` is the uniform of
    /// ``uniformKeys``[k] (one per input, then one per risk event), `processKey` the key of its
    /// monthly process. The same trial as ``run(uniforms:process:workspace:)`` with uniforms that
    /// give these values.
    ///
    /// With `lastMonth` below the horizon only months 0…`lastMonth` are simulated: the drawn
    /// inputs, risk events and every monthly path up to that month are exactly those of the full
    /// trial (a month's draws depend on earlier months only, each from its own key), the later
    /// months of the paths are left as they were, and the trial's outcomes (NPV, ROI, IRR,
    /// payback, CLV) are NaN — for a follow-up, whose likelihood needs only the months with
    /// actuals and which runs each proposed future that far before it keeps one.
    public func run(uniformValues: UnsafeBufferPointer<Double>, processKey: UInt64,
                    process: borrowing RandomStream, workspace w: inout TrialWorkspace,
                    throughMonth lastMonth: Int? = nil) {
        precondition(uniformValues.count == allUniformKeys.count, "one uniform per key of uniformKeys")
        w.uniformValues.withUnsafeMutableBufferPointer { values in
            for k in values.indices { values[k] = uniformValues[k] }
        }
        runDrawn(processKey: processKey, process: process, workspace: &w, throughMonth: lastMonth ?? horizon)
    }

    /// The trial whose uniforms are in `w.uniformValues`, simulated through month `lastMonth`.
    @usableFromInline
    func runDrawn(processKey: UInt64, process: borrowing RandomStream, workspace w: inout TrialWorkspace,
                  throughMonth lastMonth: Int, baseline: BaselineDraws.Slot? = nil) {
        drawInputs(into: &w)
        let p = parameters(workspace: &w)
        // Kept draws only for whole trials, laid out for this model's segments and months.
        let baseline = lastMonth >= horizon && baseline?.use.draws.cellsPerTrial == segmentCount * horizon ? baseline : nil
        switch countSampler {
        case .fast: simulate(p, process: FastProcessSampler(), processKey: processKey, workspace: &w, through: lastMonth,
                             baseline: baseline)
        case .gsl: simulate(p, process: process, processKey: processKey, workspace: &w, through: lastMonth,
                            baseline: baseline)
        }
    }

    /// Everything a trial's without-CRM world depends on, hashed: the process key, the count
    /// sampler, the months, and per segment its customers at the start, its churn (the drawn
    /// one, or the scenario's retention curve) and its arrivals. Never 0 (0 marks "not kept").
    private func baselineFingerprint(processKey: UInt64, arrivalsWithout: Double, workspace w: TrialWorkspace) -> UInt64 {
        var h = SplitMix64.mix(processKey ^ 0x6261_7365_6c69_6e65)        // "baseline"
        @inline(__always) func add(_ bits: UInt64) { h = SplitMix64.mix(h ^ bits) }
        add(countSampler == .fast ? 1 : 2)
        add(UInt64(horizon))
        add(retentionFingerprint)
        add(arrivalsWithout.bitPattern)
        for s in 0..<segmentCount {
            add(w.segmentStart[s].bitPattern)
            add(w.segmentChurn[s].bitPattern)
            add(segmentMix[s].bitPattern)
        }
        return h == 0 ? 1 : h
    }

    /// The inputs one trial draws, in the order of ``inputs`` (before risk events).
    public func drawnInputs<U: InputUniforms>(uniforms: U) -> [Double] {
        var values = [Double](repeating: 0, count: inputs.count)
        drawInputs(uniforms: uniforms, into: &values)
        return values
    }

    /// Writes the inputs one trial draws into `values` (``inputs`` order), without allocating.
    public func drawInputs<U: InputUniforms>(uniforms: U, into values: inout [Double]) {
        guard let copula else {
            for i in inputs.indices {
                switch samplers[i] {
                case .fixed(let x): values[i] = x
                case .direct(let d): values[i] = d.quantile(uniforms.uniform(forKey: streamKeys[i]))
                case .table(let table): values[i] = table.quantile(uniforms.uniform(forKey: streamKeys[i]))
                }
            }
            return
        }
        // Uniforms first, then the correlated ones through the copula, then the quantiles.
        for i in inputs.indices { values[i] = uniforms.uniform(forKey: streamKeys[i]) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: correlated.count) { u in
            for (k, i) in correlated.enumerated() { u[k] = values[i] }
            copula.correlate(u)
            for (k, i) in correlated.enumerated() { values[i] = u[k] }
        }
        for i in inputs.indices {
            switch samplers[i] {
            case .fixed(let x): values[i] = x
            case .direct(let d): values[i] = d.quantile(values[i])
            case .table(let table): values[i] = table.quantile(values[i])
            }
        }
    }

    /// The same model with some inputs held at fixed values (by position in ``inputs``) and some
    /// risk events forced to happen or not (by position in the scenario's risks): the rest stays
    /// uncertain and draws exactly as before, so runs of the two models share their futures.
    public func holding(inputs held: [Int: Double] = [:], risks forced: [Int: Bool] = [:]) -> TrialModel {
        var copy = self
        for (i, value) in held { copy.samplers[i] = .fixed(value) }
        for (r, happens) in forced { copy.forcedRisks[r] = happens }
        return copy
    }

    /// Draws every input by inverse transform of its uniform in `w.uniformValues` (through a
    /// ``QuantileTable`` for the beta and gamma families), after the copula for correlated ones.
    private func drawInputs(into w: inout TrialWorkspace) {
        let u = w.uniformValues
        w.inputValues.withUnsafeMutableBufferPointer { values in
            guard let copula else {
                for i in inputs.indices {
                    switch samplers[i] {
                    case .fixed(let x): values[i] = x
                    case .direct(let d): values[i] = d.quantile(u[i])
                    case .table(let table): values[i] = table.quantile(u[i])
                    }
                }
                return
            }
            // Uniforms first, then the correlated ones through the copula, then the quantiles.
            for i in inputs.indices { values[i] = u[i] }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: correlated.count) { c in
                for (k, i) in correlated.enumerated() { c[k] = values[i] }
                copula.correlate(c)
                for (k, i) in correlated.enumerated() { values[i] = c[k] }
            }
            for i in inputs.indices {
                switch samplers[i] {
                case .fixed(let x): values[i] = x
                case .direct(let d): values[i] = d.quantile(values[i])
                case .table(let table): values[i] = table.quantile(values[i])
                }
            }
        }
    }

    /// The effective parameters of one trial, after risk events.
    struct Parameters {
        var monthlyDiscount: Double
        var seats: Double
        var price: Double
        var escalation: Double
        var goLive: Int
        var ceiling: Double
        var curveA: Double
        var curveB: Double
        var oneOffFactor: Double
        var recurringFactor: Double
        var effectFactor: Double
        var newCustomers: Double
        var winRateUplift: Double
        /// min(1, seats ÷ users): the share of the people who should use the CRM who have a
        /// seat. Customer effects work through A_t × coverage (1 without `licences.users`).
        var coverage: Double
    }

    private func parameters(workspace w: inout TrialWorkspace) -> Parameters {
        let v = w.inputValues
        let inputCount = inputs.count
        var ceilingFactor = 1.0, effect = 1.0, oneOff = 1.0, recurring = 1.0, priceFactor = 1.0
        var delay = 0
        for (r, risk) in scenario.risks.enumerated() {
            let probability = min(1, max(0, v[index.risks[r].probability]))
            let occurs = forcedRisks[r] ?? (w.uniformValues[inputCount + r] < probability)
            w.riskOccurred[r] = occurs
            guard occurs else { continue }
            // One occurrence, every effect of the event: they happen together or not at all.
            for (e, thisEffect) in risk.effects.enumerated() {
                let size = v[index.risks[r].sizes[e]]
                switch thisEffect.target {
                case .adoptionCeiling: ceilingFactor *= max(0, size)
                case .crmEffects: effect *= max(0, size)
                case .oneOffCosts: oneOff *= max(0, size)
                case .recurringCosts: recurring *= max(0, size)
                case .licencePrice: priceFactor *= max(0, size)
                case .goLive: delay += wholeMonths(size)
                }
            }
        }
        let defaultCAC = max(0, v[index.cac])
        for s in 0..<segmentCount {
            let slot = index.segments[s]
            w.segmentStart[s] = wholeCount(v[slot.customers])
            w.segmentMargin[s] = v[slot.margin]
            w.segmentChurn[s] = Finance.monthlyChurn(annual: min(1, max(0, v[slot.churn])))
            // Bounded whatever the draw: the loader accepts only distributions that stay in
            // range (or leave it in at most one trial in a million), and this keeps even that
            // one inside, so the CRM never raises churn or cuts margins through a tail draw.
            w.segmentReduction[s] = min(1, max(0, v[slot.reduction])) * effect
            w.segmentUplift[s] = max(0, v[slot.uplift]) * effect
            w.segmentCAC[s] = slot.cac.map { max(0, v[$0]) } ?? defaultCAC
        }
        let seats = wholeCount(v[index.seats])
        return Parameters(
            monthlyDiscount: Finance.monthlyRate(annual: max(-0.99, v[index.discount])),
            seats: seats,
            price: max(0, v[index.price]) * priceFactor,
            escalation: v[index.escalation],
            goLive: wholeMonths(v[index.goLive]) + delay,
            ceiling: min(1, max(0, v[index.ceiling] * ceilingFactor)),
            curveA: v[index.curveA],
            curveB: v[index.curveB],
            oneOffFactor: oneOff,
            recurringFactor: recurring,
            effectFactor: effect,
            newCustomers: max(0, v[index.newCustomers]),
            winRateUplift: max(0, v[index.winRate]) * effect,
            coverage: Licences.coverage(seats: seats, users: index.users.map { wholeCount(v[$0]) })
        )
    }

    /// A drawn number of months as whole months in 0…horizon + 1: a go-live after the horizon
    /// is simply "never within the horizon", and a heavy-tailed draw cannot overflow `Int`.
    @inline(__always)
    private func wholeMonths(_ value: Double) -> Int {
        Int(min(Double(horizon + 1), max(0, value)).rounded())
    }

    /// A drawn count (seats, customers) as a whole number in 0…10⁹, so that a heavy-tailed
    /// draw cannot overflow the integer arithmetic of the customer process.
    @inline(__always)
    private func wholeCount(_ value: Double) -> Double {
        min(1e9, max(0, value)).rounded()
    }

    /// The adoption share A_t of `docs/MODEL.md`.
    @inline(__always)
    public static func adoption(month t: Int, goLive: Int, ceiling: Double, bass: Bool, a: Double, b: Double) -> Double {
        guard t >= goLive else { return 0 }
        let tau = Double(t - goLive)
        if bass {
            // a = p (innovation), b = q (imitation), both per month.
            guard a > 0 else { return 0 }
            let e = exp(-(a + b) * tau)
            return ceiling * (1 - e) / (1 + (b / a) * e)
        }
        // a = months from go-live to half the ceiling, b = steepness per month.
        return ceiling / (1 + exp(-b * (tau - a)))
    }

    private func simulate<Sampler: ProcessSampler & ~Copyable>(
        _ p: Parameters, process: borrowing Sampler, processKey: UInt64, workspace w: inout TrialWorkspace,
        through lastMonth: Int, baseline: BaselineDraws.Slot?
    ) {
        let H = horizon
        let S = segmentCount
        let costCount = scenario.costs.count
        let benefitCount = scenario.benefits.count
        let values = w.inputValues
        for k in w.linePresentValues.indices { w.linePresentValues[k] = 0 }

        // Segment state: whole customers in both worlds, on common random numbers.
        for s in 0..<S {
            w.customers[s] = CoupledSegment(customers: Int(w.segmentStart[s]))
            w.customersWith[s] = w.segmentStart[s]
            w.customersWithout[s] = w.segmentStart[s]
            // Month 0 has no customer movements; customers earn from month 1 on.
            let first = s * (H + 1)
            w.churnedPath[first] = 0
            w.joinedPath[first] = 0
            w.marginPath[first] = 0
            w.churnProbabilityPath[first] = 0
            w.arrivalRatePath[first] = 0
        }

        // The without-CRM world's kept draws (BaselineDraws): the cells to use or to fill.
        let arrivalsWithoutCRM = min(Double(Limits.customers), p.newCustomers)
        var kept = BaselineCursor()
        var fingerprint: UInt64 = 0
        if let baseline {
            fingerprint = baselineFingerprint(processKey: processKey, arrivalsWithout: arrivalsWithoutCRM, workspace: w)
            switch baseline.use {
            case .reuse(let draws): kept.keptCells = draws.kept(trial: baseline.trial, fingerprint: fingerprint)
            case .record(let draws): kept.recordedCells = draws.recording(trial: baseline.trial)
            }
        }

        let v = 1 / (1 + p.monthlyDiscount)
        var discount = 1.0
        var cumulative = 0.0
        var cumulativeDiscounted = 0.0
        var pvBenefits = 0.0
        var pvCosts = 0.0
        var lowest = 0.0
        // The licence escalation factor of the current licence year: one `pow` a year, not one a
        // month (the same value, so the same bits).
        var escalationYears = -1.0
        var escalationFactor = 1.0

        for t in 0...min(H, max(0, lastMonth)) {
            let a = TrialModel.adoption(month: t, goLive: p.goLive, ceiling: p.ceiling,
                                        bass: isBass, a: p.curveA, b: p.curveB)
            var costs = 0.0
            var benefits = 0.0

            // Licences: seats × price per seat per month, escalated on each anniversary.
            var licence = 0.0
            if licenceMonths.contains(t) {
                let years = Double((t - licenceMonths.lowerBound) / 12)
                if years != escalationYears {
                    escalationFactor = pow(1 + p.escalation, years)
                    escalationYears = years
                }
                licence = p.seats * p.price * escalationFactor
                costs += licence
                w.linePresentValues[0] += licence * discount
            }
            w.licenceCostPath[t] = licence

            // Cost lines.
            for c in 0..<costCount {
                let line = costPlan[c]
                guard t >= line.from && t <= line.to else { continue }
                var amount = values[index.costs[c]]
                switch line.basis {
                case .once: amount = amount * p.oneOffFactor / Double(line.to - line.from + 1)
                case .month: amount *= p.recurringFactor
                case .seat: amount *= p.recurringFactor * p.seats
                case .activeUserMonth: amount *= p.recurringFactor * p.seats * a
                }
                costs += amount
                w.linePresentValues[1 + c] += amount * discount
            }

            // Benefit lines: "at full adoption", scaled by A_t unless the line says otherwise.
            // A `crm_effects` risk cuts what the CRM achieves through being used; a line that
            // does not scale with adoption (a retired system's savings) does not depend on use,
            // so the factor leaves it alone (docs/MODEL.md, "Risk events").
            for b in 0..<benefitCount {
                let line = benefitPlan[b]
                guard t >= line.from && t <= line.to else { continue }
                var amount = values[index.benefits[b]]
                if line.scalesWithAdoption { amount *= p.effectFactor }
                switch line.basis {
                case .once: amount /= Double(line.to - line.from + 1)
                case .month: break
                case .seat, .activeUserMonth: amount *= p.seats
                }
                if line.scalesWithAdoption { amount *= a }
                benefits += amount
                w.linePresentValues[1 + costCount + b] += amount * discount
            }

            // Customers: months 1…H, both worlds on the same luck (CoupledSegment). The CRM
            // reaches customers through the people who use it: with fewer seats than users only
            // the share `coverage` of them can, so the customer effects work through A_t ×
            // coverage (docs/MODEL.md, "Seats, users and customer effects"); × 1 leaves A_t exact.
            if t >= 1 {
                let reach = a * p.coverage
                // Clamped like every count: the loader refuses scenarios whose draws come near
                // the limit, so only a one-in-a-million tail draw is cut (and cannot hang a trial).
                let arrivalsWithout = arrivalsWithoutCRM
                let arrivalsWith = min(Double(Limits.customers), p.newCustomers * (1 + p.winRateUplift * reach))
                customerMonth(t, reach: reach, arrivalsWith: arrivalsWith, arrivalsWithout: arrivalsWithout,
                              discount: discount, process: process, processKey: processKey,
                              workspace: &w, kept: &kept, benefits: &benefits)
            }

            w.otherCostsPath[t] = costs - licence
            let flow = benefits - costs
            w.cash[t] = flow
            cumulative += flow
            cumulativeDiscounted += flow * discount
            w.cumulativeCash[t] = cumulative
            w.cumulativeDiscountedCash[t] = cumulativeDiscounted
            lowest = min(lowest, cumulative)
            pvBenefits += benefits * discount
            pvCosts += costs * discount
            w.adoptionPath[t] = a
            for s in 0..<S {
                w.customersWithPath[s * (H + 1) + t] = w.customersWith[s]
                w.customersWithoutPath[s * (H + 1) + t] = w.customersWithout[s]
            }
            discount *= v
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
        if let baseline, case .record(let draws) = baseline.use, kept.recordable, kept.recordedCells != nil {
            draws.keep(trial: baseline.trial, fingerprint: fingerprint)
        }
        w.npv = pvBenefits - pvCosts
        w.pvBenefits = pvBenefits
        w.pvCosts = pvCosts
        w.roi = pvCosts > 0 ? (pvBenefits - pvCosts) / pvCosts : .nan
        w.irr = w.cash.withUnsafeBufferPointer { Finance.irr($0) }
        w.payback = w.cumulativeCash.withUnsafeBufferPointer { Finance.paybackMonth(cumulative: $0) }
        w.discountedPayback = w.cumulativeDiscountedCash.withUnsafeBufferPointer {
            Finance.paybackMonth(cumulative: $0)
        }
        w.peakFunding = -lowest

        // CLV per segment, with the CRM at the trial's adoption ceiling (after risk events),
        // reaching customers through the covered share of the users like the monthly loop.
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

    /// Where a trial stands with its ``BaselineDraws``: the cells it still uses (nil from the
    /// first month that leaves the path they were kept on) or fills, and whether it can be kept.
    private struct BaselineCursor {
        var keptCells: UnsafeMutablePointer<BaselineDraws.Cell>?
        var recordedCells: UnsafeMutablePointer<BaselineDraws.Cell>?
        var recordable = true
    }

    /// Month `t` (1…H) of every segment's customers in both worlds: the counts, the paths, and
    /// the customer lines' present values. Adds the month's customer benefits to `benefits`
    /// (currency: extra margin less extra acquisition cost, undiscounted), segment by segment.
    ///
    /// A function of its own, not inlined: as part of `simulate` the loop made that function too
    /// large for the optimiser to inline the arrays' accessors, which cost about 6 % of a trial.
    @inline(never)
    private func customerMonth<Sampler: ProcessSampler & ~Copyable>(
        _ t: Int, reach: Double, arrivalsWith: Double, arrivalsWithout: Double, discount: Double,
        process: borrowing Sampler, processKey: UInt64, workspace w: inout TrialWorkspace,
        kept cursor: inout BaselineCursor, benefits: inout Double
    ) {
        let H = horizon
        let costCount = scenario.costs.count
        let benefitCount = scenario.benefits.count
        for s in 0..<segmentCount {
            let mix = segmentMix[s]
            let churn = retentionHazards[s]?[t] ?? w.segmentChurn[s]
            let churnWith = min(1, max(0, churn * (1 - w.segmentReduction[s] * reach)))
            // The without-CRM world's two draws are its own only while it has the higher
            // churn and the lower arrivals; from the first month it does not, the trial draws
            // everything (that segment's shared customers take another path; a fresh draw is
            // right for every segment, so one switch serves them all).
            let cell = s * H + (t - 1)
            let usual = churnWith <= churn && arrivalsWith * mix >= arrivalsWithout * mix
            if !usual { cursor.keptCells = nil }
            let kept = cursor.keptCells?[cell]
            let moved = w.customers[s].advance(
                churnWith: churnWith, churnWithout: churn,
                arrivalsWith: arrivalsWith * mix, arrivalsWithout: arrivalsWithout * mix,
                process: process, processKey: processKey, segment: s, month: t, baseline: kept)
            if let recordedCells = cursor.recordedCells, cursor.recordable {
                if usual, moved.sharedLeaversHigh <= Int(UInt16.max), moved.arrivalsLow <= Int(UInt16.max) {
                    recordedCells[cell] = BaselineDraws.Cell(leavers: UInt16(moved.sharedLeaversHigh),
                                                             arrivals: UInt16(moved.arrivalsLow))
                } else {
                    cursor.recordable = false
                }
            }
            let path = s * (H + 1) + t
            w.churnProbabilityPath[path] = churnWith
            w.arrivalRatePath[path] = arrivalsWith * mix
            w.churnedPath[path] = Double(moved.leftWith)
            w.joinedPath[path] = Double(moved.joinedWith)
            let with = Double(w.customers[s].withCRM)
            let without = Double(w.customers[s].withoutCRM)
            w.customersWith[s] = with
            w.customersWithout[s] = without

            let margin = w.segmentMargin[s]
            let earned = margin * (1 + w.segmentUplift[s] * reach) * with
            w.marginPath[path] = earned
            let extraMargin = earned - margin * without
            // A new customer of this segment costs the same in both worlds: the CRM pays
            // for the extra ones it wins, at the segment's own cost per customer.
            let extraAcquisition = -w.segmentCAC[s] * Double(moved.joinedWith - moved.joinedWithout)
            benefits += extraMargin + extraAcquisition
            let slot = 1 + costCount + benefitCount + 2 * s
            w.linePresentValues[slot] += extraMargin * discount
            w.linePresentValues[slot + 1] += extraAcquisition * discount
        }
    }
}

/// Scratch space and results of one trial, owned by one worker and reused trial after trial.
public struct TrialWorkspace: Sendable {
    /// The trial's uniforms, in the order of ``TrialModel/uniformKeys``.
    @usableFromInline var uniformValues: [Double]
    // Drawn inputs, in the order of `TrialModel.inputs`.
    public internal(set) var inputValues: [Double]
    public internal(set) var riskOccurred: [Bool]

    // Effective segment parameters of the trial.
    var segmentStart: [Double]
    var segmentMargin: [Double]
    /// Monthly churn probability.
    var segmentChurn: [Double]
    var segmentReduction: [Double]
    var segmentUplift: [Double]
    /// Cost per new customer of each segment (its own, or the acquisition default).
    public internal(set) var segmentCAC: [Double]
    /// Whole customers per segment in both worlds (the customer process's state).
    var customers: [CoupledSegment]
    /// The same counts as numbers: with and without the CRM, per segment.
    var customersWith: [Double]
    var customersWithout: [Double]

    // Monthly paths, months 0…H.
    /// Incremental cash flow of each month.
    public internal(set) var cash: [Double]
    public internal(set) var cumulativeCash: [Double]
    public internal(set) var cumulativeDiscountedCash: [Double]
    public internal(set) var adoptionPath: [Double]
    /// Segment-major: segment s, month t at s·(H + 1) + t.
    public internal(set) var customersWithPath: [Double]
    public internal(set) var customersWithoutPath: [Double]
    /// Segment-major, like `customersWithPath`: customers lost and won in each month, the
    /// margin earned with the CRM, and the churn probability and expected arrivals that
    /// month (what actuals are weighed against in a re-forecast).
    public internal(set) var churnedPath: [Double]
    public internal(set) var joinedPath: [Double]
    public internal(set) var marginPath: [Double]
    public internal(set) var churnProbabilityPath: [Double]
    public internal(set) var arrivalRatePath: [Double]
    /// Licence cost and all other costs of each month.
    public internal(set) var licenceCostPath: [Double]
    public internal(set) var otherCostsPath: [Double]
    /// Licensed seats in the trial (after rounding).
    public internal(set) var seatsInTrial = 0.0

    // Outcomes.
    public internal(set) var npv = 0.0
    public internal(set) var pvBenefits = 0.0
    public internal(set) var pvCosts = 0.0
    /// NaN when PV costs is 0.
    public internal(set) var roi = 0.0
    public internal(set) var irr: Finance.IRR = .noSignChange
    public internal(set) var payback: Int?
    public internal(set) var discountedPayback: Int?
    public internal(set) var peakFunding = 0.0
    public internal(set) var clvWith: [Double]
    public internal(set) var clvWithout: [Double]
    /// NaN when the segment's cost per new customer is 0.
    public internal(set) var ltvToCac: [Double]
    /// Present value of each tracked line (see `TrialModel.lines`); costs are positive.
    public internal(set) var linePresentValues: [Double]

    init(months: Int, segments: Int, inputs: Int, lines: Int, risks: Int, uniforms: Int) {
        uniformValues = Array(repeating: 0.5, count: uniforms)
        inputValues = Array(repeating: 0, count: inputs)
        riskOccurred = Array(repeating: false, count: risks)
        segmentStart = Array(repeating: 0, count: segments)
        segmentMargin = segmentStart
        segmentChurn = segmentStart
        segmentReduction = segmentStart
        segmentUplift = segmentStart
        segmentCAC = segmentStart
        customers = Array(repeating: CoupledSegment(customers: 0), count: segments)
        customersWith = segmentStart
        customersWithout = segmentStart
        cash = Array(repeating: 0, count: months)
        cumulativeCash = cash
        cumulativeDiscountedCash = cash
        adoptionPath = cash
        customersWithPath = Array(repeating: 0, count: months * segments)
        customersWithoutPath = customersWithPath
        churnedPath = customersWithPath
        joinedPath = customersWithPath
        marginPath = customersWithPath
        churnProbabilityPath = customersWithPath
        arrivalRatePath = customersWithPath
        licenceCostPath = cash
        otherCostsPath = cash
        clvWith = segmentStart
        clvWithout = segmentStart
        ltvToCac = segmentStart
        linePresentValues = Array(repeating: 0, count: lines)
    }

    /// Customers with the CRM at the horizon, per segment.
    public var customersAtHorizon: [Double] { customersWith }
    /// Customers without the CRM at the horizon, per segment (whole customers, on the same
    /// random numbers as ``customersAtHorizon``).
    public var baselineCustomersAtHorizon: [Double] { customersWithout }
}
