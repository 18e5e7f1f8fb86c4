import ArgumentParser
import CRMModel
import ScenarioFormat

extension CRMCase {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario file and explain every problem in it.",
            discussion: """
            Prints each problem as FILE:LINE:COLUMN: what is wrong, and what to write instead. \
            Exits with 0 when the file is fine and 1 when it is not.

            Example:
              crmcase validate Scenarios/b2b-distributor.yaml
            """
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        func run() throws {
            do {
                let loaded = try ScenarioLoader.load(path: scenario, overrides: changes.overrides)
                let s = loaded.scenario
                let uncertain = s.inputs.filter { !$0.distribution.isFixed }.count
                print("\(scenario): OK — “\(s.name)”, \(s.horizon) months, \(s.segments.count) segment\(s.segments.count == 1 ? "" : "s"), "
                      + "\(s.costs.count) cost line\(s.costs.count == 1 ? "" : "s"), \(s.benefits.count) benefit line\(s.benefits.count == 1 ? "" : "s"), "
                      + "\(s.risks.count) risk\(s.risks.count == 1 ? "" : "s"), \(uncertain) uncertain input\(uncertain == 1 ? "" : "s").")
            } catch {
                for issue in error.issues { printError(issue.description) }
                printError("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found.")
                throw Exit.badScenario
            }
        }
    }
}
