import CRMModel
import Foundation
import MonteCarlo
import ReportDocument
import Tracking

/// The follow-up report as a ``ReportDocument``: `track.md` (and `track.html`) for people, and
/// the `track.csv` data table for tools. It only words what the analysis (``FollowUp``,
/// ``FollowUpVerdict``) decided.
public struct TrackReport {
    public let followUp: FollowUp
    public let info: RunInfo
    /// The actuals file as the user named it.
    public let actualsFile: String
    /// Retention fits from cohort survival counts, per segment (may be empty).
    public let retentionFits: [RetentionFit]
    /// Cohorts that could not be fitted, as sentences.
    public let retentionProblems: [String]
    public init(followUp: FollowUp, info: RunInfo, actualsFile: String, retentionFits: [RetentionFit],
                retentionProblems: [String] = []) {
        self.followUp = followUp
        self.info = info
        self.actualsFile = actualsFile
        self.retentionFits = retentionFits
        self.retentionProblems = retentionProblems
    }

    private var result: SimulationResult { followUp.result }
    private var scenario: Scenario { result.model.scenario }
    private var currency: String { scenario.currency }

    private func monthLabel(_ t: Int) -> String {
        if let start = scenario.start { return "\(t) (\(start.adding(months: t)))" }
        return "\(t)"
    }

    /// The metric as a reader would name it: "churned customers, Hybrid".
    func metricLabel(_ metric: TrackedMetric) -> String {
        let words: String
        switch metric {
        case .activeUsers: words = "active users"
        case .adoption: words = "adoption (share of seats)"
        case .customers: words = "customers"
        case .churned: words = "customers lost"
        case .newCustomers: words = "new customers"
        case .licenceCost: words = "licence cost"
        case .otherCosts: words = "other costs"
        case .contributionMargin: words = "contribution margin"
        }
        if let s = metric.segment { return "\(words), \(scenario.segments[s].name)" }
        if [.customers(segment: nil), .churned(segment: nil), .newCustomers(segment: nil), .contributionMargin(segment: nil)].contains(metric) {
            return "\(words), all segments"
        }
        return words
    }

    // MARK: Quantities

    /// A value of a tracked figure as the report writes it: adoption as a share, users whole
    /// (a file may still give an average), amounts and counts with thousands separators.
    private func show(_ value: Double, _ metric: TrackedMetric) -> Quantity {
        switch metric {
        case .adoption: return Quantity(.share, value, Format.percent(value))
        case .activeUsers:
            return Quantity(.count, value, value == value.rounded() ? Format.amount(value) : Format.number(value, decimals: 1))
        case .customers, .churned, .newCustomers: return Quantity(.count, value, Format.amount(value))
        case .licenceCost, .otherCosts, .contributionMargin: return Quantity(.money(currency: nil), value, Format.amount(value))
        }
    }

    private func share(_ value: Double, decimals: Int = 1) -> Quantity { Quantity(.share, value, Format.percent(value, decimals: decimals)) }
    private func amount(_ value: Double) -> Quantity { Quantity(.money(currency: nil), value, Format.amount(value)) }
    private func money(_ value: Double) -> Quantity { Quantity(.money(currency: currency), value, Format.money(value, currency)) }
    private func count(_ value: Double) -> Quantity { Quantity(.count, value, Format.amount(value)) }
    private func month(_ value: Double) -> Quantity { Quantity(.month, value, Format.month(value)) }
    /// A count written without separators (as the report always wrote counts of figures).
    private func whole(_ n: Int) -> Quantity { Quantity(.count, Double(n), String(n)) }

    // MARK: Document

    /// Charts in the summary: the first figures of the analysis' ranking (furthest off plan);
    /// the others follow after it as small multiples.
    public static let summaryFigures = 4

    /// The whole report: the blocks of `track.md` / `track.html` and the `track.csv` table.
    ///
    /// The summary (before the page break): the verdict, the figures furthest off plan as
    /// charts, and the re-forecast's outcome. Then the other figures as small charts, the
    /// calibration, the re-forecast's detail, the retention fits, the method, and the
    /// month-by-month table.
    public func document() -> ReportDocument {
        var blocks: [Block] = [.paragraph(verdict())]
        let figures = trackedFigures()
        let keyCount = min(figures.count, Self.summaryFigures)
        blocks += figuresSection(Array(figures.prefix(keyCount)))
        blocks += outcomeSection()
        blocks.append(.pageBreak)
        blocks += otherFiguresSection(Array(figures.dropFirst(keyCount)))
        blocks += calibrationSection()
        blocks += reforecastSection()
        blocks += retentionSection()
        blocks += methodSection()
        blocks += comparisonSection()
        blocks += footer()
        return ReportDocument(title: "Follow-up: \(scenario.name)", blocks: blocks, dataTables: [csvTable()])
    }

