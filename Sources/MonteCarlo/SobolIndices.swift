import GSLSupport

/// Variance-based (Sobol') sensitivity indices of a model's output, estimated on Saltelli's
/// design from quasi-random Sobol' points, with bootstrap percentile intervals.
///
/// For a model Y = f(X₁, …, X_d) with independent inputs and a factor G (one input or a group
/// of inputs moved together), with V = Var(Y):
///
/// - the **first-order index** S_G = Var(E[Y | X_G]) / V is the share of the variance that
///   fixing X_G would remove on average — its effect alone;
/// - the **total-order index** S_TG = E[Var(Y | X_~G)] / V = 1 − Var(E[Y | X_~G]) / V is the
///   share that would remain if everything but X_G were fixed — its effect including every
///   interaction. S_TG ≥ S_G, and S_TG − S_G measures G's interactions.
///
/// **Design** (Saltelli et al. 2010, "Variance based sensitivity analysis of model output.
/// Design and estimator for the total sensitivity index", Comput. Phys. Commun. 181, 259–270,
/// section 5): N points of a 2d-dimensional Sobol' sequence; the first d columns are the base
/// matrix A, the last d the matrix B, and for each factor G the matrix A_B^(G) is A with G's
/// columns taken from B. The model is evaluated on A, B and every A_B^(G): N·(k + 2)
/// evaluations for k factors.
///
/// **Estimators**, with y_A = f(A)_j, y_B = f(B)_j, y_G = f(A_B^(G))_j averaged over the rows j:
///
/// - first order (Saltelli et al. 2010): V_G ≈ mean of y_B·(y_G − y_A);
/// - total order (Jansen 1999, "Analysis of variance designs for model output", Comput. Phys.
///   Commun. 117, 35–43, as recommended by Saltelli et al. 2010): V_TG ≈ mean of ½(y_A − y_G)²;
/// - V ≈ the sample variance (divisor 2N − 1) of the 2N values y_A and y_B.
///
/// Both numerators are unbiased, so the indices are ratios of unbiased estimates. Before the
/// products, every output is centred on the mean of the y_A and y_B (centring is the usual
/// remedy; see Owen 2012, "Better estimation of small Sobol' sensitivity indices",
/// arXiv:1204.4763, on Sobol' & Myshetskaya 2007). Subtracting a constant leaves the first-order
/// numerator's expectation unchanged, because E[y_G − y_A] = 0, but removes the noise that a
/// large mean would add (an NPV of millions that varies by thousands); taking the sample mean as
/// that constant adds a bias of order V/N, far below the sampling error. The Jansen estimator is
/// unaffected by a shift.
///
/// **Intervals**: R bootstrap replicates (500 by default) resample the N rows (each row with all its k + 2
/// outputs) with replacement, with GSL's Mersenne Twister seeded from `seed`, and recompute
/// V, S and S_T; the interval is the pair of type-7 percentiles at (1 ∓ level)/2. The rows of a
/// quasi-random design are not independent draws, so the bootstrap describes the error the same
/// N rows would have as a random sample: it usually overstates the error of the quasi-random
/// estimate. Estimates and intervals are not clipped to 0…1; a small index can come out
/// slightly negative.
public struct SobolIndices: Sendable, Equatable {
    /// An estimate with its bootstrap percentile interval (NaN bounds without replicates).
    public struct Estimate: Sendable, Equatable {
        /// The estimate from all N rows (a share of the variance, not a percentage).
        public let value: Double
        /// The lower percentile of the bootstrap replicates.
        public let lower: Double
        /// The upper percentile of the bootstrap replicates.
        public let upper: Double

        /// Whether `x` lies in the closed interval [``lower``, ``upper``].
        public func intervalContains(_ x: Double) -> Bool { lower <= x && x <= upper }
    }

