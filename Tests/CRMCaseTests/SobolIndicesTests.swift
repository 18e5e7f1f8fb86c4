import Foundation
import Testing
import GSLSupport
import MonteCarlo

// MARK: - Quasi-random points

/// Point `n` (0-based, Antonov–Saleev Gray-code order) of the two-dimensional Sobol' sequence,
/// built here from first principles rather than by GSL: coordinate 1 is the van der Corput
/// sequence (direction numbers m_k = 1), coordinate 2 comes from the primitive polynomial
/// x + 1 with m₁ = 1 and the recurrence m_k = 2m_{k−1} ⊕ m_{k−1} (Bratley & Fox 1988).
/// With 30-bit direction integers V_k = m_k·2^(30−k), the point is the XOR of the V_k for
/// the set bits k of the Gray code n ⊕ (n >> 1), divided by 2^30.
private func referenceSobol2D(_ n: Int) -> (Double, Double) {
    var m = [Int](repeating: 1, count: 31)
    for k in 2...30 { m[k] = (2 * m[k - 1]) ^ m[k - 1] }
    let gray = n ^ (n >> 1)
    var x = 0, y = 0
    for k in 1...30 where gray & (1 << (k - 1)) != 0 {
        x ^= 1 << (30 - k)
        y ^= m[k] << (30 - k)
    }
    return (Double(x) / Double(1 << 30), Double(y) / Double(1 << 30))
}

@Suite("QuasiRandom: GSL's Sobol' sequence with the origin restored")
struct QuasiRandomTests {
    @Test("The first points are the published ones, and GSL's own sequence lacks the origin")
    func firstPoints() throws {
        // SciPy's documentation, qmc.Sobol(d=2, scramble=False).random_base2(m=3).
        let published: [(Double, Double)] = [
            (0, 0), (0.5, 0.5), (0.75, 0.25), (0.25, 0.75),
            (0.375, 0.375), (0.875, 0.875), (0.625, 0.125), (0.125, 0.625),
        ]
        var sequence = try QuasiRandom(dimension: 2)
        for (n, expected) in published.enumerated() {
            #expect(sequence.index == n)
            let point = try sequence.next()
            #expect(point == [expected.0, expected.1], "point \(n)")
        }
        // Further points against the independent construction (exact: dyadic rationals).
        for n in 8..<1024 {
            let point = try sequence.next()
            let expected = referenceSobol2D(n)
            #expect(point == [expected.0, expected.1], "point \(n)")
        }
        // The origin is ours: GSL's first point is (½, ½), our point 1 — every coordinate of
        // every point GSL returns is positive.
        sequence.restart()
        try sequence.skip(1)
        #expect(try sequence.next() == [0.5, 0.5])
    }

    @Test("The first 2^k points form a (0, k, 2)-net; GSL's first 2^k points do not")
    func netProperty() throws {
        func isNet(_ points: [[Double]], k: Int) -> Bool {
            // Every split of k into i + (k − i) bits: each 2^−i × 2^−(k−i) box once.
            for i in 0...k {
                var seen = Set<Int>()
                for p in points {
                    let a = Int(p[0] * Double(1 << i)), b = Int(p[1] * Double(1 << (k - i)))
                    seen.insert(a << (k - i) | b)
                }
                if seen.count != 1 << k { return false }
            }
            return true
        }
        for k in 1...10 {
            let count = 1 << k
            var sequence = try QuasiRandom(dimension: 2)
            let points = try (0..<count).map { _ in try sequence.next() }
            #expect(isNet(points, k: k), "k = \(k)")
            // Each coordinate is exactly {j/2^k}, so its mean is exactly (2^k − 1)/2^(k+1).
            let exactMean = Double(count - 1) / Double(2 * count)
            for c in 0..<2 {
                #expect(points.map { $0[c] }.reduce(0, +) / Double(count) == exactMean)
                #expect(Set(points.map { $0[c] * Double(count) }) == Set((0..<count).map(Double.init)))
            }
            // GSL's first 2^k points are our points 1 … 2^k: not a net.
            sequence.restart()
            try sequence.skip(1)
            let gslPoints = try (0..<count).map { _ in try sequence.next() }
            #expect(!isNet(gslPoints, k: k), "k = \(k)")
        }
    }

