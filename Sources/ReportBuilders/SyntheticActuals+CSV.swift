import CRMModel
import Tabular
import Tracking

extension SyntheticActuals {
    /// The actuals as a long-form CSV file (`month,metric,segment,value`), with calendar months
    /// when the scenario has a start. Each line of `note` is written above the header as a `#`
    /// comment, which ``ActualsParser`` skips.
    public static func csv(_ actuals: Actuals, scenario: Scenario, note: [String] = []) -> String {
        var csv = CSVWriter(header: ["month", "metric", "segment", "value"], comments: note)
        func month(_ t: Int) -> String { scenario.start.map { $0.adding(months: t).description } ?? String(t) }
        for o in actuals.observations {
            let segment = o.metric.segment.map { scenario.segments[$0].name } ?? ""
            csv.append([month(o.month), o.metric.fileName, segment, CSVWriter.number(o.value)])
        }
        for cohort in actuals.cohorts {
            for (t, value) in cohort.survivors.enumerated() {
                csv.append([month(t), ActualsParser.cohortName, scenario.segments[cohort.segment].name, CSVWriter.number(value)])
            }
        }
        return csv.text
    }
}
