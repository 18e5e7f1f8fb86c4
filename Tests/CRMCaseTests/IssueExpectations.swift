import Testing
import ScenarioFormat

/// Checks that `issues` hold one at `line` (and `column`) in `file` whose message mentions every
/// word of `message` and whose hint mentions every word of `hint`, and returns it. Shared by the
/// scenario and actuals error tests.
@discardableResult
func expectIssue(
    _ issues: [ScenarioIssue], file: String, line: Int, column: Int? = nil, message words: [String], hint: [String]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ScenarioIssue? {
    let candidates = issues.filter { $0.line == line && (column == nil || $0.column == column) }
    guard let issue = candidates.first(where: { i in words.allSatisfy { i.message.localizedCaseInsensitiveContains($0) } })
            ?? candidates.first else {
        Issue.record("No issue at line \(line)\(column.map { ", column \($0)" } ?? ""); got:\n\(issues.map(\.description).joined(separator: "\n"))",
                     sourceLocation: sourceLocation)
        return nil
    }
    #expect(issue.file == file, sourceLocation: sourceLocation)
    for word in words {
        #expect(issue.message.localizedCaseInsensitiveContains(word), "message “\(issue.message)” should mention “\(word)”",
                sourceLocation: sourceLocation)
    }
    if let hint {
        guard let text = issue.hint else {
            Issue.record("“\(issue.message)” has no hint", sourceLocation: sourceLocation)
            return issue
        }
        for word in hint {
            #expect(text.localizedCaseInsensitiveContains(word), "hint “\(text)” should mention “\(word)”", sourceLocation: sourceLocation)
        }
    }
    return issue
}
