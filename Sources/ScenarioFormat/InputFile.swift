import Foundation

/// A text file crmcase reads (a scenario, a variants file, actuals), read the one way every
/// reader shares: a folder, a missing file, an unreadable one and text that is not UTF-8 each
/// become one sentence about that file, naming what it should have been.
public struct InputFile: Sendable {
    /// What the file is, for the sentences: `scenario file`, `actuals file`.
    public var kind: String
    /// What crmcase reads in UTF-8: `scenario files`, `CSV files`.
    public var readAs: String
    /// What to give instead of a folder or a path with nothing there.
    public var whatToGive: String
    /// Where to look when the path leads nowhere.
    public var whereToLook: String
    /// How to save the file as UTF-8.
    public var saveAsUTF8: String

    public init(kind: String, readAs: String, whatToGive: String, whereToLook: String, saveAsUTF8: String) {
        self.kind = kind
        self.readAs = readAs
        self.whatToGive = whatToGive
        self.whereToLook = whereToLook
        self.saveAsUTF8 = saveAsUTF8
    }

    /// The bytes of the file at `path` (for its SHA-256) and its text.
    /// - Throws: ``ScenarioErrors`` with one issue: a folder, no file, an unreadable file, or
    ///   text that is not UTF-8 (with the position of the first bad byte; ``TextEncoding``).
    public func read(_ path: String) throws(ScenarioErrors) -> (data: Data, text: String) {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue {
            throw ScenarioErrors([ScenarioIssue(file: path, message: "This is a folder, not \(article) \(kind).",
                                                hint: whatToGive)])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioErrors([ScenarioIssue(
                file: path,
                message: exists ? "The \(kind) cannot be read." : "There is no \(kind) here.",
                hint: exists ? "Check its permissions." : whereToLook)])
        }
        return (data, try TextEncoding.text(of: data, file: path, kind: kind, readAs: readAs, hint: saveAsUTF8))
    }

    private var article: String { "aeiou".contains(kind.first ?? "x") ? "an" : "a" }
}
