import CRMModel

/// The one table of what a scenario or variants file may say: every section's keys, what each
/// holds (its unit, allowed range and default), and the words and example an editor shows.
///
/// The loader reads its allowed keys, ranges and defaults from here (``ScenarioLoader``), and
/// `crmcase schema` writes the JSON Schema from here (``ScenarioKeys/jsonSchema()``), so the two
/// cannot drift apart. `docs/SCENARIO-FORMAT.md` explains the same keys for people.
public enum ScenarioKeys {
    /// One key of a section.
    struct Key: Sendable {
        var name: String
        var value: Value
        var required = false
        /// What the key means, with its unit, for an editor's tooltip (one or two sentences).
        var about: String
        /// A value as it would be written in the file, e.g. `pert(20, 25, 30)`.
        var example: String?
        /// A number that must be above its lower bound, not at it (Bass `p`: at 0 nobody starts).
        var aboveLowerBound = false
    }

    /// What a key holds.
    enum Value: Sendable {
        /// A short text (`pattern`, if given, is the ECMAScript regular expression it must match).
        case text(pattern: String? = nil)
        /// A number or a distribution, checked against `bounds`. `unit` is nil where the unit
        /// depends on another key (a line's `amount`: per month, or once); `fallback` is the
        /// value when the key is left out.
        case uncertain(Bounds, unit: Uncertain.Unit?, fallback: Double? = nil)
        /// A whole number; `range` nil where it depends on the horizon (a month of the plan).
        case integer(range: ClosedRange<Int>?, fallback: Int? = nil)
        /// One of a few words.
        case choice([String], fallback: String? = nil)
        /// true or false.
        case flag
        /// A section of keys.
        case section(Section)
        /// A list of sections; at least `minItems`, at most `maxItems`.
        case list(Section, minItems: Int = 0, maxItems: Int? = nil)
        /// A segment's churn: a share per year, or a retention curve `sbg(α, β)`.
        case churn
        /// A segment's `mix`: a plain share, no distribution.
        case plainShare
        /// A correlation's `between`: two input names.
        case inputPair
        /// A correlation's `rank`: Spearman's ρ, −1…1 (or a percentage).
        case rankCorrelation
        /// A variant's `set`: input paths and the values they take.
        case changes
    }

    /// The keys of one section (a mapping in the file).
    struct Section: Sendable {
        /// The name of the section's definition in the JSON Schema, e.g. `licences`.
        var id: String
        var about: String
        var keys: [Key]

        /// The keys the loader accepts here, in the table's order.
        var names: [String] { keys.map(\.name) }

        /// The key `name`; a name not in the table is a programming error.
        subscript(name: String) -> Key {
            guard let key = keys.first(where: { $0.name == name }) else {
                preconditionFailure("“\(name)” is not a key of \(id) in ScenarioKeys")
            }
            return key
        }
    }

    // MARK: Sections

    static let licences = Section(id: "licences", about: "What the CRM's licences cost.", keys: [
        Key(name: "seats", value: .uncertain(.wholeCount, unit: .count), required: true,
            about: "Seats licensed: a whole count.", example: "30"),
        Key(name: "users", value: .uncertain(.wholeCount, unit: .count),
            about: "People who should work in the CRM (a whole count); left out, the number of seats.", example: "25"),
        Key(name: "price", value: .uncertain(.money, unit: .moneyPerMonth), required: true,
            about: "Price of one seat per month, in the scenario's currency.", example: "pert(700, 750, 850)"),
        Key(name: "from", value: .integer(range: nil, fallback: 1),
            about: "First month paid (month 0 is the decision month); default 1.", example: "1"),
        Key(name: "to", value: .integer(range: nil),
            about: "Last month paid; default the last month of the horizon.", example: "60"),
        Key(name: "escalation", value: .uncertain(.rate, unit: .sharePerYear, fallback: 0),
            about: "Yearly price increase, a share per year (8% or 0.08); default 0.", example: "3%"),
    ])

