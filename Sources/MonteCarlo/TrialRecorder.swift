import CRMModel

/// Keeps `width` numbers of every trial beyond the standard outcomes: `record` reads them
/// from the trial's workspace into the trial's row. It runs on the worker threads, so it must
/// only read the workspace and write the row it is given.
public struct TrialRecorder: Sendable {
    public let width: Int
    public let record: @Sendable (TrialWorkspace, UnsafeMutableBufferPointer<Double>) -> Void

    public init(width: Int, record: @escaping @Sendable (TrialWorkspace, UnsafeMutableBufferPointer<Double>) -> Void) {
        self.width = width
        self.record = record
    }
}