    /// The indices of one factor: an input, or a group of inputs moved together.
    public struct Factor: Sendable, Equatable {
        /// The input columns of the factor, 0-based, in the order given.
        public let inputs: [Int]
        /// S_G: the share of Var(Y) due to the factor alone.
        public let firstOrder: Estimate
        /// S_TG: the share of Var(Y) due to the factor including its interactions.
        public let totalOrder: Estimate
    }

    /// One entry per factor, in the order of the design's groups (of the inputs when no groups
    /// were given).
    public let factors: [Factor]
    /// The mean of the 2N outputs f(A) and f(B), in the model's units.
    public let mean: Double
    /// The sample variance of the 2N outputs f(A) and f(B) (divisor 2N − 1), in the model's
    /// units squared: the V every index is a share of.
    public let variance: Double
    /// N, the number of rows of A and B.
    public let baseSampleSize: Int
    /// The number of model evaluations, N·(k + 2) for k factors.
    public let evaluations: Int
    /// The number of bootstrap replicates behind the intervals.
    public let bootstrapResamples: Int
    /// The coverage the intervals aim at, e.g. 0.95.
    public let confidenceLevel: Double
}

// MARK: - Failures

extension SobolIndices {
    /// Why indices cannot be estimated, in words for the person who asked for them.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// d is outside 1 … ``Design/maximumDimension`` (the 2d-dimensional Sobol' sequence
        /// is limited to GSL's 40 dimensions).
        case dimension(Int, maximum: Int)
        /// N is below 2 or beyond what the Sobol' sequence holds.
        case baseSampleSize(Int)
        /// No factor at all (an empty list of groups).
        case noFactors
        /// The group at this position lists no input.
        case emptyGroup(Int)
        /// The group lists an input outside 0 ..< d.
        case inputOutOfRange(group: Int, input: Int, dimension: Int)
        /// The group lists the same input twice.
        case repeatedInput(group: Int, input: Int)
        /// The confidence level is not strictly between 0 and 1.
        case confidenceLevel(Double)
        /// A negative number of bootstrap replicates.
        case bootstrapResamples(Int)
        /// An output array does not have one value per row of the design.
        case outputCount(block: Design.Block, expected: Int, given: Int)
        /// The outputs of the A_B matrices do not come as one array per factor.
        case mixedOutputCount(expected: Int, given: Int)
        /// The model returned NaN or ±∞.
        case nonFiniteOutput(block: Design.Block, row: Int)
        /// Every output of A and B is the same, so there is no variance to share out.
        case constantOutput
        /// The quasi-random sequence failed.
        case quasiRandom(GSLError)

        public var description: String {
            switch self {
            case .dimension(let d, let maximum):
                return "Sensitivity indices need 1 to \(maximum) inputs (Saltelli's design uses a Sobol' "
                    + "sequence of twice that dimension, and GSL's goes up to \(2 * maximum)), but \(d) "
                    + "\(d == 1 ? "was" : "were") given."
            case .baseSampleSize(let n):
                return "The base sample size must be between 2 and \(QuasiRandom.capacity) rows, but is \(n)."
            case .noFactors:
                return "The list of input groups is empty, so there is no index to estimate."
            case .emptyGroup(let g):
                return "Input group \(g + 1) lists no input."
            case .inputOutOfRange(let g, let input, let d):
                return "Input group \(g + 1) lists input \(input), but the inputs are numbered 0 to \(d - 1)."
            case .repeatedInput(let g, let input):
                return "Input group \(g + 1) lists input \(input) more than once."
            case .confidenceLevel(let level):
                return "The confidence level must lie strictly between 0 and 1 (for example 0.95), but is \(level)."
            case .bootstrapResamples(let b):
                return "The number of bootstrap replicates cannot be negative, but is \(b)."
            case .outputCount(let block, let expected, let given):
                return "The outputs for \(block) must hold one value per row, \(expected), but hold \(given)."
            case .mixedOutputCount(let expected, let given):
                return "The outputs of the A_B matrices must come as one array per factor, \(expected), "
                    + "but \(given) \(given == 1 ? "was" : "were") given."
            case .nonFiniteOutput(let block, let row):
                return "The model gave no finite value for row \(row) of \(block)."
            case .constantOutput:
                return "The model gave the same value for every row of A and B, so its variance is zero "
                    + "and cannot be shared out among the inputs."
            case .quasiRandom(let error):
                return "The quasi-random sequence failed: \(error)"
            }
        }
    }
}