    @Test("Centred points: in (0, 1), every column holds each midpoint (j + ½)/N once")
    func centredPoints() throws {
        for dimension in [6, 40] {
            let count = 1024
            let rows = try QuasiRandom.centredPoints(dimension: dimension, count: count)
            #expect(rows.count == count * dimension)
            for c in 0..<dimension {
                let column = (0..<count).map { rows[$0 * dimension + c] }
                #expect(column.allSatisfy { $0 > 0 && $0 < 1 })
                #expect(column.map { $0 * Double(count) - 0.5 }.sorted() == (0..<count).map(Double.init))
                #expect(column.reduce(0, +) / Double(count) == 0.5)
            }
        }
        #expect(QuasiRandom.halfCell(forCount: 1) == 0.5)
        #expect(QuasiRandom.halfCell(forCount: 1024) == 0x1p-11)
        #expect(QuasiRandom.halfCell(forCount: 1025) == 0x1p-12)
        // Not a power of two: still strictly inside (0, 1).
        let odd = try QuasiRandom.centredPoints(dimension: 3, count: 1000)
        #expect(odd.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test("Skipping matches drawing; restarting starts again at the origin")
    func skipAndRestart() throws {
        var drawn = try QuasiRandom(dimension: 5)
        var skipped = try QuasiRandom(dimension: 5)
        for _ in 0..<37 { _ = try drawn.next() }
        try skipped.skip(37)
        #expect(skipped.index == 37)
        #expect(try skipped.next() == drawn.next())
        skipped.restart()
        #expect(skipped.index == 0)
        #expect(try skipped.next() == [0, 0, 0, 0, 0])
    }

    @Test("Dimensions outside 1 … 40 and impossible skips are errors, not crashes")
    func limits() throws {
        #expect(QuasiRandom.maximumDimension == 40)
        _ = try QuasiRandom(dimension: 40)
        for dimension in [0, -1, 41] {
            do {
                _ = try QuasiRandom(dimension: dimension)
                Issue.record("dimension \(dimension) was accepted")
            } catch {
                #expect(error.status == 4)  // GSL_EINVAL
            }
        }
        var sequence = try QuasiRandom(dimension: 1)
        #expect(throws: GSLError.self) { try sequence.skip(-1) }
        #expect(throws: GSLError.self) { try sequence.skip(QuasiRandom.capacity + 1) }
        #expect(sequence.index == 0)
        #expect(throws: GSLError.self) { _ = try QuasiRandom.centredPoints(dimension: 2, count: 0) }
    }
}

// MARK: - Sobol' indices

/// The Ishigami function's variance components on [−π, π]³ with X uniform (Ishigami & Homma
/// 1990):
/// V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½, V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8, V₃ = 0,
/// V₁₃ = b²π⁸(1/18 − 1/50), and no other component.
private struct Ishigami {
    let a = 7.0, b = 0.1
    let pi4: Double = pow(Double.pi, 4)
    let pi8: Double = pow(Double.pi, 8)

    var variance: Double {
        let sine: Double = a * a / 8
        let quartic: Double = b * pi4 / 5
        let product: Double = b * b * pi8 / 18
        return sine + quartic + product + 0.5
    }
    var v1: Double {
        let root: Double = 1 + b * pi4 / 5
        return 0.5 * root * root
    }
    var v2: Double { a * a / 8 }
    var v13: Double {
        let share: Double = 1.0 / 18 - 1.0 / 50
        return b * b * pi8 * share
    }

    var firstOrder: [Double] { [v1 / variance, v2 / variance, 0] }
    var totalOrder: [Double] { [(v1 + v13) / variance, v2 / variance, v13 / variance] }

