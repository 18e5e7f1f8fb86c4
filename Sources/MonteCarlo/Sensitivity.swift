import CRMModel

/// What drives the NPV, and what it would be worth to know an input before deciding.
///
/// For every uncertain input and every risk event:
/// - **Spearman rank correlation** of its drawn value (for a risk: whether it happened) with the
///   NPV over the run's trials.
/// - **Swing**: the mean NPV when the input is held at its P10 and at its P90 (a risk: forced not
///   to happen and to happen) with everything else uncertain — two extra runs per input on the
///   run's own futures (common random numbers), so the difference is precise even with few trials.
/// - **EVPPI** (expected value of partial perfect information) for the go / no-go decision —
///   invest (NPV) or not (0): E_x[max(E[NPV | x], 0)] − max(E[NPV], 0), estimated by binning the
///   trials on the input's value (Strong & Oakley 2013) into equal-count bins. Noise in the bin
///   means biases that estimate upwards (E[max(X, 0)] > max(E[X], 0)), strongly when the NPV is
///   near zero; the bias is measured by binning the same trials on a random number that has
///   nothing to do with them, with the same bins, and subtracted (results below 0 become 0).
/// - **EVPI** for all inputs together: E[max(NPV, 0)] − max(E[NPV], 0).
public struct Sensitivity: Sendable {
    public struct Effect: Sendable {
        public let name: String
        /// True for a risk event (value: whether it happens).
        public let isRisk: Bool
        public let spearman: Double
        /// Mean NPV with the input at P10 (risk: not happening) and at P90 (risk: happening).
        public let npvLow: Double
        public let npvHigh: Double
        public var swing: Double { npvHigh - npvLow }
        public let evppi: Double
    }

    /// A requested rank correlation and the one the run's trials show.
    public struct CorrelationCheck: Sendable {
        public let first: String
        public let second: String
        public let requested: Double
        public let achieved: Double
    }

    /// Sorted by the size of the swing, largest first.
    public let effects: [Effect]
    /// One per correlation in the scenario.
    public let correlations: [CorrelationCheck]
    public let evpi: Double
    /// Trials in each swing run.
    public let swingTrials: Int
    /// Standard error of the mean NPV of the run: the noise floor of the EVPPI estimates.
    public let noiseFloor: Double

    /// Analyses a finished run; `swingTrials` trials per swing run.
    public init(result: SimulationResult, swingTrials requested: Int = 2000) {
        let model = result.model
        let n = result.trials
        let npv = (0..<n).map { result.perTrial.npv($0) }
        let meanNPV = result.npv.mean
        noiseFloor = result.npv.standardError
        evpi = npv.reduce(0) { $0 + max($1, 0) } / Double(n) - max(meanNPV, 0)

        // Drawn inputs, again from their keyed streams (exactly the trials' values).
        let uncertain = model.inputs.indices.filter { !model.inputs[$0].distribution.isFixed }
        var values = [[Double]](repeating: [Double](repeating: 0, count: n), count: model.inputs.count)
        var row = [Double](repeating: 0, count: model.inputs.count)
        for i in 0..<n {
            model.drawInputs(uniforms: result.uniforms(trial: i), into: &row)
            for j in uncertain { values[j][i] = row[j] }
        }
        let swingN = min(n, requested)
        // A uniform per trial that nothing in the model uses: the "input" of the bias estimate.
        let nullKey = Uncertain.fnv1a("sensitivity: unrelated number")
        let null = (0..<n).map { KeyedUniforms(seed: result.options.seed, trial: $0).uniform(forKey: nullKey) }
        func heldMeanNPV(_ held: TrialModel) -> Double {
            Engine(model: held, options: .init(trials: swingN, seed: result.options.seed, threads: result.options.threads,
                                               bandTrials: 1, sampling: result.options.sampling)).run().npv.mean
        }
        var effects: [Effect] = []
        for j in uncertain {
            let d = model.inputs[j].distribution
            let low = heldMeanNPV(model.holding(inputs: [j: d.quantile(0.10)]))
            let high = heldMeanNPV(model.holding(inputs: [j: d.quantile(0.90)]))
            effects.append(Effect(
                name: model.inputs[j].name, isRisk: false,
                spearman: Sensitivity.spearman(values[j], npv),
                npvLow: low, npvHigh: high,
                evppi: Sensitivity.correctedEVPPI(values[j], npv, mean: meanNPV, null: null)))
        }
        for (r, risk) in model.scenario.risks.enumerated() {
            let happened = (0..<n).map { result.perTrial.riskOccurred($0, risk: r) ? 1.0 : 0.0 }
            let without = heldMeanNPV(model.holding(risks: [r: false]))
            let with = heldMeanNPV(model.holding(risks: [r: true]))
            effects.append(Effect(
                name: "risk: \(risk.name)", isRisk: true,
                spearman: Sensitivity.spearman(happened, npv),
                npvLow: without, npvHigh: with,
                evppi: Sensitivity.correctedEVPPI(happened, npv, mean: meanNPV, null: null)))
        }
        self.effects = effects.sorted { abs($0.swing) > abs($1.swing) }
        let position = Dictionary(model.inputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        correlations = model.scenario.correlations.map { c in
            CorrelationCheck(first: c.first, second: c.second, requested: c.rank,
                             achieved: RankCorrelation.spearman(values[position[c.first]!], values[position[c.second]!]))
        }
        swingTrials = swingN
    }

    /// Spearman's ρ, 0 when either side does not vary.
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        let rho = RankCorrelation.spearman(x, y)
        return rho.isNaN ? 0 : rho
    }

    /// EVPPI of one input by equal-count bins on its value, less the same estimate for an
    /// unrelated random number binned into groups of the same sizes (the estimator's bias).
    static func correctedEVPPI(_ x: [Double], _ npv: [Double], mean: Double, null: [Double]) -> Double {
        let (raw, sizes) = evppi(x, npv, mean: mean, sizes: nil)
        let (bias, _) = evppi(null, npv, mean: mean, sizes: sizes)
        return max(0, raw - bias)
    }

    /// EVPPI by binning, with the bin sizes used. Bins hold about n/50 trials (at least 400, at
    /// most 50 bins); values tied across a bin edge stay in one bin, so a yes/no input gets
    /// exactly its two groups. `sizes` forces the bin sizes (for the bias estimate).
    static func evppi(_ x: [Double], _ npv: [Double], mean: Double, sizes: [Int]?) -> (Double, [Int]) {
        let n = x.count
        let bins = max(2, min(50, n / 400))
        let order = x.indices.sorted { x[$0] < x[$1] }
        var total = 0.0
        var start = 0
        var used: [Int] = []
        while start < n {
            var end: Int
            if let sizes, used.count < sizes.count {
                end = min(n, start + sizes[used.count])
            } else {
                end = min(n, start + max(1, n / bins))
                while end < n && x[order[end]] == x[order[end - 1]] { end += 1 }
            }
            var sum = 0.0
            for k in start..<end { sum += npv[order[k]] }
            total += max(sum / Double(end - start), 0) * Double(end - start)
            used.append(end - start)
            start = end
        }
        return (total / Double(n) - max(mean, 0), used)
    }
}
