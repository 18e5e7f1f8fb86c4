import CRMModel
import Foundation
import ScenarioFormat
import Tabular

/// Reads an **actuals file**: the figures a firm realized month by month after the decision,
/// for `crmcase track SCENARIO --actuals FILE` to compare with the business case.
///
/// An actuals file is CSV text (UTF-8, comma-separated, a header line first). It comes in two
/// forms; the header decides which one a file uses: it is in the long form when the header has
/// both a `metric` and a `value` column, otherwise in the wide form.
///
/// **Long form**: one row per figure. The columns are `month`, `metric`, `value` and, optionally,
/// `segment`, in any order.
///
/// ```csv
/// month,metric,segment,value
/// 2027-02,active_users,,14
/// 2027-02,customers,Hybrid,1204
/// 2027-02,churned[Hybrid],,9
/// 2027-02,licence_cost,,1000
/// ```
///
/// A metric may carry its segment in brackets (`customers[Hybrid]`) instead of in the `segment`
/// column. A per-segment metric without a segment means all segments together.
///
/// **Wide form**: one row per month. The header has `month` and one column per metric, with
/// the segment in brackets where there is one; an empty cell means "not measured" and is
/// skipped.
///
/// ```csv
/// month,active_users,adoption,customers[Hybrid],churned[Hybrid],licence_cost
/// 1,12,60%,1190,11,1000
/// 2,14,70%,,9,1000
/// ```
///
/// **Header**: column names are matched without regard to capitals or surrounding spaces.
/// Blank lines (also lines of only commas) are skipped anywhere in the file, but they count
/// for the line numbers in messages. Spaces around fields are ignored. A field may be put in
/// double quotes (`"…"`, with `""` for a quote inside), but it may not contain a line break.
/// A line whose first character other than a space is `#` is a comment (a note on where the
/// figures come from); it reads as a blank line.
///
/// **Months**: a whole number from 0 to the scenario's `horizon` (the model month; 0 is the
/// decision month), or a calendar month `YYYY-MM` when the scenario has `start:` (the calendar
/// month of month 0; 2027-03 is month 2 when `start: 2027-01`). Both may be mixed in one file.
///
/// **Metrics** (names match without regard to capitals):
///
/// | metric | meaning | per segment |
/// |---|---|---|
/// | `active_users` | users in active use at the end of the month (≥ 0) | no |
/// | `adoption` | share of licensed seats in active use, 0…1 (`62%` or `0.62`) | no |
/// | `customers` | customers at the end of the month (whole, ≥ 0) | optional |
/// | `churned` | customers lost during the month (whole, ≥ 0) | optional |
/// | `new_customers` | customers won during the month (whole, ≥ 0) | optional |
/// | `licence_cost` | licence cost of the month (≥ 0) | no |
/// | `other_costs` | every other cost of the month together (≥ 0) | no |
/// | `contribution_margin` | contribution margin earned from customers in the month | optional |
/// | `cohort_survivors` | of the customers a segment had at month 0, how many are still customers at the end of the month (whole, ≥ 0) | required |
///
/// Amounts are in the scenario's currency per month. Segment names must be written exactly as
/// in the scenario (capitals included). `cohort_survivors` of a segment must start at month 0
/// (the cohort's size, more than 0), continue month by month without gaps, and never rise.
///
/// **Values** are numbers as in scenario files: `1200`, `1_200`, `-3.5`, `900k`, `1.2M`, `12%`.
/// Currency signs and thousands commas are not allowed. In the long form every row needs a
/// value; leave out figures that were not measured.
///
/// Each figure (month, metric and segment) may be given once. Every problem in the file is
/// reported at once, each with its line (the header is line 1) and, where it points at a field,
/// its column.
public enum ActualsParser {
    /// Every metric name an actuals file may use: ``TrackedMetric/fileNames`` and `cohort_survivors`.
    public static let metricNames = TrackedMetric.fileNames + [cohortName]

    /// The metrics that can be given for one segment.
    public static let segmentMetricNames = TrackedMetric.fileNames.filter(TrackedMetric.takesSegment) + [cohortName]

    public static let cohortName = "cohort_survivors"

    /// How an actuals file is read, and what its sentences say when it cannot be.
    static let actualsFile = InputFile(
        kind: "actuals file", readAs: "CSV files", whatToGive: "Give the path of the CSV file with the actual figures.",
        whereToLook: "Check the path of the CSV file with the actual figures.",
        saveAsUTF8: "Save it as “CSV UTF-8” from your spreadsheet or editor.")

    /// Reads and checks the actuals file at `path` against `scenario`.
    ///
    /// - Throws: ``ScenarioErrors`` listing every problem, sorted by line.
    public static func load(path: String, scenario: Scenario) throws(ScenarioErrors) -> Actuals {
        try parse(csv: try actualsFile.read(path).text, file: path, scenario: scenario)
    }

    /// Parses and checks actuals CSV text against `scenario`; `file` names it in messages.
    ///
    /// - Throws: ``ScenarioErrors`` listing every problem, sorted by line.
    public static func parse(csv: String, file: String, scenario: Scenario) throws(ScenarioErrors) -> Actuals {
        try Reading(records: reader.records(in: csv), file: file, scenario: scenario).run()
    }

    /// Actuals files are CSV with spaces around fields ignored and `#` comment lines.
    static let reader = CSVReader(trimsWhitespace: true, commentMarker: "#")
}
