import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo

// Checks of rank correlation between inputs: the Gaussian copula (per trial) and Iman–Conover
// (whole sample) against a 3 × 3 Spearman target, the nearest correlation matrix for a
// contradictory matrix, Spearman's coefficient with ties, and the Spearman ↔ normal
// correlation conversion.
//
// Tolerances (n = 10 000 trials from GSL's Mersenne Twister, fixed seed, so every run gives the
// same numbers):
// - achieved Spearman vs target: ±0.02. The standard error of a sample Spearman coefficient
//   is about (1 − r²)/√n · 1.06 ≤ 0.011 for n = 10 000, so ±0.02 is about 2 standard errors
//   for the copula; Iman–Conover pins the scores' Pearson correlation exactly, so its error is
//   much smaller than that.
// - uniform marginals (copula): Kolmogorov–Smirnov statistic below 1.63/√n (the 1 % critical
//   value), and each decile's count within 4 binomial standard deviations √(n·0.1·0.9) = 30
//   of n/10.
// - nearest correlation matrix: the exact answer is derived below; alternating projections
//   converge linearly, and at tolerance 1e−12 the answer is within 1e−6 of it.

private let trials = 10_000
private let targetRows: [[Double]] = [[1, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 1]]
private let inputNames = ["churn rate", "seats", "price per seat"]

/// `count` columns of `n` independent uniforms from one seeded Mersenne Twister.
private func independentUniformColumns(count: Int, n: Int = trials, seed: UInt32) -> [[Double]] {
    let stream = RandomStream(seed: seed)
    var columns = [[Double]](repeating: [Double](repeating: 0, count: n), count: count)
    for t in 0..<n {
        for c in 0..<count { columns[c][t] = stream.uniformPositive() }
    }
    return columns
}

/// The Kolmogorov–Smirnov distance between a sample and the uniform distribution on (0, 1).
private func ksUniform(_ sample: [Double]) -> Double {
    let sorted = sample.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, u) in sorted.enumerated() {
        d = max(d, Double(i + 1) / n - u, u - Double(i) / n)
    }
    return d
}

/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method,
/// written here so the checks do not depend on the GSL wrapper under test. Returns the
/// eigenvalues and V with column k the eigenvector of eigenvalue k.
private func jacobiEigen(_ a: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
    var a = a
    let n = a.count
    var v = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
    for _ in 0..<100 {
        var off = 0.0
        for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
        if off < 1e-30 { break }
        for p in 0..<n {
            for q in (p + 1)..<n where a[p][q] != 0 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {   // A ← A J
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<n {   // A ← Jᵀ A
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
                for k in 0..<n {   // V ← V J
                    let vkp = v[k][p], vkq = v[k][q]
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            }
        }
    }
    return ((0..<n).map { a[$0][$0] }, v)
}

/// The naive repair of an invalid correlation matrix: clip negative eigenvalues to 0, then
/// rescale to a unit diagonal.
private func naiveFix(_ rows: [[Double]]) -> [[Double]] {
    let n = rows.count
    let (values, v) = jacobiEigen(rows)
    var clipped = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for k in 0..<n where values[k] > 0 {
        for i in 0..<n { for j in 0..<n { clipped[i][j] += values[k] * v[i][k] * v[j][k] } }
    }
    return (0..<n).map { i in (0..<n).map { j in clipped[i][j] / (clipped[i][i] * clipped[j][j]).squareRoot() } }
}

private func frobenius(_ a: [[Double]], _ b: [[Double]]) -> Double {
    var s = 0.0
    for i in a.indices { for j in a[i].indices { s += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]) } }
    return s.squareRoot()
}

@Suite struct RankCorrelationTests {
    let target = try! CorrelationMatrix(targetRows, names: inputNames)

    // MARK: Gaussian copula