// MARK: - Design

extension SobolIndices {
    /// Saltelli's design: the matrices A and B from one 2d-dimensional Sobol' sequence, and
    /// the factors whose columns A_B^(G) takes from B.
    ///
    /// The points are ``QuasiRandom/centredPoints(dimension:count:)``: points 0 ..< N of the
    /// sequence moved by half a cell, so every coordinate lies strictly inside (0, 1) and can
    /// go straight into a quantile function. Choose N as a power of two: the rows are then a
    /// shifted net and each column of A and of B holds every midpoint (j + ½)/N exactly once.
    public struct Design: Sendable, Equatable {
        /// One of the matrices the model is evaluated on.
        public enum Block: Sendable, Equatable, CustomStringConvertible {
            /// The base matrix A (the first d columns of the sequence).
            case a
            /// The matrix B (the last d columns of the sequence).
            case b
            /// A_B^(G): A with the columns of factor `group` taken from B.
            case mixed(group: Int)

            public var description: String {
                switch self {
                case .a: return "matrix A"
                case .b: return "matrix B"
                case .mixed(let group): return "matrix A_B for factor \(group + 1)"
                }
            }
        }

        /// The largest number of inputs, 20: half of GSL's 40 Sobol' dimensions.
        public static var maximumDimension: Int { QuasiRandom.maximumDimension / 2 }

        /// d, the number of inputs (columns of A and B).
        public let dimension: Int
        /// N, the number of rows of A and B.
        public let baseSampleSize: Int
        /// The factors, each a list of 0-based input columns moved together. Groups may
        /// overlap and need not cover every input; each gets its own indices.
        public let groups: [[Int]]
        /// A, row-major: row j is `a[j·d ..< (j + 1)·d]`, values in (0, 1).
        public let a: [Double]
        /// B, row-major like ``a``.
        public let b: [Double]

        /// The design for `dimension` inputs and `baseSampleSize` rows.
        ///
        /// - Parameter groups: the factors; `nil` for one factor per input, [[0], [1], …].
        /// - Throws: ``Failure`` for a dimension outside 1 … ``maximumDimension``, fewer than
        ///   two rows, or a malformed group.
        public init(dimension: Int, baseSampleSize: Int, groups: [[Int]]? = nil) throws(Failure) {
            guard (1...Self.maximumDimension).contains(dimension) else {
                throw .dimension(dimension, maximum: Self.maximumDimension)
            }
            guard (2...QuasiRandom.capacity).contains(baseSampleSize) else {
                throw .baseSampleSize(baseSampleSize)
            }
            let groups = groups ?? (0..<dimension).map { [$0] }
            try Self.check(groups, dimension: dimension)
            let points: [Double]
            do {
                points = try QuasiRandom.centredPoints(dimension: 2 * dimension, count: baseSampleSize)
            } catch {
                throw .quasiRandom(error)
            }
            var a = [Double](repeating: 0, count: baseSampleSize * dimension)
            var b = a
            for row in 0..<baseSampleSize {
                for i in 0..<dimension {
                    a[row * dimension + i] = points[row * 2 * dimension + i]
                    b[row * dimension + i] = points[row * 2 * dimension + dimension + i]
                }
            }
            self.dimension = dimension
            self.baseSampleSize = baseSampleSize
            self.groups = groups
            self.a = a
            self.b = b
        }

