/// Approximate text widths, so labels can be placed and cut short without a font engine.
///
/// Widths are the advance widths of DejaVu Sans (per 1000 em), the Linux fallback of
/// `system-ui` and the widest of the common UI fonts, plus 3 %: estimates err on the wide
/// side for San Francisco, Segoe UI and Roboto, so labels that fit here fit everywhere.
public enum TextMetrics {
    /// Safety factor over the DejaVu Sans widths.
    static let slack = 1.03

    /// Advance widths of ASCII 32…126 in 1/1000 em (DejaVu Sans).
    private static let ascii: [UInt16] = [
        318, 402, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,  // space … /
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,  // 0 … ?
        1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,  // @ … O
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,  // P … _
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,  // ` … o
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,       // p … ~
    ]

    /// Width of one character in 1/1000 em.
    static func advance(_ scalar: Unicode.Scalar) -> Double {
        let v = scalar.value
        if v >= 32 && v <= 126 { return Double(ascii[Int(v - 32)]) }
        switch v {
        case 0x2014, 0x2026: return 1000                      // — …
        case 0x2013: return 500                               // –
        case 0x2212, 0x00B1, 0x00D7, 0x2264, 0x2265: return 838  // − ± × ≤ ≥
        case 0x00A0, 0x2009, 0x202F: return 318               // spaces
        case 0x2018, 0x2019: return 318                       // ‘ ’
        case 0x201C, 0x201D: return 518                       // “ ”
        case 0x0394: return 684                               // Δ
        case 0x20AC: return 636                               // €
        case 0x0300...0x036F, 0x200B...0x200D, 0xFE00...0xFE0F: return 0  // combining, joiners
        case 0x00C0...0x024F, 0x0370...0x04FF: return 700     // accented Latin, Greek, Cyrillic
        case 0x1100...0x11FF, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60:
            return 1000                                       // CJK, Hangul, full width
        case 0x1F000...0x1FAFF: return 1000                   // emoji
        default: return 700
        }
    }

    /// Estimated width in px of `text` at `size` px (bold is about 10 % wider).
    public static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var units = 0.0
        for scalar in text.unicodeScalars { units += advance(scalar) }
        return units / 1000 * size * slack * (bold ? 1.1 : 1)
    }

    /// `text` itself when it fits in `maxWidth` px, otherwise its longest beginning that fits
    /// with "…" added (trailing spaces removed before the ellipsis); "" when not even "…" fits.
    public static func truncate(_ text: String, toWidth maxWidth: Double, size: Double, bold: Bool = false) -> String {
        // A hair of tolerance, so a width computed from this very text always admits it.
        let limit = maxWidth + 1e-6
        if width(text, size: size, bold: bold) <= limit { return text }
        let ellipsis = "…"
        guard width(ellipsis, size: size, bold: bold) <= limit else { return "" }
        var kept = Array(text)
        while !kept.isEmpty {
            kept.removeLast()
            while kept.last?.isWhitespace == true { kept.removeLast() }
            let candidate = String(kept) + ellipsis
            if width(candidate, size: size, bold: bold) <= limit { return candidate }
        }
        return ellipsis
    }
}