    /// f on uniforms u in (0, 1)³, mapped to x = −π + 2πu.
    func callAsFunction(_ u: [Double]) -> Double {
        let x = u.map { -Double.pi + 2 * .pi * $0 }
        let s1 = sin(x[0]), s2 = sin(x[1])
        return s1 + a * s2 * s2 + b * pow(x[2], 4) * s1
    }
}

@Suite("Sobol' indices: Saltelli's design, Saltelli 2010 and Jansen 1999 estimators")
struct SobolIndicesTests {
    @Test("Ishigami: the estimates match the closed forms and lie in their bootstrap intervals")
    func ishigami() throws {
        let f = Ishigami()
        // The closed forms add up and give the published values.
        #expect(abs(f.v1 + f.v2 + f.v13 - f.variance) <= 1e-12)
        let published = (s: [0.3139, 0.4424, 0.0], st: [0.5576, 0.4424, 0.2437])
        for i in 0..<3 {
            #expect(abs(f.firstOrder[i] - published.s[i]) <= 1e-4)
            #expect(abs(f.totalOrder[i] - published.st[i]) <= 1e-4)
        }

        let n = 1 << 13
        let result = try SobolIndices(dimension: 3, baseSampleSize: n, seed: 2010) { f($0) }
        #expect(result.evaluations == n * 5)
        #expect(result.baseSampleSize == n)
        #expect(result.bootstrapResamples == 500 && result.confidenceLevel == 0.95)
        // E[Y] = a/2 = 3.5.
        #expect(abs(result.mean - f.a / 2) <= 0.01)
        #expect(abs(result.variance / f.variance - 1) <= 0.005)
        // At N = 2^13 the quasi-random estimates are within 5·10⁻⁴ of the truth; 0.005 leaves
        // room for a different platform's rounding of sin and pow.
        let tolerance = 0.005
        for (i, factor) in result.factors.enumerated() {
            #expect(factor.inputs == [i])
            for (estimate, truth) in [(factor.firstOrder, f.firstOrder[i]), (factor.totalOrder, f.totalOrder[i])] {
                #expect(abs(estimate.value - truth) <= tolerance, "input \(i + 1): \(estimate) vs \(truth)")
                #expect(estimate.intervalContains(estimate.value), "input \(i + 1): \(estimate)")
                #expect(estimate.intervalContains(truth), "input \(i + 1): \(estimate) vs \(truth)")
                #expect(estimate.upper - estimate.lower < 0.1)
            }
        }
    }