    // MARK: Figures

    /// The figure as a sentence subject: "Customers lost, Economists".
    private func title(_ metric: TrackedMetric) -> String {
        let label = metricLabel(metric)
        return label.prefix(1).uppercased() + label.dropFirst()
    }

    /// Where a figure stands against its forecast, in words.
    private func standing(_ lean: FollowUpVerdict.Lean) -> String {
        switch lean {
        case .behind: return "behind the forecast"
        case .ahead: return "ahead of the forecast"
        case .inLine: return "in line with the forecast"
        }
    }

    /// The y axis of a figure: its name with the unit, and what its ticks are.
    private func axis(_ metric: TrackedMetric) -> FigureAxis {
        switch metric {
        case .activeUsers: return FigureAxis("Active users", kind: .count)
        case .adoption: return FigureAxis("Adoption (% of seats)", kind: .share)
        case .customers: return FigureAxis("Customers", kind: .count)
        case .churned: return FigureAxis("Customers lost per month", kind: .count)
        case .newCustomers: return FigureAxis("New customers per month", kind: .count)
        case .licenceCost: return FigureAxis("Licence cost (\(currency) per month)", kind: .money(currency: currency))
        case .otherCosts: return FigureAxis("Other costs (\(currency) per month)", kind: .money(currency: currency))
        case .contributionMargin: return FigureAxis("Contribution margin (\(currency) per month)", kind: .money(currency: currency))
        }
    }

    private var monthAxis: FigureAxis {
        if let start = scenario.start { return FigureAxis("Month of the plan (1 = \(start.adding(months: 1)))", kind: .month) }
        return FigureAxis("Month of the plan", kind: .month)
    }

    /// "month 12 (2028-01)".
    private func monthWords(_ t: Int) -> String {
        if let start = scenario.start { return "month \(t) (\(start.adding(months: t)))" }
        return "month \(t)"
    }

    /// A file stem for each figure, unique in the report: "licence-cost", "churned-economists".
    static func figureNames(_ metrics: [TrackedMetric], segmentNames: [String]) -> [String] {
        func slug(_ s: String) -> String {
            let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            var out = ""
            for c in folded.unicodeScalars {
                if c.isASCII && (CharacterSet.alphanumerics.contains(c)) { out.unicodeScalars.append(c) }
                else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            }
            while out.hasSuffix("-") { out.removeLast() }
            return out
        }
        var used: Set<String> = ["track"]
        return metrics.map { m in
            var base = m.fileName.replacingOccurrences(of: "_", with: "-")
            if let s = m.segment {
                let name = slug(segmentNames[s])
                base += "-" + (name.isEmpty ? "segment-\(s + 1)" : name)
            }
            var name = base, k = 2
            while used.contains(name) { name = "\(base)-\(k)"; k += 1 }
            used.insert(name)
            return name
        }
    }

    /// One chart per tracked figure, in the analysis' ranking (furthest off plan first): the
    /// original forecast's bands and median, the actuals as points, and after the last month
    /// with actuals the re-forecast's bands (hatched) and median (dashed).
    func trackedFigures() -> [Figure] {
        let ranked = followUp.figures
        let names = Self.figureNames(ranked.map(\.metric), segmentNames: scenario.segments.map(\.name))
        let today = followUp.actuals.lastMonth ?? 0
        return zip(ranked, names).map { figure, name in
            let months = figure.months
            let xs = months.map(Double.init)
            let p = { (q: Double) in figure.forecast.map { $0.percentile(q) } }
            var series: [BandFigure.Series] = [
                .init(name: "Forecast: 90 % range", shape: .band(lower: p(0.05), upper: p(0.95)), emphasis: 1),
                .init(name: "Forecast: middle half", shape: .band(lower: p(0.25), upper: p(0.75)), emphasis: 0),
                .init(name: "Forecast: median", shape: .line(p(0.5)), emphasis: 0),
            ]
            if !figure.reforecast.isEmpty {
                // Over the figure's months: NaN (not drawn) before the re-forecast starts.
                let r = { (q: Double) in
                    months.map { t in figure.reforecastMonths.firstIndex(of: t).map { figure.reforecast[$0].percentile(q) } ?? .nan }
                }
                series += [
                    .init(name: "Re-forecast: 90 % range", shape: .band(lower: r(0.05), upper: r(0.95)), emphasis: 1, hatched: true),
                    .init(name: "Re-forecast: middle half", shape: .band(lower: r(0.25), upper: r(0.75)), emphasis: 0, hatched: true),
                    .init(name: "Re-forecast: median", shape: .line(r(0.5)), emphasis: 0, hatched: true),
                ]
            }
            var actual: [Double?] = months.map { _ in nil }
            for k in figure.points {
                let o = followUp.points[k].observation
                if let m = months.firstIndex(of: o.month), actual[m] == nil { actual[m] = o.value }
            }
            series.append(.init(name: "Actual", shape: .points(actual), emphasis: 0))
            let content = BandFigure(x: monthAxis, y: axis(figure.metric), xs: xs, series: series,
                                     marker: (value: Double(today), label: "today"))
            let subject = title(figure.metric)
            var description = "\(subject) month by month: the original forecast (the band of 90 % of the simulated futures, "
            description += "the middle half and the median), the \(figure.points.count) actuals as points"
            description += figure.reforecast.isEmpty ? "" : ", and the re-forecast with the actuals after \(monthWords(today)), hatched"
            description += ". \(subject) runs \(standing(figure.lean))."
            return Figure(name: name, title: "\(subject): \(standing(figure.lean))", description: description,
                          caption: figureCaption(figure), content: .bands(content))
        }
    }

