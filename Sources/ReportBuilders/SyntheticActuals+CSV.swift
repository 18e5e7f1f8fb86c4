import CRMModel
import Tracking

extension SyntheticActuals {
    /// The actuals as a long-form CSV file (`month,metric,segment,value`), with calendar months
    /// when the scenario has a start, and a comment-free header so any CSV tool reads it.
    public static func csv(_ actuals: Actuals, scenario: Scenario, note: [String] = []) -> String {
        var out = note.map { "# \($0)\n" }.joined()
        out += "month,metric,segment,value\n"
        func month(_ t: Int) -> String { scenario.start.map { $0.adding(months: t).description } ?? String(t) }
        for o in actuals.observations {
            let segment = o.metric.segment.map { Format.csvText(scenario.segments[$0].name) } ?? ""
            out += "\(month(o.month)),\(o.metric.fileName),\(segment),\(Format.csv(o.value))\n"
        }
        for cohort in actuals.cohorts {
            for (t, value) in cohort.survivors.enumerated() {
                out += "\(month(t)),cohort_survivors,\(Format.csvText(scenario.segments[cohort.segment].name)),\(Format.csv(value))\n"
            }
        }
        return out
    }
}
