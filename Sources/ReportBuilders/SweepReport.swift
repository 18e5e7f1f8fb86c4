import CRMModel
import MonteCarlo
import ReportDocument

/// `sweep.md` and `sweep.csv` as one ``ReportDocument``: one input varied over a range, every
/// value on the same futures.
public struct SweepReport {
    /// The values' runs and the decisions the summary words.
    public let analysis: SweepAnalysis
    public let info: RunInfo

    public init(analysis: SweepAnalysis, info: RunInfo) {
        self.analysis = analysis
        self.info = info
    }

    private typealias Q = ReportQuantities

    private var path: String { analysis.path }
    private var points: [SweepAnalysis.Point] { analysis.points }

    /// The report: the summary sentence, one row per value, the reproducibility footer;
    /// `sweep.csv` as its one data table.
    public func document() -> ReportDocument {
        let first = points[0]
        let scenario = first.result.model.scenario
        // The summary page: the sentence and the two pictures; the table follows.
        var blocks: [Block] = [.paragraph(summary())]
        blocks += figures().map(Block.figure)
        blocks += [.pageBreak, .heading(level: 2, text: "Outcomes per value", anchor: "outcomes"), .table(valuesTable())]
        blocks += info.reproducibilitySection(changedLabel: "Changed for all values", extraRows: [
            ("Trials", "\(Q.count(first.result.trials)) per value"),
            ("Seed", Text(String(first.result.options.seed))),
        ])
        return ReportDocument(title: "Sweep of \(path): \(scenario.name)", blocks: blocks, dataTables: [dataTable()])
    }

    /// The summary in words: the best value (and whether the next one is too close to tell
    /// apart) and where the expected NPV changes sign, as ``SweepAnalysis`` decided them.
    func summary() -> Text {
        let first = points[0]
        let trials = first.result.trials
        let best = points[analysis.best]
        var text: Text = "\(strong: "Summary.") Over \(String(points.count)) values of \(code: path), the expected NPV is highest at \(strong: best.label) "
        let words = AmountWords(currency: first.result.model.scenario.currency, amounts: [best.result.npv.mean],
                                uncertainty: 1.96 * best.result.npv.standardError)
        text += "(\(Q.words(words, best.result.npv.mean)))"
        if let lead = analysis.runnerUp, lead.isTooCloseToTell {
            text += ", but \(points[lead.runnerUp].label) comes so close that \(Q.count(trials)) trials cannot tell which of the two "
            text += "is better on average"
        }
        if let change = analysis.signChange {
            text += "; it changes sign between \(points[change.lower].label) and \(points[change.upper].label)"
            if !change.tooCloseToTell.isEmpty {
                let at = change.tooCloseToTell.map { points[$0].label }.joined(separator: " and ")
                text += " (at \(at) the expected NPV is too close to zero for \(Q.count(trials)) trials to tell its sign)"
            }
        }
        text += ". Every value ran on the same \(Q.count(trials)) futures, so the differences between rows "
        text += "come from the value alone."
        return text
    }

    /// The swept value as a chart axis: its path, with the unit in words, and its kind.
    var valueAxis: FigureAxis {
        let currency = points[0].result.model.scenario.currency
        switch analysis.unit {
        case .money?: return FigureAxis("\(path) (\(currency))", kind: .money(currency: currency))
        case .moneyPerMonth?: return FigureAxis("\(path) (\(currency) per month)", kind: .money(currency: currency))
        case .share?: return FigureAxis(path, kind: .share)
        case .sharePerYear?: return FigureAxis("\(path) (per year)", kind: .share)
        case .count?: return FigureAxis(path, kind: .count)
        case .countPerMonth?: return FigureAxis("\(path) (per month)", kind: .count)
        case .months?: return FigureAxis("\(path) (months)", kind: .number)
        case .factor?, .ratePerMonth?: return FigureAxis(path, kind: .number)
        case nil:
            // Not an uncertain input (e.g. a month number): a share if the range was written in %.
            return FigureAxis(path, kind: points[0].label.hasSuffix("%") ? .share : .number)
        }
    }

