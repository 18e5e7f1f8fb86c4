import ArgumentParser
import CRMModel
import Foundation
import ScenarioFormat
import Tracking
import UseCases

extension CRMCase {
    struct Track: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a business case with what really happened, and re-forecast it.",
            discussion: """
            Reads realized monthly figures (an actuals CSV file) and writes a follow-up report: \
            track.md (opens with the verdict and one chart per tracked figure, furthest off plan first), \
            track.html (the same as one self-contained page to open in a browser or print to PDF), \
            track.csv (every actual against its forecast, exact numbers) and one NAME.svg chart per \
            tracked figure (the forecast band, the actuals as points, the re-forecast after the last \
            month with actuals). It holds every actual against the forecast for its month, where it falls \
            among the simulated futures, a verdict, the calibration of the original case, and a re-forecast \
            that weights every simulated future by how likely it makes the actuals. An actual inside the forecast's central \
            half (P25–P75) is as expected. Outside it, costs, margin and counts with a forecast median of \
            at least 20 are judged by their deviation from the median in the survey's categories \
            (0–10 %, 10–25 %, more than 25 % worse or better); small counts, a median of 0 and adoption \
            by where the actual falls: worse/better than expected inside the forecast's P5–P95, far \
            worse/better outside it. Survivors of each segment's starting customers (metric \
            cohort_survivors) are fitted with the shifted-beta-geometric retention model.

            By default (no --actuals) the actuals are read from SCENARIO's folder as <scenario file name>.actuals.csv \
            and the report goes to Reports/<scenario file name>-follow-up/ (with --set, \
            Reports/<name>-what-if-<changes>-follow-up/). The actuals format is in docs/ACTUALS-FORMAT.md.

            Examples:
              crmcase track Scenarios/car-dealership.yaml
              crmcase track Scenarios/subscription-churn.yaml --out /tmp/follow-up
            """
        )

        @Argument(help: "The scenario file (YAML) of the business case.", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @OptionGroup var changes: ScenarioOptions

        @Option(name: .long, help: ArgumentHelp("The actuals file (CSV).", valueName: "file"), completion: .file(extensions: ["csv"]))
        var actuals: String?

        @Option(name: .long, help: "Number of simulated futures for the forecast.")
        var trials: Int = 20_000

        @Option(name: .long, help: "Population of the resample-move re-forecast, used when the actuals are informative.")
        var particles: Int = 4_000

        @OptionGroup var simulation: SimulationOptions
        @OptionGroup var csv: CSVOptions

        @Option(name: .long, help: ArgumentHelp("Report folder (default: Reports/<scenario file name>-follow-up).", valueName: "dir"))
        var out: String?

        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            try CommandLineLimits.trials(trials)
            try CommandLineLimits.particles(particles)
            try validateReportFolder(out, inputs: [scenario] + (actuals.map { [$0] } ?? []))
        }

        func run() throws {
            let loaded = try changes.load(scenario)
            let actualsPath = actuals ?? FollowUpRun.defaultActualsPath(scenario: scenario, baseName: loaded.baseName)
            let parsed = try FollowUpRun.actuals(at: actualsPath, for: loaded)
            try FollowUpRun.checkMemory(loaded, actuals: parsed, trials: trials, particles: particles)
            let folder = out ?? FollowUpRun.defaultFolder(loaded)
            try checkReportFolder(folder, inputs: [scenario, actualsPath])
            let files = FollowUpRun.files(loaded: loaded, scenarioFile: scenario, actuals: parsed, actualsFile: actualsPath,
                                          trials: trials, particles: particles, seed: simulation.seed,
                                          threads: simulation.threads, sampler: simulation.sampler,
                                          progress: progress.line(total: trials)?.update,
                                          reforecasting: { progress.status("re-forecasting with the actuals …") })
            progress.clear()
            let written = try writeReport(files.files, to: folder, inputs: [scenario, actualsPath], csv: csv)
            let charts = written.filter { $0.hasSuffix(".svg") }.count
            let others = written.filter { !$0.hasSuffix(".svg") }
            print("Wrote \(folder)/track.md (\(others.joined(separator: ", ")) and \(charts) chart\(charts == 1 ? "" : "s") as SVG).")
        }
    }
}