    /// "Of 12 actuals, 6 as expected, 6 worse and 0 better than the forecast (2 far worse)."
    private func figureCaption(_ f: TrackedFigure) -> Text {
        var text: Text = "Of \(whole(f.points.count)) actuals, \(whole(f.asExpected)) as expected, "
        text += "\(whole(f.worse)) worse and \(whole(f.better)) better than the forecast"
        var far: [Text] = []
        if f.farWorse > 0 { far.append("\(whole(f.farWorse)) far worse") }
        if f.farBetter > 0 { far.append("\(whole(f.farBetter)) far better") }
        if !far.isEmpty { text += " (" + far.dropFirst().reduce(far[0]) { $0 + ", " + $1 } + ")" }
        return text + "."
    }

    /// "Behind the forecast: active users. Ahead of it: licence cost; customers, Hybrid. The
    /// other 10 figures are in line with it."
    private func standingSentence() -> Text {
        let behind = followUp.figures.filter { $0.lean == .behind }.map { metricLabel($0.metric) }
        let ahead = followUp.figures.filter { $0.lean == .ahead }.map { metricLabel($0.metric) }
        let inLine = followUp.figures.count - behind.count - ahead.count
        var text = Text()
        if !behind.isEmpty { text += "\(strong: "Behind the forecast:") \(behind.joined(separator: "; ")). " }
        if !ahead.isEmpty { text += "\(strong: behind.isEmpty ? "Ahead of the forecast:" : "Ahead of it:") \(ahead.joined(separator: "; ")). " }
        if behind.isEmpty && ahead.isEmpty {
            text += "Each of the \(whole(inLine)) tracked figures is in line with the forecast: none runs clearly behind or ahead of it. "
        } else if inLine > 0 {
            text += inLine == 1 ? "The other figure is in line with it." : "The other \(whole(inLine)) figures are in line with it."
        }
        return Self.trimmingTrailingSpaces(text)
    }

    private func figuresSection(_ figures: [Figure]) -> [Block] {
        guard !figures.isEmpty else { return [] }
        var read: Text = "Each chart: the original forecast as grey bands (light: 90 % of the simulated futures; darker: the "
        read += "middle half) around its median, the actuals as dots and, after the last month with actuals (“today”), the "
        read += "re-forecast, hatched, with a dashed median. The numbers month by month are in the table at the end and in "
        read += "\(code: "track.csv")."
        return [.heading(level: 2, text: "The tracked figures, furthest off plan first", anchor: "figures"),
                .paragraph(standingSentence()), .paragraph(read)] + figures.map { .figure($0) }
    }

    private func otherFiguresSection(_ figures: [Figure]) -> [Block] {
        guard !figures.isEmpty else { return [] }
        let intro: Text = "The other \(whole(figures.count)) tracked figures, in the same order and drawn the same way, smaller."
        return [.heading(level: 2, text: "The other tracked figures", anchor: "other-figures"), .paragraph(intro)]
            + figures.map { var small = $0; small.size = .small; return .figure(small) }
    }

    func monthsCovered() -> String {
        let months = Set(followUp.actuals.observations.map(\.month)).sorted()
        guard let first = months.first, let last = months.last else { return "no months" }
        if let start = scenario.start {
            return "\(months.count) month\(months.count == 1 ? "" : "s") of actuals (\(start.adding(months: first)) to \(start.adding(months: last)))"
        }
        return "\(months.count) month\(months.count == 1 ? "" : "s") of actuals (months \(first) to \(last))"
    }

