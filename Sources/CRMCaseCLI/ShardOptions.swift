import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

/// `--shard K/N` of `run`, `compare` and `sweep`: compute one range of the trials and write it as
/// a shard (``ShardRun``) instead of a report.
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Compute only shard K of N (K from 0 to N−1) and write it to --out (default Shards/<scenario file name>); `crmcase merge` then writes the report of the whole.",
        valueName: "K/N"))
    var shard: String?

    /// `--shard K/N` as numbers for a run of `trials` trials, nil without it.
    func place(trials: Int) throws -> (k: Int, n: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(k) else {
            throw ValidationError("--shard \(TerminalText.escaped(shard)): write it as K/N with 0 ≤ K < N, e.g. --shard 0/4 … --shard 3/4.")
        }
        guard n <= (trials + 255) / 256 else {
            throw ValidationError("--shard \(shard): \(Limits.grouped(trials)) trials make \((trials + 255) / 256) blocks of 256, so at most that many shards.")
        }
        return (k, n)
    }
}

/// Writes shard `k` of `n` (its files from ``ShardRun/files(for:shard:of:progress:)``: the
/// manifest first) into `folder`, and says so.
func writeShard(_ files: [(name: String, contents: FilePieces)], to folder: String, shard k: Int, of n: Int, trials: Int) throws {
    SignalCleanup.install()
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw CaseFailure.unusableInput("The shard folder \(folder) could not be made: \(error.localizedDescription)")
    }
    // The tables first, then the manifest that vouches for them: a kill in between leaves no
    // manifest, so the merge says the shard is missing rather than reading half of one.
    for (name, data) in files.reversed() {
        do {
            try AtomicFile.write(data, to: (folder as NSString).appendingPathComponent(name))
        } catch {
            throw CaseFailure.cannotWrite(error)
        }
    }
    let range = TrialTable.blockAlignedRange(shard: k, of: n, trials: trials)
    print("Wrote shard \(k) of \(n) (trials \(range.lowerBound)–\(range.upperBound - 1)) to \(folder)/\(files[0].name).")
}