    static let adoption = Section(id: "adoption", about: "How many of the users come to work in the CRM, and when.", keys: [
        Key(name: "model", value: .choice(["logistic", "bass"], fallback: "logistic"),
            about: "The shape of the adoption curve: logistic (half_time, steepness) or bass (p, q); default logistic.",
            example: "logistic"),
        Key(name: "go_live", value: .uncertain(.wholeMonths, unit: .months), required: true,
            about: "Month the CRM goes live (a whole month number; 0 is the decision month).", example: "discrete(3: 50%, 4: 30%, 6: 20%)"),
        Key(name: "ceiling", value: .uncertain(.share, unit: .share), required: true,
            about: "Share of the seats in active use at saturation (0–100 %).", example: "pert(60%, 80%, 95%)"),
        Key(name: "half_time", value: .uncertain(.nonNegative, unit: .months, fallback: 6),
            about: "Logistic model: months after go-live until half the ceiling is reached; default 6.", example: "pert(3, 6, 12)"),
        Key(name: "steepness", value: .uncertain(.nonNegative, unit: .ratePerMonth, fallback: 0.8),
            about: "Logistic model: how fast adoption rises around half_time, per month; default 0.8.", example: "0.8"),
        Key(name: "p", value: .uncertain(.nonNegative, unit: .ratePerMonth, fallback: 0.03),
            about: "Bass model: the innovation coefficient per month, above 0 (typically 0.01–0.05); default 0.03.", example: "0.03",
            aboveLowerBound: true),
        Key(name: "q", value: .uncertain(.nonNegative, unit: .ratePerMonth, fallback: 0.4),
            about: "Bass model: the imitation coefficient per month (typically 0.3–0.5); default 0.4.", example: "0.4"),
    ])

    /// A cost line's `amount`: never negative (a saving is a benefit).
    static let costAmount = Bounds(lower: 0, upper: 1e15, words: "between 0 and 10¹⁵",
                                   hint: "A saving is a benefit: list it under `benefits`.")
    /// A benefit line's `amount`: never negative (a negative benefit is a cost).
    static let benefitAmount = Bounds(lower: 0, upper: 1e15, words: "between 0 and 10¹⁵",
                                      hint: "A negative benefit is a cost: list it under `costs`.")

    private static func lineKeys(amount: Bounds, isBenefit: Bool) -> [Key] {
        [
            Key(name: "name", value: .text(), required: true,
                about: "The line's name, as the reports list it; unique among costs and benefits.",
                example: isBenefit ? "Fewer hours on quotes" : "Training"),
            Key(name: "amount", value: .uncertain(amount, unit: nil), required: true,
                about: "The amount in the scenario's currency: a total when `per` is once, else per month (per seat, or per active user, as `per` says).",
                example: "250k to 400k"),
            Key(name: "per", value: .choice(Line.Basis.allCases.map(\.rawValue)), required: true,
                about: "What the amount is per: once (a total spread over from…to), month, seat (per licensed seat per month) or active_user_month (per user working in the CRM per month).",
                example: "once"),
            Key(name: "from", value: .integer(range: nil, fallback: 0),
                about: "First month of the line (0 is the decision month); default 0.", example: "0"),
            Key(name: "to", value: .integer(range: nil),
                about: "Last month of the line; default: for a once amount the month `from` (paid at once), else the last month of the horizon.", example: "6"),
        ] + (isBenefit ? [
            Key(name: "scale_with_adoption", value: .flag,
                about: "Whether the benefit grows with the share of users working in the CRM; default true, false for a once amount.",
                example: "true"),
        ] : [])
    }

    static let costLine = Section(id: "cost_line", about: "A cost the CRM brings.", keys: lineKeys(amount: costAmount, isBenefit: false))
    static let benefitLine = Section(id: "benefit_line", about: "A benefit the CRM brings beyond its customers (time saved, costs avoided).",
                                     keys: lineKeys(amount: benefitAmount, isBenefit: true))

    static let acquisition = Section(id: "acquisition", about: "New customers and what the CRM changes in winning them.", keys: [
        Key(name: "new_customers", value: .uncertain(.count, unit: .countPerMonth, fallback: 0),
            about: "New customers a month without the CRM (an average; may be a fraction); default 0.", example: "pert(8, 12, 18)"),
        Key(name: "win_rate_uplift", value: .uncertain(.uplift, unit: .share, fallback: 0),
            about: "Relative increase in new customers the CRM brings at full adoption (10% = 10 % more); default 0.", example: "pert(2%, 6%, 12%)"),
        Key(name: "cost_per_customer", value: .uncertain(.money, unit: .money, fallback: 0),
            about: "What winning one new customer costs, in the scenario's currency; default 0.", example: "1500"),
    ])

