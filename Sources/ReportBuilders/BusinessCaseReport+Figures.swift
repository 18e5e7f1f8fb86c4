import MonteCarlo
import ReportDocument

/// The report's charts as data: the NPV's spread and the cumulative cash on the summary page,
/// the drivers beside their table, adoption beside its table.
extension BusinessCaseReport {
    var monthAxis: FigureAxis {
        if let start = scenario.start { return FigureAxis("Month of the plan (0 = \(start))", kind: .month) }
        return FigureAxis("Month of the plan", kind: .month)
    }

    var moneyKind: Quantity.Kind { .money(currency: currency) }

    /// The NPV over the trials as a histogram, with a line at 0: the bars left of it are the
    /// trials that lose money, whose share is the chance of a loss (0 is a bin edge).
    func npvFigure() -> Figure {
        let histogram = OutcomeHistogram(npvOf: result)
        let total = Double(max(histogram.total, 1))
        let loss = Format.percent(result.probabilityOfLoss.value, decimals: 0)
        let trials = Format.amount(Double(result.trials))
        return Figure(
            name: "npv-distribution",
            title: "How the NPV is spread over \(trials) simulated futures",
            description: "Histogram of the net present value (in \(currency)) over \(trials) trials, with its cumulative share; "
                + "the NPV is below 0 in \(loss) of them.",
            caption: "How to read: each bar is the share of the simulated futures whose NPV falls in its range; the bars left "
                + "of the line at 0 lose money (\(Q.share(result.probabilityOfLoss.value, decimals: 0)) of the futures). The curve is "
                + "the share at or below each NPV (right scale): where it crosses 50 % is the median.",
            content: .distribution(DistributionFigure(
                axis: FigureAxis("NPV (\(currency))", kind: moneyKind),
                bins: histogram.bins.map { .init(lower: $0.lower, upper: $0.upper, share: Double($0.count) / total) },
                marker: (0, "Loss in \(loss)"))))
    }

    /// The cumulative cash, month by month: the middle 80 % of the trials, the median and the
    /// mean, with break-even at 0.
    func cashFigure() -> Figure {
        let band = result.cumulativeCash
        let months = (0...scenario.horizon).map(Double.init)
        return Figure(
            name: "cumulative-cash",
            title: "Cumulative cash of the CRM, month by month",
            description: "The running total of the CRM's extra cash flow (in \(currency), undiscounted) over months 0 to "
                + "\(scenario.horizon): P10 to P90 of the trials as a band, the median and the mean as lines.",
            caption: "How to read: the band holds the middle 80 % of the simulated futures (P10 to P90), the solid line is the "
                + "median and the dashed one the mean. Where the line crosses 0 the investment has paid back"
                + Text(bandNote()) + ".",
            content: .bands(BandFigure(
                x: monthAxis, y: FigureAxis("Cumulative cash (\(currency))", kind: moneyKind), xs: months,
                series: [
                    .init(name: "P10 to P90", shape: .band(lower: band.p10, upper: band.p90)),
                    .init(name: "Median", shape: .line(band.p50)),
                    .init(name: "Mean", shape: .line(band.mean)),
                ],
                reference: (0, "Break-even"))))
    }

    /// The largest swings as a tornado around the mean NPV.
    func driversFigure(_ s: Sensitivity) -> Figure {
        let rows = s.effects.prefix(Self.chartedDrivers)
        return Figure(
            name: "drivers",
            title: "What moves the NPV most",
            description: "For the \(rows.count) inputs with the largest swings, the mean NPV (in \(currency)) with the input at its "
                + "P10 and at its P90 (a risk event: without and with it), around the mean NPV of the run.",
            caption: "How to read: one bar per input, largest first. Each bar runs from the mean NPV with the input at its P10 "
                + "(a risk: without it) to the mean NPV with it at its P90 (with it); the line is the mean NPV of the whole "
                + "run. A long bar is an input worth pinning down before deciding.",
            content: .tornado(TornadoFigure(
                axis: FigureAxis("Mean NPV (\(currency))", kind: moneyKind), base: result.npv.mean,
                rows: rows.map { .init(label: InputLabel.words($0.name), low: $0.npvLow, high: $0.npvHigh) })))
    }

    /// Adoption over the months: P10 to P90 of the trials and the median.
    func adoptionFigure() -> Figure {
        let band = result.adoption
        return Figure(
            name: "adoption",
            title: "Share of the seats in active use",
            description: "The share of the licensed seats in active use over months 0 to \(scenario.horizon): P10 to P90 of "
                + "the trials as a band, the median as a line.",
            caption: "How to read: the band holds the middle 80 % of the simulated futures, the line is the median. Every "
                + "benefit of the CRM scales with this share.",
            content: .bands(BandFigure(
                x: monthAxis, y: FigureAxis("Seats in active use", kind: .share), xs: (0...scenario.horizon).map(Double.init),
                series: [
                    .init(name: "P10 to P90", shape: .band(lower: band.p10, upper: band.p90)),
                    .init(name: "Median", shape: .line(band.p50)),
                ])))
    }
}
