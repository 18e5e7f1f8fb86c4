import Foundation

/// Why a correlation matrix, or a sample to correlate, cannot be used — in words for the
/// person who wrote the correlations. Inputs are named by the names given to
/// ``CorrelationMatrix/init(_:names:tolerance:)``.
public enum CorrelationIssue: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix has no rows.
    case empty
    /// The number of names differs from the number of rows.
    case nameCount(names: Int, rows: Int)
    /// A row has the wrong number of entries (`name` is the row's input).
    case notSquare(name: String, entries: Int, expected: Int)
    /// An entry is NaN or infinite.
    case notANumber(first: String, second: String)
    /// A diagonal entry (an input's correlation with itself) is not 1.
    case diagonalNotOne(name: String, value: Double)
    /// An entry lies outside −1…1.
    case outOfRange(first: String, second: String, value: Double)
    /// The entry for (first, second) differs from the one for (second, first).
    case asymmetric(first: String, second: String, value: Double, mirrored: Double)
    /// The correlations contradict each other (the matrix has a negative eigenvalue). `nearest`
    /// is the closest valid correlation matrix (in the Frobenius norm); `triple` names three
    /// inputs whose three correlations already cannot hold together, when there are such.
    case contradictory(smallestEigenvalue: Double, nearest: CorrelationMatrix, triple: [String]?)
    /// A sample to reorder has a different number of columns than the matrix has inputs.
    case columnCount(columns: Int, inputs: Int)
    /// A sample column has a different number of trials than the first column.
    case unequalColumns(name: String, trials: Int, expected: Int)
    /// Too few trials to induce the correlation.
    case tooFewTrials(trials: Int, needed: Int)
    /// The sample's columns are already perfectly rank-dependent, so the reordering has no
    /// independent variation to work with.
    case dependentSample

    public var description: String {
        switch self {
        case .empty:
            return "The correlation matrix is empty; it needs one row and one column per correlated input."
        case .nameCount(let names, let rows):
            return "The correlation matrix has \(rows) row\(rows == 1 ? "" : "s") but \(names) input name\(names == 1 ? " was" : "s were") given; "
                + "it needs one row and one column per input, in the order of the names."
        case .notSquare(let name, let entries, let expected):
            return "The row for “\(name)” in the correlation matrix has \(entries) number\(entries == 1 ? "" : "s"), "
                + "but the matrix has \(expected) rows; each row needs one number per input."
        case .notANumber(let first, let second):
            return "The correlation between “\(first)” and “\(second)” is not a number."
        case .diagonalNotOne(let name, let value):
            return "The correlation of “\(name)” with itself is \(Self.format(value)); an input always correlates "
                + "perfectly with itself, so the diagonal of the matrix must be 1."
        case .outOfRange(let first, let second, let value):
            return "The correlation between “\(first)” and “\(second)” is \(Self.format(value)); a correlation "
                + "lies between −1 (always moving in opposite directions) and 1 (always moving together)."
        case .asymmetric(let first, let second, let value, let mirrored):
            return "The correlation between “\(first)” and “\(second)” is given as \(Self.format(value)) in one place "
                + "and \(Self.format(mirrored)) in the mirrored place; it is one number, so the matrix must be symmetric."
        case .contradictory(let smallest, let nearest, let triple):
            var text = "These correlations contradict each other: no inputs can be correlated like this all at once"
            if let triple, triple.count == 3 {
                text += " (already the correlations among “\(triple[0])”, “\(triple[1])” and “\(triple[2])” cannot "
                    + "hold together: if two pairs move strongly together, the third pair cannot move strongly apart)"
            }
            text += ". Technically, the matrix is not positive semi-definite (its smallest eigenvalue is "
                + "\(Self.format(smallest))). "
            text += "The nearest set of correlations that can hold together"
            if let original = nearest.original {
                let changes = nearest.changes(from: original)
                if changes.isEmpty {
                    text += " differs only in the third decimal or beyond."
                } else {
                    text += " changes " + changes.map {
                        "“\($0.first)”–“\($0.second)” from \(Self.format($0.from)) to \(Self.format($0.to))"
                    }.joined(separator: ", ") + "."
                }
            } else {
                text += " is \(nearest)."
            }
            return text
        case .columnCount(let columns, let inputs):
            return "The sample has \(columns) column\(columns == 1 ? "" : "s") but the correlation matrix has \(inputs) "
                + "input\(inputs == 1 ? "" : "s"); each input needs one column."
        case .unequalColumns(let name, let trials, let expected):
            return "The sample of “\(name)” has \(trials) trial\(trials == 1 ? "" : "s") but the first column has "
                + "\(expected); every input needs one value per trial."
        case .tooFewTrials(let trials, let needed):
            return "Inducing these correlations needs at least \(needed) trials, but the sample has \(trials)."
        case .dependentSample:
            return "The inputs in the sample are already in lock-step (some are perfectly rank-correlated), so their "
                + "order cannot be rearranged to the requested correlations; draw each input independently first."
        }
    }

    static func format(_ x: Double) -> String {
        let text = String(format: "%.2f", x)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
