import Testing
import Charts

// Nice ticks (1, 2, 2.5, 5 × 10^k) against hand-computed cases, and the rules for odd input.

@Suite("Nice ticks") struct NiceScaleTests {
    @Test func zeroToNinetySeven() {
        #expect(NiceScale.ticks(min: 0, max: 97) == [0, 20, 40, 60, 80, 100])
    }

    @Test func npvRangeInMillions() {
        // Span 7.73 m: a step of 1 m needs 10 ticks, 2 m needs 6 (−4 m … 6 m).
        #expect(NiceScale.ticks(min: -3.38e6, max: 4.35e6) == [-4e6, -2e6, 0, 2e6, 4e6, 6e6])
    }

    @Test func stepOfTwoAndAHalf() {
        // 0 … 9: step 2 needs 6 ticks (0 … 10) with maxTicks 5, so 2.5 (0 … 10, 5 ticks).
        #expect(NiceScale.ticks(min: 0, max: 9, maxTicks: 5) == [0, 2.5, 5, 7.5, 10])
    }

    @Test func decimalTicksAreTheNearestDoubles() {
        #expect(NiceScale.ticks(min: 0.1, max: 0.7) == [0, 0.2, 0.4, 0.6, 0.8])
        #expect(NiceScale.ticks(min: 0.01, max: 0.058) == [0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    }

    @Test func zeroWidthRangeIsWidenedByTenPercent() {
        #expect(NiceScale.ticks(min: 5, max: 5) == [4.5, 4.75, 5, 5.25, 5.5])
        #expect(NiceScale.ticks(min: 0, max: 0) == [-1, -0.5, 0, 0.5, 1])
    }

    @Test func oneValue() {
        #expect(NiceScale.ticks(covering: [42]) == [37.5, 40, 42.5, 45, 47.5])
    }

    @Test func notFiniteInputIsIgnored() {
        #expect(NiceScale.ticks(covering: [1, .nan, 9, .infinity, -.infinity]) == NiceScale.ticks(min: 1, max: 9))
        #expect(NiceScale.ticks(covering: [.nan, .infinity]) == [])
        #expect(NiceScale.ticks(covering: []) == [])
        #expect(NiceScale.ticks(min: .nan, max: .nan) == [])
        // One finite bound: as if it were the only value.
        #expect(NiceScale.ticks(min: .nan, max: 97) == NiceScale.ticks(covering: [97]))
        #expect(NiceScale.ticks(min: -.infinity, max: .infinity) == [])
        // A span too large for a double does not trap.
        #expect(NiceScale.ticks(min: -Double.greatestFiniteMagnitude, max: .greatestFiniteMagnitude).count >= 2)
    }

    @Test func reversedBoundsAreSwapped() {
        #expect(NiceScale.ticks(min: 97, max: 0) == [0, 20, 40, 60, 80, 100])
    }

    @Test func fourToSixTicksCoverEveryRange() {
        var x: UInt64 = 12345
        func next() -> Double {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Double(x >> 11) / Double(1 << 53)
        }
        for _ in 0..<2000 {
            let scale = [1e-3, 1, 97, 1e4, 3.4e6, 1e9][Int(next() * 6)]
            let a = (next() - 0.5) * scale, b = (next() - 0.5) * scale
            let ticks = NiceScale.ticks(min: a, max: b)
            #expect((4...6).contains(ticks.count), "\(a)…\(b): \(ticks)")
            #expect(ticks.first! <= min(a, b) && ticks.last! >= max(a, b), "\(a)…\(b): \(ticks)")
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow10(Int((step.magnitude).log10.rounded(.down)))
            #expect([1, 2, 2.5, 5, 10].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
        }
    }

    @Test func niceStepAndMultiples() {
        #expect(NiceScale.niceStep(atLeast: 195_000) == 200_000)
        #expect(NiceScale.niceStep(atLeast: 0.3) == 0.5)
        #expect(NiceScale.niceStep(atLeast: 2.2) == 2.5)
        #expect(NiceScale.multiples(of: 12, from: 0, through: 60) == [0, 12, 24, 36, 48, 60])
        #expect(NiceScale.multiples(of: 12, from: 1, through: 30) == [12, 24])
    }

    private func pow10(_ n: Int) -> Double {
        var p = 1.0
        if n >= 0 { for _ in 0..<n { p *= 10 } } else { for _ in 0..<(-n) { p /= 10 } }
        return p
    }
}

private extension Double {
    var log10: Double {
        var e = 0.0, x = self
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }
}
