import ArgumentParser
import CRMModel

/// Checks of command-line numbers against ``Limits``, for the commands' `validate()`: a value
/// out of range is refused with one sentence and exit code 64 before any work starts, instead
/// of trapping or exhausting memory part-way through a run.
enum CommandLineLimits {
    /// A number of trials (`--trials`, `--max-trials`): 1 … ``Limits/trials``.
    static func trials(_ value: Int, option: String = "--trials") throws {
        guard value >= 1 else { throw ValidationError("\(option) must be at least 1.") }
        guard value <= Limits.trials else {
            throw ValidationError("\(option) \(value) is above the limit of \(Limits.grouped(Limits.trials)) trials per run.")
        }
    }

    /// A re-forecast population (`track --particles`): ``Limits/minimumParticles`` … ``Limits/particles``.
    static func particles(_ value: Int) throws {
        guard value >= Limits.minimumParticles else {
            throw ValidationError("--particles must be at least \(Limits.minimumParticles).")
        }
        guard value <= Limits.particles else {
            throw ValidationError("--particles \(value) is above the limit of \(Limits.grouped(Limits.particles)) particles.")
        }
    }
}
