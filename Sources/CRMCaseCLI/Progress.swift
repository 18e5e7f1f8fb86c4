import ArgumentParser
import Foundation
import Synchronization

/// `--quiet`, shared by every command that simulates for long (`run`, `compare`, `sweep`,
/// `track`), so the flag reads and behaves the same everywhere.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress indicator.")
    var quiet = false

    /// Whether to draw progress: never with --quiet, and only when standard error is a terminal,
    /// so that a log file or a pipe gets nothing on standard error but errors.
    var shows: Bool { !quiet && isatty(STDERR_FILENO) == 1 }

    /// A progress line for `total` trials, or nil when no progress is to be drawn.
    func line(total: Int, label: String = "running trials") -> ProgressLine? {
        shows ? ProgressLine(total: total, label: label) : nil
    }

    /// Draws `text` alone on the progress line (a step with no count, e.g. the re-forecast).
    func status(_ text: String) {
        guard shows else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Clears the progress line, so the command's own output starts on a clean line.
    func clear() {
        guard shows else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// A one-line progress indicator on standard error, redrawn at most five times a second.
/// `label` says what is running, e.g. which option of how many.
final class ProgressLine: Sendable {
    private let total: Int
    private let label: String
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(total: Int, label: String = "running trials") {
        self.total = total
        self.label = label
    }

    @Sendable func update(_ done: Int) {
        let now = ContinuousClock.now
        let due = last.withLock { previous -> Bool in
            if let previous, now - previous < .milliseconds(200), done < total { return false }
            previous = now
            return true
        }
        guard due else { return }
        let share = Double(done) / Double(max(total, 1))
        let text = "\r\u{1B}[K\(label): " + String(format: "%3.0f%% (%d of %d)", share * 100, done, total)
        FileHandle.standardError.write(Data(text.utf8))
    }
}
