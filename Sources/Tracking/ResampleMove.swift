import CRMModel
import Dispatch
import Foundation
import GSLSupport
import MonteCarlo

/// A re-forecast that survives informative actuals: resample-move sequential Monte Carlo with
/// likelihood tempering (Chopin 2002; Del Moral, Doucet & Jasra 2006).
///
/// Weighting the prior trials by the likelihood of the actuals collapses when the actuals are
/// informative — a year of licence invoices pins the licence price down — leaving a handful of
/// trials with all the weight. Here a population of simulated futures ("particles") is moved
/// towards the actuals in stages: at each stage the likelihood is raised to a power β that grows
/// from 0 to 1 only as fast as keeps half the population effective; the population is
/// resampled by weight and then rejuvenated by Metropolis–Hastings moves.
///
/// A trial is a deterministic function of one uniform per input (``TrialModel/uniformKeys``)
/// and its process seed, and the prior of those uniforms is uniform on the unit cube, so a
/// move is a symmetric random-walk step on the uniforms (reflected at 0 and 1), plus a fresh
/// process seed, accepted with probability min(1, (L′/L)^β). Every random number comes from a
/// hash of (seed, stage, move, particle, dimension), so results do not depend on the threads.
public struct ResampleMove: Sendable {
    /// The particles after the last stage, equally weighted.
    public let particles: Int
    /// Tempering stages used (each with its resampling and moves).
    public let stages: Int
    /// Share of proposed moves accepted, over all stages.
    public let acceptanceRate: Double
    /// Whether β reached 1 (false only when the stage limit was hit).
    public let converged: Bool
    /// Per particle: NPV, ROI and payback month (+∞ when none) of its future.
    public let npv: [Double]
    public let roi: [Double]
    public let payback: [Double]
    /// Per input (``TrialModel/inputs`` order), the particles' drawn values.
    public let inputs: [[Double]]
    /// Per risk event, the share of particles in which it happens.
    public let riskShares: [Double]
    /// Per recorded path slot (each tracked figure in each month of its path), the particles'
    /// values.
    public let paths: [[Double]]

    /// Runs `replicates` independent populations of `particles / replicates` each, for a Monte
    /// Carlo error that can be trusted: particles of one population share ancestors, so their
    /// spread says little about how far the population's mean may be from the truth, but the
    /// spread between independent populations does. Replicate r starts from the run's trials
    /// r·n … (r + 1)·n − 1 (n particles each) and moves with its own stream
    /// (``Streams/replicateSeed(_:replicate:)``). nil when no particle of some population makes
    /// the actuals possible at all.
    public static func replicated(model: TrialModel, actuals: Actuals, seed: UInt64, particles: Int = 4000,
                                  replicates: Int = 8, threads: Int? = nil) -> [ResampleMove]? {
        let size = max(1, particles / max(1, replicates))
        var runs: [ResampleMove] = []
        for r in 0..<max(1, replicates) {
            guard let run = run(model: model, actuals: actuals, seed: seed, particles: size, firstTrial: r * size,
                                moveSeed: Streams.replicateSeed(seed, replicate: r), threads: threads) else { return nil }
            runs.append(run)
        }
        return runs
    }

    /// Runs one population of `particles`, started from the prior futures of trials
    /// `firstTrial ..< firstTrial + particles` of the run with `seed`, its resampling and moves
    /// drawn from `moveSeed`; nil when no particle makes the actuals possible at all.
    public static func run(model: TrialModel, actuals: Actuals, seed: UInt64, particles: Int = 4000,
                           firstTrial: Int = 0, moveSeed: UInt64? = nil,
                           movesPerStage: Int = 4, maxStages: Int = 80, threads: Int? = nil) -> ResampleMove? {
        let population = Population(model: model, actuals: actuals, seed: seed, size: particles, firstTrial: firstTrial,
                                    moveSeed: moveSeed ?? seed)
        let workers = max(1, min(threads ?? Cores.available, particles))
        population.evaluateAll(workers: workers, wholeHorizon: false)
        guard population.logLikelihood.contains(where: { $0 > -.infinity }) else { return nil }
        let logLikelihoods = { Array(population.logLikelihood) }

        var beta = 0.0
        var stage = 0
        var accepted = 0, proposed = 0
        while beta < 1 && stage < maxStages {
            let step = nextStep(logLikelihoods(), remaining: 1 - beta, target: Double(particles) / 2)
            beta = min(1, beta + step)
            if beta > 1 - 1e-12 { beta = 1 }
            population.resample(weightsExponent: step, stage: stage)
            let scales = population.proposalScales()
            for move in 0..<movesPerStage {
                let (a, p) = population.move(beta: beta, scales: scales, stage: stage, move: move, workers: workers)
                accepted += a
                proposed += p
            }
            stage += 1
        }
        // The stages ran each future only through the last month with actuals; the particles
        // kept are now run to the horizon for their outcomes and paths (the same futures: the
        // months already run come out the same, and so does their likelihood).
        population.evaluateAll(workers: workers, wholeHorizon: true)
        return ResampleMove(
            particles: particles, stages: stage,
            acceptanceRate: proposed > 0 ? Double(accepted) / Double(proposed) : 0,
            converged: beta >= 1,
            npv: Array(population.npv), roi: Array(population.roi), payback: Array(population.payback),
            inputs: (0..<model.inputs.count).map { j in (0..<particles).map { population.inputValues[$0 * model.inputs.count + j] } },
            riskShares: (0..<model.riskCount).map { r in
                Double((0..<particles).filter { population.risks[$0 * model.riskCount + r] != 0 }.count) / Double(particles)
            },
            paths: (0..<population.pathWidth).map { k in (0..<particles).map { population.pathValues[$0 * population.pathWidth + k] } })
    }

