import Dispatch

/// Numbers computed on all cores: for the checks and tables a scenario's distributions need
/// before the first trial (thousands of iterative beta and gamma quantiles, tens of
/// milliseconds each distribution), which would otherwise hold up every command on one core.
enum ParallelValues {
    /// `[body(0), body(1), …, body(count − 1)]`, computed in chunks of `chunk` on all cores.
    /// Each value is computed exactly as a loop would compute it, so the result never depends on
    /// the number of cores; `body` must only read shared state.
    static func map(_ count: Int, chunk: Int = 64, _ body: @Sendable (Int) -> Double) -> [Double] {
        guard count > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!)
            let chunks = (count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for k in (c * chunk)..<Swift.min(count, (c + 1) * chunk) { (slots.base + k).initialize(to: body(k)) }
            }
            initialized = count
        }
    }

    /// The result's memory, shared by the workers: each chunk writes its own slots only.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
    }
}
