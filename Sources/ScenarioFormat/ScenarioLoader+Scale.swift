import CRMModel
import Yams

/// The scale check: each count of a scenario may be within its own bounds while their product is
/// not. New customers a month × (1 + the win-rate uplift, times any `crm_effects` risk) × a
/// segment's mix is the mean of a Poisson draw every month, and a segment's customers after the
/// horizon are its start plus every month's arrivals; either above ``Limits/customers`` made a
/// run take minutes per trial (10¹² customers) or never end (10³⁰¹). So the largest value any
/// draw can give is checked here, before any work starts, and refused in one sentence.
extension SchemaReader {
    /// The largest value a draw of `input` can take: the top of its range, or for an unbounded
    /// distribution its one-in-a-million upper quantile (the model clamps draws further out).
    static func largest(_ input: Uncertain) -> Double {
        let d = input.distribution
        if d.isFixed { return d.mean }
        let top = d.support.upperBound
        return top.isFinite ? top : d.quantile(1 - 1e-6)
    }

    /// Reports, against `acquisition.new_customers` (or the segment), a scenario whose largest
    /// arrivals or customer count exceed ``Limits/customers``.
    func checkScale(_ scenario: Scenario, top: MappingReader) {
        let limit = Double(Limits.customers)
        let acquisition = scenario.acquisition
        let newMax = Self.largest(acquisition.newCustomers)
        guard newMax > 0 else { return }
        // Risks on `crm_effects` multiply the win-rate uplift when they happen.
        var effect = 1.0
        for risk in scenario.risks where Self.largest(risk.probability) > 0 {
            for e in risk.effects where e.target == .crmEffects { effect *= max(1, Self.largest(e.size)) }
        }
        let upliftMax = Self.largest(acquisition.winRateUplift)
        let monthly = newMax * (1 + upliftMax * effect)
        let node = (top.value("acquisition").flatMap { node -> Node? in
            if case .mapping(let m) = node { return m["new_customers"] ?? node }
            return node
        }) ?? top.value("segments")
        let why = "new_customers up to \(Self.shown(newMax)) a month × (1 + win_rate_uplift up to \(ValueSyntax.formatPercent(upliftMax))"
            + (effect > 1 ? " × crm_effects risks up to \(Self.shown(effect))" : "") + ")"
        for segment in scenario.segments {
            let arrivals = monthly * segment.mix
            if !(arrivals <= limit) {
                reader.report(node, "In segment “\(segment.name)” up to \(Self.shown(arrivals)) new customers could arrive in one month (\(why) × mix \(ValueSyntax.formatPercent(segment.mix))), above the limit of \(Limits.grouped(Limits.customers)) customers.",
                              hint: "Check new_customers and win_rate_uplift for a slip (a missing `%` or an exponent).")
                return
            }
            let reached = Self.largest(segment.customers) + Double(scenario.horizon) * arrivals
            if !(reached <= limit) {
                reader.report(node, "Segment “\(segment.name)” could reach \(Self.shown(reached)) customers after \(scenario.horizon) months of arrivals (\(why) × mix \(ValueSyntax.formatPercent(segment.mix))), above the limit of \(Limits.grouped(Limits.customers)) customers in one segment.",
                              hint: "Check new_customers and win_rate_uplift for a slip (a missing `%` or an exponent), or shorten the horizon.")
                return
            }
        }
    }

    /// A count as people read it: 1,200,000 below a trillion, else 1.2e+12.
    static func shown(_ value: Double) -> String {
        value < 1e12 ? Limits.grouped(Int(value.rounded())) : String(format: "%.3g", value)
    }
}