    /// The first paragraph: is the business case on track? The judgement is
    /// ``FollowUpVerdict``'s; this only words it. Amounts are rounded to the Monte Carlo error
    /// of the change in expected NPV (``AmountWords``), chances worded on ``ChanceWords``' scale.
    func verdict() -> Text {
        let v = followUp.headline
        let points = followUp.points
        var text: Text = "\(strong: "Verdict.") After \(monthsCovered()), the business case is \(strong: v.status.rawValue)"
        if let o = v.outcome {
            text += ": " + outcomeClause(o, status: v.status) + " "
        } else {
            text += ": no reliable re-forecast could be made from these actuals (see below), so the realized figures alone "
            text += "decide, and the assumptions of the case need revisiting. "
        }
        let figures: String
        switch v.lean {
        case .behind: figures = "run behind the forecast"
        case .ahead: figures = "run ahead of the forecast"
        case .inLine: figures = "are in line with the forecast"
        }
        text += Text(v.figuresDisagree ? "Most realized figures \(figures), but not the ones that drive its value (see the re-forecast): "
                                       : "The realized figures \(figures): ")
        text += "of \(whole(points.count)), \(whole(v.asExpected)) are as expected (inside the forecast's central half), "
        text += "\(whole(v.worse)) worse and \(whole(v.better)) better than the forecast"
        text += v.farWorse > 0
            ? ", \(whole(v.farWorse)) of them far worse (more than 25 % worse, or outside the forecast's 90 % range). " : ". "
        let in50 = share(followUp.inside50.value, decimals: 0)
        switch v.calibration {
        case .tooFewFigures:
            break
        case .fair:
            text += "\(in50) of the actuals fall inside the forecast's 50 % range (50 % is what a well-calibrated forecast gives). "
        case .overOptimistic, .tooPessimisticOrNarrow:
            text += "Only \(in50) of the actuals fall inside the forecast's 50 % range, against 50 % for a well-calibrated forecast: "
            text += v.calibration == .overOptimistic ? "the original case was over-optimistic. " : "the original case was too pessimistic or too narrow. "
        }
        if v.outcome != nil && followUp.actualsOutsideTheCase {
            text += "Most actuals lie outside the forecast's 90 % ranges: the case did not think them possible, and its assumptions "
            text += "need revisiting; the re-forecast can only move them within their ranges, so it shows the best the case can do."
        }
        return Self.trimmingTrailingSpaces(text)
    }

