import Testing
import Charts

// Binning raw values, and what the NPV histogram draws: loss bars in the accent, the marker at
// 0 with its label, the cumulative curve on a 0–100 % scale.

@Suite("Histogram") struct HistogramTests {
    @Test func binsHaveANiceWidthAndAnEdgeAtZero() {
        let values = SampleCharts.npvValues
        let bins = Histogram.bins(of: values, count: 40)
        #expect(bins.reduce(0) { $0 + $1.count } == values.count)
        let width = bins[0].upper - bins[0].lower
        #expect(width == 200_000)
        #expect(bins.first!.lower == -3_400_000 && bins.last!.upper == 4_400_000)
        #expect(bins.contains { $0.lower == 0 })
        for (a, b) in zip(bins, bins.dropFirst()) { #expect(a.upper == b.lower) }
    }

    @Test func valuesOnTheTopEdgeAreCounted() {
        let bins = Histogram.bins(of: [0, 1, 2, 3, 4], count: 4)
        #expect(bins.map(\.count) == [1, 1, 1, 2])
        #expect(Histogram.bins(of: [.nan, 1, .infinity], count: 10).reduce(0) { $0 + $1.count } == 1)
        #expect(Histogram.bins(of: [7, 7, 7], count: 10).map(\.count) == [3])
    }

    @Test func drawsLossMarkerAndCumulativeCurve() {
        let svg = SVGInspector(SampleCharts.histogram.svg())
        #expect(svg.texts("marker-label").first?.hasPrefix("P(loss) ") == true)
        #expect(svg.all("path", class: "marker").count == 1)
        #expect(svg.all("path", class: "cumulative").count == 1)
        let fills = Set(svg.all("rect").compactMap { $0.attributes["fill"] })
        #expect(fills.contains("#b8474c") && fills.contains("#98adbd"))
        let tickLabels = svg.texts("tick-label")
        #expect(tickLabels.contains("100 %") && tickLabels.contains("0 %"))
    }

    @Test func aBinAcrossZeroIsSplitAtZero() {
        let chart = Histogram(
            bins: [HistogramBin(lower: -2, upper: -1, count: 1), HistogramBin(lower: -1, upper: 1, count: 4), HistogramBin(lower: 1, upper: 2, count: 1)],
            caption: ChartCaption("Split"), showsCumulative: false
        )
        let bars = SVGInspector(chart.svg()).all("rect").filter { $0.attributes["fill"] == "#b8474c" || $0.attributes["fill"] == "#98adbd" }
        // Key swatches (2) + bars: 1 loss, the middle bin in two parts, 1 gain.
        #expect(bars.count == 6)
        let middle = bars.dropFirst(2).filter { $0.attributes["height"] == bars[3].attributes["height"] }
        #expect(Set(middle.map { $0.attributes["fill"]! }).count == 2)
    }
}
