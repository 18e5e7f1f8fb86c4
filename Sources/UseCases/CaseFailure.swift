import ScenarioFormat

/// Why a use case (run, follow-up, compare, sweep) stopped without a report, as a value: the
/// CLI, the workshop server and a cluster job each turn it into their own message and status.
///
/// Every case holds sentences a non-programmer understands; none holds a half-made result.
public enum CaseFailure: Error, Sendable {
    /// An input file (scenario, variants or actuals) has problems, each with its file, line and
    /// column. `validate` names the scenario file whose `crmcase validate` lists them all, when
    /// there is one.
    case inputProblems(ScenarioErrors, validate: String?)
    /// The same, for `crmcase validate`, whose answer is the list of every problem.
    case allProblems(ScenarioErrors)
    /// An input that reads fine but cannot be used for this command, e.g. a scenario without
    /// variants given alone to `compare`, or an actuals file without figures.
    case unusableInput(String)
    /// The run would need more memory than the machine has; a smaller option value is the fix.
    case tooLarge(String)
    /// The report could not be written, or the folder chosen can never be a report folder.
    case cannotWrite(ReportFolder.WriteError)
}