    @Test("A linear model: S_i = S_Ti = c_i²/Σc_j², whatever the offset")
    func linear() throws {
        let c = [1.0, -2.0, 3.0, 4.0]
        let sumOfSquares = c.reduce(0) { $0 + $1 * $1 }
        func model(offset: Double) -> ([Double]) -> Double {
            { u in offset + zip(c, u).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        let result = try SobolIndices(dimension: 4, baseSampleSize: 1 << 10, model: model(offset: 0))
        // Var(Y) = Σc²/12 for independent uniforms.
        #expect(abs(result.variance / (sumOfSquares / 12) - 1) <= 1e-3)
        for (i, factor) in result.factors.enumerated() {
            let share = c[i] * c[i] / sumOfSquares
            #expect(abs(factor.firstOrder.value - share) <= 0.005, "S\(i + 1) = \(factor.firstOrder)")
            #expect(abs(factor.totalOrder.value - share) <= 0.005, "ST\(i + 1) = \(factor.totalOrder)")
            #expect(factor.firstOrder.intervalContains(share))
            #expect(factor.totalOrder.intervalContains(share))
        }
        // Centring makes a large offset (think of an NPV's mean) irrelevant.
        let shifted = try SobolIndices(dimension: 4, baseSampleSize: 1 << 10, model: model(offset: 1e7))
        #expect(abs(shifted.mean - result.mean - 1e7) <= 1e-6)
        for (plain, moved) in zip(result.factors, shifted.factors) {
            #expect(abs(plain.firstOrder.value - moved.firstOrder.value) <= 1e-8)
            #expect(abs(plain.totalOrder.value - moved.totalOrder.value) <= 1e-8)
        }
    }

    @Test("Groups: Y = X₁X₂ + X₃ — the pair {X₁, X₂} explains 7/19, more than S₁ + S₂")
    func groups() throws {
        // Var(X₁X₂) = 1/9 − 1/16 = 7/144, Var(X₃) = 12/144, V = 19/144. Alone, X₁ explains
        // Var(X₁/2) = 3/144; with its interaction with X₂ (1/144) its total is 4/144.
        let groups = [[0, 1], [2], [0], [1]]
        let first = [7.0, 12, 3, 3].map { $0 / 19 }
        let total = [7.0, 12, 4, 4].map { $0 / 19 }
        let result = try SobolIndices(dimension: 3, baseSampleSize: 1 << 12, groups: groups) { x in
            x[0] * x[1] + x[2]
        }
        #expect(result.evaluations == (1 << 12) * 6)
        #expect(abs(result.variance / (19.0 / 144) - 1) <= 1e-3)
        for (g, factor) in result.factors.enumerated() {
            #expect(factor.inputs == groups[g])
            #expect(abs(factor.firstOrder.value - first[g]) <= 0.005, "group \(groups[g]): \(factor.firstOrder)")
            #expect(abs(factor.totalOrder.value - total[g]) <= 0.005, "group \(groups[g]): \(factor.totalOrder)")
            #expect(factor.firstOrder.intervalContains(first[g]))
            #expect(factor.totalOrder.intervalContains(total[g]))
        }
        // The group is not the sum of its members.
        #expect(result.factors[0].firstOrder.value > result.factors[2].firstOrder.value + result.factors[3].firstOrder.value + 0.03)
    }

    @Test("The design: A and B in (0, 1), A_B takes exactly the group's columns from B")
    func design() throws {
        let design = try SobolIndices.Design(dimension: 4, baseSampleSize: 256, groups: [[1, 3], [0]])
        #expect(design.evaluations == 256 * 4)
        #expect((design.a + design.b).allSatisfy { $0 > 0 && $0 < 1 })
        // A is the first d columns of the 2d-dimensional centred Sobol' points, B the last d.
        let points = try QuasiRandom.centredPoints(dimension: 8, count: 256)
        for row in [0, 1, 77, 255] {
            let a = design.inputs(.a, row: row), b = design.inputs(.b, row: row)
            #expect(a == Array(points[(row * 8)..<(row * 8 + 4)]))
            #expect(b == Array(points[(row * 8 + 4)..<(row * 8 + 8)]))
            #expect(design.inputs(.mixed(group: 0), row: row) == [a[0], b[1], a[2], b[3]])
            #expect(design.inputs(.mixed(group: 1), row: row) == [b[0], a[1], a[2], a[3]])
        }
    }

    @Test("Same seed, same intervals; another seed moves only the intervals")
    func determinism() throws {
        let f = Ishigami()
        let one = try SobolIndices(dimension: 3, baseSampleSize: 512, bootstrapResamples: 100, seed: 7) { f($0) }
        let again = try SobolIndices(dimension: 3, baseSampleSize: 512, bootstrapResamples: 100, seed: 7) { f($0) }
        let other = try SobolIndices(dimension: 3, baseSampleSize: 512, bootstrapResamples: 100, seed: 8) { f($0) }
        #expect(one == again)
        #expect(one.factors.map(\.firstOrder.value) == other.factors.map(\.firstOrder.value))
        #expect(one.factors.map(\.firstOrder.lower) != other.factors.map(\.firstOrder.lower))
        // Without replicates there is no interval.
        let bare = try SobolIndices(dimension: 3, baseSampleSize: 512, bootstrapResamples: 0) { f($0) }
        #expect(bare.factors[0].firstOrder.lower.isNaN && bare.factors[0].totalOrder.upper.isNaN)
        #expect(bare.factors.map(\.totalOrder.value) == one.factors.map(\.totalOrder.value))
    }

    @Test("Bad arguments and bad outputs are error values")
    func failures() throws {
        typealias Failure = SobolIndices.Failure
        func failure(_ body: () throws -> Void) -> Failure? {
            do { try body() } catch { return error as? Failure }
            return nil
        }
        let sum: ([Double]) -> Double = { $0.reduce(0, +) }
        #expect(failure { _ = try SobolIndices(dimension: 21, baseSampleSize: 64, model: sum) }
            == .dimension(21, maximum: 20))
        #expect(failure { _ = try SobolIndices(dimension: 0, baseSampleSize: 64, model: sum) }
            == .dimension(0, maximum: 20))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 1, model: sum) } == .baseSampleSize(1))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, groups: [], model: sum) } == .noFactors)
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, groups: [[0], []], model: sum) }
            == .emptyGroup(1))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, groups: [[0, 2]], model: sum) }
            == .inputOutOfRange(group: 0, input: 2, dimension: 2))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, groups: [[1, 1]], model: sum) }
            == .repeatedInput(group: 0, input: 1))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, confidenceLevel: 1, model: sum) }
            == .confidenceLevel(1))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8, bootstrapResamples: -1, model: sum) }
            == .bootstrapResamples(-1))
        #expect(failure { _ = try SobolIndices(dimension: 2, baseSampleSize: 8) { _ in 42 } } == .constantOutput)
        #expect(failure {
            _ = try SobolIndices(dimension: 2, baseSampleSize: 8) { x in x[0] > 0.9 ? .nan : x[0] }
        } == .nonFiniteOutput(block: .a, row: 5))

        let design = try SobolIndices.Design(dimension: 2, baseSampleSize: 8)
        let eight = [Double](repeating: 1, count: 8)
        #expect(failure {
            _ = try SobolIndices(design: design, outputsA: eight, outputsB: [1], outputsMixed: [eight, eight])
        } == .outputCount(block: .b, expected: 8, given: 1))
        #expect(failure {
            _ = try SobolIndices(design: design, outputsA: eight, outputsB: eight, outputsMixed: [eight])
        } == .mixedOutputCount(expected: 2, given: 1))
        #expect(Failure.dimension(21, maximum: 20).description.contains("1 to 20"))
    }
}