        /// A design on matrices built elsewhere: A and B row-major with `dimension` columns and
        /// `baseSampleSize` rows, values in (0, 1). For models with more than
        /// ``maximumDimension`` inputs, the caller can take the first columns from the
        /// quasi-random design and fill the rest with independent uniforms.
        public init(a: [Double], b: [Double], dimension: Int, baseSampleSize: Int, groups: [[Int]]) throws(Failure) {
            guard dimension >= 1, a.count == dimension * baseSampleSize, b.count == a.count else {
                throw .dimension(dimension, maximum: Int.max)
            }
            guard baseSampleSize >= 2 else { throw .baseSampleSize(baseSampleSize) }
            try Self.check(groups, dimension: dimension)
            self.dimension = dimension
            self.baseSampleSize = baseSampleSize
            self.groups = groups
            self.a = a
            self.b = b
        }

        /// Every group non-empty, inside 0 ..< dimension, without repeats; at least one group.
        private static func check(_ groups: [[Int]], dimension: Int) throws(Failure) {
            guard !groups.isEmpty else { throw .noFactors }
            for (g, group) in groups.enumerated() {
                guard !group.isEmpty else { throw .emptyGroup(g) }
                var seen = Set<Int>()
                for input in group {
                    guard (0..<dimension).contains(input) else {
                        throw .inputOutOfRange(group: g, input: input, dimension: dimension)
                    }
                    guard seen.insert(input).inserted else { throw .repeatedInput(group: g, input: input) }
                }
            }
        }

        /// The number of model evaluations the design needs: N·(k + 2) for k factors.
        public var evaluations: Int { baseSampleSize * (groups.count + 2) }

        /// Writes row `row` of `block` into `point` (which must hold d values).
        public func inputs(_ block: Block, row: Int, into point: inout [Double]) {
            precondition(point.count == dimension, "a row of the design has \(dimension) inputs")
            precondition((0..<baseSampleSize).contains(row), "row \(row) is outside 0 ..< \(baseSampleSize)")
            let start = row * dimension
            switch block {
            case .a, .mixed:
                for i in 0..<dimension { point[i] = a[start + i] }
                if case .mixed(let group) = block {
                    precondition(groups.indices.contains(group), "the design has \(groups.count) factors")
                    for i in groups[group] { point[i] = b[start + i] }
                }
            case .b:
                for i in 0..<dimension { point[i] = b[start + i] }
            }
        }

        /// Row `row` of `block`: d uniforms in (0, 1), input i in position i.
        public func inputs(_ block: Block, row: Int) -> [Double] {
            var point = [Double](repeating: 0, count: dimension)
            inputs(block, row: row, into: &point)
            return point
        }
    }
}

// MARK: - Estimation

extension SobolIndices {
    /// Evaluates `model` on Saltelli's design and estimates every factor's indices.
    ///
    /// `model` receives d uniforms in (0, 1), input i in position i (map them through the
    /// inputs' quantile functions), and returns the output. It is called N·(k + 2) times on the
    /// calling thread, row by row: A_j, B_j, then A_B^(G)_j for each factor in order.
    ///
    /// - Parameters:
    ///   - dimension: d, the number of inputs, 1 … 20.
    ///   - baseSampleSize: N ≥ 2; a power of two keeps the design a net (see ``Design``).
    ///   - groups: the factors; `nil` for one per input.
    ///   - bootstrapResamples: replicates for the intervals (500 by default; 0 for none).
    ///   - confidenceLevel: the intervals' coverage, strictly between 0 and 1.
    ///   - seed: the seed of the bootstrap's resampling; the same seed gives the same intervals.
    /// - Throws: ``Failure`` for invalid arguments, a non-finite output or a constant output.
    public init(
        dimension: Int,
        baseSampleSize: Int,
        groups: [[Int]]? = nil,
        bootstrapResamples: Int = 500,
        confidenceLevel: Double = 0.95,
        seed: UInt64 = 0,
        model: ([Double]) -> Double
    ) throws(Failure) {
        let design = try Design(dimension: dimension, baseSampleSize: baseSampleSize, groups: groups)
        try Self.checkBootstrap(resamples: bootstrapResamples, level: confidenceLevel)
        let n = design.baseSampleSize, k = design.groups.count
        var outputsA = [Double](repeating: 0, count: n)
        var outputsB = outputsA
        var outputsMixed = [[Double]](repeating: outputsA, count: k)
        var point = [Double](repeating: 0, count: design.dimension)
        for row in 0..<n {
            design.inputs(.a, row: row, into: &point)
            outputsA[row] = model(point)
            design.inputs(.b, row: row, into: &point)
            outputsB[row] = model(point)
            for g in 0..<k {
                design.inputs(.mixed(group: g), row: row, into: &point)
                outputsMixed[g][row] = model(point)
            }
        }
        try self.init(
            design: design, outputsA: outputsA, outputsB: outputsB, outputsMixed: outputsMixed,
            bootstrapResamples: bootstrapResamples, confidenceLevel: confidenceLevel, seed: seed)
    }

