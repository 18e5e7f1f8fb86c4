/// Text from an input file made safe to print on a terminal.
///
/// A name or key in a file may hold control characters (a YAML `"\e[2J"` is an ESC that clears
/// the screen); echoed raw, a message could recolour, erase or retitle the user's terminal, or
/// hide the very text it quotes. Every message that quotes file content goes through here.
public enum TerminalText {
    /// `text` with each control character (C0, DEL and C1) written as `\u{1B}`, so it is
    /// visible and harmless; tabs too, which would otherwise misalign the quoted text.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
