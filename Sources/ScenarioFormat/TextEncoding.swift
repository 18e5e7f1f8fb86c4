import Foundation

/// An input file's bytes as text. crmcase reads UTF-8, with or without a byte-order mark; a
/// file in another encoding is refused in one sentence at the place it goes wrong — line 1 for
/// UTF-16 (which is wrong from its first byte), else the first byte that is not UTF-8 — rather
/// than a sentence about the file as a whole that leaves the user to find the character.
public enum TextEncoding {
    /// `data` as text.
    ///
    /// - Parameters:
    ///   - kind: what the file is, for the sentence: `scenario file`, `actuals file`.
    ///   - readAs: what crmcase reads in UTF-8: `scenario files`, `CSV files`.
    ///   - hint: how to save the file as UTF-8.
    public static func text(of data: Data, file: String, kind: String, readAs: String,
                            hint: String) throws(ScenarioErrors) -> String {
        if isUTF16(data) {
            throw ScenarioErrors([ScenarioIssue(file: file, line: 1, column: 1,
                                                message: "The \(kind) is UTF-16 text; crmcase reads \(readAs) in UTF-8.",
                                                hint: hint)])
        }
        if let offset = firstInvalidByte(data) {
            let (line, column) = place(of: offset, in: data)
            let hex = String(data[data.startIndex + offset], radix: 16, uppercase: true)
            throw ScenarioErrors([ScenarioIssue(
                file: file, line: line, column: column,
                message: "The \(kind) is not UTF-8 text: the character here (byte \(hex.count == 1 ? "0" + hex : hex)) is written "
                    + "as in Latin-1 or Windows-1252; crmcase reads \(readAs) in UTF-8.",
                hint: hint)])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `data` is UTF-16 text: a byte-order mark FF FE or FE FF, or the zero bytes
    /// between ASCII letters that UTF-16 writes (text files hold no zero bytes otherwise).
    public static func isUTF16(_ data: Data) -> Bool {
        let head = Array(data.prefix(64))
        let bom = head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))
        return bom || (head.count >= 4 && head.contains(0))
    }

    /// The offset of the first byte of `data` that does not belong to valid UTF-8, or nil.
    static func firstInvalidByte(_ data: Data) -> Int? {
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The 1-based line and column (in characters) of the byte at `offset`, all bytes before
    /// it being valid UTF-8. Lines end at LF, CR LF or CR, as editors count them.
    static func place(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        let before = String(decoding: data.prefix(offset), as: UTF8.self)
        var line = 1, column = 1
        var previousCR = false
        for scalar in before.unicodeScalars {
            switch scalar {
            case "\n" where previousCR: break
            case "\n", "\r": line += 1; column = 1
            case "\u{FEFF}" where line == 1 && column == 1: break
            default: column += 1
            }
            previousCR = scalar == "\r"
        }
        return (line, column)
    }
}
