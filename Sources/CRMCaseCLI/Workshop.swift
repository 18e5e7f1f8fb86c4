import ArgumentParser
import Dispatch
import Foundation
import UseCases
import Workshop

extension CRMCase {
    struct Workshop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a live what-if page for a workshop: every change re-simulates the case.",
            discussion: """
            Starts a small web server on this machine and prints the address to open. The page shows \
            the verdict, the NPV distribution and the cumulative cash of the scenario, with controls for \
            the inputs that move the NPV most and a switch for each risk event. Every change simulates \
            the whole case again on the same seed, so it and the scenario as written share their luck: \
            the page shows the new result beside the baseline (Δ NPV with its 95 % error, Δ chance of a \
            loss) and keeps the history of what was tried. "Save as variant" adds the current settings \
            to <scenario>.workshop.variants.yaml beside the scenario (which crmcase compare runs); \
            "Write report" writes the full report folder, as crmcase run --set … does. The scenario file \
            itself is never changed.

            The server listens on 127.0.0.1 (this machine only) unless --host names another address; \
            then the printed address carries a token that every request must have. Stop it with Ctrl-C.

            Examples:
              crmcase workshop Scenarios/car-dealership.yaml
              crmcase workshop Scenarios/car-dealership.yaml --port 9000 --trials 5000
              crmcase workshop Scenarios/car-dealership.yaml --host 0.0.0.0
            """
        )

        @Argument(help: "Scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String

        @Option(name: .long, help: "Port to listen on (0: any free port; the address printed says which).")
        var port: Int = 8080

        @Option(name: .long, help: ArgumentHelp(
            "Address to listen on. The default, 127.0.0.1, is this machine only; another (e.g. 0.0.0.0) lets others on the network in, with a token in the address.",
            valueName: "address"))
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "Trials of each what-if when the page opens (the page can change it).")
        var trials: Int = 20_000

        @OptionGroup var simulation: SimulationOptions

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
            guard WorkshopRequest.trialRange.contains(trials) else {
                throw ValidationError("--trials must be from 1,000 to 1,000,000 for the workshop.")
            }
            guard !host.isEmpty, host.count < 256, !host.contains(where: { $0.isWhitespace }) else {
                throw ValidationError("--host must be an address such as 127.0.0.1 or 0.0.0.0.")
            }
        }

        func run() throws {
            try StandardOutput.write("Simulating the baseline of \(scenario) (\(trials) trials, with its sensitivity ranking) …\n",
                                     what: "The workshop's progress")
            let session = try WorkshopSession(scenarioFile: scenario, seed: simulation.seed, trials: trials,
                                              sampler: simulation.sampler, threads: simulation.threads)
            let token = WorkshopServer.isLoopback(host) ? nil : WorkshopServer.newToken()
            let server = WorkshopServer(session: session, host: host, port: port, token: token)
            let finished = DispatchSemaphore(value: 0)
            let failure = LockedError()
            Task.detached {
                do {
                    try await server.run { address in
                        try? StandardOutput.write("Workshop ready: open \(address) in a browser (Ctrl-C stops it).\n",
                                                  what: "The workshop's address")
                    }
                } catch {
                    failure.set(error)
                }
                finished.signal()
            }
            finished.wait()
            if let error = failure.get() {
                throw ValidationError("The workshop server could not listen on \(host):\(port) (\(error)). "
                    + "Is another program using the port? Try --port 0 for any free port.")
            }
        }
    }
}

/// An error handed from the server's task to the command's thread.
private final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ e: Error) { lock.lock(); error = e; lock.unlock() }
    func get() -> Error? { lock.lock(); defer { lock.unlock() }; return error }
}
