import Foundation
import Testing
import CRMModel
import GSLSupport
import MonteCarlo
import ScenarioFormat

/// A scenario without uncertainty and without random customer movements (churn 0, no
/// acquisition), so every trial is the same and its outcomes can be computed by hand.
private let deterministicYAML: String = {
    let file = CLI.packageRoot.appendingPathComponent("Tests/Snapshots/closed-form.yaml")
    return (try? String(contentsOf: file, encoding: .utf8)) ?? "the file \(file.path) is missing"
}()

/// The same case computed independently of the model code, month by month.
struct HandComputation {
    var cash: [Double] = []
    var costs: [Double] = []
    var benefits: [Double] = []
    init() {
        for t in 0...24 {
            let a = t < 3 ? 0 : 0.8 / (1 + exp(-0.5 * (Double(t) - 3 - 4)))
            var costs = 0.0
            var benefits = 0.0
            if t >= 1 { costs += 10 * (t <= 12 ? 100 : 105) }     // licences, +5 % after a year
            if t <= 2 { costs += 12000 / 3 }                        // once, spread over months 0–2
            if t >= 3 { costs += 500 }                              // per month
            if t >= 1 { costs += 20 * 10 }                          // per seat
            costs += 10 * 10 * a                                    // per active user
            if t >= 3 { benefits += 300 * 10 * a }                  // per active user
            if t >= 6 { benefits += 1000 }                          // not scaled by adoption
            if t >= 1 { benefits += 50 * 0.10 * a * 200 }           // upsell margin, churn 0
            cash.append(benefits - costs)
            self.costs.append(costs)
            self.benefits.append(benefits)
        }
    }
    var monthlyRate: Double { pow(1.10, 1.0 / 12) - 1 }
    func npv(monthly r: Double) -> Double {
        cash.enumerated().reduce(0) { $0 + $1.element / pow(1 + r, Double($1.offset)) }
    }
    var payback: Int? {
        var cumulative = 0.0
        var last = -1
        for (t, flow) in cash.enumerated() {
            cumulative += flow
            if cumulative < 0 { last = t }
        }
        return cumulative < 0 ? nil : last + 1
    }
}

private func runOnce(_ yaml: String, seed: UInt64 = 1) throws -> TrialWorkspace {
    let scenario = try ScenarioLoader.parse(yaml: yaml)
    let model = TrialModel(scenario: scenario)
    var workspace = model.makeWorkspace()
    let stream = RandomStream(key: 0)
    model.run(uniforms: KeyedUniforms(seed: seed, trial: 0), process: stream, workspace: &workspace)
    return workspace
}

@Suite("A scenario without uncertainty reproduces hand-computed outcomes")
struct ClosedFormTests {
    let hand = HandComputation()

    @Test("Monthly cash flows, NPV, PV of benefits and costs")
    func cashAndNPV() throws {
        let w = try runOnce(deterministicYAML)
        #expect(w.cash.count == 25)
        for t in 0...24 {
            #expect(abs(w.cash[t] - hand.cash[t]) <= 1e-9 * max(1, abs(hand.cash[t])), "month \(t)")
        }
        let npv = hand.npv(monthly: hand.monthlyRate)
        #expect(abs(w.npv - npv) <= 1e-9 * abs(npv))
        #expect(abs(w.pvBenefits - w.pvCosts - w.npv) <= 1e-9 * w.pvCosts)
        #expect(abs(w.roi - w.npv / w.pvCosts) <= 1e-12)
    }

