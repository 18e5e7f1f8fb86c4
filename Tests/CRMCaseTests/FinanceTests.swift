import Foundation
import Testing
import CRMModel
import GSLSupport

@Suite("Finance: rates, IRR, payback, CLV")
struct FinanceTests {
    private func irr(_ flows: [Double]) -> Finance.IRR {
        flows.withUnsafeBufferPointer { Finance.irr($0) }
    }

    @Test("Rate conversions are inverse to each other")
    func rates() {
        let monthly = Finance.monthlyRate(annual: 0.08)
        #expect(abs(pow(1 + monthly, 12) - 1.08) <= 1e-15)
        #expect(abs(Finance.annualRate(monthly: monthly) - 0.08) <= 1e-15)
        let churn = Finance.monthlyChurn(annual: 0.3)
        #expect(abs(pow(1 - churn, 12) - 0.7) <= 1e-15)
    }

    @Test("IRR of one sign change matches the closed form")
    func singleRoot() throws {
        // −100 now, +110 in a month: 10 % a month, (1.1)^12 − 1 a year.
        let r = try #require(irr([-100, 110]).value)
        #expect(abs(r - (pow(1.1, 12) - 1)) <= 1e-12)
        // An annuity: −1000 now, 12 × 100: the monthly rate solves Σ 100/(1+i)^t = 1000.
        let annuity = [-1000.0] + Array(repeating: 100, count: 12)
        let annual = try #require(irr(annuity).value)
        let i = pow(1 + annual, 1.0 / 12) - 1
        let pv = (1...12).reduce(0.0) { $0 + 100 / pow(1 + i, Double($1)) }
        #expect(abs(pv - 1000) <= 1e-9)
        // A loss: −100 then +50: a monthly rate of −50 %.
        let loss = try #require(irr([-100, 50]).value)
        #expect(abs(loss - (pow(0.5, 12) - 1)) <= 1e-12)
    }

    @Test("No sign change and several roots give no IRR")
    func noIRR() {
        #expect(irr([-100, -5, -3]) == .noSignChange)
        #expect(irr([0, 0, 0]) == .noSignChange)
        // (1 + i)² − 2.3(1 + i) + 1.32 = 0 at i = 10 % and 20 % a month.
        #expect(irr([-100, 230, -132]) == .ambiguous)
    }

    @Test("Norström's criterion: many sign changes, one change of the cumulative total")
    func norstrom() throws {
        let flows: [Double] = [-500, 100, -50, 200, -20, 300, 250]
        let r = try #require(irr(flows).value)
        let i = pow(1 + r, 1.0 / 12) - 1
        #expect(abs(Finance.npv(flows, monthlyRate: i)) <= 1e-9)
        #expect(r > 0)
    }

    @Test("Payback: first month from which the cumulative total stays at or above zero")
    func payback() {
        func month(_ cumulative: [Double]) -> Int? {
            cumulative.withUnsafeBufferPointer { Finance.paybackMonth(cumulative: $0) }
        }
        #expect(month([-5, -2, 1, -1, 3]) == 4)     // a temporary crossing does not count
        #expect(month([-5, -2, 0, 1]) == 2)         // zero counts as paid back
        #expect(month([-5, -2, 1, -1]) == nil)      // ends below zero
        #expect(month([0, 1, 2]) == 0)              // never below zero
    }

    @Test("CLV: margin multiple m·r/(1 + i − r)")
    func clv() {
        #expect(abs(Finance.customerLifetimeValue(margin: 10, retention: 0.9, discount: 0.01) - 10 * 0.9 / 0.11) <= 1e-12)
        // Undiscounted, a loyalty drop from 95 % to 90 % halves the multiple r/(1 − r)
        // (19 → 9): the survey's "up to 50 %" (shared/seeds/002).
        let at95 = Finance.customerLifetimeValue(margin: 1, retention: 0.95, discount: 0)
        let at90 = Finance.customerLifetimeValue(margin: 1, retention: 0.90, discount: 0)
        #expect(abs(at95 - 19) <= 1e-12 && abs(at90 - 9) <= 1e-12)
        #expect(Finance.customerLifetimeValue(margin: 1, retention: 1, discount: 0) == .infinity)
    }

    @Test("NPV discounts month t by (1 + r)^−t, month 0 undiscounted")
    func npv() {
        let value = Finance.npv([-100, 60, 60], monthlyRate: 0.1)
        #expect(abs(value - (-100 + 60 / 1.1 + 60 / 1.21)) <= 1e-12)
    }
}

@Suite("GSL samplers beyond GSL's 32-bit limits")
struct LargeCountTests {
    @Test("Binomial draws with more than 2³² trials stay exact in distribution")
    func largeBinomial() {
        let stream = RandomStream(key: 11)
        let n = 5_000_000_000, p = 0.3
        var total = 0.0
        for k in 0..<20 {
            stream.restart(key: UInt64(k))
            total += Double(stream.binomial(trials: n, probability: p))
        }
        let mean = total / 20
        let sd = (Double(n) * p * (1 - p)).squareRoot() / 20.0.squareRoot()
        #expect(abs(mean - Double(n) * p) < 5 * sd, "mean \(mean) vs \(Double(n) * p)")
    }

    @Test("Poisson draws with a mean beyond 5·10⁹ end and have the right mean")
    func largePoisson() {
        let stream = RandomStream(key: 12)
        let mu = 2e10
        var total = 0.0
        for k in 0..<20 {
            stream.restart(key: UInt64(k))
            total += Double(stream.poisson(mean: mu))
        }
        #expect(abs(total / 20 - mu) < 5 * (mu / 20).squareRoot())
    }
}
