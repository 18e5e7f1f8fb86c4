import Testing
import Charts

// Number text without a locale: thousands separators, the minus sign U+2212, no "−0", and SVG
// coordinates with at most two decimals.

@Suite("Number formatting") struct NumberFormatTests {
    @Test func thousandsSeparators() {
        #expect(NumberFormat.grouped(1_234_567) == "1,234,567")
        #expect(NumberFormat.grouped(999) == "999")
        #expect(NumberFormat.grouped(1000) == "1,000")
        #expect(NumberFormat.grouped(999.5) == "1,000")
        #expect(NumberFormat.grouped(1234.5, decimals: 2) == "1,234.50")
        #expect(NumberFormat.grouped(0.25, decimals: 2) == "0.25")
    }

    @Test func negativeUsesTheMinusSign() {
        #expect(NumberFormat.grouped(-1_234_567) == "\u{2212}1,234,567")
        #expect(NumberFormat.grouped(-0.5, decimals: 1) == "−0.5")
    }

    @Test func negativeZeroHasNoSign() {
        #expect(NumberFormat.grouped(-0.0) == "0")
        #expect(NumberFormat.grouped(-0.4) == "0")
        #expect(NumberFormat.grouped(-0.001, decimals: 2) == "0.00")
        #expect(NumberFormat.compact(-0.0) == "0")
        #expect(NumberFormat.coordinate(-0.001) == "0")
        #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")
    }

    @Test func notFinite() {
        #expect(NumberFormat.grouped(.nan) == "NaN")
        #expect(NumberFormat.grouped(-.infinity) == "−∞")
        #expect(NumberFormat.coordinate(.infinity) == "0")
        #expect(NumberFormat.grouped(1e20) == "100,000,000,000,000,000,000")
    }

    @Test func coordinates() {
        #expect(NumberFormat.coordinate(12.5) == "12.5")
        #expect(NumberFormat.coordinate(-3) == "-3")
        #expect(NumberFormat.coordinate(100) == "100")
        #expect(NumberFormat.coordinate(0.1 + 0.2) == "0.3")
        #expect(NumberFormat.coordinate(2.0 / 3) == "0.67")
        #expect(NumberFormat.fixed(-1234.5, decimals: 2) == "-1234.50")
    }

    @Test func compactAmounts() {
        #expect(NumberFormat.compact(-3_380_000) == "−3.4 m")
        #expect(NumberFormat.compact(950_000) == "950 k")
        #expect(NumberFormat.compact(3_000_000) == "3 m")
        #expect(NumberFormat.compact(999_960) == "1 m")
        #expect(NumberFormat.compact(2.1e9) == "2.1 bn")
        #expect(NumberFormat.compact(512) == "512")
        #expect(NumberFormat.compact(999.96) == "1 k")
        #expect(NumberFormat.compact(999_940_000) == "999.9 m")
        #expect(NumberFormat.compact(-999_960_000) == "−1 bn")
        #expect(NumberFormat.compact(-1_234_567, decimals: 2) == "−1.23 m")
    }

    @Test func valueFormats() {
        #expect(ValueFormat.automatic.string(-3_380_000) == "−3.4 m")
        #expect(ValueFormat.automatic.string(12_345) == "12,345")
        #expect(ValueFormat.automatic.string(12.5) == "12.5")
        #expect(ValueFormat.automatic.string(0.5) == "0.5")
        #expect(ValueFormat.percent().string(0.49) == "49 %")
        #expect(ValueFormat.percent(decimals: 1, fromShare: false).string(38.2) == "38.2 %")
        #expect(ValueFormat.custom { "NOK " + NumberFormat.compact($0) }.string(2e6) == "NOK 2 m")
    }

    @Test func decimalsForAStep() {
        #expect(NumberFormat.decimals(forStep: 20) == 0)
        #expect(NumberFormat.decimals(forStep: 2.5) == 1)
        #expect(NumberFormat.decimals(forStep: 0.25) == 2)
        #expect(NumberFormat.decimals(forStep: 0.1) == 1)
    }

    @Test func xmlEscaping() {
        #expect(XML.escape(#"a & b < c > d " e ' f"#) == "a &amp; b &lt; c &gt; d &quot; e &apos; f")
        #expect(XML.escape("tab\there") == "tab\there")
        #expect(XML.escape("bell\u{07}") == "bell\u{FFFD}")
        #expect(XML.escape("ΔNPV — “ok”") == "ΔNPV — “ok”")
    }
}
