import Foundation
import ScenarioFormat
import UseCases

/// The variants file a workshop saves into: `<scenario name>.workshop.variants.yaml` beside the
/// scenario, which `crmcase compare` reads (its `base:` names the scenario).
///
/// Saving never overwrites: a new variant is appended, a name already in the file is refused,
/// and a file of that name that the workshop did not write is left alone (refused).
public struct VariantsFile: Sendable {
    /// The file's path.
    public let path: String
    /// The scenario's file name as `base:` writes it (relative to the variants file).
    let base: String

    /// The first line of every file the workshop writes; a file without it is not ours.
    static let header = "# Variants saved by `crmcase workshop`."

    public init(scenarioFile: String) {
        let url = URL(fileURLWithPath: scenarioFile)
        var stem = url.deletingPathExtension().lastPathComponent
        if stem.hasSuffix(".variants") { stem = String(stem.dropLast(".variants".count)) }
        path = url.deletingLastPathComponent().appendingPathComponent("\(stem).workshop.variants.yaml").path
        base = url.lastPathComponent
    }

    /// Why `name` cannot be saved, in one sentence, or nil.
    func problem(saving name: String, changes: [Override]) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "Give the variant a name." }
        if name.count > 200 || name.contains(where: { $0.isNewline }) { return "Give the variant a name of one short line." }
        if changes.isEmpty { return "Nothing is changed from the scenario: change a value or a risk first." }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let existing = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "\(path) exists but cannot be read as a workshop variants file; it is left as it is."
        }
        guard existing.hasPrefix(VariantsFile.header) else {
            return "\(path) exists and was not written by the workshop; it is left as it is. Move it, or save under another scenario."
        }
        if let variants = try? ScenarioLoader.variants(yaml: existing, file: path),
           variants.contains(where: { $0.name == name }) {
            return "A variant called “\(name)” is already saved in \(path); choose another name."
        }
        return nil
    }

    /// The YAML of one variant, as appended to the file.
    static func entry(name: String, changes: [Override]) -> String {
        var text = "  - name: \(quoted(name))\n    set:\n"
        for change in changes { text += "      \(quoted(change.path)): \(quoted(change.value))\n" }
        return text
    }

    /// The file's beginning, written when it does not exist yet.
    var opening: String {
        """
        \(VariantsFile.header)
        # Each variant is a set of changes tried in a workshop; run them beside the scenario with
        #   crmcase compare \(path)
        base: \(VariantsFile.quoted(base))

        variants:

        """
    }

    /// Appends a variant (creating the file with its opening when needed).
    func append(name: String, changes: [Override]) throws {
        let entry = VariantsFile.entry(name: name, changes: changes)
        if FileManager.default.fileExists(atPath: path) {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(entry.utf8))
        } else {
            try AtomicFile.write(Data((opening + entry).utf8), to: path)
        }
    }

    /// A YAML double-quoted scalar: every value reads back as the exact text.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
