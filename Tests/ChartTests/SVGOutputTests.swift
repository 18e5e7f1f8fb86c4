import Testing
import Charts

// Every chart kind: well-formed standalone SVG with title and description, the same bytes for
// the same input, readable text sizes, and "No data" instead of a crash for empty input.

@Suite("SVG output") struct SVGOutputTests {
    static let names = SampleCharts.all.map(\.name)

    static func chart(_ name: String) -> any Chart { SampleCharts.all.first { $0.name == name }!.chart }

    @Test(arguments: names) func parsesAsXML(name: String) {
        let text = Self.chart(name).svg()
        let svg = SVGInspector(text)
        #expect(svg.wellFormed, "\(name): \(svg.error ?? "")")
        let root = svg.elements[0]
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["viewBox"] != nil && root.attributes["width"] != nil && root.attributes["height"] != nil)
        #expect(root.attributes["font-family"] == "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif")
        #expect(svg.elements[1].name == "title" && !svg.elements[1].text.isEmpty)
        #expect(svg.elements[2].name == "desc" && !svg.elements[2].text.isEmpty)
        #expect(!text.hasPrefix("<?xml"))
        #expect(text.hasSuffix("</svg>\n"))
    }

    @Test(arguments: names) func sameInputSameBytes(name: String) {
        let a = Self.chart(name).svg()
        let b = Self.chart(name).svg()
        #expect(a == b)
    }

    @Test(arguments: names) func noNumbersFromNowhere(name: String) {
        let text = Self.chart(name).svg()
        for bad in ["nan", "NaN", "inf", "∞", "-0 ", "\"-0\"", "−0 ", ">−0<", ",-0,"] {
            #expect(!text.contains(bad), "\(name) contains \(bad)")
        }
        // No exponent notation and no long binary fractions anywhere.
        #expect(!text.contains(/[0-9]e[-+][0-9]/))
        #expect(!text.contains(/[0-9]\.[0-9]{3}/))
    }

    @Test(arguments: names) func textIsAtLeastElevenPixels(name: String) {
        let svg = SVGInspector(Self.chart(name).svg())
        #expect(svg.elements[0].number("font-size") == 12)
        for text in svg.all("text") {
            #expect((text.number("font-size") ?? 12) >= 11, "\(name): \(text.text)")
        }
    }

    @Test func everyTextIsEscaped() {
        let nasty = #"<script>alert("x")</script> & 'quotes'"#
        let chart = BarChart(
            categories: [nasty, "R&D"], series: [BarSeries(name: "A<B", values: [1, 2]), BarSeries(name: "\"C\"", values: [3, 4])],
            caption: ChartCaption(nasty, subtitle: nasty, description: nasty, note: nasty, id: "x\"y")
        )
        let text = chart.svg()
        #expect(!text.contains("<script>"))
        let svg = SVGInspector(text)
        #expect(svg.wellFormed, "\(svg.error ?? "")")
        #expect(svg.all("title").first?.text == nasty)
        #expect(svg.all("desc").first?.text == nasty)
        #expect(svg.texts("key-label") == ["A<B", "\"C\""])
        #expect(svg.all("text", class: "row-label").map { $0.tooltip ?? $0.text }.contains(nasty))
    }

    @Test func emptyInputSaysNoData() {
        let caption = ChartCaption("Nothing yet")
        let charts: [any Chart] = [
            Histogram(values: [], caption: caption),
            Histogram(values: [.nan, .infinity], caption: caption),
            Histogram(bins: [HistogramBin(lower: 0, upper: 1, count: 0)], caption: caption),
            FanChart(bands: [], median: [], caption: caption),
            FanChart(bands: [FanBand(label: "P10–P90", lower: [.nan], upper: [.nan])], median: [.nan], caption: caption),
            Tornado(base: 0, rows: [], caption: caption),
            Tornado(base: .nan, rows: [TornadoRow(label: "x", low: 1, high: 2)], caption: caption),
            LineChart(series: [], caption: caption),
            LineChart(series: [LineSeries(name: "x", values: [.nan, .nan])], caption: caption),
            BarChart(categories: [], series: [], caption: caption),
            BarChart(categories: ["a"], series: [BarSeries(name: "s", values: [])], caption: caption),
            IntervalChart(rows: [], caption: caption),
        ]
        for chart in charts {
            let svg = SVGInspector(chart.svg())
            #expect(svg.wellFormed)
            #expect(svg.texts("no-data") == ["No data"], "\(type(of: chart))")
            #expect(svg.all("title").first?.text == "Nothing yet")
        }
    }

    @Test func gapsAndOddValuesDoNotBreakCharts() {
        var fan = SampleCharts.fan
        fan.median[30] = .nan
        fan.bands[0].upper[10] = .infinity
        let single = Histogram(values: [250_000, 250_000], caption: ChartCaption("One value"))
        let flat = LineChart(series: [LineSeries(name: "flat", values: [3, 3, 3])], caption: ChartCaption("Flat"))
        let point = LineChart(series: [LineSeries(name: "one point", values: [7])], caption: ChartCaption("One point"))
        let equalRow = Tornado(base: 5, rows: [TornadoRow(label: "no effect", low: 5, high: 5)], caption: ChartCaption("No swing"))
        for chart in [fan, single, flat, point, equalRow] as [any Chart] {
            let text = chart.svg()
            let svg = SVGInspector(text)
            #expect(svg.wellFormed, "\(type(of: chart))")
            #expect(svg.texts("no-data").isEmpty, "\(type(of: chart))")
            #expect(!text.contains("nan") && !text.contains("inf"))
        }
        // The median line breaks at the gap: two paths instead of one (and the 14 px sample of
        // its stroke beside the end label).
        let paths = SVGInspector(fan.svg()).all("path").filter {
            $0.attributes["stroke-width"] == "2.5" && $0.attributes["fill"] == "none" && !$0.attributes["d"]!.hasSuffix("h14")
        }
        #expect(paths.count == 2)
    }

    @Test func idsDifferBetweenChartsAndFollowTheCaption() {
        let a = SVGInspector(SampleCharts.histogram.svg()).elements[0].attributes["aria-labelledby"]
        let b = SVGInspector(SampleCharts.fan.svg()).elements[0].attributes["aria-labelledby"]
        #expect(a != nil && b != nil && a != b)
        var fan = SampleCharts.fan
        fan.caption.id = "npv-fan"
        let svg = SVGInspector(fan.svg())
        #expect(svg.elements[0].attributes["aria-labelledby"] == "npv-fan-title npv-fan-desc")
        #expect(svg.all("pattern").first?.attributes["id"] == "npv-fan-hatch")
    }
}
