import Benchmark
import CRMModel
import Foundation
import GSLSupport
import MonteCarlo
import ScenarioFormat

// The engine's main loop on the example scenario: one benchmark iteration is a whole engine run
// of N trials on one thread. `mallocCountTotal` is the same for every N — the fixed set-up (the
// per-trial store, one workspace per worker) — so a trial allocates nothing; wall clock and
// throughput give the speed. Run from the repository root:
//   swift package --package-path Benchmarks --scratch-path .build-bench benchmark
let scenarioPath: String = {
    // The benchmark runs from the package folder (Benchmarks/) or the repository root.
    let candidates = ["../Scenarios/car-dealership.yaml", "Scenarios/car-dealership.yaml"]
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
}()

let benchmarks: @Sendable () -> Void = {
    let model: TrialModel
    do {
        model = TrialModel(scenario: try ScenarioLoader.load(path: scenarioPath).scenario)
    } catch {
        fatalError("cannot load \(scenarioPath): \(error)")
    }
    for trials in [1_000, 10_000] {
        Benchmark(
            "Main loop, car-dealership, \(trials) trials, 1 thread",
            configuration: .init(
                // No memory metric: its sampling thread allocates while the run lasts, which
                // would show up in the malloc count of the longer run.
                metrics: [.wallClock, .throughput, .mallocCountTotal],
                warmupIterations: 1,
                maxDuration: .seconds(10),
                maxIterations: 10
            )
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                let options = Engine.Options(trials: trials, seed: 1, threads: 1, bandTrials: 1)
                blackHole(Engine(model: model, options: options).run().npv.mean)
            }
        }
    }
}
