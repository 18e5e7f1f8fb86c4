/// "Did you mean …?" for misspelt keys and names (scenario keys, distribution names, and the
/// metric, column and segment names of actuals files).
public enum Suggestions {
    /// The candidate nearest to `word` by edit distance, when it is near enough to be a
    /// plausible typo (at most 2 edits, or a third of the word's length for long words).
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        // A word far longer than any name is no typo, and comparing it would cost its length
        // times every candidate's.
        guard word.count <= 100 else { return nil }
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(2, word.count / 3)
        return d <= limit ? candidate : nil
    }

    /// Levenshtein distance between two strings, counted in characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