    /// The text without the spaces its last run ends with.
    static func trimmingTrailingSpaces(_ text: Text) -> Text {
        var runs = text.runs
        while case .plain(let s)? = runs.last {
            var trimmed = Substring(s)
            while trimmed.last == " " { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty { runs.removeLast(); continue }
            runs[runs.count - 1] = .plain(String(trimmed))
            break
        }
        return Text(runs)
    }

    /// "re-forecast with the actuals, the expected NPV falls from … to …, and the chance of
    /// losing money rises from … to … (a loss is now likely)."
    func outcomeClause(_ o: FollowUpVerdict.Outcome, status: FollowUpVerdict.Status) -> Text {
        let words = AmountWords(currency: currency, amounts: [o.npvBefore, o.npvAfter, o.npvThreshold], uncertainty: o.npvError)
        let said = { (v: Double) in Quantity(.money(currency: currency), words.rounded(v), words(v)) }
        let npvVerb = o.npvFell ? "falls" : (o.npvRose ? "rises" : "moves")
        let lossVerb = o.lossRose ? "rises" : (o.lossFell ? "falls" : "moves")
        // Rounded to what the Monte Carlo error supports, two close amounts can read the same:
        // then say so, not "moves from X to X".
        var text: Text = words(o.npvBefore) == words(o.npvAfter)
            ? "re-forecast with the actuals, the expected NPV stays at about \(strong: said(o.npvAfter)), "
            : "re-forecast with the actuals, the expected NPV \(npvVerb) from \(said(o.npvBefore)) to \(strong: said(o.npvAfter)), "
        text += "and the chance of losing money \(lossVerb) from \(share(o.lossBefore, decimals: 0)) to "
        text += "\(strong: share(o.lossAfter, decimals: 0)) (a loss is now \(ChanceWords.words(o.lossAfter)))"
        switch status {
        case .onTrack:
            text += " — changes too small to count: the expected NPV would have to move by more than \(said(o.npvThreshold)) "
            text += "and the chance of a loss by more than \(Quantity(.number, 100 * o.lossThreshold, Format.number(100 * o.lossThreshold, decimals: 0))) percentage points"
        case .mixed:
            text += " — better on one count and worse on the other"
        default:
            break
        }
        return text + "."
    }

    private func comparisonSection() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Month by month", anchor: "month-by-month")]
        var intro = "Each actual against the forecast of the business case for the same month: the forecast's percentiles, "
        intro += "where the actual falls among the simulated futures (50 % = exactly the median), its deviation from the median, "
        intro += "and a verdict — “worse” knows the direction of each figure (more churn is worse, more active users better); "
        intro += "“as expected” means inside the forecast's central 50 %. Outside it, amounts and counts whose forecast median is at "
        intro += "least \(Format.amount(FollowUp.Verdict.percentageMinimumCount)) get the survey's categories (CBS 2013: 0–10 %, 10–25 %, "
        intro += "more than 25 % worse or better than the median); smaller counts, adoption and figures with a median of 0, where a "
        intro += "percentage swing says little (0 against 2 is −100 %), are “worse/better than expected” inside the forecast's "
        intro += "90 % range and “far worse/better than expected” outside it."
        blocks.append(.paragraph(Text(intro)))
        blocks.append(.paragraph("Every number of this table, with the forecast's P25, P75 and mean, is also in \(code: "track.csv"), one row per actual."))
        var table = Table(columns: [
            .init("Month"), .init("Figure"),
            .init("P5", kind: .number), .init("P10", kind: .number), .init("P50", kind: .number),
            .init("P90", kind: .number), .init("P95", kind: .number), .init("Actual", kind: .number),
            .init("Percentile", kind: .share), .init("Deviation", kind: .number), .init("Verdict"),
        ], caption: "Every actual against the forecast for its month")
        for p in followUp.points {
            let m = p.observation.metric
            let f = p.forecast
            var deviation: Text = "\(show(p.deviation, m))"
            if let r = p.relativeDeviation { deviation += " (\(share(r, decimals: 0)))" }
            table.append([
                Text([.quantity(Quantity(.month, Double(p.observation.month), monthLabel(p.observation.month)))]),
                Text(metricLabel(m)),
                "\(show(f.percentile(0.05), m))", "\(show(f.percentile(0.10), m))", "\(show(f.median, m))",
                "\(show(f.percentile(0.90), m))", "\(show(f.percentile(0.95), m))",
                "\(strong: show(p.observation.value, m))", "\(share(p.percentile, decimals: 0))", deviation,
                Text(p.verdict.rawValue),
            ])
        }
        blocks.append(.table(table))
        var counts = Table(columns: [.init("Verdict"), .init("Figures", kind: .count)], caption: "Actuals per verdict")
        for v in FollowUp.Verdict.allCases {
            let n = followUp.points.filter { $0.verdict == v }.count
            // The percentile verdicts only when used, so a case without small counts keeps the survey's table.
            guard n > 0 || !v.isByPercentile else { continue }
            counts.append([Text(v.rawValue), "\(whole(n))"])
        }
        blocks.append(.table(counts))
        return blocks
    }

    /// The re-forecast's outcome beside the original case's: the summary's last part.
    private func outcomeSection() -> [Block] {
        let r = followUp.reforecast
        guard r.isReliable else { return [] }
        var outcomes = Table(columns: [.init("Outcome"), .init("Before actuals", kind: .number),
                                       .init(Text("After \(monthsCovered())"), kind: .number)],
                             caption: "The business case's outcomes before and after the actuals")
        outcomes.append(["Expected NPV", "\(money(result.npv.mean))", "\(strong: money(r.npv.mean))"])
        outcomes.append(["NPV, 90 % range", "\(amount(result.npv.percentile(0.05))) to \(amount(result.npv.percentile(0.95)))",
                         "\(amount(r.npv.percentile(0.05))) to \(amount(r.npv.percentile(0.95)))"])
        outcomes.append(["Median NPV", "\(amount(result.npv.median))", "\(amount(r.npv.percentile(0.5)))"])
        outcomes.append(["Expected ROI", "\(share(result.roi.mean))", "\(share(r.roi.mean))"])
        outcomes.append(["Chance of losing money", "\(share(result.probabilityOfLoss.value))", "\(strong: share(r.probabilityOfLoss))"])
        outcomes.append(["Chance of paying back within the horizon", "\(share(result.probabilityOfPayback.value))", "\(share(r.probabilityOfPayback))"])
        outcomes.append(["Median payback", "\(month(result.payback.median))", "\(month(r.payback.percentile(0.5)))"])
        return [.heading(level: 2, text: "What the actuals mean for the business case", anchor: "outcome"),
                .paragraph("The business case re-forecast with the actuals (how: “Re-forecast with the actuals” below), beside the original case:"),
                .table(outcomes)]
    }