    /// Estimates every factor's indices from outputs computed elsewhere (for example in
    /// parallel): `outputsA[j]` = f(row j of A), `outputsB[j]` = f(row j of B) and
    /// `outputsMixed[g][j]` = f(row j of A_B^(G)) for factor g of `design`.
    ///
    /// - Throws: ``Failure`` for arrays of the wrong length, a non-finite output, outputs of A
    ///   and B that are all equal, or invalid bootstrap settings.
    public init(
        design: Design,
        outputsA: [Double],
        outputsB: [Double],
        outputsMixed: [[Double]],
        bootstrapResamples: Int = 500,
        confidenceLevel: Double = 0.95,
        seed: UInt64 = 0
    ) throws(Failure) {
        try Self.checkBootstrap(resamples: bootstrapResamples, level: confidenceLevel)
        let n = design.baseSampleSize, k = design.groups.count
        try Self.checkOutputs(outputsA, block: .a, count: n)
        try Self.checkOutputs(outputsB, block: .b, count: n)
        guard outputsMixed.count == k else { throw .mixedOutputCount(expected: k, given: outputsMixed.count) }
        for g in 0..<k { try Self.checkOutputs(outputsMixed[g], block: .mixed(group: g), count: n) }
        let first = outputsA[0]
        guard outputsA.contains(where: { $0 != first }) || outputsB.contains(where: { $0 != first }) else {
            throw .constantOutput
        }

        // Centre every output on the mean of f(A) and f(B) (see the type's documentation).
        var sum = 0.0
        for j in 0..<n { sum += outputsA[j] + outputsB[j] }
        let centre = sum / Double(2 * n)
        let yA = outputsA.map { $0 - centre }
        let yB = outputsB.map { $0 - centre }
        var yMixed = [Double](repeating: 0, count: k * n)
        for g in 0..<k {
            for j in 0..<n { yMixed[g * n + j] = outputsMixed[g][j] - centre }
        }

        let all = Array(0..<n)
        let point = Self.estimate(yA: yA, yB: yB, yMixed: yMixed, factors: k, rows: all)

        // Bootstrap replicates: resample the rows, recompute everything.
        var firstReplicates = [[Double]](repeating: [], count: k)
        var totalReplicates = [[Double]](repeating: [], count: k)
        if bootstrapResamples > 0 {
            let stream = RandomStream(seed: UInt32(truncatingIfNeeded: Streams.mix(seed ^ 0x5ab0_1b00_75e1_5eed)))
            var rows = [Int](repeating: 0, count: n)
            for _ in 0..<bootstrapResamples {
                for j in 0..<n {
                    // u·N with u in (0, 1) lies in (0, N); the clamp only guards rounding.
                    rows[j] = Swift.min(Int(stream.uniformPositive() * Double(n)), n - 1)
                }
                let replicate = Self.estimate(yA: yA, yB: yB, yMixed: yMixed, factors: k, rows: rows)
                for g in 0..<k {
                    let s = replicate.first[g] / replicate.variance
                    let st = replicate.total[g] / replicate.variance
                    // A replicate without variance (all rows alike) gives no index; drop it.
                    if s.isFinite { firstReplicates[g].append(s) }
                    if st.isFinite { totalReplicates[g].append(st) }
                }
            }
        }

        let lowerShare = (1 - confidenceLevel) / 2, upperShare = (1 + confidenceLevel) / 2
        func estimate(_ value: Double, _ replicates: [Double]) -> Estimate {
            guard !replicates.isEmpty else { return Estimate(value: value, lower: .nan, upper: .nan) }
            let sorted = replicates.sorted()
            return Estimate(
                value: value,
                lower: SampleQuantile.fromSorted(sorted, lowerShare),
                upper: SampleQuantile.fromSorted(sorted, upperShare))
        }
        factors = (0..<k).map { g in
            Factor(
                inputs: design.groups[g],
                firstOrder: estimate(point.first[g] / point.variance, firstReplicates[g]),
                totalOrder: estimate(point.total[g] / point.variance, totalReplicates[g]))
        }
        mean = centre + point.mean
        variance = point.variance
        baseSampleSize = n
        evaluations = design.evaluations
        self.bootstrapResamples = bootstrapResamples
        self.confidenceLevel = confidenceLevel
    }

