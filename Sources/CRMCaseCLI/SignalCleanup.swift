import Dispatch
import Foundation
import UseCases

/// On SIGINT (Ctrl-C) or SIGTERM, removes the staging folder or temporary file being written,
/// then ends the process as the signal would have: an interrupted run leaves neither half a
/// report nor a stray `.NAME.tmp-PID` folder. While a file is being written or the old and new
/// reports are being swapped, the signal waits for that step to finish.
enum SignalCleanup {
    /// Installs the handlers, once; later calls do nothing.
    static func install() {
        _ = sources
    }

    /// The signal sources, kept for the life of the process (a released source stops).
    nonisolated(unsafe) private static let sources: [DispatchSourceSignal] = [SIGINT, SIGTERM].map { number in
        // The default action would end the process at once; the source runs instead.
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            ReportFolder.abandonStaging {
                signal(number, SIG_DFL)
                // libdispatch reads signals with every thread blocking them, so a signal sent to
                // the process would stay pending (or be read by the source again) while the
                // writer, finding its staging gone, exits with an error. Unblocked in this
                // thread and raised here, it ends the process at once, as the signal would have.
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, number)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(number)
            }
        }
        source.resume()
        return source
    }
}
