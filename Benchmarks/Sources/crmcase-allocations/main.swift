import CRMModel
import Foundation
import MallocInterposerSwift
import MonteCarlo
import ScenarioFormat

// Heap allocations of the engine's main loop: runs SCENARIO with the engine at two trial counts
// on one thread, counting every malloc, calloc, realloc and aligned allocation (malloc-interposer
// linked into this executable, no LD_PRELOAD), and prints the allocations of each run and the
// difference per trial. A run allocates a fixed set-up (the per-trial store, one workspace per
// worker) whatever the number of trials, so the difference per trial is the loop's own.
//
// usage: crmcase-allocations SCENARIO [SMALL [LARGE]]   (default 2 560 and 25 600 trials)
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: crmcase-allocations SCENARIO [SMALL [LARGE]]\n".data(using: .utf8)!)
    exit(2)
}
let small = arguments.count > 2 ? Int(arguments[2]) ?? 2_560 : 2_560
let large = arguments.count > 3 ? Int(arguments[3]) ?? 25_600 : 25_600
let scenario = try ScenarioLoader.load(path: arguments[1]).scenario
let model = TrialModel(scenario: scenario)

MallocInterposerSwift.initialize()
func allocations(trials: Int) -> Int {
    let options = Engine.Options(trials: trials, seed: 1, threads: 1, bandTrials: 1)
    // A first run warms up everything that allocates once per process (GSL, Dispatch's pool).
    _ = Engine(model: model, options: Engine.Options(trials: 256, seed: 1, threads: 1, bandTrials: 1)).run()
    MallocInterposerSwift.reset()
    MallocInterposerSwift.hook()
    let result = Engine(model: model, options: options).run()
    MallocInterposerSwift.unhook()
    withExtendedLifetime(result) {}
    return MallocInterposerSwift.getStatistics().mallocCount
}
let atSmall = allocations(trials: small)
let atLarge = allocations(trials: large)
let perTrial = Double(atLarge - atSmall) / Double(large - small)
print("allocations, \(small) trials: \(atSmall)")
print("allocations, \(large) trials: \(atLarge)")
// A set-up that happens to allocate once fewer in the larger run (a dictionary growing at another
// moment) gives −1/23 040: shown as 0, since a per-trial allocation would be a whole +1 per trial.
print("allocations per trial: \(String(format: "%.4f", abs(perTrial) < 0.00005 ? 0 : perTrial))")
