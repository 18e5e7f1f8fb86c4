import Foundation
import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat

/// The analyses behind the business case's summary page: the NPV histogram, the cash flow by
/// year, the single-number plan and the outside view, each against a count, a closed form or
/// the survey's printed figures.
@Suite("The summary page's analyses: histogram, cash flow by year, plan, outside view")
struct SummaryAnalysisTests {
    static let dealer: SimulationResult = {
        let path = CLI.packageRoot.appendingPathComponent("Scenarios/car-dealership.yaml").path
        let scenario = try! ScenarioLoader.load(path: path).scenario
        return Engine(model: TrialModel(scenario: scenario), options: .init(trials: 4_000, seed: 11)).run()
    }()

    @Test("Histogram: nice width, 0 an edge, every value counted, the top edge in the last bin")
    func histogramByHand() {
        let values: [Double] = [-1.5, -0.5, 0, 0.5, 2.0, .nan, .infinity]
        let h = values.withUnsafeBufferPointer { OutcomeHistogram($0, binCount: 4) }
        // Span 3.5 over 4 bins is 0.875: the next nice width is 1.
        #expect(h.bins.map(\.lower) == [-2, -1, 0, 1])
        #expect(h.bins.map(\.upper) == [-1, 0, 1, 2])
        #expect(h.bins.map(\.count) == [1, 1, 2, 1])
        #expect(h.total == 5 && h.undefined == 2)
        let one = [7.0].withUnsafeBufferPointer { OutcomeHistogram($0) }
        #expect(one.bins.count == 1 && one.bins[0].count == 1 && one.bins[0].lower <= 7 && one.bins[0].upper > 7)
    }

    @Test("The NPV histogram's bars left of 0 hold exactly the chance of a loss")
    func histogramLoss() {
        let r = Self.dealer
        let h = OutcomeHistogram(npvOf: r)
        #expect(h.total == r.trials)
        #expect(h.bins.reduce(0) { $0 + $1.count } == r.trials)
        let below = h.bins.filter { $0.upper <= 0 }.reduce(0) { $0 + $1.count }
        #expect(below == r.probabilityOfLoss.successes)
        #expect(h.bins.count <= 41)
        let width = h.bins[0].upper - h.bins[0].lower
        let mantissa = width / pow(10, floor(log10(width)))
        #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "width \(width)")
    }

    @Test("Cash flow by year adds up to the cumulative cash and to the run's PVs' sign")
    func yearlyAddsUp() {
        let r = Self.dealer
        let y = r.yearlyCashFlow
        #expect(y.costs.count == YearlyCashFlow.periods(horizon: r.model.horizon))
        // The bands keep the paths in single precision: 7 significant digits.
        let total = y.net.reduce(0, +)
        let horizon = r.model.horizon
        #expect(abs(total - r.cumulativeCash.mean[horizon]) <= 1e-6 * r.pvCosts.mean, "\(total) vs \(r.cumulativeCash.mean[horizon])")
        #expect(y.costs.allSatisfy { $0 >= 0 })
        // Undiscounted totals are at least the present values when every flow is ≥ 0.
        #expect(y.costs.reduce(0, +) >= r.pvCosts.mean)
    }

    @Test("The single-number plan: no risk event happens, inputs at their medians; without uncertainty it is the run")
    func unadjustedPlan() throws {
        let r = Self.dealer
        let plan = UnadjustedPlan.run(model: r.model, seed: 11)
        #expect(plan.trials == UnadjustedPlan.trials)
        #expect(plan.risks.allSatisfy { $0.occurred.successes == 0 })
        for i in 0..<3 {
            let drawn = plan.model.drawnInputs(uniforms: plan.uniforms(trial: i))
            for (j, input) in r.model.inputs.enumerated() where !input.distribution.isFixed {
                #expect(drawn[j] == input.distribution.quantile(0.5), "\(input.name)")
            }
        }
        // Only whole-customer luck is left: far narrower than the run.
        #expect(plan.npv.standardDeviation < 0.2 * r.npv.standardDeviation)

        let yaml = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/Snapshots/closed-form.yaml"), encoding: .utf8)
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: yaml))
        let fixed = Engine(model: model, options: .init(trials: 50, seed: 2)).run()
        let fixedPlan = UnadjustedPlan.run(model: model, seed: 2)
        let hand = HandComputation()
        let npv = hand.npv(monthly: hand.monthlyRate)
        #expect(abs(fixedPlan.npv.mean - npv) <= 1e-9 * abs(npv))
        // Means of identical trials, over 2,000 and 50 of them: equal up to rounding.
        for (a, b) in zip(fixedPlan.yearlyCashFlow.costs + fixedPlan.yearlyCashFlow.benefits,
                          fixed.yearlyCashFlow.costs + fixed.yearlyCashFlow.benefits) {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(b)))
        }
    }

    @Test("Return bands: edges belong to the band above; no ROI, no band")
    func returnBands() {
        typealias B = SurveyBaseRates.PromisedReturn
        #expect(B(roi: -1e-9) == .directCost)
        #expect(B(roi: 0) == .belowTen)
        #expect(B(roi: 0.0999) == .belowTen)
        #expect(B(roi: 0.10) == .tenTo25)
        #expect(B(roi: 0.25) == .twentyFiveTo50)
        #expect(B(roi: 0.50) == .above50)
        #expect(B(roi: 40) == .above50)
        #expect(B(roi: .nan) == nil)
    }

    @Test("Survey shares are the printed ones (CBS 2013, Q12 and Q48), renormalised over those who named a return")
    func surveyShares() {
        typealias B = SurveyBaseRates.PromisedReturn
        // The printed answers of Q12 add up to 99.9 % (rounding in the survey).
        let printed = B.allCases.reduce(0) { $0 + $1.printedShare } + SurveyBaseRates.promisedReturnDontKnow
        #expect(abs(printed - 0.999) < 1e-12)
        let knew = 1 - 0.324 - 0.001
        #expect(abs(SurveyBaseRates.promisedReturnAmongThoseWhoKnew(.directCost) - 0.054 / knew) < 1e-12)
        #expect(abs(SurveyBaseRates.promisedReturnAmongThoseWhoKnew(.tenTo25) - 0.216 / knew) < 1e-12)
        #expect(abs(B.allCases.reduce(0) { $0 + SurveyBaseRates.promisedReturnAmongThoseWhoKnew($1) } - 1) < 1e-12)
        #expect(SurveyBaseRates.experiencedValue.map(\.share) == [0.405, 0.414, 0.091, 0.091])
    }

    @Test("The outside view counts the run's ROIs: the loss band is the chance of a negative ROI")
    func outsideView() {
        let r = Self.dealer
        let view = OutsideView(result: r)
        #expect(view.trialsWithROI == r.roi.count)
        #expect(abs(view.caseShares.reduce(0, +) - 1) < 1e-12)
        let negative = (0..<r.trials).filter { r.perTrial.roi($0) < 0 }.count
        #expect(negative == r.probabilityOfNegativeROI.successes)
        #expect(abs(view.caseShares[0] - Double(negative) / Double(view.trialsWithROI)) < 1e-15)
        let high = view.atLeastTenPercent
        let direct = Double((0..<r.trials).filter { r.perTrial.roi($0) >= 0.10 }.count) / Double(view.trialsWithROI)
        #expect(abs(high.case - direct) < 1e-12)
        #expect(view.chanceOfLoss == r.probabilityOfLoss.value)
    }
}