    /// A segment's own `cost_per_customer`: never negative.
    static let segmentAcquisitionCost = Bounds(
        lower: 0, upper: 1e15, words: "between 0 and 10¹⁵",
        hint: "It is what winning one new customer of this segment costs, so it cannot be negative; leave it out to use `acquisition.cost_per_customer`.")

    static let segment = Section(id: "segment", about: "A group of customers with its own margin and churn.", keys: [
        Key(name: "name", value: .text(), required: true, about: "The segment's name, unique among segments.", example: "Relationship-seeking"),
        Key(name: "customers", value: .uncertain(.wholeCount, unit: .count), required: true,
            about: "Customers in the segment at the start: a whole count.", example: "1200"),
        Key(name: "margin", value: .uncertain(.signedMoney, unit: .moneyPerMonth), required: true,
            about: "Contribution margin per customer per month, in the scenario's currency (may be negative).", example: "pert(350, 420, 500)"),
        Key(name: "churn", value: .churn, required: true,
            about: "Share of customers lost per year without the CRM (18% or 0.18), or a retention curve `sbg(α, β)` with months as periods.",
            example: "pert(12%, 18%, 25%)"),
        Key(name: "churn_reduction", value: .uncertain(.share, unit: .share, fallback: 0),
            about: "Share of the churn the CRM prevents at full adoption (20% = a fifth fewer customers lost); default 0.", example: "pert(5%, 15%, 30%)"),
        Key(name: "margin_uplift", value: .uncertain(.uplift, unit: .share, fallback: 0),
            about: "Relative increase in margin per customer the CRM brings at full adoption; default 0.", example: "pert(0%, 3%, 8%)"),
        Key(name: "mix", value: .plainShare,
            about: "Share of new customers who join this segment (a plain share; given for every segment or none, adding up to 100 %); left out, by segment size.",
            example: "40%"),
        Key(name: "cost_per_customer", value: .uncertain(segmentAcquisitionCost, unit: .money),
            about: "What winning one new customer of this segment costs, in the scenario's currency; left out, acquisition.cost_per_customer.",
            example: "2000"),
    ])

    static let riskEffect = Section(id: "risk_effect", about: "One effect of a risk event.", keys: [
        Key(name: "effect", value: .choice(RiskEvent.Target.allCases.map(\.rawValue)), required: true,
            about: "What the risk changes when it happens: adoption_ceiling, crm_effects (every benefit of the CRM), one_off_costs, recurring_costs, licence_price (each multiplied by factor) or go_live (delayed by months).",
            example: "crm_effects"),
        Key(name: "factor", value: .uncertain(.nonNegative, unit: .factor),
            about: "What the target is multiplied by when the risk happens (0.5 halves it, 1.3 adds 30 %); not for go_live.", example: "pert(0.2, 0.5, 0.8)"),
        Key(name: "months", value: .uncertain(.wholeMonths, unit: .months),
            about: "For go_live: the delay in whole months when the risk happens.", example: "discrete(2: 50%, 4: 50%)"),
    ])

    static let risk = Section(id: "risk", about: "An event that may happen and, if it does, changes the case.", keys: [
        Key(name: "name", value: .text(), required: true, about: "The risk's name, unique among risks.", example: "CRM project fails to deliver its effects"),
        Key(name: "probability", value: .uncertain(.share, unit: .share), required: true,
            about: "Chance that the risk happens over the case (0–100 %).", example: "pert(30%, 50%, 60%)"),
    ] + riskEffect.keys.map { var key = $0; key.required = false; return key } + [
        Key(name: "effects", value: .list(riskEffect, minItems: 1),
            about: "Several effects decided by one occurrence (instead of effect with factor or months).",
            example: "- { effect: crm_effects, factor: 0.5 }"),
    ])

