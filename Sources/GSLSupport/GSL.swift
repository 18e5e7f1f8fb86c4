import CGSL

/// Process-wide set-up of the GNU Scientific Library.
///
/// GSL's default error handler calls `abort()`, which would turn a bad input (say, a
/// quantile asked for outside 0…1) into a crash. `GSL.prepare()` switches the handler off
/// once, so every GSL call reports through its return status instead, which this module
/// turns into a ``GSLError``. Every entry point of this module calls it, so callers never
/// have to remember; calling it again is free.
public enum GSL {
    private static let handlerOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Turns GSL's aborting error handler off (once per process; thread-safe).
    @inline(__always)
    public static func prepare() {
        _ = handlerOff
    }

    /// The version of the GSL library the program is linked against, e.g. "2.7.1".
    public static var version: String {
        String(cString: crmcase_gsl_version())
    }
}

/// A failure reported by a GSL routine, as a value rather than an abort.
public struct GSLError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The GSL status code (`GSL_EDOM`, `GSL_EMAXITER`, …).
    public let status: Int32
    /// What was being computed, in words a reader of an error message understands.
    public let context: String

    public init(status: Int32, context: String) {
        self.status = status
        self.context = context
    }

    public var description: String {
        let reason = String(cString: gsl_strerror(status))
        return "\(context): \(reason)"
    }
}
