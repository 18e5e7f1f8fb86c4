import MonteCarlo

/// Refuses, before anything is allocated, a run whose per-trial storage would not fit in the
/// memory available (``MemoryBudget``).
public enum MemoryCheck {
    /// Throws ``CaseFailure/tooLarge(_:)`` naming the estimate (bytes), the memory and `option`
    /// (the command-line option whose smaller value is the fix).
    public static func require(_ estimate: Double, what: String, option: String) throws(CaseFailure) {
        let available = MemoryBudget.availableBytes()
        if let problem = MemoryBudget.problem(estimate: estimate, available: available, what: what, option: option) {
            throw .tooLarge(problem)
        }
    }

    /// Throws ``CaseFailure/tooLarge(_:)`` naming the estimate (bytes), the memory and `fix`
    /// (what to do instead, as a clause: "leave out …").
    public static func require(_ estimate: Double, what: String, fix: String) throws(CaseFailure) {
        let available = MemoryBudget.availableBytes()
        if let problem = MemoryBudget.problem(estimate: estimate, available: available, what: what, fix: fix) {
            throw .tooLarge(problem)
        }
    }
}
