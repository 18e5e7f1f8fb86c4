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
    let index: Layout
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
    let costPlan: [LinePlan]
    let benefitPlan: [LinePlan]
    let segmentMix: [Double]
    /// Per segment: churn probability of month t (index t) from an sBG retention curve, or nil
    /// for a constant churn drawn in each trial.
    let retentionHazards: [[Double]?]
    let licenceMonths: ClosedRange<Int>
    let isBass: Bool
    /// A hash of ``retentionHazards`` (part of ``BaselineDraws``' fingerprints).
    let retentionFingerprint: UInt64

    struct LinePlan: Sendable {
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

    struct Layout: Sendable {
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
    public func makeWorkspace() -> TrialWorkspace {
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
    func baselineFingerprint(processKey: UInt64, arrivalsWithout: Double, workspace w: TrialWorkspace) -> UInt64 {
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
}
