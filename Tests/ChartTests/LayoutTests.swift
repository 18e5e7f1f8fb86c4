import Testing
import Charts

// Labels that must never overlap or overflow: end labels of lines, tornado row labels, and
// the text measuring behind them.

@Suite("Label layout") struct LayoutTests {
    @Test func spreadKeepsOrderAndDistance() {
        var x: UInt64 = 99
        func next() -> Double {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Double(x >> 11) / Double(1 << 53)
        }
        for _ in 0..<500 {
            let n = 1 + Int(next() * 12)
            let wish = (0..<n).map { _ in 40 + next() * 260 }
            let placed = LabelLayout.spread(wish, height: 15, within: 40...300)
            let order = wish.indices.sorted { (wish[$0], $0) < (wish[$1], $1) }
            for (a, b) in zip(order, order.dropFirst()) {
                #expect(placed[b] - placed[a] >= 15 - 1e-9)
            }
            #expect(placed.allSatisfy { $0 >= 40 - 1e-9 && $0 <= 300 + 1e-9 })
        }
    }

    @Test func spreadLeavesFreeLabelsAlone() {
        #expect(LabelLayout.spread([10, 50, 90], height: 15, within: 0...100) == [10, 50, 90])
        // Two on top of each other move apart symmetrically.
        #expect(LabelLayout.spread([50, 50], height: 16, within: 0...100) == [42, 58])
        #expect(LabelLayout.spread([], height: 15, within: 0...100) == [])
    }

    @Test func spreadWithTooLittleRoomStillNeverOverlaps() {
        let placed = LabelLayout.spread(Array(repeating: 50, count: 10), height: 15, within: 0...100)
        for (a, b) in zip(placed, placed.dropFirst()) { #expect(b - a >= 15 - 1e-9) }
    }

    @Test func lineEndLabelsNeverOverlap() throws {
        // Eight lines ending at almost the same value, plus the sample with six.
        let crowded = LineChart(
            series: (0..<8).map { i in LineSeries(name: "Segment \(i) with a longer name", values: (0...24).map { Double($0) * 10 + Double(i) }) },
            caption: ChartCaption("Crowded ends"), reference: ReferenceLine(value: 238, label: "Target")
        )
        for chart in [crowded, SampleCharts.lines] {
            let svg = SVGInspector(chart.svg())
            let labels = svg.all("text", class: "end-label")
            #expect(labels.count >= 6)
            let boxes = labels.map { label -> (x: Double, y: Double, w: Double) in
                (label.number("x")!, label.number("y")!, TextMetrics.width(label.text, size: 12))
            }
            for i in boxes.indices {
                #expect(boxes[i].x + boxes[i].w <= 720, "\(labels[i].text) leaves the frame")
                for j in boxes.indices where j > i {
                    let apartVertically = abs(boxes[i].y - boxes[j].y) >= 12.6
                    let apartHorizontally = boxes[i].x + boxes[i].w <= boxes[j].x || boxes[j].x + boxes[j].w <= boxes[i].x
                    #expect(apartVertically || apartHorizontally, "\(labels[i].text) overlaps \(labels[j].text)")
                }
            }
        }
    }

    @Test func fanEndLabelsNeverOverlap() {
        let labels = SVGInspector(SampleCharts.fan.svg()).all("text", class: "end-label")
        #expect(labels.map(\.text) == ["Median", "Mean", "Re-forecast median", "Break-even"])
        let ys = labels.compactMap { $0.number("y") }.sorted()
        for (a, b) in zip(ys, ys.dropFirst()) { #expect(b - a >= 12.6) }
    }

    @Test func tornadoLabelsAreTruncatedToTheMargin() {
        let chart = SampleCharts.tornado
        let svg = SVGInspector(chart.svg())
        let rows = svg.all("text", class: "row-label")
        #expect(rows.count == 7)
        let long = rows[0]
        #expect(long.text.hasSuffix("…"))
        #expect(long.text.hasPrefix("costs[Lever 2: loyalty programme"))
        #expect(long.tooltip == "costs[Lever 2: loyalty programme — running cost and member benefits].amount")
        #expect(rows.map(\.text).contains("adoption.ceiling"))
        for row in rows {
            let right = row.number("x")!
            let width = TextMetrics.width(row.text, size: 12)
            #expect(width <= 720 * 0.4 + 1e-9)
            #expect(right - width >= chart.frame.margins.left - 1e-9, "\(row.text) leaves the margin")
        }
        let ys = rows.compactMap { $0.number("y") }
        for (a, b) in zip(ys, ys.dropFirst()) { #expect(b - a >= 14) }
    }

    @Test func truncation() {
        #expect(TextMetrics.truncate("short", toWidth: 200, size: 12) == "short")
        let cut = TextMetrics.truncate("a rather long label that will not fit", toWidth: 80, size: 12)
        #expect(cut.hasSuffix("…") && TextMetrics.width(cut, size: 12) <= 80)
        #expect(!cut.dropLast().hasSuffix(" "))
        #expect(TextMetrics.truncate("anything", toWidth: 3, size: 12) == "")
        #expect(TextMetrics.width("", size: 12) == 0)
        #expect(TextMetrics.width("MMMM", size: 12) > TextMetrics.width("iiii", size: 12))
    }

    @Test func axisLabelsGoCompactWhenTheyWouldCollide() {
        let narrow = Histogram(values: SampleCharts.npvValues, caption: ChartCaption("Narrow"), frame: ChartFrame(width: 300, height: 240), xAxis: Axis(title: "NPV (NOK)"))
        let labels = SVGInspector(narrow.svg()).all("text", class: "tick-label").map(\.text)
        #expect(labels.contains { $0.hasSuffix(" m") }, "\(labels)")
        let wide = SVGInspector(SampleCharts.histogram.svg()).texts("tick-label")
        #expect(wide.contains("−2,000,000") || wide.contains("−2 m"))
    }
}