    @Test("IRR solves NPV = 0 and matches an independent bisection")
    func irr() throws {
        let w = try runOnce(deterministicYAML)
        let annual = try #require(w.irr.value)
        // Independent: bisection on the monthly rate with the hand-computed flows.
        var lo = -0.5, hi = 1.0
        #expect(hand.npv(monthly: lo) * hand.npv(monthly: hi) < 0)
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if (hand.npv(monthly: mid) > 0) == (hand.npv(monthly: lo) > 0) { lo = mid } else { hi = mid }
        }
        let expected = pow(1 + (lo + hi) / 2, 12) - 1
        #expect(abs(annual - expected) <= 1e-9)
        let monthly = pow(1 + annual, 1.0 / 12) - 1
        #expect(abs(hand.npv(monthly: monthly)) <= 1e-6)
    }

    @Test("Payback month, discounted payback and peak funding")
    func payback() throws {
        let w = try runOnce(deterministicYAML)
        #expect(w.payback == hand.payback)
        var cumulative = 0.0, lowest = 0.0
        var discounted = 0.0, lastNegative = -1
        for (t, flow) in hand.cash.enumerated() {
            cumulative += flow
            lowest = min(lowest, cumulative)
            discounted += flow / pow(1 + hand.monthlyRate, Double(t))
            if discounted < 0 { lastNegative = t }
        }
        #expect(abs(w.peakFunding - (-lowest)) <= 1e-9 * abs(lowest))
        #expect(w.discountedPayback == (discounted < 0 ? nil : lastNegative + 1))
    }

    @Test("CLV by the Gupta–Lehmann multiple, with and without the CRM")
    func clv() throws {
        // Same scenario, but with 12 % churn a year: CLV depends only on the inputs.
        let yaml = deterministicYAML.replacingOccurrences(of: "churn: 0%", with: "churn: 12%")
        let w = try runOnce(yaml)
        let i = pow(1.10, 1.0 / 12) - 1
        let c = 1 - pow(0.88, 1.0 / 12)
        let r = 1 - c
        let without = 50 * r / (1 + i - r)
        // With the CRM at the ceiling (80 %): churn × (1 − 20 % × 0.8), margin × (1 + 10 % × 0.8).
        let rWith = 1 - c * (1 - 0.2 * 0.8)
        let with = 50 * (1 + 0.1 * 0.8) * rWith / (1 + i - rWith)
        #expect(abs(w.clvWithout[0] - without) <= 1e-9 * without)
        #expect(abs(w.clvWith[0] - with) <= 1e-9 * with)
        // Twelve months of the monthly churn lose exactly the yearly share.
        #expect(abs(1 - pow(1 - c, 12) - 0.12) <= 1e-12)
        #expect(w.ltvToCac[0].isNaN, "no acquisition cost: LTV : CAC is undefined")
    }

    @Test("The engine reports the same numbers as the single trial, for every trial")
    func engineAgrees() throws {
        let scenario = try ScenarioLoader.parse(yaml: deterministicYAML)
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 300, seed: 3)).run()
        let npv = hand.npv(monthly: hand.monthlyRate)
        #expect(abs(result.npv.mean - npv) <= 1e-9 * abs(npv))
        #expect(result.npv.standardDeviation <= 1e-9 * abs(npv))
        #expect(abs(result.npv.percentile(0.05) - npv) <= 1e-9 * abs(npv))
        #expect(result.payback.median == Double(hand.payback!))
        #expect(result.probabilityOfLoss.value == (npv < 0 ? 1 : 0))
        // Cumulative cash band collapses onto the hand path.
        var cumulative = 0.0
        for t in 0...24 {
            cumulative += hand.cash[t]
            // Bands are kept in single precision: 7 significant digits.
            #expect(abs(result.cumulativeCash.p50[t] - cumulative) <= 1e-6 * max(1, abs(cumulative)))
        }
    }

    @Test("Costs and benefits per plan year (a TEI table's columns) equal the hand computation, whatever the threads")
    func yearlyCashFlow() throws {
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: deterministicYAML))
        let flows = [1, 2].map { Engine(model: model, options: .init(trials: 300, seed: 3, threads: $0)).run().yearlyCashFlow }
        #expect(flows[0] == flows[1])
        let yearly = flows[0]
        // Month 0, months 1–12, months 13–24.
        #expect(yearly.costs.count == 3 && yearly.benefits.count == 3)
        for (p, months) in [0...0, 1...12, 13...24].enumerated() {
            #expect(yearly.months(ofPeriod: p) == months)
            let costs = months.reduce(0) { $0 + hand.costs[$1] }
            let benefits = months.reduce(0) { $0 + hand.benefits[$1] }
            #expect(abs(yearly.costs[p] - costs) <= 1e-9 * max(1, costs), "period \(p): \(yearly.costs[p]) vs \(costs)")
            #expect(abs(yearly.benefits[p] - benefits) <= 1e-9 * max(1, benefits), "period \(p)")
        }
        let net: Double = yearly.net.reduce(0, +)
        let handNet: Double = hand.cash.reduce(0, +)
        #expect(abs(net - handNet) <= 1e-9 * abs(handNet))
        #expect(YearlyCashFlow.periods(horizon: 25) == 4 && YearlyCashFlow.period(ofMonth: 25) == 3)
    }

    @Test("Risk events: certain overrun and delay, impossible failure")
    func riskEvents() throws {
        let yaml = deterministicYAML + """

        risks:
          - name: Overrun
            probability: 100%
            effect: one_off_costs
            factor: 1.5
          - name: Late
            probability: 100%
            effect: go_live
            months: 2
          - name: Never
            probability: 0%
            effect: crm_effects
            factor: 0
        """
        let w = try runOnce(yaml)
        #expect(w.riskOccurred == [true, true, false])
        // Month 0 carries a third of the one-off cost, now 1.5 times larger.
        #expect(abs(w.cash[0] - (-(12000 * 1.5) / 3)) <= 1e-9)
        // Go-live moves from month 3 to 5: no adoption-driven benefit before month 5.
        let adoption = w.adoptionPath
        #expect(adoption[4] == 0)
        #expect(adoption[5] > 0)
        let expected5 = 0.8 / (1 + exp(-0.5 * (0 - 4.0)))
        #expect(abs(adoption[5] - expected5) <= 1e-12)
    }
}

