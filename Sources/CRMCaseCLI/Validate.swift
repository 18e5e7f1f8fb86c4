import ArgumentParser
import CRMModel
import ScenarioFormat
import UseCases

extension CRMCase {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario file and explain every problem in it.",
            discussion: """
            Prints each problem as FILE:LINE:COLUMN: what is wrong, and what to write instead. \
            When the file is fine, lists what each uncertain input became: its distribution \
            family and parameters, mean, 5th and 95th percentile. \
            Exits with 0 when the file is fine and 1 when it is not.

            Example:
              crmcase validate Scenarios/b2b-distributor.yaml
            """
        )

        @Argument(help: "The scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        func run() throws {
            do throws(ScenarioErrors) {
                let loaded = try ScenarioLoader.load(path: scenario, overrides: changes.overrides)
                // The checks `compare` makes: each variant applied and read like a scenario.
                let variantProblems = ScenarioLoader.variantIssues(path: scenario, overrides: changes.overrides,
                                                                   variants: loaded.variants)
                if !variantProblems.isEmpty { throw ScenarioErrors(variantProblems) }
                let s = loaded.scenario
                let uncertain = s.inputs.filter { !$0.distribution.isFixed }.count
                print(TerminalText.escaped("\(scenario): OK — “\(s.name)”, \(s.horizon) months, \(s.segments.count) segment\(s.segments.count == 1 ? "" : "s"), "
                      + "\(s.costs.count) cost line\(s.costs.count == 1 ? "" : "s"), \(s.benefits.count) benefit line\(s.benefits.count == 1 ? "" : "s"), "
                      + "\(s.risks.count) risk\(s.risks.count == 1 ? "" : "s"), \(uncertain) uncertain input\(uncertain == 1 ? "" : "s")."))
                // What each uncertain input became, so a user sees e.g. that `0% to 30%` is a
                // beta that stays within 0…100 %, not a normal.
                let explained = InputExplanation.lines(for: s)
                if !explained.isEmpty {
                    print("What each uncertain input became (family, mean, 5th and 95th percentile):")
                    for line in explained { print("  " + TerminalText.escaped(line)) }
                }
            } catch {
                throw CaseFailure.allProblems(error)
            }
        }
    }
}