    /// The largest increase of β (up to `remaining`) that keeps the effective sample size of
    /// the incremental weights L^Δβ at `target` or above, by bisection.
    static func nextStep(_ logL: [Double], remaining: Double, target: Double) -> Double {
        let top = logL.max() ?? 0
        func ess(_ delta: Double) -> Double {
            var sum = 0.0, squares = 0.0
            for l in logL where l > -.infinity {
                let w = exp(delta * (l - top))
                sum += w
                squares += w * w
            }
            return squares > 0 ? sum * sum / squares : 0
        }
        if ess(remaining) >= target { return remaining }
        var lo = 0.0, hi = remaining
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if ess(mid) >= target { lo = mid } else { hi = mid }
        }
        return max(lo, 1e-12)
    }
}

/// The particles and their current futures. Workers write disjoint particles only.
private final class Population: @unchecked Sendable {
    let model: TrialModel
    let likelihood: Likelihood
    let recorder: TrialRecorder
    /// The recorder of a future run only through the last month with actuals: the actuals'
    /// slots, without the paths (which that future does not have yet).
    let likelihoodRecorder: TrialRecorder
    let keys: [UInt64]
    let keyIndex: [UInt64: Int]
    /// Per key of ``keys``, the position whose uniform it takes (``keyIndex`` of the key).
    let sourceIndex: [Int]
    /// The seed of the resampling and moves (``hashUniform(_:_:_:_:)``, the proposals' process keys).
    let seed: UInt64
    let size: Int
    let dimensions: Int
    /// Where the figures' paths start in a recorded row, and how many numbers they are.
    let pathBase: Int
    let pathWidth: Int
    /// The last month with an actual: the likelihood needs the futures up to it only.
    let lastObservedMonth: Int

    // Raw buffers, not arrays: workers write different particles at the same time, which
    // Swift's exclusivity checks would (rightly) refuse on a shared array.
    let uniforms: UnsafeMutableBufferPointer<Double>        // size × dimensions
    let processKeys: UnsafeMutableBufferPointer<UInt64>
    let logLikelihood: UnsafeMutableBufferPointer<Double>
    let npv: UnsafeMutableBufferPointer<Double>
    let roi: UnsafeMutableBufferPointer<Double>
    let payback: UnsafeMutableBufferPointer<Double>
    let inputValues: UnsafeMutableBufferPointer<Double>     // size × inputs
    let risks: UnsafeMutableBufferPointer<UInt8>            // size × risk events, 1 = happens
    let pathValues: UnsafeMutableBufferPointer<Double>      // size × pathWidth