    private func calibrationSection() -> [Block] {
        var intro = "If the business case's uncertainty was honest, about half of the actuals fall inside its 50 % ranges and nine "
        intro += "in ten inside its 90 % ranges. Fewer means the case was too sure of itself (or biased: see the direction above). "
        intro += "Where simulated futures equal the actual (whole-number figures), they are split at random between below and "
        intro += "above (a randomised PIT), so ties neither flatter nor penalise the case."
        var table = Table(columns: [.init("Range"), .init("Nominal", kind: .share), .init("Realized", kind: .share),
                                    .init("Figures", kind: .count)], caption: "Actuals inside the forecast's ranges")
        for (label, nominal, inside) in [("Central 50 % (P25–P75)", 0.5, followUp.inside50), ("Central 90 % (P5–P95)", 0.9, followUp.inside90)] {
            table.append([Text(label), "\(share(nominal, decimals: 0))", "\(share(inside.value))",
                          "\(whole(inside.successes)) of \(whole(inside.trials))"])
        }
        return [
            .heading(level: 2, text: "Calibration of the original forecast", anchor: "calibration"),
            .paragraph(Text(intro)),
            .table(table),
            .paragraph("Figures of consecutive months are not independent (a slow rollout stays slow), so with one year of actuals these shares are indicative, not a test."),
        ]
    }

    private func reforecastSection() -> [Block] {
        let r = followUp.reforecast
        var blocks: [Block] = [.heading(level: 2, text: "Re-forecast with the actuals", anchor: "re-forecast")]
        var intro: Text = "Every simulated future is weighted by how likely it makes the actuals (observation models below). The effective "
        intro += "sample size says how many equally weighted futures the weighted set is worth: "
        intro += "\(strong: count(r.effectiveSampleSize)) of \(count(Double(r.trials))) trials. "
        switch r.method {
        case .importanceWeights:
            intro += "That is enough: the re-forecast's outcomes (“What the actuals mean for the business case”, above) and bands "
            intro += "(the hatched part of each chart) are the trials' outcomes summarised with those weights."
        case .resampleMove(let particles, let replicates, let stages, let acceptance):
            intro += "That is too few to trust (fewer than \(count(Reforecast.minimumEffectiveSampleSize))): a year of actuals "
            intro += "pins some assumptions down far more tightly than the original spread. So the re-forecast moves "
            intro += "\(count(Double(particles))) simulated futures, in \(whole(replicates)) independent populations, towards the "
            intro += "actuals in up to \(whole(stages)) stages — each stage weights them by a growing power of the likelihood, "
            intro += "resamples them and lets each take random steps that are kept when they fit the actuals (resample-move "
            intro += "sequential Monte Carlo; \(share(acceptance, decimals: 0)) of steps kept). How far the populations' results "
            intro += "lie apart gives the re-forecast's Monte Carlo error: its expected NPV is known to ± "
            intro += "\(money(1.96 * r.npvStandardError)) (95 %), as much as \(count(r.effectiveSize)) independent futures would tell."
        }
        blocks.append(.paragraph(intro))
        if r.isReliable && followUp.actualsOutsideTheCase {
            var care: Text = "\(strong: "Read with care:") only \(share(followUp.inside90.value, decimals: 0)) of the actuals lie inside the "
            care += "forecast's 90 % ranges. The re-forecast can only move the case's assumptions within the ranges the scenario "
            care += "gave them, so it shows the best the case can do, not what will happen; widen the ranges that the table "
            care += "below pushes to their edges."
            blocks.append(.paragraph(care))
        }
        if let failure = r.failure {
            var none: Text = "\(strong: "No re-forecast is shown.") "
            switch failure {
            case .tooFewTrials:
                none += "There are no figures to weight the simulated futures by, and fewer than "
                none += "\(count(Reforecast.minimumEffectiveSampleSize)) trials to summarise: run the follow-up again with more trials."
            case .noFutureFits, .stageLimitReached:
                none += failure == .noFutureFits
                    ? "No simulated future makes these actuals possible at all (for example more customers lost than there were): "
                    : "The population did not reach the actuals within its stage limit: "
                none += "the actuals lie outside what the business case thought possible. Revise the scenario's assumptions "
                none += "(the charts above and the month-by-month table show which) and run it again."
            }
            blocks.append(.paragraph(none))
            return blocks
        }
        blocks.append(.paragraph("What the actuals say about the assumptions (uncertain inputs whose mean moved by at least a tenth of their spread):"))
        var inputs = Table(columns: [.init("Input"), .init("Assumed mean", kind: .number), .init("Assumed 90 % range", kind: .number),
                                     .init("After actuals: mean", kind: .number), .init("90 % range", kind: .number)],
                           caption: "Inputs the actuals moved")
        for shift in followUp.movedInputs {
            let input = result.model.inputs[shift.input]
            let prior = shift.assumed, posterior = shift.afterActuals
            let q: (Double) -> Quantity = { v in
                switch input.unit {
                case .share, .sharePerYear: return Quantity(.share, v, Format.percent(v))
                case .money, .moneyPerMonth: return Quantity(.money(currency: nil), v, Format.amount(v))
                default: return Quantity(.number, v, Format.number(v, decimals: 2))
                }
            }
            inputs.append(["\(code: input.name)", "\(q(prior.mean))", "\(q(prior.percentile(0.05)))–\(q(prior.percentile(0.95)))",
                           "\(strong: q(posterior.mean))", "\(q(posterior.percentile(0.05)))–\(q(posterior.percentile(0.95)))"])
        }
        if inputs.rows.isEmpty { inputs.append(["(none moved noticeably)", "", "", "", ""]) }
        blocks.append(.table(inputs))
        if !scenario.risks.isEmpty {
            blocks.append(.paragraph("Risk events — the share of futures in which each happens:"))
            var risks = Table(columns: [.init("Risk"), .init("Before actuals", kind: .share), .init("After actuals", kind: .share)],
                              caption: "Risk events before and after the actuals")
            for (k, risk) in scenario.risks.enumerated() {
                risks.append([Text(risk.name), "\(share(r.riskSharesBefore[k]))", "\(strong: share(r.riskShares[k]))"])
            }
            blocks.append(.table(risks))
        }
        blocks.append(.paragraph("The re-forecast re-weights whole simulated futures, including their first months; it does not replace those months by the actuals, so it is a statement about the assumptions and what follows from them."))
        return blocks
    }