    static let correlation = Section(id: "correlation", about: "A rank correlation between two uncertain inputs.", keys: [
        Key(name: "between", value: .inputPair, required: true,
            about: "The two inputs, named as in the report's input table.", example: "[adoption.ceiling, acquisition.win_rate_uplift]"),
        Key(name: "rank", value: .rankCorrelation, required: true,
            about: "Spearman's rank correlation, between −1 and 1 (or −100 % and 100 %).", example: "0.6"),
    ])

    static let variant = Section(id: "variant", about: "An option to compare: the base scenario with some values changed.", keys: [
        Key(name: "name", value: .text(), required: true, about: "The option's name, unique among the variants.", example: "Lever 1: more training"),
        Key(name: "set", value: .changes, required: true,
            about: "The values the option changes: input paths as --set takes them, and their new values.",
            example: "{ licences.seats: 60 }"),
    ])

    static let scenario = Section(id: "scenario", about: "A crmcase scenario: the business case for a CRM investment (docs/SCENARIO-FORMAT.md).", keys: [
        Key(name: "name", value: .text(), required: true, about: "The case's title, shown at the top of every report.", example: "Car dealership — cloud CRM"),
        Key(name: "currency", value: .text(), required: true,
            about: "The currency every amount is in, e.g. an ISO 4217 code.", example: "NOK"),
        Key(name: "start", value: .text(pattern: "^\\s*[0-9]{4}-[0-9]{1,2}\\s*$"),
            about: "The calendar month of month 0 (the decision month), written year-month; optional.", example: "2027-01"),
        Key(name: "horizon", value: .integer(range: 1...Limits.horizonMonths, fallback: 60),
            about: "Months to simulate; default 60 (five years).", example: "60"),
        Key(name: "discount_rate", value: .uncertain(.rate, unit: .sharePerYear, fallback: 0.08),
            about: "Yearly discount rate for present values (8% or 0.08); default 8 %.", example: "8%"),
        Key(name: "licences", value: .section(licences), required: true, about: licences.about),
        Key(name: "adoption", value: .section(adoption), required: true, about: adoption.about),
        Key(name: "costs", value: .list(costLine), about: "The CRM's costs, one line each."),
        Key(name: "benefits", value: .list(benefitLine), about: "Benefits beyond the customers, one line each."),
        Key(name: "acquisition", value: .section(acquisition), about: acquisition.about),
        Key(name: "segments", value: .list(segment, minItems: 1, maxItems: Limits.segments), required: true,
            about: "The customer segments, at least one."),
        Key(name: "risks", value: .list(risk), about: "Risk events, each with its chance and effects."),
        Key(name: "variants", value: .list(variant), about: "Options to compare with `crmcase compare`."),
        Key(name: "correlations", value: .list(correlation), about: "Rank correlations between uncertain inputs."),
    ])

    /// A variants file: `base:` names the scenario, `variants:` its options.
    static let variantsFile = Section(id: "variants_file", about: "A crmcase variants file: options that change a base scenario.", keys: [
        Key(name: "base", value: .text(), required: true,
            about: "The scenario file these variants change, relative to this file's folder.", example: "car-dealership.yaml"),
        Key(name: "variants", value: .list(variant), about: "The options, each a name and the values it sets."),
    ])
}

extension ScenarioKeys.Key {
    /// For a number or distribution: its bounds, its unit (nil where the file decides it) and
    /// its value when left out; nil for any other kind of key.
    var numberRules: (bounds: Bounds, unit: Uncertain.Unit?, fallback: Double?)? {
        switch value {
        case .uncertain(let bounds, let unit, let fallback): return (bounds, unit, fallback)
        // A churn written as a share per year (the retention curve `sbg(…)` is read apart).
        case .churn: return (.share, .sharePerYear, nil)
        default: return nil
        }
    }
}

extension ScenarioKeys.Key {
    /// For a whole number: its range where the table fixes one (nil: months of the horizon).
    var integerRange: ClosedRange<Int>? {
        if case .integer(let range, _) = value { return range }
        return nil
    }

    /// For a whole number: its value when left out, where the table fixes one.
    var integerFallback: Int? {
        if case .integer(_, let fallback) = value { return fallback }
        return nil
    }
}