@Suite("The random customer process has the right moments")
struct CustomerProcessTests {
    @Test("Mean customers with the CRM follow E[N_t] = E[N_{t−1}]·(1 − c_t) + λ_t")
    func meanCustomers() throws {
        let yaml = deterministicYAML
            .replacingOccurrences(of: "churn: 0%", with: "churn: 30%")
            + """

            acquisition:
              new_customers: 6
              win_rate_uplift: 50%
              cost_per_customer: 400
            """
        let scenario = try ScenarioLoader.parse(yaml: yaml)
        let trials = 4000
        let result = Engine(model: TrialModel(scenario: scenario), options: .init(trials: trials, seed: 11)).run()
        // The analytic mean, month by month, with adoption A_t.
        let c = 1 - pow(0.70, 1.0 / 12)
        var mean = 200.0, baseline = 200.0
        for t in 1...24 {
            let a = t < 3 ? 0 : 0.8 / (1 + exp(-0.5 * (Double(t) - 7)))
            mean = mean * (1 - c * (1 - 0.2 * a)) + 6 * (1 + 0.5 * a)
            baseline = baseline * (1 - c) + 6
        }
        let segment = result.segments[0]
        let se = segment.customersWith.standardError
        #expect(se > 0)
        #expect(abs(segment.customersWith.mean - mean) <= 5 * se, "mean \(segment.customersWith.mean) vs \(mean) ± \(se)")
        // The counterfactual draws whole customers too (on the same random numbers): its mean
        // follows the baseline recursion, and its variance is that of the survivors of the
        // first customers, Binomial(N₀, q) with q = (1 − c)^H, plus the survivors of the
        // arrivals, Poisson(λ·Σ_k (1 − c)^(H − k)) (a thinned Poisson process).
        let seWithout = segment.customersWithout.standardError
        #expect(abs(segment.customersWithout.mean - baseline) <= 5 * seWithout,
                "mean \(segment.customersWithout.mean) vs \(baseline) ± \(seWithout)")
        let q = pow(1 - c, 24)
        let arrivalsSurviving = (1...24).reduce(0.0) { $0 + 6 * pow(1 - c, Double(24 - $1)) }
        #expect(abs(baseline - (200 * q + arrivalsSurviving)) <= 1e-9 * baseline)
        let variance = 200 * q * (1 - q) + arrivalsSurviving
        let sampleVariance = segment.customersWithout.standardDeviation * segment.customersWithout.standardDeviation
        // The sample variance of 4,000 draws of a near-Poisson count has a relative SE of
        // about √(2/n) ≈ 2.2 %; 5 SE is 11 %.
        #expect(abs(sampleVariance / variance - 1) <= 0.11, "variance \(sampleVariance) vs \(variance)")
        // LTV : CAC is the CLV with the CRM over the 400 a new customer costs; both are fixed here.
        let i = pow(1.10, 1.0 / 12) - 1
        let rWith = 1 - c * (1 - 0.2 * 0.8)
        let clvWith = 50 * (1 + 0.1 * 0.8) * rWith / (1 + i - rWith)
        #expect(abs(segment.clvWith.mean - clvWith) <= 1e-9 * clvWith)
        #expect(abs(segment.ltvToCac.mean - clvWith / 400) <= 1e-9 * clvWith / 400)
    }
}