    private func retentionSection() -> [Block] {
        guard !retentionFits.isEmpty || !retentionProblems.isEmpty else { return [] }
        var blocks: [Block] = [.heading(level: 2, text: "Retention fitted to the actual customer cohorts", anchor: "retention")]
        var intro = "The shifted-beta-geometric model (Fader & Hardie 2007) fitted by maximum likelihood to the survivors of the "
        intro += "customers each segment had at month 0. It lets churn fall as the less loyal customers leave first. "
        intro += "A fit is offered for the scenario (`churn: sbg(α, β)`) only when the standard errors of α and β are both below "
        intro += "\(Format.percent(RetentionFit.maximumRelativeStandardError, decimals: 0)) of their estimates; otherwise the curve "
        intro += "beyond the observed months, which the NPV depends on, is still a guess."
        blocks.append(.paragraph(Text(intro)))
        if !retentionFits.isEmpty {
            var fits = Table(columns: [.init("Segment"), .init("α (± se)", kind: .number), .init("β (± se)", kind: .number),
                                       .init("Churn in month 1", kind: .share), .init("Churn in month 12", kind: .share),
                                       .init("Retained: fitted / actual", kind: .share), .init("Scenario churn", alignment: .trailing)],
                             caption: "Retention fits per segment")
            for fit in retentionFits {
                let number = { (v: Double) in Quantity(.number, v, Format.number(v, decimals: 3)) }
                fits.append([
                    Text(fit.segmentName),
                    "\(number(fit.alpha)) (± \(number(fit.alphaStandardError)))",
                    "\(number(fit.beta)) (± \(number(fit.betaStandardError)))",
                    "\(share(fit.churnInMonth(1), decimals: 2))", "\(share(fit.churnInMonth(12), decimals: 2))",
                    "\(share(fit.fittedSurvival(at: fit.lastMonth))) / \(share(fit.actualSurvival(at: fit.lastMonth))) (month \(String(fit.lastMonth)))",
                    Text(fit.isPreciseEnough ? fit.scenarioChurn : "not yet (too uncertain)"),
                ])
            }
            blocks.append(.table(fits))
            let months = [3, 6, 12, 24, 36, 60]
            blocks.append(.paragraph("The fitted retention curve — share of each segment's month-0 customers still there (actual in brackets where measured):"))
            var curve = Table(columns: [.init("Segment")] + months.map { .init(Text("month \(String($0))"), kind: .share) },
                              caption: "Fitted retention curve")
            for fit in retentionFits {
                let cells = months.map { t -> Text in
                    var cell: Text = "\(share(fit.fittedSurvival(at: t)))"
                    if t <= fit.lastMonth { cell += " (\(share(fit.actualSurvival(at: t))))" }
                    return cell
                }
                curve.append([Text(fit.segmentName)] + cells)
            }
            blocks.append(.table(curve))
        }
        var items: [Text] = []
        for fit in retentionFits where !fit.isPreciseEnough {
            var item: Text = "\(fit.segmentName): the actuals do not yet pin the retention curve down — α and β are known only to about "
            item += "± \(share(fit.relativeStandardError, decimals: 0)) of their values (one standard error), so keep the "
            item += "scenario's churn for now"
            if let more = fit.moreMonthsNeeded, more > 0 {
                item += "; roughly \(whole(more)) more month\(more == 1 ? "" : "s") of survivor counts should do (a rough guide, "
                item += "assuming the standard errors shrink with the square root of the months observed)"
            }
            items.append(item + ".")
        }
        for problem in retentionProblems { items.append(Text(problem)) }
        for fit in retentionFits {
            if let derl = fit.discountedResidualLifetime {
                let years = Quantity(.number, derl, Format.number(derl, decimals: 1))
                var item: Text = "\(fit.segmentName): a customer still here after month \(String(fit.lastMonth)) is expected to stay another "
                item += "\(years) months in discounted terms (DERL at the scenario's discount rate)."
                items.append(item)
            }
        }
        if !items.isEmpty { blocks.append(.list(items)) }
        return blocks
    }

