import Foundation
import Testing
import CRMModel
import MonteCarlo
import ScenarioFormat
import Tracking

/// The follow-up's judgements that the report only words: calibration, per-figure lean and
/// ranking, "as expected" ranges, inputs that moved, and why there is no re-forecast — each at
/// its boundaries.
@Suite("Follow-up judgements at their boundaries")
struct FollowUpJudgementTests {
    @Test("Calibration: 35 % inside the central half is fair, less is off; fewer than 4 actuals say nothing")
    func calibrationBoundaries() {
        #expect(FollowUpVerdict.calibration(inside50: 0.35, figures: 4, worse: 3, better: 0) == .fair)
        #expect(FollowUpVerdict.calibration(inside50: 0.3499, figures: 4, worse: 3, better: 0) == .overOptimistic)
        // Misses that do not lean to the bad side: too pessimistic or too narrow (a tie included).
        #expect(FollowUpVerdict.calibration(inside50: 0.3499, figures: 4, worse: 1, better: 1) == .tooPessimisticOrNarrow)
        #expect(FollowUpVerdict.calibration(inside50: 0.3499, figures: 4, worse: 0, better: 3) == .tooPessimisticOrNarrow)
        #expect(FollowUpVerdict.calibration(inside50: 0, figures: 3, worse: 3, better: 0) == .tooFewFigures)
        #expect(FollowUp.minimumFiguresForCoverage == 4)
    }

    @Test("A figure leans behind or ahead only beyond two standard deviations of the sign test")
    func figureLean() {
        let worse = [FollowUp.Verdict](repeating: .worse, count: 4)
        // 4 worse, none better: 4/√4 = 2, not more than 2 — in line.
        let four = TrackedFigure(metric: .licenceCost, points: Array(0..<4), verdicts: worse)
        #expect(four.leanScore == 2 && four.lean == .inLine && !four.isOffPlan)
        let five = TrackedFigure(metric: .licenceCost, points: Array(0..<5), verdicts: worse + [.muchWorse])
        #expect(five.leanScore > 2 && five.lean == .behind && five.isOffPlan && five.farWorse == 1)
        let ahead = TrackedFigure(metric: .otherCosts, points: Array(0..<6),
                                  verdicts: [.better, .better, .muchBetter, .farBetterThanExpected, .slightlyBetter, .asExpected])
        #expect(ahead.lean == .ahead && ahead.farBetter == 2 && ahead.asExpected == 1 && ahead.better == 5)
        // "As expected" counts neither way.
        let calm = TrackedFigure(metric: .adoption, points: Array(0..<12), verdicts: [FollowUp.Verdict](repeating: .asExpected, count: 12))
        #expect(calm.leanScore == 0 && calm.lean == .inLine)
    }

    @Test("Figures rank behind plan first, then ahead, then in line; the stronger lean first, the worse side first, then far misses, then file order")
    func ranking() {
        func figure(_ metric: TrackedMetric, _ verdicts: [FollowUp.Verdict]) -> TrackedFigure {
            TrackedFigure(metric: metric, points: Array(verdicts.indices), verdicts: verdicts)
        }
        let inLineFarMiss = figure(.customers(segment: 0), [.muchWorse, .asExpected, .asExpected])
        let inLine = figure(.customers(segment: 1), [.worse, .asExpected, .asExpected])
        let stronglyAhead = figure(.licenceCost, [FollowUp.Verdict](repeating: .better, count: 12))
        let ahead = figure(.otherCosts, [FollowUp.Verdict](repeating: .better, count: 5))
        let behind = figure(.activeUsers, [FollowUp.Verdict](repeating: .worseThanExpected, count: 6))
        let inLineTwin = figure(.customers(segment: 2), [.worse, .asExpected, .asExpected])
        // Leaning as far, but to the better side: after the worse-leaning ones, far miss or not.
        let inLineBetter = figure(.churned(segment: 0), [.farBetterThanExpected, .asExpected, .asExpected])
        let ranked = TrackedFigure.ranked([inLineBetter, inLineFarMiss, inLine, stronglyAhead, ahead, behind, inLineTwin])
        #expect(ranked.map(\.metric) == [.activeUsers, .licenceCost, .otherCosts,
                                         .customers(segment: 0), .customers(segment: 1), .customers(segment: 2), .churned(segment: 0)])
    }

    @Test("“As expected” is P25–P75 and the 90 % range P5–P95, both ends included")
    func insideRanges() {
        let f = Summary((0...100).map(Double.init))
        #expect(f.percentile(0.25) == 25 && f.percentile(0.75) == 75 && f.percentile(0.05) == 5 && f.percentile(0.95) == 95)
        #expect(FollowUp.isInside(25, f, central: 0.5) && FollowUp.isInside(75, f, central: 0.5))
        #expect(!FollowUp.isInside(24.999, f, central: 0.5) && !FollowUp.isInside(75.001, f, central: 0.5))
        #expect(FollowUp.isInside(5, f, central: 0.9) && FollowUp.isInside(95, f, central: 0.9))
        #expect(!FollowUp.isInside(4.999, f, central: 0.9) && !FollowUp.isInside(95.001, f, central: 0.9))
        #expect(FollowUp.Verdict.classify(actual: 25, forecast: f, metric: .otherCosts) == .asExpected)
    }

    @Test("An input moved noticeably from a tenth of its assumed 90 % range on")
    func inputShift() {
        #expect(FollowUp.noticeableInputShift == 0.1)
        #expect(FollowUp.movedNoticeably(assumedMean: 100, newMean: 110, assumedP5: 50, assumedP95: 150))
        #expect(FollowUp.movedNoticeably(assumedMean: 100, newMean: 90, assumedP5: 50, assumedP95: 150))
        #expect(!FollowUp.movedNoticeably(assumedMean: 100, newMean: 109.99, assumedP5: 50, assumedP95: 150))
        // A fixed input (no range) never moves noticeably.
        #expect(!FollowUp.movedNoticeably(assumedMean: 100, newMean: 200, assumedP5: 100, assumedP95: 100))
    }

    @Test("Why there is no re-forecast: too few trials without figures, or no future that fits")
    func reforecastFailure() throws {
        let model = TrialModel(scenario: try ScenarioLoader.parse(yaml: TestScenarios.tracking))
        func followUp(_ actuals: Actuals, trials: Int) -> FollowUp {
            let result = Engine(model: model, options: .init(trials: trials, seed: 5,
                                                             recorder: FollowUp.recorder(for: actuals, model: model))).run()
            return FollowUp(actuals: actuals, result: result, particles: 200)
        }
        let cohortsOnly = followUp(Actuals(file: "x", observations: [], cohorts: []), trials: 200)
        #expect(!cohortsOnly.reforecast.isReliable && cohortsOnly.reforecast.failure == .tooFewTrials)
        #expect(cohortsOnly.movedInputs.isEmpty)
        // More customers lost in a month than the segment has: no future makes it possible.
        let impossible = Actuals(file: "x", observations: [Observation(month: 2, metric: .churned(segment: 0), value: 100_000, line: 2)], cohorts: [])
        let none = followUp(impossible, trials: 300)
        #expect(!none.reforecast.isReliable && none.reforecast.failure == .noFutureFits)
        #expect(none.headline.outcome == nil)
    }
}
