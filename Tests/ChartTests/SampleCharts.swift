import Foundation
import Charts

/// Charts with realistic numbers for a CRM business case (NOK), shared by the tests and the
/// demo files. Everything is computed from a fixed-seed generator, so it never changes.
enum SampleCharts {
    /// SplitMix64 with Box–Muller normals.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
        mutating func normal() -> Double { sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform()) }
    }

    static let money = Axis(title: "NPV (NOK)")

    /// 10,000 simulated NPVs between −3.4 m and 4.4 m, a little under half of them losses.
    static var npvValues: [Double] {
        var g = Generator(state: 42)
        return (0..<10_000).map { _ in
            let skew = g.uniform() < 0.15 ? -900_000.0 : 0
            return min(4.4e6, max(-3.4e6, 150_000 + skew + 1_350_000 * g.normal()))
        }
    }

    static var histogram: Histogram {
        let values = npvValues
        let loss = Double(values.filter { $0 < 0 }.count) / Double(values.count)
        return Histogram(
            values: values, binCount: 40,
            caption: ChartCaption(
                "Net present value over 10,000 simulated futures", subtitle: "NOK, 60 months, discounted at 8 % a year",
                note: "Source: crmcase Monte Carlo, seed 42"
            ),
            xAxis: Axis(title: "NPV (NOK)"), zeroLabel: "P(loss) \(Int((loss * 100).rounded())) %"
        )
    }

    static var fan: FanChart {
        let months = Array(0...60)
        func median(_ t: Double) -> Double { -1_400_000 * (1 - exp(-t / 2.5)) + 48_000 * max(0, t - 4) - 0.0 * t }
        func spread(_ t: Double) -> Double { 60_000 + 26_000 * t }
        let m = months.map { median(Double($0)) }
        let s = months.map { spread(Double($0)) }
        var g = Generator(state: 7)
        let actuals = (0...14).map { MonthValue(month: $0, value: median(Double($0)) - 40_000 * Double($0) / 4 + 60_000 * g.normal()) }
        let start = 14
        let reMonths = Array(start...60)
        let reMedian = reMonths.map { median(Double($0)) - 140_000 - 9_000 * Double($0 - start) }
        let reSpread = reMonths.map { 40_000 + 20_000 * Double($0 - start) }
        return FanChart(
            months: 0,
            bands: [
                FanBand(label: "P10–P90", lower: zip(m, s).map { $0 - 1.2816 * $1 }, upper: zip(m, s).map { $0 + 1.2816 * $1 }),
                FanBand(label: "P25–P75", lower: zip(m, s).map { $0 - 0.6745 * $1 }, upper: zip(m, s).map { $0 + 0.6745 * $1 }),
            ],
            median: m,
            caption: ChartCaption("Cumulative net cash flow of the CRM", subtitle: "NOK; business case from January 2026, actuals to month 14", note: "Bands: shares of 10,000 simulated futures"),
            mean: zip(m, s).map { $0 + 0.12 * $1 },
            reference: ReferenceLine(value: 0, label: "Break-even"),
            actuals: actuals,
            reforecast: FanReforecast(
                startMonth: start,
                band: FanBand(label: "Re-forecast P10–P90", lower: zip(reMedian, reSpread).map { $0 - 1.2816 * $1 }, upper: zip(reMedian, reSpread).map { $0 + 1.2816 * $1 }),
                median: reMedian
            ),
            marker: Marker(position: Double(start), label: "Today"),
            xAxis: Axis(title: "Month"), yAxis: Axis(title: "NOK")
        )
    }

    static var tornado: Tornado {
        let rows: [(String, Double, Double, String, String)] = [
            ("costs[Lever 2: loyalty programme — running cost and member benefits].amount", -2_150_000, 1_420_000, "1.2 m", "0.4 m"),
            ("adoption.ceiling", -1_610_000, 980_000, "60 %", "85 %"),
            ("segments[Hybrid customers in the northern region].churn_reduction", -1_020_000, 860_000, "0.5 pp", "3 pp"),
            ("licences.price", 310_000, -940_000, "NOK 450", "NOK 700"),
            ("costs[Implementation partner, fixed-price contract].amount", 420_000, -610_000, "2.0 m", "3.1 m"),
            ("discount_rate", 180_000, -520_000, "5 %", "11 %"),
            ("risks[Data migration slips by a quarter].probability", -60_000, -410_000, "10 %", "40 %"),
        ]
        return Tornado(
            base: -310_000,
            rows: rows.map { TornadoRow(label: $0.0, low: $0.1 - 310_000, high: $0.2 - 310_000, lowLabel: $0.3, highLabel: $0.4) },
            caption: ChartCaption("What moves the NPV most", subtitle: "NPV with one input at its P10 or P90, the others at their medians"),
            axis: Axis(title: "NPV (NOK)")
        )
    }

    static var lines: LineChart {
        let segments: [(String, Double, Double, Double)] = [("Hybrid", 1_200, 0.018, 0.012), ("Online", 2_600, 0.025, 0.021), ("Dealer", 900, 0.012, 0.008)]
        var series: [LineSeries] = []
        for (i, seg) in segments.enumerated() {
            let tones: [LineStyle.Tone] = [.dark, .mid, .light]
            let without = (0...60).map { seg.1 * pow(1 - seg.2, Double($0)) }
            let with = (0...60).map { seg.1 * pow(1 - seg.2, Double(min($0, 6))) * pow(1 - seg.3, Double(max(0, $0 - 6))) }
            series.append(LineSeries(name: "\(seg.0), with CRM", values: with, style: LineStyle(tone: tones[i], dash: .solid, width: 2.25)))
            series.append(LineSeries(name: "\(seg.0), without", values: without, style: LineStyle(tone: tones[i], dash: .dashed, width: 2)))
        }
        return LineChart(
            series: series,
            caption: ChartCaption("Customers per segment, with and without the CRM", subtitle: "Median of 10,000 simulated futures"),
            xAxis: Axis(title: "Month", step: 12), yAxis: Axis(title: "Customers")
        )
    }

    static var outsideView: BarChart {
        BarChart(
            categories: ["Project fails to deliver its business case", "Revenue below expectation", "Firm wrote a business case", "Business case followed up"],
            series: [BarSeries(name: "This case (simulated)", values: [0.49, 0.44, 1, 1]), BarSeries(name: "Surveys (CBS 2013)", values: [0.53, 0.452, 0.176, 0.378])],
            caption: ChartCaption("The outside view: this case against surveys of CRM projects", note: "Source: CBS 2013, see docs/SOURCES.md"),
            axis: Axis(title: "Share", format: .percent()), valueFormat: .percent()
        )
    }

    static var intervals: IntervalChart {
        IntervalChart(
            rows: [
                IntervalRow(label: "A: full CRM with loyalty programme", p5: -2_900_000, p25: -900_000, p50: 310_000, p75: 1_400_000, p95: 3_100_000, mean: 290_000),
                IntervalRow(label: "B: CRM without loyalty programme", p5: -1_800_000, p25: -500_000, p50: 420_000, p75: 1_150_000, p95: 2_300_000, mean: 380_000),
                IntervalRow(label: "C: sales module only", p5: -900_000, p25: -200_000, p50: 150_000, p75: 520_000, p95: 1_100_000, mean: 160_000),
                IntervalRow(label: "D: postpone one year", p5: -600_000, p25: -250_000, p50: -40_000, p75: 180_000, p95: 520_000, mean: -30_000),
            ],
            caption: ChartCaption("Gain of each option over doing nothing", subtitle: "ΔNPV in NOK over 60 months, 10,000 simulated futures"),
            axis: Axis(title: "ΔNPV (NOK)"), reference: ReferenceLine(value: 0, label: "No gain")
        )
    }

    /// Every sample chart with a file name.
    static var all: [(name: String, chart: any Chart)] {
        [("histogram", histogram), ("fan", fan), ("tornado", tornado), ("lines", lines), ("outside-view", outsideView), ("intervals", intervals)]
    }
}