    @Test func gaussianCopulaAchievesTargetAndKeepsUniformMarginals() throws {
        let copula = try GaussianCopula(spearman: target)
        let independent = independentUniformColumns(count: 3, seed: 20_270_301)
        var correlated = independent
        var trial = [Double](repeating: 0, count: 3)
        for t in 0..<trials {
            for c in 0..<3 { trial[c] = independent[c][t] }
            trial.withUnsafeMutableBufferPointer { copula.correlate($0) }
            for c in 0..<3 { correlated[c][t] = trial[c] }
        }
        let achieved = RankCorrelation.spearmanMatrix(correlated)
        for i in 0..<3 {
            for j in 0..<3 where i != j {
                #expect(abs(achieved[i][j] - targetRows[i][j]) <= 0.02,
                        "Spearman(\(inputNames[i]), \(inputNames[j])) = \(achieved[i][j]), target \(targetRows[i][j])")
            }
        }
        print("Gaussian copula, achieved Spearman: \(achieved.map { $0.map { String(format: "%+.4f", $0) } })")

        // The first input is not correlated with an earlier one: it passes bit for bit.
        #expect(correlated[0] == independent[0])
        // Every marginal stays uniform.
        let ksLimit = 1.63 / Double(trials).squareRoot()
        for c in 0..<3 {
            let column = correlated[c]
            #expect(column.allSatisfy { $0 > 0 && $0 < 1 })
            let ks = ksUniform(column)
            #expect(ks < ksLimit, "KS distance of \(inputNames[c]) = \(ks), limit \(ksLimit)")
            var deciles = [Int](repeating: 0, count: 10)
            for u in column { deciles[min(9, Int(u * 10))] += 1 }
            for count in deciles {
                #expect(abs(count - trials / 10) <= 120, "decile counts of \(inputNames[c]): \(deciles)")
            }
        }
        // The normals' correlation is 2·sin(π·r/6) of the target and needed no adjustment.
        #expect(copula.normalAdjustment == 0)
        #expect(abs(copula.normalCorrelation[0, 1] - 2 * sin(Double.pi * 0.6 / 6)) < 1e-15)
    }

    @Test func gaussianCopulaHandlesPerfectCorrelation() throws {
        // r = 1 makes the normals' matrix singular; the copula uses the nearest positive-
        // definite one and says how much that moved (≈ 1e−9).
        let perfect = try CorrelationMatrix([[1, 1], [1, 1]], names: ["a", "b"])
        let copula = try GaussianCopula(spearman: perfect)
        #expect(copula.normalAdjustment > 0 && copula.normalAdjustment < 1e-6)
        let u = copula.correlated([0.3, 0.9])
        #expect(u[0] == 0.3)
        #expect(abs(u[1] - 0.3) < 1e-3)
    }

    // MARK: Iman–Conover

    @Test func imanConoverAchievesTargetAndPermutesEachColumn() throws {
        // Three different marginals: uniform, lognormal and gamma, drawn independently.
        let u = independentUniformColumns(count: 3, seed: 20_270_302)
        let lognormal = Distribution.lognormal(mu: 0, sigma: 1)
        let gamma = Distribution.gamma(shape: 2, scale: 3)
        let sample = [u[0], u[1].map(lognormal.quantile), u[2].map(gamma.quantile)]

        let reordered = try RankCorrelation.imanConover(sample, target: target)
        for c in 0..<3 {
            #expect(reordered[c].sorted() == sample[c].sorted(), "column \(c) is not a permutation of the original")
        }
        #expect(reordered[0] == sample[0], "the first column keeps its order")
        let achieved = RankCorrelation.spearmanMatrix(reordered)
        for i in 0..<3 {
            for j in 0..<3 where i != j {
                #expect(abs(achieved[i][j] - targetRows[i][j]) <= 0.02,
                        "Spearman(\(inputNames[i]), \(inputNames[j])) = \(achieved[i][j]), target \(targetRows[i][j])")
            }
        }
        print("Iman–Conover, achieved Spearman: \(achieved.map { $0.map { String(format: "%+.4f", $0) } })")

        // The requested-vs-achieved table lists every pair once, in matrix order.
        let table = RankCorrelation.compare(requested: target, columns: reordered)
        #expect(table.map(\.first) == ["churn rate", "churn rate", "seats"])
        #expect(table.map(\.second) == ["seats", "price per seat", "price per seat"])
        #expect(table.allSatisfy { abs($0.difference) <= 0.02 })
    }

    @Test func imanConoverKeepsTiedValuesAndRejectsBadShapes() throws {
        // A discrete column (many ties) is still only permuted.
        var u = independentUniformColumns(count: 3, n: 2_000, seed: 20_270_303)
        u[2] = u[2].map { floor($0 * 4) }
        var stream = RandomStream(seed: 7)
        let reordered = try RankCorrelation.imanConover(u, target: target, shuffling: &stream)
        for c in 0..<3 { #expect(reordered[c].sorted() == u[c].sorted()) }

        #expect(throws: CorrelationIssue.columnCount(columns: 2, inputs: 3)) {
            try RankCorrelation.imanConover(Array(u.prefix(2)), target: target)
        }
        #expect(throws: CorrelationIssue.tooFewTrials(trials: 4, needed: 5)) {
            try RankCorrelation.imanConover(u.map { Array($0.prefix(4)) }, target: target)
        }
        // Columns already in lock-step leave nothing to rearrange.
        let sorted = u[0].sorted()
        #expect(throws: CorrelationIssue.dependentSample) {
            try RankCorrelation.imanConover([sorted, sorted, u[1]], target: target)
        }
    }

    // MARK: Validation and the nearest correlation matrix

    @Test func contradictoryMatrixIsRejectedWithTheNearestValidOne() throws {
        let rows: [[Double]] = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
        let names = ["deal size", "seats", "discount"]
        let matrix = try CorrelationMatrix(rows, names: names)
        #expect(!matrix.isPositiveSemidefinite())

        var issue: CorrelationIssue?
        do {
            _ = try matrix.checkedConsistent()
        } catch {
            issue = error
        }
        guard case .contradictory(let smallest, let nearest, let triple)? = issue else {
            Issue.record("expected the matrix to be rejected as contradictory, got \(String(describing: issue))")
            return
        }
        #expect(abs(smallest - -0.8) < 1e-12)   // eigenvalues 1.9, 1.9, −0.8 (see below)
        #expect(triple == names)
        let message = issue!.description
        #expect(message.contains("contradict"))
        #expect(message.contains("“deal size”–“discount” from −0.90 to −0.50"), "\(message)")
        print("Message: \(message)")

        // Valid: symmetric, unit diagonal, entries in −1…1, smallest eigenvalue (by Jacobi,
        // independently of GSL) ≥ −1e−10.
        let n = nearest.rows
        for i in 0..<3 {
            #expect(n[i][i] == 1)
            for j in 0..<3 {
                #expect(n[i][j] == n[j][i])
                #expect(abs(n[i][j]) <= 1)
            }
        }
        let (values, _) = jacobiEigen(n)
        #expect(values.min()! >= -1e-10, "eigenvalues \(values)")

        // The exact answer. The matrix is unchanged by swapping inputs 1 and 3, and the nearest
        // correlation matrix is unique, so it is [[1, a, b], [a, 1, a], [b, a, 1]]. Its
        // eigenvalues are 1 − b (eigenvector (1, 0, −1)) and those of [[1 + b, √2a], [√2a, 1]],
        // so it is valid iff b ≥ 2a² − 1 (and |b| ≤ 1). Minimising 2(a − 0.9)² + (b + 0.9)² on
        // the boundary b = 2a² − 1 gives 4a³ + 0.8a − 0.9 = 0 (the objective is convex in a),
        // whose only real root is a = 0.5, so b = −0.5; the original's eigenvalues are 1.9,
        // 1.9 and −0.8 by the same formulas.
        let reference: [[Double]] = [[1, 0.5, -0.5], [0.5, 1, 0.5], [-0.5, 0.5, 1]]
        #expect(frobenius(n, reference) < 1e-6, "nearest = \(n)")
        #expect(abs(frobenius(n, rows) - 0.96.squareRoot()) < 1e-6)

        // No farther than the naive fix (which, for this symmetric example, happens to land on
        // the same matrix; the next test has one where it does not).
        let naive = naiveFix(rows)
        #expect(frobenius(n, rows) <= frobenius(naive, rows) + 1e-12,
                "Higham \(frobenius(n, rows)) vs naive \(frobenius(naive, rows))")

        // The copula refuses it too, and accepts the nearest one. That one is singular, and
        // its normals' correlation 2·sin(π·r/6) is slightly indefinite (determinant −0.08),
        // so the copula moves it to the nearest positive-definite one and reports by how much.
        #expect(throws: CorrelationIssue.self) { try GaussianCopula(spearman: matrix) }
        let copula = try GaussianCopula(spearman: nearest)
        #expect(copula.normalAdjustment > 0 && copula.normalAdjustment < 0.02, "\(copula.normalAdjustment)")
        #expect(jacobiEigen(copula.normalCorrelation.rows).values.min()! > 0)
    }

    @Test func nearestIsOptimalAndBeatsTheNaiveFix() throws {
        // An asymmetric contradiction: a with b strongly, a with c, but b against c.
        let rows: [[Double]] = [[1, 0.9, 0.7], [0.9, 1, -0.4], [0.7, -0.4, 1]]
        let matrix = try CorrelationMatrix(rows)
        let nearest = matrix.nearest().rows
        #expect(jacobiEigen(nearest).values.min()! >= -1e-10)
        for i in 0..<3 { #expect(nearest[i][i] == 1) }

        // Optimality, checked independently: a 3 × 3 unit-diagonal matrix with entries
        // (x, y, z) = (m₁₂, m₂₃, m₁₃) is valid iff det = 1 + 2xyz − x² − y² − z² ≥ 0 (and
        // |entries| ≤ 1). The nearest point lies on det = 0, and the step from the original to
        // it is along the inward normal: (x, y, z) − (a, b, c) = μ·∇det with μ > 0.
        let (x, y, z) = (nearest[0][1], nearest[1][2], nearest[0][2])
        let (a, b, c) = (rows[0][1], rows[1][2], rows[0][2])
        #expect(abs(1 + 2 * x * y * z - x * x - y * y - z * z) < 1e-9)
        let gradient = [2 * y * z - 2 * x, 2 * x * z - 2 * y, 2 * x * y - 2 * z]
        let step = [x - a, y - b, z - c]
        let mu = zip(step, gradient).map { $0 * $1 }.reduce(0, +) / gradient.map { $0 * $0 }.reduce(0, +)
        #expect(mu > 0)
        for k in 0..<3 { #expect(abs(step[k] - mu * gradient[k]) < 1e-6, "step \(step), gradient \(gradient)") }

        // Strictly closer than clipping the eigenvalues and rescaling.
        let naive = naiveFix(rows)
        #expect(frobenius(nearest, rows) < frobenius(naive, rows) - 1e-3,
                "Higham \(frobenius(nearest, rows)) vs naive \(frobenius(naive, rows))")
        print("Nearest to \(rows): \(nearest), distance \(frobenius(nearest, rows)); naive fix distance \(frobenius(naive, rows))")
    }

    @Test func nearestLeavesValidMatrixAlone() throws {
        #expect(target.isPositiveSemidefinite())
        #expect(target.nearest() == target)
        #expect(try target.checkedConsistent() == target)
    }

    @Test func validationNamesTheOffendingPair() {
        let names = ["churn", "price"]
        #expect(throws: CorrelationIssue.asymmetric(first: "churn", second: "price", value: 0.5, mirrored: 0.4)) {
            try CorrelationMatrix([[1, 0.5], [0.4, 1]], names: names)
        }
        #expect(throws: CorrelationIssue.outOfRange(first: "churn", second: "price", value: 1.2)) {
            try CorrelationMatrix([[1, 1.2], [1.2, 1]], names: names)
        }
        #expect(throws: CorrelationIssue.diagonalNotOne(name: "price", value: 0.9)) {
            try CorrelationMatrix([[1, 0.2], [0.2, 0.9]], names: names)
        }
        #expect(throws: CorrelationIssue.notSquare(name: "price", entries: 1, expected: 2)) {
            try CorrelationMatrix([[1, 0.2], [0.2]], names: names)
        }
        #expect(throws: CorrelationIssue.nameCount(names: 2, rows: 3)) {
            try CorrelationMatrix(targetRows, names: names)
        }
        let message = CorrelationIssue.asymmetric(first: "churn", second: "price", value: 0.5, mirrored: 0.4).description
        #expect(message == "The correlation between “churn” and “price” is given as 0.50 in one place and 0.40 in the "
            + "mirrored place; it is one number, so the matrix must be symmetric.")
    }

    // MARK: Spearman and the conversion

    @Test func spearmanOfMonotoneDataIsExactlyOneWithTiesHandled() {
        let x = (1...1_000).map(Double.init)
        #expect(RankCorrelation.spearman(x, x.map { exp($0 / 100) }) == 1)
        #expect(RankCorrelation.spearman(x, x.map { -$0 * $0 }) == -1)
        // Ties on both sides, in the same places: still exactly 1.
        let tiedX: [Double] = [3, 1, 2, 2, 5, 5, 5, 0]
        let tiedY = tiedX.map { 10 * $0 + 1 }
        #expect(RankCorrelation.spearman(tiedX, tiedY) == 1)
        #expect(RankCorrelation.ranks(tiedX) == [5, 2, 3.5, 3.5, 7, 7, 7, 1])
        // Average ranks by hand: x ranks 1…5, y ranks 1.5, 1.5, 3.5, 3.5, 5; centred
        // (−2, −1, 0, 1, 2) and (−1.5, −1.5, 0.5, 0.5, 2): 9 / √(10 · 9).
        let r = RankCorrelation.spearman([1, 2, 3, 4, 5], [1, 1, 2, 2, 3])
        #expect(abs(r - 9 / (90.0).squareRoot()) < 1e-15)
        #expect(RankCorrelation.spearman([1, 2, 3], [4, 4, 4]).isNaN)
    }

    @Test func spearmanNormalConversionRoundTrips() {
        for k in -20...20 {
            let r = Double(k) / 20
            let rho = RankCorrelation.normalCorrelation(forSpearman: r)
            #expect(abs(RankCorrelation.spearman(forNormalCorrelation: rho) - r) < 1e-14, "r = \(r)")
            #expect(abs(rho) <= 1 && abs(rho - r) <= 0.0181)
        }
        #expect(RankCorrelation.normalCorrelation(forSpearman: 1) == 1)
        #expect(RankCorrelation.normalCorrelation(forSpearman: -1) == -1)
        #expect(RankCorrelation.normalCorrelation(forSpearman: 0) == 0)
        // 2·sin(π/12) = (√6 − √2)/2.
        #expect(abs(RankCorrelation.normalCorrelation(forSpearman: 0.5) - (6.0.squareRoot() - 2.0.squareRoot()) / 2) < 1e-15)
    }

    // MARK: The GSL wrappers

    @Test func linearAlgebraWrappers() throws {
        #expect(try LinearAlgebra.symmetricEigenvalues([2, 1, 1, 2], dimension: 2).map { ($0 * 1e12).rounded() / 1e12 } == [1, 3])
        let l = try LinearAlgebra.choleskyLower([4, 2, 2, 3], dimension: 2)
        #expect(l[0] == 2 && l[1] == 0 && l[2] == 1 && abs(l[3] - 2.0.squareRoot()) < 1e-15)
        #expect(throws: GSLError.self) { try LinearAlgebra.choleskyLower([1, 2, 2, 1], dimension: 2) }
        #expect(throws: GSLError.self) { try LinearAlgebra.symmetricEigenvalues([1, 2, 3], dimension: 2) }
        let system = try LinearAlgebra.symmetricEigensystem([2, 1, 1, 2], dimension: 2)
        #expect(abs(abs(system.vector(1, 0)) - 0.5.squareRoot()) < 1e-15)
    }
}
