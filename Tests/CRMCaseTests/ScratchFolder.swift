import Foundation
import Testing

/// A fresh temporary folder to run the built `crmcase` in (CLIProcess.swift), removed
/// afterwards; with what the tests of whole runs ask of it: files written into it, every file
/// it holds, and staging left behind.
final class ScratchFolder {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "scratch") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `data` as `name` (folders above it are created).
    func write(_ name: String, _ data: Data) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    /// Copies the example `Scenarios/<example>` into the folder as `name`.
    func copyExample(_ example: String, as name: String) throws {
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Scenarios/\(example)"),
                                         to: url.appendingPathComponent(name))
    }

    /// Every file under `sub` (hidden ones too) by its path relative to `sub`, with its bytes;
    /// a folder is listed as `name/` with no bytes, so that an empty one shows. Empty when
    /// `sub` does not exist.
    func contents(_ sub: String = "") -> [String: Data] {
        let base = sub.isEmpty ? url : url.appendingPathComponent(sub)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [:] }
        var files: [String: Data] = [:]
        while let relative = enumerator.nextObject() as? String {
            let full = base.appendingPathComponent(relative).path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else { continue }
            files[isFolder.boolValue ? relative + "/" : relative] = isFolder.boolValue
                ? Data() : (FileManager.default.contents(atPath: full) ?? Data())
        }
        return files
    }

    /// Names in the folder that look like staging (`.NAME.tmp-PID`, `.NAME.old.tmp-PID`).
    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.contains(".tmp-") }.sorted()
    }

    /// Runs the built `crmcase` with `arguments` in this folder.
    func crmcase(_ arguments: [String], environment: [String: String] = [:],
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        let binary = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing), sourceLocation: sourceLocation)
        return try CLI.run(binary, arguments, in: url, environment: environment)
    }

    /// Starts the built `crmcase` with `arguments` in this folder, without waiting.
    func start(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Running {
        let binary = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing), sourceLocation: sourceLocation)
        return try CLI.start(binary, arguments, in: url)
    }
}