    private func methodSection() -> [Block] {
        var items: [Text] = []
        items.append("The forecast of each figure is its distribution over the \(count(Double(result.trials))) simulated futures of the business case (seed \(String(result.options.seed))).")
        items.append("Percentile: the share of simulated futures below the actual, counting ties half.")
        var headline = "The headline follows the re-forecast: behind plan when its expected NPV fell or its chance of a loss rose "
        headline += "materially (and neither moved materially the other way), ahead of plan in the opposite case, on track when neither "
        headline += "moved materially. Material means larger than the Monte Carlo error of the change (95 %) and than a practical floor: "
        headline += "a tenth of the original NPV's standard deviation, or 5 percentage points of the chance of a loss. Without a "
        headline += "re-forecast, and for the sentence on the figures, a sign test on the figures outside the forecast's central half "
        headline += "decides: the worse ones outnumber the better ones by more than two standard deviations, "
        headline += "(worse − better)/√(worse + better) > 2 (< −2)."
        items.append(Text(headline))
        var figures = "Each tracked figure (a metric in one segment, or in all) gets the same sign test on its own actuals: "
        figures += "behind the forecast above 2, ahead of it below −2, in line otherwise. The charts follow that ranking — "
        figures += "behind first, then ahead, then in line; within each the stronger lean, then the worse side, then more far-off "
        figures += "actuals — and run from the first month with actuals to \(FollowUp.monthsAhead) months after the last (within "
        figures += "the horizon); the re-forecast's bands use the same weights (or futures) as its NPV."
        items.append(Text(figures))
        var models = "Observation models of the re-forecast: customers lost — binomial with the future's churn probability and the "
        models += "actual customers at the start of the month; new customers — Poisson with the future's expected arrivals; "
        models += "customers — normal, 2 % (used only where a segment has no churn or new-customer figures); active users and adoption — normal, 10 %; "
        models += "licence cost — normal, 2 %; other costs — normal, 10 %; contribution margin — normal, 5 % (standard deviations "
        models += "relative to the future's own value)."
        items.append(Text(models))
        var weights: Text = "The likelihood weights are used directly when their effective sample size is at least "
        weights += "\(count(Reforecast.minimumEffectiveSampleSize)); otherwise resample-move sequential Monte Carlo takes over."
        items.append(weights)
        return [.heading(level: 2, text: "How these numbers are made", anchor: "method"), .list(items)]
    }

    /// The reproducibility table: tool, scenario, changed values, actuals, trials, seed and the
    /// count sampler, as every report gives it.
    private func footer() -> [Block] {
        info.reproducibilitySection(changedLabel: "Changed for this run", extraRows: [
            ("Actuals file", "\(code: actualsFile)"),
            ("Trials", "\(count(Double(result.trials)))"),
            ("Seed", Text(String(result.options.seed))),
        ])
    }

    // MARK: CSV

    /// `track.csv`: one row per actual, exact values.
    public func csvTable() -> DataTable {
        var table = DataTable(fileName: "track.csv", header: [
            "month", "calendar_month", "metric", "segment", "actual", "forecast_p5", "forecast_p10", "forecast_p25", "forecast_p50",
            "forecast_p75", "forecast_p90", "forecast_p95", "forecast_mean", "percentile", "deviation", "relative_deviation",
            "verdict", "inside_50", "inside_90",
        ])
        for p in followUp.points {
            let o = p.observation, f = p.forecast
            let calendar = scenario.start.map { $0.adding(months: o.month).description } ?? ""
            let segment = o.metric.segment.map { scenario.segments[$0].name } ?? ""
            var row: [DataTable.Value] = [.number(Double(o.month)), .text(calendar), .text(o.metric.fileName), .text(segment), .number(o.value)]
            row += reportedPercentiles.map { .number(f.percentile($0)) }
            row += [.number(f.mean), .number(p.percentile), .number(p.deviation),
                    p.relativeDeviation.map(DataTable.Value.number) ?? .none, .text(p.verdict.rawValue),
                    p.isInsideCentral50 ? 1 : 0, p.isInsideCentral90 ? 1 : 0]
            table.append(row)
        }
        return table
    }
}
