import CRMModel
import MonteCarlo
import ReportDocument

/// `sweep.md` and `sweep.csv` as one ``ReportDocument``: one input varied over a range, every
/// value on the same futures.
public struct SweepReport {
    /// The varied path and, per value, the text it was set to and the run.
    public let path: String
    public let points: [(value: String, result: SimulationResult)]
    public let info: RunInfo

    public init(path: String, points: [(value: String, result: SimulationResult)], info: RunInfo) {
        self.path = path
        self.points = points
        self.info = info
    }

    private typealias Q = ComparisonQuantities

    /// The report: the summary sentence, one row per value, the reproducibility footer;
    /// `sweep.csv` as its one data table.
    public func document() -> ReportDocument {
        guard let first = points.first else { return ReportDocument(title: "Sweep of `\(path)`") }
        let scenario = first.result.model.scenario
        var blocks: [Block] = [.paragraph(summary()), .table(valuesTable())]
        blocks += info.reproducibilitySection(changedLabel: "Changed for all values", extraRows: [
            ("Trials", "\(Q.count(first.result.trials)) per value"),
            ("Seed", Text(String(first.result.options.seed))),
        ])
        return ReportDocument(title: "Sweep of `\(path)`: \(scenario.name)", blocks: blocks, dataTables: [dataTable()])
    }

    /// The best value and where the expected NPV changes sign.
    func summary() -> Text {
        let first = points[0]
        let scenario = first.result.model.scenario
        let best = points.max { $0.result.npv.mean < $1.result.npv.mean }!
        let breakEven = zip(points, points.dropFirst()).first { ($0.result.npv.mean < 0) != ($1.result.npv.mean < 0) }
        var text: Text = "\(strong: "Summary.") Over \(String(points.count)) values of \(code: path), the expected NPV is highest at \(strong: best.value) "
        let words = AmountWords(currency: scenario.currency, amounts: [best.result.npv.mean],
                                uncertainty: 1.96 * best.result.npv.standardError)
        text += "(\(Q.words(words, best.result.npv.mean)))"
        if let (a, b) = breakEven {
            text += "; it changes sign between \(a.value) and \(b.value)"
        }
        text += ". Every value ran on the same \(Q.count(first.result.trials)) futures, so the differences between rows "
        text += "come from the value alone."
        return text
    }

    /// One row per value: the NPV, its paired difference from the first value, ROI, loss, payback.
    func valuesTable() -> Table {
        let money = Quantity.Kind.money(currency: nil)
        let first = points[0]
        var table = Table(columns: [
            Table.Column(Text(path)), Table.Column("Mean NPV (± MC error)", kind: money),
            Table.Column("Δ vs first (paired)", kind: money), Table.Column("P5", kind: money), Table.Column("P95", kind: money),
            Table.Column("Mean ROI", kind: .share), Table.Column("Chance of a loss", kind: .share),
            Table.Column("Median payback", kind: .month),
        ], caption: "Outcomes per value of \(path), amounts in \(first.result.model.scenario.currency)")
        for point in points {
            let r = point.result
            let n = min(r.trials, first.result.trials)
            var delta = [Double](repeating: 0, count: n)
            for i in 0..<n { delta[i] = r.perTrial.npv(i) - first.result.perTrial.npv(i) }
            let d = Summary(delta)
            table.append([
                Text(point.value), "\(Q.amount(r.npv.mean)) (± \(Q.amount(r.npv.standardError)))",
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
            table.append([.text(point.value), .number(r.npv.mean), .number(r.npv.standardError), .number(r.npv.percentile(0.05)),
                          .number(r.npv.median), .number(r.npv.percentile(0.95)), .number(r.roi.mean),
                          .number(r.probabilityOfLoss.value), .number(r.payback.median)])
        }
        return table
    }
}