    /// The summary's charts: the NPV against the value with its spread, and the chance of a loss.
    func figures() -> [Figure] {
        let currency = points[0].result.model.scenario.currency
        let xs = points.map(\.value)
        let npv = points.map(\.result.npv)
        let npvFigure = BandFigure(
            x: valueAxis, y: FigureAxis("NPV (\(currency))", kind: .money(currency: currency)), xs: xs,
            series: [
                .init(name: "P5 to P95 (90 % of futures)", shape: .band(lower: npv.map { $0.percentile(0.05) },
                                                                        upper: npv.map { $0.percentile(0.95) }), emphasis: 1),
                .init(name: "P25 to P75 (middle half)", shape: .band(lower: npv.map { $0.percentile(0.25) },
                                                                     upper: npv.map { $0.percentile(0.75) }), emphasis: 0),
                .init(name: "Mean NPV", shape: .line(npv.map(\.mean))),
            ],
            reference: (0, "Break-even (NPV 0)"))
        let lossFigure = BandFigure(
            x: valueAxis, y: FigureAxis("Chance of a loss", kind: .share), xs: xs,
            series: [.init(name: "Chance of a loss (NPV below 0)", shape: .line(points.map(\.result.probabilityOfLoss.value)))])
        return [
            Figure(
                name: "npv-by-value",
                title: "NPV against \(path)",
                description: "The NPV (in \(currency)) at each of the \(points.count) values of \(path): its mean as a line, "
                    + "P25 to P75 and P5 to P95 of the simulated futures as bands, and a line at 0 for break-even.",
                caption: "How to read: the line is the expected (mean) NPV at each value of \(code: path); the dark band holds "
                    + "the middle half of the simulated futures (P25 to P75), the light band 90 % of them (P5 to P95). Above "
                    + "the line at 0 the investment makes money, below it loses money. Every value ran on the same futures, "
                    + "so the slope comes from the value alone.",
                content: .bands(npvFigure)),
            Figure(
                name: "loss-chance-by-value",
                title: "Chance of a loss against \(path)",
                description: "At each of the \(points.count) values of \(path), the share of the simulated futures in which "
                    + "the NPV is below 0.",
                caption: "How to read: at each value of \(code: path), the share of the simulated futures in which the "
                    + "investment loses money (NPV below 0). Lower is safer; 50 % is a coin flip.",
                content: .bands(lossFigure)),
        ]
    }

    /// One row per value: the NPV, its paired difference from the first value, ROI, loss, payback.
    func valuesTable() -> Table {
        let money = Quantity.Kind.money(currency: nil)
        var table = Table(columns: [
            Table.Column(Text(path)), Table.Column("Mean NPV (± MC error)", kind: money),
            Table.Column("Δ vs first (paired)", kind: money), Table.Column("P5", kind: money), Table.Column("P95", kind: money),
            Table.Column("Mean ROI", kind: .share), Table.Column("Chance of a loss", kind: .share),
            Table.Column("Median payback", kind: .month),
        ], caption: "Amounts in \(points[0].result.model.scenario.currency), present values.")
        for point in points {
            let r = point.result, d = point.differenceFromFirst
            table.append([
                Text(point.label), "\(Q.amount(r.npv.mean)) (± \(Q.amount(r.npv.standardError)))",
                "\(Q.amount(d.mean)) (± \(Q.amount(d.standardError)))", "\(Q.amount(r.npv.percentile(0.05)))",
                "\(Q.amount(r.npv.percentile(0.95)))", "\(Q.share(r.roi.mean))", "\(Q.share(r.probabilityOfLoss.value))",
                "\(Q.month(r.payback.median))",
            ])
        }
        return table
    }

    /// `sweep.csv`: one row per value.
    func dataTable() -> DataTable {
        var table = DataTable(fileName: "sweep.csv", header: [
            "value", "npv_mean", "npv_se", "npv_p5", "npv_p50", "npv_p95", "roi_mean", "probability_of_loss", "payback_p50",
        ])
        for point in points {
            let r = point.result
            table.append([.text(point.label), .number(r.npv.mean), .number(r.npv.standardError), .number(r.npv.percentile(0.05)),
                          .number(r.npv.median), .number(r.npv.percentile(0.95)), .number(r.roi.mean),
                          .number(r.probabilityOfLoss.value), .number(r.payback.median)])
        }
        return table
    }
}