    private static func checkBootstrap(resamples: Int, level: Double) throws(Failure) {
        guard resamples >= 0 else { throw .bootstrapResamples(resamples) }
        guard level > 0, level < 1 else { throw .confidenceLevel(level) }
    }

    private static func checkOutputs(_ outputs: [Double], block: Design.Block, count: Int) throws(Failure) {
        guard outputs.count == count else {
            throw .outputCount(block: block, expected: count, given: outputs.count)
        }
        if let row = outputs.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteOutput(block: block, row: row)
        }
    }

    /// The variance numerators of one (re)sample of rows, in centred output units.
    private struct Numerators {
        /// The mean of the selected y_A and y_B.
        var mean: Double
        /// Their sample variance (divisor 2N − 1).
        var variance: Double
        /// Per factor: the mean of y_B·(y_G − y_A) (Saltelli 2010).
        var first: [Double]
        /// Per factor: the mean of ½(y_A − y_G)² (Jansen 1999).
        var total: [Double]
    }

    /// The estimators over the rows listed in `rows` (repeats allowed), summed in index order
    /// so that the same rows give the same bits. `yMixed` holds factor g's outputs at
    /// `g·N ..< (g + 1)·N`.
    private static func estimate(
        yA: [Double], yB: [Double], yMixed: [Double], factors k: Int, rows: [Int]
    ) -> Numerators {
        let n = rows.count
        return yA.withUnsafeBufferPointer { yA in
            yB.withUnsafeBufferPointer { yB in
                yMixed.withUnsafeBufferPointer { yMixed in
                    rows.withUnsafeBufferPointer { rows in
                        var sum = 0.0, squares = 0.0
                        for j in 0..<n {
                            let a = yA[rows[j]], b = yB[rows[j]]
                            sum += a + b
                            squares += a * a + b * b
                        }
                        let count = Double(2 * n)
                        let mean = sum / count
                        let variance = Swift.max(0, (squares - count * mean * mean) / (count - 1))
                        var first = [Double](repeating: 0, count: k)
                        var total = [Double](repeating: 0, count: k)
                        for g in 0..<k {
                            let offset = g * yA.count
                            var product = 0.0, squaredDifference = 0.0
                            for j in 0..<n {
                                let row = rows[j]
                                let difference = yMixed[offset + row] - yA[row]
                                product += yB[row] * difference
                                squaredDifference += difference * difference
                            }
                            first[g] = product / Double(n)
                            total[g] = squaredDifference / (2 * Double(n))
                        }
                        return Numerators(mean: mean, variance: variance, first: first, total: total)
                    }
                }
            }
        }
    }
}
