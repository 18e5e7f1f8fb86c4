import CRMModel
import Foundation

/// What drives the NPV, and what it would be worth to know an input before deciding — all from
/// the run's own trials, without running the model again (but for a rare risk event, below).
///
/// For every uncertain input and every risk event:
/// - **Spearman rank correlation** of its drawn value (for a risk: whether it happened) with the
///   NPV over the run's trials.
/// - **Swing**: the mean NPV given the input at its P10 and at its P90 (a risk: given that it did
///   not happen and that it did), as conditional means estimated from the run's trials:
///   - the trials whose value of the input ranks within ±``windowHalfWidth`` of the 10th (90th)
///     percentile — a tenth of the trials each — and a straight line fitted to their NPV against
///     the input's value, read at the P10 (P90) value itself (a local-linear regression on the
///     value, with the window chosen by rank: a model linear in the input is read off exactly,
///     whatever the input's distribution; only the curvature of E[NPV | input] within the window
///     biases it);
///   - for a risk, the mean NPV of the trials in which it did not happen and of those in which it
///     did;
///   - both on the NPV less the straight-line effects of the inputs that are independent of this
///     one (a control variate: a least-squares fit of the NPV on every input over all trials).
///     Independent inputs average to their means given this one, so the correction changes the
///     expectation by nothing but the noise of the fit (of order 1/n), while removing most of
///     the variance the other inputs add to the window's mean. Inputs tied to this one — through
///     the scenario's correlations, or a risk event's probability, occurrence and sizes — are not
///     corrected for, so the swing of a correlated input includes what moves with it.
///   Each end has a Monte Carlo standard error from the fit's residuals (``Effect/npvLowError``);
///   the two windows hold different trials, so the swing's is the root sum of squares.
///   A risk event that happened (or did not) in fewer than ``minimumRiskTrials`` trials has that
///   end estimated instead by running ``rerunTrials`` trials with the event forced, on the run's
///   own futures (common random numbers), and its error is that run's standard error.
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
        /// Monte Carlo standard errors of ``npvLow`` and ``npvHigh``.
        public let npvLowError: Double
        public let npvHighError: Double
        /// The Monte Carlo standard error of ``swing`` (the two ends come from different trials).
        public var swingError: Double { (npvLowError * npvLowError + npvHighError * npvHighError).squareRoot() }
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
    /// Trials the analysis used: the run's first ones, all of them up to ``maximumTrials``.
    public let trials: Int
    /// Trials of the run.
    public let runTrials: Int
    /// Trials in each swing window of an input (about a tenth of the run).
    public let windowTrials: Int
    /// Model runs made for the analysis beyond the run itself (only for rare risk events).
    public let extraEvaluations: Int
    /// Standard error of the mean NPV of the run: the noise floor of the EVPPI estimates.
    public let noiseFloor: Double

    /// Half the width of a swing window, in shares of the trials: the window of P10 holds the
    /// trials ranked between the 5th and the 15th percentile of the input.
    public static let windowHalfWidth = 0.05
    /// The fewest trials with (or without) a risk event from which its conditional mean NPV is
    /// taken; with fewer, that end is rerun with the event forced.
    public static let minimumRiskTrials = 200
    /// Trials of a rerun for a rare risk event (at most the run's).
    public static let rerunTrials = 2000
    /// Trials whose fit gives the control variate's coefficients (the run's first ones).
    public static let fitTrials = 20_000

    /// The most trials the analysis uses: the run's first ones. It holds about 320 bytes per
    /// trial (each input's values and order, the corrected NPVs) and sorts every input, while
    /// its estimates' Monte Carlo errors, already a small share of the swings at 10⁶ trials,
    /// shrink only as 1/√n: beyond 10⁷ trials (3.2 GB) more would cost memory and time and
    /// change nothing a reader sees. A run of 10⁸ trials keeps them all for its own figures.
    public static let maximumTrials = 10_000_000

    /// Analyses a finished run, on its first `maximumTrials` trials at most.
    public init(result: SimulationResult, maximumTrials: Int = Sensitivity.maximumTrials) {
        let model = result.model
        let n = min(result.trials, max(2, maximumTrials))
        let npv = (0..<n).map { result.perTrial.npv($0) }
        // The mean and its error of the trials used (the run's own when they are all used).
        let meanNPV: Double
        if n == result.trials {
            meanNPV = result.npv.mean
            noiseFloor = result.npv.standardError
        } else {
            let summary = Sensitivity.mean(npv)
            meanNPV = summary.value
            noiseFloor = summary.error
        }
        evpi = npv.reduce(0) { $0 + max($1, 0) } / Double(n) - max(meanNPV, 0)
        trials = n
        runTrials = result.trials

        // Drawn inputs, again from their keyed streams (exactly the trials' values).
        let uncertain = model.inputs.indices.filter { !model.inputs[$0].distribution.isFixed }
        var values = [[Double]](repeating: [], count: model.inputs.count)
        for j in uncertain { values[j] = [Double](repeating: 0, count: n) }
        var row = [Double](repeating: 0, count: model.inputs.count)
        for i in 0..<n {
            model.drawInputs(uniforms: result.uniforms(trial: i), into: &row)
            for j in uncertain { values[j][i] = row[j] }
        }
        let risks = model.scenario.risks
        let happened = risks.indices.map { r in (0..<n).map { result.perTrial.riskOccurred($0, risk: r) ? 1.0 : 0.0 } }

        // The control variate: a least-squares fit of the NPV on every input and occurrence,
        // centred on their exact expectations (a risk event happens with its mean probability),
        // and on the products x·(occurs − P) of every input with the occurrence of the (at most
        // two) risk events that move the NPV most, whose effects scale much of the rest. Given any
        // input or event independent of that event, such a product averages to 0 (the occurrence
        // is independent of both), so it can stay in the correction even for the input itself.
        // Column c < uncertain.count is input uncertain[c], then one column per risk event, then
        // the products; each column has the family it must be independent of.
        let family = Sensitivity.families(model: model, uncertain: uncertain)
        let rankedNPV = RankCorrelation.RankedSample(npv)
        // Spearman's ρ against the NPV, 0 when either side does not vary.
        func spearman(_ x: [Double]) -> Double {
            let rho = RankCorrelation.spearman(x, ranked: rankedNPV)
            return rho.isNaN ? 0 : rho
        }
        let riskSpearman = happened.map(spearman)
        // Columns are computed from `values` and `happened` when needed, never stored: a run of
        // 10⁶ trials would otherwise hold three times its inputs again.
        enum Column {
            case input(Int)                     // uncertain[c]'s values
            case occurrence(Int)                // risk r: 1 when it happened
            case product(Int, Int, Double)      // input c × (risk r's occurrence − P)
        }
        func value(_ column: Column, _ i: Int) -> Double {
            switch column {
            case .input(let c): return values[uncertain[c]][i]
            case .occurrence(let r): return happened[r][i]
            case .product(let c, let r, let p): return values[uncertain[c]][i] * (happened[r][i] - p)
            }
        }
        var columns = uncertain.indices.map { Column.input($0) } + risks.indices.map { Column.occurrence($0) }
        var expectations = uncertain.map { model.inputs[$0].distribution.mean }
            + risks.map { min(1, max(0, $0.probability.distribution.mean)) }
        var columnFamily = family
        let scaling = risks.indices.filter { abs(riskSpearman[$0]) >= 0.1 }
            .sorted { abs(riskSpearman[$0]) > abs(riskSpearman[$1]) }.prefix(2)
        for r in scaling {
            let occurs = uncertain.count + r
            let p = expectations[occurs]
            for c in uncertain.indices where family[c] != family[occurs] {
                columns.append(.product(c, r, p))
                expectations.append(0)
                columnFamily.append(family[occurs])
            }
        }
        // The coefficients from the first trials (at most ``fitTrials``): any fixed coefficients
        // keep the correction unbiased, and these are as good as all trials' for its purpose.
        let fitRows = min(n, Sensitivity.fitTrials)
        let fit = LinearFit(columns: columns.map { column in (0..<fitRows).map { value(column, $0) } },
                            response: Array(npv[0..<fitRows]))
        let used = columns.indices.filter { fit.slopes[$0] != 0 && expectations[$0].isFinite }
        // The correction of all columns, summed once; the NPV corrected for everything independent
        // of family f is npv − total + (f's own columns' part).
        var total = [Double](repeating: 0, count: n)
        for c in used {
            let beta = fit.slopes[c], mean = expectations[c], column = columns[c]
            for i in 0..<n { total[i] += beta * (value(column, i) - mean) }
        }
        func adjusted(excludingFamily f: Int) -> [Double] {
            var y = (0..<n).map { npv[$0] - total[$0] }
            for c in used where columnFamily[c] == f {
                let beta = fit.slopes[c], mean = expectations[c], column = columns[c]
                for i in 0..<n { y[i] += beta * (value(column, i) - mean) }
            }
            return y
        }

        // A uniform per trial that nothing in the model uses: the "input" of the bias estimate.
        let nullKey = Uncertain.fnv1a("sensitivity: unrelated number")
        let null = (0..<n).map { KeyedUniforms(seed: result.options.seed, trial: $0).uniform(forKey: nullKey) }
        let nullOrder = null.indices.sorted { null[$0] < null[$1] }
        func evppi(_ x: [Double], order: [Int]? = nil) -> Double {
            Sensitivity.correctedEVPPI(x, npv, mean: meanNPV, null: null, order: order, nullOrder: nullOrder)
        }
        var effects: [Effect] = []
        var riskEnds: [(without: (value: Double, error: Double), with: (value: Double, error: Double))] = []
        var extra = 0
        for (r, risk) in risks.enumerated() {
            let c = uncertain.count + r
            let y = adjusted(excludingFamily: family[c])
            var ends: [(value: Double, error: Double)] = []
            defer { riskEnds.append((ends[0], ends[1])) }
            for happens in [false, true] {
                let group = (0..<n).filter { (happened[r][$0] == 1) == happens }
                if group.count >= min(Sensitivity.minimumRiskTrials, n) && group.count >= 2 {
                    ends.append(Sensitivity.mean(group.map { y[$0] }))
                } else {
                    // Too rare (or too common) in this run for a conditional mean: force it.
                    let rerun = Sensitivity.heldRun(result: result, model: model.holding(risks: [r: happens]),
                                                    trials: Sensitivity.rerunTrials)
                    extra += rerun.trials
                    ends.append((rerun.npv.mean, rerun.npv.standardError))
                }
            }
            effects.append(Effect(
                name: "risk: \(risk.name)", isRisk: true,
                spearman: riskSpearman[r],
                npvLow: ends[0].value, npvHigh: ends[1].value, npvLowError: ends[0].error, npvHighError: ends[1].error,
                evppi: evppi(happened[r])))
        }
        var window = 0
        let correlatedNames = Set(model.scenario.correlations.flatMap { [$0.first, $0.second] })
        for (c, j) in uncertain.enumerated() {
            let d = model.inputs[j].distribution
            // A risk event's probability acts only through whether the event happens, so given
            // it, the NPV's mean is the mix of the event's two conditional means — exact and far
            // less noisy than a window (unless the probability is correlated with other inputs).
            if let r = risks.firstIndex(where: { $0.probability.name == model.inputs[j].name }),
               !correlatedNames.contains(model.inputs[j].name) {
                let (without, with) = riskEnds[r]
                func mix(_ share: Double) -> (Double, Double) {
                    let p = min(1, max(0, d.quantile(share)))
                    let error = ((1 - p) * (1 - p) * without.error * without.error + p * p * with.error * with.error).squareRoot()
                    return (without.value + p * (with.value - without.value), error)
                }
                let (low, high) = (mix(0.10), mix(0.90))
                effects.append(Effect(
                    name: model.inputs[j].name, isRisk: false,
                    spearman: spearman(values[j]),
                    npvLow: low.0, npvHigh: high.0, npvLowError: low.1, npvHighError: high.1,
                    evppi: evppi(values[j])))
                continue
            }
            let y = adjusted(excludingFamily: family[c])
            let order = values[j].indices.sorted { values[j][$0] < values[j][$1] }
            let low = Sensitivity.windowEstimate(x: values[j], y: y, order: order, at: 0.10, value: d.quantile(0.10))
            let high = Sensitivity.windowEstimate(x: values[j], y: y, order: order, at: 0.90, value: d.quantile(0.90))
            window = max(window, low.trials)
            effects.append(Effect(
                name: model.inputs[j].name, isRisk: false,
                spearman: spearman(values[j]),
                npvLow: low.value, npvHigh: high.value, npvLowError: low.error, npvHighError: high.error,
                evppi: evppi(values[j], order: order)))
        }
        self.effects = effects.sorted { abs($0.swing) > abs($1.swing) }
        let position = Dictionary(model.inputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        correlations = model.scenario.correlations.map { c in
            CorrelationCheck(first: c.first, second: c.second, requested: c.rank,
                             achieved: RankCorrelation.spearman(values[position[c.first]!], values[position[c.second]!]))
        }
        windowTrials = window
        extraEvaluations = extra
    }

    // MARK: - The rerun estimator

    /// The mean NPV of `model` — the run's model with inputs held or risk events forced
    /// (``TrialModel/holding(inputs:risks:)``) — over the first `trials` futures of the run
    /// (common random numbers): the swing estimator before conditional means, kept for rare risk
    /// events and as the reference of the tests.
    public static func heldRun(result: SimulationResult, model: TrialModel, trials: Int) -> SimulationResult {
        Engine(model: model, options: .init(trials: min(result.trials, trials), seed: result.options.seed,
                                            threads: result.options.threads, bandTrials: 1,
                                            sampling: result.options.sampling)).run()
    }

    // MARK: - Estimators

    /// The conditional mean of `y` given x at `value`, the quantile `share` of x: a straight line
    /// fitted by least squares to the trials whose rank in `order` (x ascending) lies within
    /// ±``windowHalfWidth`` of `share`, read at `value`; the window's mean where x does not vary
    /// in it. The error is the fit's standard error at `value`.
    static func windowEstimate(x: [Double], y: [Double], order: [Int], at share: Double, value: Double)
        -> (value: Double, error: Double, trials: Int) {
        let n = order.count
        var start = Int(((share - windowHalfWidth) * Double(n)).rounded(.down))
        var end = Int(((share + windowHalfWidth) * Double(n)).rounded(.up))
        start = min(max(0, start), n - 1)
        end = max(min(n, end), start + 1)
        let m = end - start
        var sumX = 0.0, sumY = 0.0
        for k in start..<end {
            sumX += x[order[k]]
            sumY += y[order[k]]
        }
        let meanX = sumX / Double(m), meanY = sumY / Double(m)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for k in start..<end {
            let dx = x[order[k]] - meanX, dy = y[order[k]] - meanY
            sxx += dx * dx
            sxy += dx * dy
            syy += dy * dy
        }
        // x constant in the window (a discrete input's atom, a narrow distribution): its mean.
        let scale = max(abs(meanX), abs(value), 1e-300)
        guard m >= 3, sxx > 1e-24 * scale * scale * Double(m) else {
            let variance = m >= 2 ? syy / Double(m - 1) : 0
            return (meanY, (variance / Double(m)).squareRoot(), m)
        }
        let slope = sxy / sxx
        let residual = max(0, syy - slope * sxy) / Double(m - 2)
        let offset = value - meanX
        let error = (residual * (1 / Double(m) + offset * offset / sxx)).squareRoot()
        return (meanY + slope * offset, error, m)
    }

    /// The mean of `y` and its standard error.
    static func mean(_ y: [Double]) -> (value: Double, error: Double) {
        let m = Double(y.count)
        let mean = y.reduce(0, +) / m
        let squares = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (squares / max(1, m - 1) / m).squareRoot())
    }

    /// The family of each column (uncertain inputs, then risk occurrences): columns of one family
    /// are not independent — inputs linked by the scenario's correlations (transitively), and a
    /// risk event's occurrence with its probability.
    static func families(model: TrialModel, uncertain: [Int]) -> [Int] {
        let count = uncertain.count + model.scenario.risks.count
        var parent = Array(0..<count)
        func root(_ c: Int) -> Int {
            var c = c
            while parent[c] != c { c = parent[c] }
            return c
        }
        func join(_ a: Int, _ b: Int) { parent[root(a)] = root(b) }
        var column: [String: Int] = [:]
        for (c, j) in uncertain.enumerated() where column[model.inputs[j].name] == nil {
            column[model.inputs[j].name] = c
        }
        for correlation in model.scenario.correlations {
            if let a = column[correlation.first], let b = column[correlation.second] { join(a, b) }
        }
        // The sizes of a risk event's effects are drawn whatever happens: independent of it.
        for (r, risk) in model.scenario.risks.enumerated() {
            for (c, j) in uncertain.enumerated() where model.inputs[j].name == risk.probability.name {
                join(c, uncertain.count + r)
            }
        }
        return (0..<count).map(root)
    }

    /// EVPPI of one input by equal-count bins on its value, less the same estimate for an
    /// unrelated random number binned into groups of the same sizes (the estimator's bias).
    static func correctedEVPPI(_ x: [Double], _ npv: [Double], mean: Double, null: [Double],
                               order: [Int]? = nil, nullOrder: [Int]? = nil) -> Double {
        let (raw, sizes) = evppi(x, npv, mean: mean, sizes: nil, order: order)
        let (bias, _) = evppi(null, npv, mean: mean, sizes: sizes, order: nullOrder)
        return max(0, raw - bias)
    }

    /// EVPPI by binning, with the bin sizes used. Bins hold about n/50 trials (at least 400, at
    /// most 50 bins); values tied across a bin edge stay in one bin, so a yes/no input gets
    /// exactly its two groups. `sizes` forces the bin sizes (for the bias estimate); `order`, when
    /// given, is x's indices sorted by value, as computed here.
    static func evppi(_ x: [Double], _ npv: [Double], mean: Double, sizes: [Int]?, order: [Int]? = nil) -> (Double, [Int]) {
        let n = x.count
        let bins = max(2, min(50, n / 400))
        let order = order ?? x.indices.sorted { x[$0] < x[$1] }
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

/// A least-squares fit of a response on several columns, for the swing's control variate:
/// y ≈ ȳ + Σ β_c (x_c − x̄_c). Columns are standardised, and a ridge of 1e-9 of the diagonal keeps
/// columns that are nearly collinear (or constant) from blowing the fit up; with fewer than 10
/// trials per column there is no fit (every β is 0). The correction then subtracts
/// β_c (x_c − E[x_c]) with the column's exact expectation, so that it adds no error of its own
/// beyond what the residuals show.
struct LinearFit {
    /// β per column, in the column's own units.
    let slopes: [Double]

    init(columns: [[Double]], response y: [Double]) {
        let d = columns.count
        let n = y.count
        let means = columns.map { $0.reduce(0, +) / Double(max(1, n)) }
        guard d > 0, n >= 10 * (d + 1) else {
            slopes = [Double](repeating: 0, count: d)
            return
        }
        let meanY = y.reduce(0, +) / Double(n)
        let scales = (0..<d).map { c -> Double in
            let ss = columns[c].reduce(0) { $0 + ($1 - means[c]) * ($1 - means[c]) }
            return ss > 0 ? (ss / Double(n)).squareRoot() : 0
        }
        // Normal equations on the standardised columns (dot products of whole columns).
        let z: [[Double]] = (0..<d).map { c in
            guard scales[c] > 0 else { return [Double](repeating: 0, count: n) }
            let (m, s) = (means[c], scales[c])
            return columns[c].map { ($0 - m) / s }
        }
        var a = [Double](repeating: 0, count: d * d)
        var b = [Double](repeating: 0, count: d)
        let centredY = y.map { $0 - meanY }
        func dot(_ u: [Double], _ v: [Double]) -> Double {
            u.withUnsafeBufferPointer { u in
                v.withUnsafeBufferPointer { v in
                    // Four partial sums: lets the compiler vectorise the loop.
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var i = 0
                    while i + 4 <= n {
                        s0 += u[i] * v[i]
                        s1 += u[i + 1] * v[i + 1]
                        s2 += u[i + 2] * v[i + 2]
                        s3 += u[i + 3] * v[i + 3]
                        i += 4
                    }
                    while i < n {
                        s0 += u[i] * v[i]
                        i += 1
                    }
                    return (s0 + s1) + (s2 + s3)
                }
            }
        }
        for r in 0..<d {
            b[r] = dot(z[r], centredY)
            for c in 0...r { a[r * d + c] = dot(z[r], z[c]) }
        }
        for r in 0..<d { a[r * d + r] += 1e-9 * Double(n) + (scales[r] > 0 ? 0 : 1) }
        // Cholesky (lower), then the two triangular solves.
        var l = [Double](repeating: 0, count: d * d)
        var ok = true
        for r in 0..<d where ok {
            for c in 0...r {
                var s = a[r * d + c]
                for k in 0..<c { s -= l[r * d + k] * l[c * d + k] }
                if r == c {
                    if s <= 0 || !s.isFinite { ok = false; break }
                    l[r * d + r] = s.squareRoot()
                } else {
                    l[r * d + c] = s / l[c * d + c]
                }
            }
        }
        guard ok else {
            slopes = [Double](repeating: 0, count: d)
            return
        }
        var w = b
        for r in 0..<d {
            for k in 0..<r { w[r] -= l[r * d + k] * w[k] }
            w[r] /= l[r * d + r]
        }
        var r = d - 1
        while r >= 0 {
            for k in (r + 1)..<d { w[r] -= l[k * d + r] * w[k] }
            w[r] /= l[r * d + r]
            r -= 1
        }
        slopes = (0..<d).map { scales[$0] > 0 && w[$0].isFinite ? w[$0] / scales[$0] : 0 }
    }

}
