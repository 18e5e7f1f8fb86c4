import ScenarioFormat

/// Loading a scenario for a use case: its problems become a ``CaseFailure``.
public enum ScenarioLoading {
    /// The scenario at `path` with `overrides` applied in order.
    public static func load(_ path: String, overrides: [Override]) throws(CaseFailure) -> LoadedScenario {
        do {
            return try ScenarioLoader.load(path: path, overrides: overrides)
        } catch {
            throw .inputProblems(error, validate: path)
        }
    }
}
