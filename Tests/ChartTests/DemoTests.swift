import Foundation
import Testing
import Charts

// Writes every sample chart to $CHARTS_DEMO_DIR (e.g. /tmp/charts-demo) for looking at them:
//   CHARTS_DEMO_DIR=/tmp/charts-demo swift test -c release --filter ChartTests.Demo
// Without the variable the test does nothing.

@Suite("Demo") struct Demo {
    @Test func writesDemoFiles() throws {
        guard let dir = ProcessInfo.processInfo.environment["CHARTS_DEMO_DIR"], !dir.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let extra: [(name: String, chart: any Chart)] = [
            ("no-data", FanChart(bands: [], median: [], caption: ChartCaption("Cumulative net cash flow", subtitle: "No trials yet"))),
            ("histogram-narrow", Histogram(values: SampleCharts.npvValues, binCount: 24, caption: ChartCaption("NPV, narrow"), frame: ChartFrame(width: 360, height: 260), xAxis: Axis(title: "NPV (NOK)"), zeroLabel: "P(loss) 49 %")),
        ]
        for (name, chart) in SampleCharts.all + extra {
            try chart.svg().write(toFile: dir + "/" + name + ".svg", atomically: true, encoding: .utf8)
        }
    }
}
