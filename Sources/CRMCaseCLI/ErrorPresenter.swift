import ArgumentParser
import Foundation
import ScenarioFormat
import UseCases

/// The one place where an error that ends a command becomes its message on standard error and
/// its exit code (as swift-argument-parser's `MessageInfo` does for command-line mistakes).
///
/// Exit codes, as documented in `crmcase --help`: 0 done; 1 an input file has problems;
/// 2 the report or output could not be written; 64 the command line is wrong (a bad option,
/// a value beyond a limit, a run too large for the memory, a folder that can never be a report
/// folder).
enum ErrorPresenter {
    static let badInput: Int32 = 1
    static let cannotWrite: Int32 = 2
    static let commandLine: Int32 = ExitCode.validationFailure.rawValue

    /// The message (without a trailing newline; empty for none) and the exit code for `failure`.
    static func present(_ failure: CaseFailure) -> (message: String, code: Int32) {
        switch failure {
        case .inputProblems(let errors, let validate):
            return (firstProblem(errors, validate: validate), badInput)
        case .allProblems(let errors):
            let count = errors.issues.count
            let list = errors.issues.map(\.description) + ["\(count) problem\(count == 1 ? "" : "s") found."]
            return (list.joined(separator: "\n"), badInput)
        case .unusableInput(let sentence):
            return ("error: \(sentence)", badInput)
        case .tooLarge(let sentence):
            return ("error: \(sentence)", commandLine)
        case .cannotWrite(let error):
            return ("error: \(error.description)", error.isCommandLineMistake ? commandLine : cannotWrite)
        }
    }

    /// The first problem of an input file as one `error:` line, and how many more there are.
    ///
    /// - Parameter validate: the scenario file whose `crmcase validate` lists them all, if any.
    static func firstProblem(_ errors: ScenarioErrors, validate: String?) -> String {
        guard let first = errors.issues.first else { return "error: the input has problems." }
        var text = "error: \(first)"
        guard errors.issues.count > 1 else { return text }
        text += "\n(and \(errors.issues.count - 1) more problem\(errors.issues.count == 2 ? "" : "s")"
        if let validate { text += "; `crmcase validate \(validate)` lists them all" }
        return text + ")"
    }

    /// Ends the process for `error`: a ``CaseFailure`` with its message and code, anything
    /// else (help, a command-line mistake, an `ExitCode`) as swift-argument-parser does.
    static func exit(with error: Error) -> Never {
        if let failure = error as? CaseFailure {
            let (message, code) = present(failure)
            if !message.isEmpty { printError(message) }
            Foundation.exit(code)
        }
        CRMCase.exit(withError: error)
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
