import Foundation
import Testing

/// Shell completion (swift-argument-parser's `--generate-completion-script`): scenario files,
/// actuals files and the common `--set` paths, each of which a scenario accepts.
@Suite("Shell completion")
struct CompletionTests {
    /// The paths the completion offers after `--set`, with a value each takes on the B2B example.
    static let paths: [(String, String)] = [
        ("discount_rate", "9%"), ("horizon", "72"), ("licences.seats", "30"), ("licences.price", "500"),
        ("licences.escalation", "3%"), ("adoption.go_live", "6"), ("adoption.ceiling", "70%"),
        ("acquisition.new_customers", "20"), ("acquisition.win_rate_uplift", "5%"), ("acquisition.cost_per_customer", "1000"),
    ]

    @Test("The bash, zsh and fish scripts complete YAML scenarios, CSV actuals and the common --set paths")
    func scripts() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLI.run(crmcase, ["--generate-completion-script", shell], in: CLI.packageRoot)
            #expect(result.status == 0, "\(shell): \(result.stderr)")
            #expect(result.stdout.contains("yaml") && result.stdout.contains("csv"), "\(shell): file kinds")
            for (path, _) in Self.paths { #expect(result.stdout.contains("\(path)="), "\(shell): \(path)=") }
        }
    }

    @Test("Every --set path the completion offers is a setting the scenario format accepts")
    func pathsAreSettings() throws {
        let crmcase = try #require(CLI.binary(), Comment(rawValue: CLI.binaryMissing))
        for (path, value) in Self.paths {
            let result = try CLI.run(crmcase, ["validate", "Scenarios/b2b-distributor.yaml", "--set", "\(path)=\(value)"], in: CLI.packageRoot)
            #expect(result.status == 0, "--set \(path)=\(value): \(result.stdout)\(result.stderr)")
        }
    }
}
