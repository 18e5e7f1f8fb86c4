import ArgumentParser
import CRMModel
import Foundation
import MonteCarlo
import ScenarioFormat
import Tracking
import UseCases

extension CRMCase {
    struct SynthesizeActuals: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synthesize-actuals",
            abstract: "Print illustrative actuals: one simulated future of the scenario, as if measured.",
            discussion: """
            Picks, among 2,000 simulated futures, the one whose NPV sits at --percentile of them \
            (50 = a typical future, 25 = a disappointing one), and prints its first --months months \
            (at most the scenario's horizon) as a long-form actuals CSV (month,metric,segment,value) \
            that `crmcase track` reads: active users, licence cost, other costs and contribution \
            margin, customers, customers lost and won per segment, and the survivors of each \
            segment's month-0 customers (cohort_survivors, from month 0). Written to standard output, \
            or with --out to a file. Useful to rehearse a follow-up before real figures exist; the \
            file's first lines (# comments) mark it as illustrative, but keep it apart from real actuals.

            Examples:
              crmcase synthesize-actuals Scenarios/car-dealership.yaml --percentile 25
              crmcase synthesize-actuals Scenarios/b2b-distributor.yaml --months 6
              crmcase synthesize-actuals Scenarios/car-dealership.yaml --out /tmp/a.csv
            """
        )

        @Argument(help: "The scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        @Option(name: .long, help: "Months of figures, from month 1 (at most the scenario's horizon).")
        var months: Int = 12

        @Option(name: .long, help: "Which future: its NPV percentile among 2,000 simulated ones (1–99).")
        var percentile: Int = 50

        @Option(name: .long, help: "Random seed of the simulated futures.")
        var seed: UInt64 = 1

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        func validate() throws {
            guard (1...99).contains(percentile) else { throw ValidationError("--percentile must be between 1 and 99.") }
            guard months >= 1 else { throw ValidationError("--months must be at least 1.") }
        }

        func run() throws {
            let loaded = try changes.load(scenario)
            let model = TrialModel(scenario: loaded.scenario)
            let result = Engine(model: model, options: .init(trials: 2000, seed: seed)).run()
            var order = Array(0..<result.trials)
            order.sort { result.perTrial.npv($0) < result.perTrial.npv($1) }
            let trial = order[min(order.count - 1, (order.count * percentile) / 100)]
            let (actuals, _) = SyntheticActuals.generate(model: model, seed: seed, trial: trial, months: months)
            let text = SyntheticActuals.csv(actuals, scenario: loaded.scenario, note: [
                "ILLUSTRATIVE ACTUALS — not measured figures.",
                "Drawn by `crmcase synthesize-actuals` from \(scenario): the simulated future at the \(percentile)th NPV percentile",
                "of 2,000 (seed \(seed)), months 1–\(months), to rehearse the follow-up. Replace with real figures when they exist.",
            ])
            if let out {
                SignalCleanup.install()
                do {
                    try AtomicFile.write(text, to: out)
                } catch {
                    throw CaseFailure.cannotWrite(error)
                }
            } else {
                try StandardOutput.write(text, what: "the actuals")
            }
        }
    }
}
