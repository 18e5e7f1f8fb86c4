import ArgumentParser
import CRMModel
import Foundation
import Tabular
import MonteCarlo
import ReportBuilders
import ScenarioFormat
import UseCases

/// The `crmcase` command.
public struct CRMCase: ParsableCommand {
    public static let version = Provenance.toolVersion

    public static let configuration = CommandConfiguration(
        commandName: "crmcase",
        abstract: "Turn a CRM investment scenario into a probabilistic business case.",
        discussion: """
        A scenario file (YAML) describes licences, adoption, costs, customer segments and risks; any \
        number in it may be uncertain. `crmcase run` simulates many possible futures (Monte Carlo) and \
        writes a report for decision makers: expected NPV and its range, the chance of losing money, \
        payback, customer lifetime value per segment, and what each risk does to the result.

        Examples:
          crmcase validate Scenarios/car-dealership.yaml
          crmcase run Scenarios/car-dealership.yaml
          crmcase run Scenarios/car-dealership.yaml --trials 100000 --seed 7
          crmcase run Scenarios/subscription-churn.yaml --out /tmp/subs

        A report folder is replaced as a whole, so crmcase only replaces a folder it wrote (one \
        holding its .crmcase-report marker file), never the working folder, one above it or one \
        holding an input.

        Exit codes: 0 done; 1 the scenario (or actuals) file has problems (each is printed with its \
        line); 2 the report (or output) could not be written; 64 the command line itself is wrong (including a value \
        beyond a limit, e.g. more than 1,000,000,000 trials).

        The file format is described in docs/SCENARIO-FORMAT.md, the model in docs/MODEL.md.
        """,
        version: version,
        subcommands: [Init.self, Schema.self, Run.self, Merge.self, Slurm.self, Validate.self, Track.self, Compare.self, Sweep.self, Workshop.self, SynthesizeActuals.self]
    )

    public init() {}

    /// Parses the command line, runs the command, and hands every error that ends it to
    /// ``ErrorPresenter``, the one place that turns errors into messages and exit codes.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            ErrorPresenter.exit(with: error)
        }
    }
}

/// The options every simulating command shares: how the futures are drawn and on how many threads.
struct SimulationOptions: ParsableArguments {
    @Option(name: .long, help: "Random seed; the same seed gives the same report.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Worker threads (default: one per core). Does not change any result.")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp(
        "How customer counts are drawn: fast (crmcase's exact samplers) or gsl (GSL's, the reference). Both are exact; the same seed gives different trials under each, and the report's footer names the one used.",
        valueName: "fast|gsl"))
    var sampler: CountSampler = .fast

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }
}

/// `--set path=value`, which every command that reads a scenario takes.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Change one value for this run, e.g. --set licences.seats=60 --set adoption.ceiling=\"70% to 95%\". Repeatable.",
        valueName: "path=value"), completion: .list(ScenarioOptions.commonPaths))
    var assignments: [String] = []

    /// The settings a shell completes after `--set` (those without a segment, cost or risk name
    /// in them; `docs/SCENARIO-FORMAT.md` lists every path).
    static let commonPaths = ["discount_rate=", "horizon=", "licences.seats=", "licences.price=", "licences.escalation=",
                              "adoption.go_live=", "adoption.ceiling=", "acquisition.new_customers=",
                              "acquisition.win_rate_uplift=", "acquisition.cost_per_customer="]

    /// The changes, in the order given.
    var overrides: [Override] { assignments.compactMap { Override.parse($0) } }

    /// The scenario at `path` with these changes (and `extra` ones after them).
    func load(_ path: String, extra: [Override] = []) throws(CaseFailure) -> LoadedScenario {
        try ScenarioLoading.load(path, overrides: overrides + extra)
    }

    func validate() throws {
        for text in assignments {
            guard let change = Override.parse(text) else {
                throw ValidationError("--set \(TerminalText.escaped(text)): write it as path=value, e.g. --set licences.seats=60.")
            }
            if let problem = Override.sizeProblem(change.path) { throw ValidationError("--set: \(problem)") }
        }
    }
}

extension Sampling: ExpressibleByArgument {}
extension CountSampler: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}

/// `--csv-dialect`, which every command that writes a report takes.
struct CSVOptions: ParsableArguments {
    @Option(name: .customLong("csv-dialect"), help: ArgumentHelp(
        "How the CSV files are spelt: rfc4180 (commas, decimal point; for scripts and an English Excel), excel-da or excel-nb (semicolons, decimal comma, a byte-order mark: what a Danish or Norwegian Excel opens directly). Every number keeps all its digits.",
        valueName: "dialect"))
    var dialect: CSVDialect = .rfc4180
}

/// For `validate()`: refuses, with exit code 64, an `--out` that can never be a report folder
/// (empty, `.`, `..`, `/`, above the working folder, or holding one of `inputs`).
func validateReportFolder(_ out: String?, inputs: [String]) throws {
    guard let out, let problem = ReportTarget.choiceProblem(out, inputs: inputs) else { return }
    throw ValidationError(problem)
}

/// Checks, before any simulation, that a report may be written to `folder` (it is not someone
/// else's folder, a file or read-only).
func checkReportFolder(_ folder: String, inputs: [String]) throws(CaseFailure) {
    do {
        _ = try ReportTarget(folder, inputs: inputs)
    } catch {
        throw .cannotWrite(error)
    }
}

/// Writes a report folder at once (with its Excel workbook), with the clean-up of a staging
/// folder on a signal.
/// Returns the names of the files written.
@discardableResult
func writeReport(_ files: [(name: String, contents: String)], to folder: String, inputs: [String],
                 csv: CSVOptions) throws(CaseFailure) -> [String] {
    SignalCleanup.install()
    do {
        return try ReportFolder.writeReport(files, dialect: csv.dialect, to: folder, inputs: inputs)
    } catch {
        throw .cannotWrite(error)
    }
}
