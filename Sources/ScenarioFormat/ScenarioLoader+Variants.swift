/// The check `validate` shares with `compare`: every variant of a file applied to its base and
/// read like a scenario of its own, so that a file `validate` passes is one `compare` runs.
extension ScenarioLoader {
    /// Every problem of every variant of the file at `path` (with `overrides` applied first, as
    /// `--set` does), each naming its variant; empty when all of them read.
    public static func variantIssues(path: String, overrides: [Override], variants: [Variant]) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
        for variant in variants {
            do {
                _ = try load(path: path, overrides: overrides + variant.overrides)
            } catch {
                issues += error.issues
            }
        }
        return issues
    }
}
