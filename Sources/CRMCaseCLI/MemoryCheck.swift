import ArgumentParser
import MonteCarlo

/// Refuses, before anything is allocated, a run whose per-trial storage would not fit in the
/// memory available (``MemoryBudget``): prints one sentence naming the estimate, the memory and
/// `option`, and ends with exit code 64, since a smaller option value is the fix.
func checkMemory(_ estimate: Double, what: String, option: String) throws {
    let available = MemoryBudget.availableBytes()
    if let problem = MemoryBudget.problem(estimate: estimate, available: available, what: what, option: option) {
        printError("error: \(problem)")
        throw ExitCode.validationFailure
    }
}
