import ArgumentParser
import Foundation
import UseCases

/// Standard output written directly, so that a failure (a full disk, a closed file) is seen.
enum StandardOutput {
    /// Writes `text` to standard output; on an error prints one sentence naming `what` and ends
    /// the command with the "cannot write" exit code. A reader that went away (a closed pipe,
    /// e.g. `| head`) simply ends the command.
    static func write(_ text: String, what: String) throws {
        var failure: Int32 = 0
        Array(text.utf8).withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == EPIPE { throw ExitCode.success }
        if failure != 0 {
            throw CaseFailure.cannotWrite(ReportFolder.WriteError(
                description: "\(what) could not be written to standard output (\(String(cString: strerror(failure)))).",
                isCommandLineMistake: false))
        }
    }
}