    private static func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, count))
        b.initialize(repeating: value)
        return b
    }

    deinit {
        uniforms.deallocate()
        processKeys.deallocate()
        logLikelihood.deallocate()
        npv.deallocate()
        roi.deallocate()
        payback.deallocate()
        inputValues.deallocate()
        risks.deallocate()
        pathValues.deallocate()
    }

    init(model: TrialModel, actuals: Actuals, seed: UInt64, size: Int, firstTrial: Int, moveSeed: UInt64) {
        self.model = model
        self.recorder = FollowUp.recorder(for: actuals, model: model)
        self.likelihoodRecorder = FollowUp.recorder(for: actuals, model: model, paths: false)
        let layout = RecordLayout(actuals: actuals, inputs: model.inputs.count, horizon: model.horizon)
        self.likelihood = Likelihood(actuals: actuals, layout: layout)
        self.pathBase = layout.pathBase
        self.pathWidth = layout.width - layout.pathBase
        self.lastObservedMonth = min(model.horizon, actuals.lastMonth ?? model.horizon)
        self.keys = model.uniformKeys
        var index: [UInt64: Int] = [:]
        for (j, key) in keys.enumerated() where index[key] == nil { index[key] = j }
        self.keyIndex = index
        self.sourceIndex = keys.map { index[$0]! }
        self.seed = moveSeed
        self.size = size
        self.dimensions = keys.count
        uniforms = Population.buffer(size * keys.count, 0.5)
        processKeys = Population.buffer(size, UInt64(0))
        logLikelihood = Population.buffer(size, -Double.infinity)
        npv = Population.buffer(size, 0.0)
        roi = Population.buffer(size, 0.0)
        payback = Population.buffer(size, 0.0)
        inputValues = Population.buffer(size * model.inputs.count, 0.0)
        risks = Population.buffer(size * model.riskCount, UInt8(0))
        pathValues = Population.buffer(size * pathWidth, 0.0)
        // Start from the prior: the same keyed uniforms as the trials of a run with this seed.
        for i in 0..<size {
            let prior = KeyedUniforms(seed: seed, trial: firstTrial + i)
            for j in 0..<dimensions { uniforms[i * dimensions + j] = prior.uniform(forKey: keys[j]) }
            processKeys[i] = prior.processKey
        }
    }

    /// A uniform from a hash of its coordinates: the randomness of resampling and moves.
    func hashUniform(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        // Four rounds written out (no array of the four: this runs once per dimension and move).
        var h = Streams.mix(seed ^ 0x7e5a_3913_a1b2_c3d4)
        h = Streams.mix(h ^ UInt64(truncatingIfNeeded: a))
        h = Streams.mix(h ^ UInt64(truncatingIfNeeded: b))
        h = Streams.mix(h ^ UInt64(truncatingIfNeeded: c))
        h = Streams.mix(h ^ UInt64(truncatingIfNeeded: d))
        return (Double(h >> 12) + 0.5) * 0x1p-52
    }

    struct Evaluation {
        var logLikelihood: Double
        var npv: Double
        var roi: Double
        var payback: Double
        var inputs: [Double]
        var risks: [Bool]
        var paths: [Double]
    }

    /// Runs one future from its uniforms and process seed: through the last month with actuals
    /// (all its likelihood needs; its outcomes and later path months are then not valid), or
    /// with `wholeHorizon` to the end.
    func evaluate(_ u: [Double], processKey: UInt64, workspace: inout TrialWorkspace,
                  stream: borrowing RandomStream, row: UnsafeMutableBufferPointer<Double>,
                  wholeHorizon: Bool = false) -> Evaluation {
        // The uniform of each key, as a lookup of the key would give it (the first position of a
        // key that appears twice), without hashing keys for every evaluation.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: sourceIndex.count) { values in
            for k in sourceIndex.indices { values[k] = u[sourceIndex[k]] }
            model.run(uniformValues: UnsafeBufferPointer(values), processKey: processKey, process: stream,
                      workspace: &workspace, throughMonth: wholeHorizon ? nil : lastObservedMonth)
        }
        (wholeHorizon ? recorder : likelihoodRecorder).record(workspace, row)
        let l = likelihood.logLikelihood(UnsafeBufferPointer(row))
        return Evaluation(logLikelihood: l, npv: workspace.npv, roi: workspace.roi,
                          payback: workspace.payback.map(Double.init) ?? .infinity, inputs: workspace.inputValues,
                          risks: workspace.riskOccurred,
                          // A partial future has no paths yet: nothing to copy (the final pass fills them).
                          paths: wholeHorizon ? Array(row[pathBase..<(pathBase + pathWidth)]) : [])
    }

    func store(_ e: Evaluation, at i: Int) {
        logLikelihood[i] = e.logLikelihood
        npv[i] = e.npv
        roi[i] = e.roi
        payback[i] = e.payback
        let I = model.inputs.count
        for j in 0..<I { inputValues[i * I + j] = e.inputs[j] }
        let R = model.riskCount
        for r in 0..<R { risks[i * R + r] = e.risks[r] ? 1 : 0 }
        for k in e.paths.indices { pathValues[i * pathWidth + k] = e.paths[k] }
    }

    func evaluateAll(workers: Int, wholeHorizon: Bool) {
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, recorder.width))
            row.initialize(repeating: 0)
            defer { row.deallocate() }
            var i = w
            while i < size {
                let u = Array(uniforms[(i * dimensions)..<((i + 1) * dimensions)])
                let e = evaluate(u, processKey: processKeys[i], workspace: &workspace, stream: stream, row: row,
                                 wholeHorizon: wholeHorizon)
                store(e, at: i)
                i += workers
            }
        }
    }

    /// Systematic resampling with weights L^exponent (relative to the best particle).
    func resample(weightsExponent delta: Double, stage: Int) {
        let top = logLikelihood.max() ?? 0
        let weights = logLikelihood.map { $0 > -.infinity ? exp(delta * ($0 - top)) : 0 }
        let total = weights.reduce(0, +)
        let start = hashUniform(stage, -1, -1, -1) / Double(size)
        var chosen = [Int](repeating: 0, count: size)
        var cumulative = 0.0
        var j = 0
        for k in 0..<size {
            let target = (start + Double(k) / Double(size)) * total
            while j < size - 1 && cumulative + weights[j] < target {
                cumulative += weights[j]
                j += 1
            }
            chosen[k] = j
        }
        let I = model.inputs.count
        let (u, s, l, n, r, p, v) = (Array(uniforms), Array(processKeys), Array(logLikelihood), Array(npv),
                                     Array(roi), Array(payback), Array(inputValues))
        let occurred = Array(risks)
        let paths = Array(pathValues)
        let R = model.riskCount
        for (k, from) in chosen.enumerated() {
            for d in 0..<dimensions { uniforms[k * dimensions + d] = u[from * dimensions + d] }
            processKeys[k] = s[from]
            logLikelihood[k] = l[from]
            npv[k] = n[from]
            roi[k] = r[from]
            payback[k] = p[from]
            for d in 0..<I { inputValues[k * I + d] = v[from * I + d] }
            for d in 0..<R { risks[k * R + d] = occurred[from * R + d] }
            for d in 0..<pathWidth { pathValues[k * pathWidth + d] = paths[from * pathWidth + d] }
        }
    }

    /// Random-walk step sizes per dimension: 2.38/√d times the population's spread of that
    /// uniform (Roberts, Gelman & Gilks 1997), kept within 10⁻⁴…0.5.
    func proposalScales() -> [Double] {
        (0..<dimensions).map { d in
            var mean = 0.0
            for i in 0..<size { mean += uniforms[i * dimensions + d] }
            mean /= Double(size)
            var variance = 0.0
            for i in 0..<size {
                let x = uniforms[i * dimensions + d] - mean
                variance += x * x
            }
            let sd = (variance / Double(max(1, size - 1))).squareRoot()
            return min(0.5, max(1e-4, 2.38 / Double(dimensions).squareRoot() * sd))
        }
    }

    /// One Metropolis–Hastings move of every particle at inverse temperature β.
    func move(beta: Double, scales: [Double], stage: Int, move: Int, workers: Int) -> (accepted: Int, proposed: Int) {
        let acceptedPer = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        acceptedPer.initialize(repeating: 0)
        defer { acceptedPer.deallocate() }
        let counts = UnsafeSendableBuffer(acceptedPer)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var workspace = model.makeWorkspace()
            let stream = RandomStream(key: 0)
            let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, recorder.width))
            row.initialize(repeating: 0)
            defer { row.deallocate() }
            var proposal = [Double](repeating: 0, count: dimensions)
            var i = w
            var accepted = 0
            while i < size {
                for d in 0..<dimensions {
                    let z = CDF.standardNormalQuantile(hashUniform(stage, move, i, d))
                    var x = uniforms[i * dimensions + d] + scales[d] * z
                    while x < 0 || x > 1 { x = x < 0 ? -x : 2 - x }
                    proposal[d] = min(1 - 0x1p-53, max(0x1p-53, x))
                }
                let newKey = Streams.mix(seed ^ Streams.mix(UInt64(stage) &* 1_000_003 ^ UInt64(move) &* 7919 ^ UInt64(i) &+ 0x6b65_79))
                let e = evaluate(proposal, processKey: newKey, workspace: &workspace, stream: stream, row: row)
                let current = logLikelihood[i]
                let logRatio = beta * (e.logLikelihood - current)
                let accept = e.logLikelihood > -.infinity
                    && (current == -.infinity || logRatio >= 0 || log(hashUniform(stage, move, i, -2)) < logRatio)
                if accept {
                    for d in 0..<dimensions { uniforms[i * dimensions + d] = proposal[d] }
                    processKeys[i] = newKey
                    store(e, at: i)
                    accepted += 1
                }
                i += workers
            }
            counts.buffer[w] = accepted
        }
        return (acceptedPer.reduce(0, +), size)
    }
}

private struct UnsafeSendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>
    init(_ buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }
}
