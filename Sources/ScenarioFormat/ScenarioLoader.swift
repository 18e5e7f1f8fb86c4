import CRMModel
import Foundation
import Yams

/// A scenario read from a file, with what the report's reproducibility footer needs.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// The file name without folder and extension, e.g. `car-dealership`.
    public var baseName: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The changes applied for this run (`--set`, or a variant's), in order.
    public var overrides: [Override] = []
    /// The variants the file defines (its `variants:` section), each a set of overrides.
    public var variants: [Variant] = []
    /// When the file was a variants file (`base:` and `variants:`), its path; the scenario and
    /// its SHA-256 are then the base file's.
    public var variantsFile: String?
}

/// Reads scenario files (`docs/SCENARIO-FORMAT.md`) into checked ``Scenario`` values.
public enum ScenarioLoader {
    /// Reads and checks the file at `path`.
    ///
    /// - Throws: ``ScenarioErrors`` listing every problem, each with its line and column.
    public static func load(path: String, overrides: [Override] = []) throws(ScenarioErrors) -> LoadedScenario {
        try load(path: path, overrides: overrides, chain: [])
    }

    /// How a scenario or variants file is read, and what its sentences say when it cannot be.
    static let scenarioFile = InputFile(
        kind: "scenario file", readAs: "scenario files", whatToGive: "Give the path of the scenario file (YAML).",
        whereToLook: "Check the path; example scenarios are in Scenarios/.", saveAsUTF8: "Save it as UTF-8 from your editor.")

    /// `chain`: the variants files whose `base:` led to `path`, outermost first, so that a file
    /// naming itself, or two files naming each other, is refused instead of read without end.
    private static func load(path: String, overrides: [Override], chain: [String]) throws(ScenarioErrors) -> LoadedScenario {
        let (data, text) = try scenarioFile.read(path)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        // A variants file: `base:` names the scenario it varies, and `variants:` the options.
        if case .mapping(let top) = try compose(yaml: text, file: path), let baseNode = top["base"] {
            let reader = YAMLReader(file: path)
            _ = reader.mapping(.mapping(top), section: "a variants file", allowed: ScenarioKeys.variantsFile.names)
            guard case .scalar(let scalar) = baseNode, !scalar.string.isEmpty else {
                reader.report(baseNode, "“base” should name the scenario file these variants change, e.g. `base: car-dealership.yaml`.")
                throw ScenarioErrors(reader.issues)
            }
            if !reader.issues.isEmpty { throw ScenarioErrors(reader.issues) }
            let folder = (path as NSString).deletingLastPathComponent
            let basePath = scalar.string.hasPrefix("/") || folder.isEmpty ? scalar.string : "\(folder)/\(scalar.string)"
            let files = chain + [path]
            if let loop = BaseChain.loop(in: files, next: basePath) {
                reader.report(baseNode, "“base” names a file already on the way, so the files would name each other without end: \(loop).",
                              hint: "Name the scenario file itself (the one with licences, adoption and segments).")
                throw ScenarioErrors(reader.issues)
            }
            if !FileManager.default.fileExists(atPath: basePath) {
                let missing = basePath == scalar.string ? "there is no such file" : "there is no file \(basePath)"
                reader.report(baseNode, "“base” names \(scalar.string), but \(missing).",
                              hint: "Name the scenario file these variants change, relative to this file's folder.")
                throw ScenarioErrors(reader.issues)
            }
            guard files.count < Limits.variantsChain else {
                reader.report(baseNode, "More than \(Limits.variantsChain) variants files lead to one another through “base”.",
                              hint: "Name the scenario file itself (the one with licences, adoption and segments).")
                throw ScenarioErrors(reader.issues)
            }
            var loaded = try load(path: basePath, overrides: overrides, chain: files)
            loaded.baseName = name
            loaded.variants = try variants(yaml: text, file: path)
            loaded.variantsFile = path
            return loaded
        }
        let scenario = try parse(yaml: text, file: path, overrides: overrides)
        return LoadedScenario(scenario: scenario, baseName: name, sha256: SHA256.hex(of: Array(data)),
                              overrides: overrides, variants: try variants(yaml: text, file: path))
    }

    /// The variants of a scenario file (its `variants:` section): each a name and the overrides
    /// that turn the base scenario into it.
    public static func variants(yaml: String, file: String) throws(ScenarioErrors) -> [Variant] {
        guard case .mapping(let top) = try compose(yaml: yaml, file: file), let node = top["variants"] else { return [] }
        let reader = YAMLReader(file: file)
        var result: [Variant] = []
        if let items = reader.sequence(node, section: "variants") {
            var names: Set<String> = []
            for item in items {
                guard let m = reader.mapping(item, section: "a variant", allowed: ScenarioKeys.variant.names) else { continue }
                guard let name = m.text("name") else { continue }
                if !names.insert(name).inserted {
                    reader.report(m.value("name"), "There are two variants called “\(name)”.", hint: "Give each variant its own name.")
                }
                guard let set = m.value("set") else {
                    m.missing("set", hint: "List the values the variant changes, e.g. `set: { licences.seats: 60 }`.")
                    continue
                }
                guard case .mapping(let pairs) = set else {
                    reader.report(set, "“set” of variant “\(name)” should be `path: value` lines.")
                    continue
                }
                var overrides: [Override] = []
                for (key, value) in pairs {
                    guard case .scalar(let k) = key, case .scalar(let v) = value else {
                        reader.report(key, "Each line of “set” is a path and a value, like `costs[Training].amount: 250k`.")
                        continue
                    }
                    // Placed in this file, so that a problem with it points at its line.
                    let place = k.mark.map { pathMark in
                        let valueMark = v.mark ?? pathMark
                        return Override.Place(file: file, pathLine: pathMark.line, pathColumn: pathMark.column,
                                              valueLine: valueMark.line, valueColumn: valueMark.column)
                    }
                    overrides.append(Override(path: k.string, value: v.string, origin: "variant “\(name)”", place: place))
                }
                result.append(Variant(name: name, overrides: overrides))
            }
        }
        if !reader.issues.isEmpty { throw ScenarioErrors(reader.issues) }
        return result
    }

    /// The YAML node tree of `yaml`, or its syntax problem.
    private static func compose(yaml: String, file: String) throws(ScenarioErrors) -> Node {
        // A byte-order mark (Windows editors write one before UTF-8 text) is not part of the
        // text; libyaml, given a Swift string, would read it as content and refuse the file.
        var yaml = Substring(yaml)
        if yaml.unicodeScalars.first == "\u{FEFF}" { yaml = Substring(yaml.unicodeScalars.dropFirst()) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(yaml))
        } catch let error as YamlError {
            throw ScenarioErrors([syntaxIssue(error, file: file)])
        } catch {
            throw ScenarioErrors([ScenarioIssue(file: file, message: "The file is not valid YAML (\(error)).")])
        }
        guard let root else {
            throw ScenarioErrors([ScenarioIssue(file: file, line: 1, column: 1, message: "The scenario file is empty.",
                                                hint: "Start from one of the examples in Scenarios/.")])
        }
        return root
    }

    /// Parses and checks scenario text; `file` names it in messages.
    ///
    /// `overrides` are applied to the file's values first (see ``Override``); a problem with an
    /// overridden value is reported against the override.
    public static func parse(yaml: String, file: String = "scenario", overrides: [Override] = []) throws(ScenarioErrors) -> Scenario {
        var root = try compose(yaml: yaml, file: file)
        var problems: [ScenarioIssue] = []
        for (k, override) in overrides.enumerated() {
            switch OverrideApplier.apply(override, index: k, to: root) {
            case .success(let updated): root = updated
            case .failure(let issue): problems.append(issue)
            }
        }
        if !problems.isEmpty { throw ScenarioErrors(problems) }
        let reader = YAMLReader(file: file, overrides: overrides)
        let scenario = SchemaReader(reader: reader).scenario(root)
        if !reader.issues.isEmpty {
            // In file order, so the first problem printed is the first one in the file.
            let ordered = reader.issues.enumerated().sorted { a, b in
                let keyA = (a.element.line ?? Int.max, a.element.column ?? 0, a.offset)
                let keyB = (b.element.line ?? Int.max, b.element.column ?? 0, b.offset)
                return keyA < keyB
            }.map(\.element)
            throw ScenarioErrors(ordered)
        }
        guard let scenario else {
            throw ScenarioErrors([ScenarioIssue(file: file, message: "The scenario could not be read.")])
        }
        return scenario
    }

    private static func syntaxIssue(_ error: YamlError, file: String) -> ScenarioIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "The file is not valid YAML here: \(problem)"
            if let context { message += " (\(context.text))" }
            return ScenarioIssue(
                file: file, line: mark.line, column: mark.column, message: message + ".",
                hint: "Check the indentation and that values containing `:` or `#` are in quotes.")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioIssue(file: file, line: context.mark.line, column: context.mark.column,
                                 message: "These keys appear twice: \(duplicates.joined(separator: ", ")).")
        default:
            return ScenarioIssue(file: file, message: "The file is not valid YAML: \(error).")
        }
    }
}

/// The scenario schema: which keys each section has, their units, ranges and defaults.
struct SchemaReader {
    let reader: YAMLReader

    func scenario(_ root: Node) -> Scenario? {
        guard let top = reader.mapping(root, section: "the scenario", allowed: ScenarioKeys.scenario.names) else { return nil }

        let name = top.text("name")
        let currency = top.text("currency")
        var start: CalendarMonth?
        if let node = top.value("start") {
            start = calendarMonth(node)
        }
        let horizonKey = ScenarioKeys.scenario["horizon"]
        let horizon = top.has("horizon") ? top.integer("horizon", in: horizonKey.integerRange!, meaning: "months to simulate") : horizonKey.integerFallback!
        let H = horizon ?? horizonKey.integerFallback!
        let discount = uncertain(top, ScenarioKeys.scenario["discount_rate"], name: "discount_rate")

        let licences = top.value("licences").flatMap { self.licences($0, horizon: H) }
        if !top.has("licences") { top.missing("licences", hint: "Add a `licences:` section with `seats:` and `price:`.") }
        let adoption = top.value("adoption").flatMap { self.adoption($0, horizon: horizon) }
        if !top.has("adoption") { top.missing("adoption", hint: "Add an `adoption:` section with `go_live:` and `ceiling:`.") }

        var usedLineNames: Set<String> = []
        let costs = top.value("costs").flatMap { lines($0, section: "costs", isBenefit: false, horizon: H, used: &usedLineNames) } ?? []
        let benefits = top.value("benefits").flatMap { lines($0, section: "benefits", isBenefit: true, horizon: H, used: &usedLineNames) } ?? []
        let acquisition = top.value("acquisition").flatMap { self.acquisition($0) }
            ?? Acquisition(newCustomers: .constant("acquisition.new_customers", 0, unit: .countPerMonth),
                           winRateUplift: .constant("acquisition.win_rate_uplift", 0, unit: .share),
                           costPerCustomer: .constant("acquisition.cost_per_customer", 0, unit: .money))
        var segments: [Segment] = []
        if let node = top.value("segments") {
            segments = self.segments(node) ?? []
        } else {
            top.missing("segments", hint: "List at least one customer segment under `segments:`.")
        }
        let risks = top.value("risks").flatMap { self.risks($0) } ?? []

        guard let name, let currency, let discount, let licences, let adoption, reader.issues.isEmpty else {
            return nil
        }
        var scenario = Scenario(name: name, currency: currency, start: start, horizon: H, discountRate: discount,
                                licences: licences, adoption: adoption, costs: costs, benefits: benefits,
                                acquisition: acquisition, segments: segments, risks: risks)
        if scenario.inputs.count > Limits.inputs {
            reader.report(root, "The scenario has \(Limits.grouped(scenario.inputs.count)) inputs, above the limit of \(Limits.grouped(Limits.inputs)).",
                          hint: "Merge small cost or benefit lines; a business case needs far fewer numbers.")
            return nil
        }
        checkScale(scenario, top: top)
        if let node = top.value("correlations") {
            scenario.correlations = correlations(node, inputs: scenario.inputs) ?? []
        }
        return reader.issues.isEmpty ? scenario : nil
    }

    /// `correlations:` — a list of `between: [input, input]` and `rank:` (Spearman's ρ).
    private func correlations(_ node: Node, inputs: [Uncertain]) -> [InputCorrelation]? {
        guard let items = reader.sequence(node, section: "correlations") else { return nil }
        let uncertain = inputs.filter { !$0.distribution.isFixed }.map(\.name)
        let all = inputs.map(\.name)
        // An input that a change (`--set`, a variant, the workshop) makes a fixed number has no
        // uncertainty left to correlate: its correlations are left out, which is what "what if
        // it is exactly 60 %?" means. Written so in the file itself, it is still a mistake.
        let fixedByChange = Set(reader.overrides.map(\.path)).subtracting(uncertain)
        var result: [InputCorrelation] = []
        var seen: Set<[String]> = []
        for item in items {
            guard let m = reader.mapping(item, section: "a correlation", allowed: ScenarioKeys.correlation.names) else { continue }
            var names: [String] = []
            if let between = m.value("between") {
                if case .sequence(let pair) = between, pair.count == 2 {
                    for element in pair {
                        guard case .scalar(let s) = element else { continue }
                        let name = s.string.trimmingCharacters(in: .whitespaces)
                        if !all.contains(name) {
                            let guess = Suggestions.nearest(to: name, in: all)
                            reader.report(element, "“\(name)” is not an input of this scenario.",
                                          hint: guess.map { "Did you mean `\($0)`?" } ?? "Inputs are named as in the report's input table, e.g. `adoption.ceiling`.")
                        } else if fixedByChange.contains(name) {
                            names.append(name)
                        } else if !uncertain.contains(name) {
                            reader.report(element, "“\(name)” is a fixed number, so it cannot be correlated with anything.",
                                          hint: "Give it a distribution first, e.g. `pert(…)`.")
                        } else {
                            names.append(name)
                        }
                    }
                } else {
                    reader.report(between, "“between” should name two inputs, like `between: [adoption.ceiling, acquisition.win_rate_uplift]`.")
                }
            } else {
                m.missing("between", hint: "Name two inputs, like `between: [adoption.ceiling, acquisition.win_rate_uplift]`.")
            }
            var rank: Double?
            if let value = m.value("rank") {
                if case .scalar(let s) = value, let r = NumberText.parse(s.string), (-1...1).contains(r) {
                    rank = r
                } else {
                    reader.report(value, "“rank” should be a rank correlation between −1 and 1 (or −100 % and 100 %).")
                }
            } else {
                m.missing("rank", hint: "Give Spearman's rank correlation, e.g. `rank: 0.6`.")
            }
            guard names.count == 2, let rank else { continue }
            if names.contains(where: fixedByChange.contains) { continue }
            if names[0] == names[1] {
                reader.report(m.value("between"), "An input cannot be correlated with itself.")
                continue
            }
            if !seen.insert(names.sorted()).inserted {
                reader.report(m.value("between"), "The correlation of \(names[0]) and \(names[1]) is given twice.")
                continue
            }
            result.append(InputCorrelation(first: names[0], second: names[1], rank: rank))
        }
        guard !result.isEmpty, reader.issues.isEmpty else { return result }
        let (names, rows) = InputCorrelation.matrix(result)
        do {
            let matrix = try CorrelationMatrix(rows, names: names)
            _ = try GaussianCopula(spearman: matrix)
        } catch {
            reader.report(node, error.description)
        }
        return result
    }

    // MARK: Sections

    private func licences(_ node: Node, horizon: Int) -> Licences? {
        guard let m = reader.mapping(node, section: "licences", allowed: ScenarioKeys.licences.names) else {
            return nil
        }
        let seats = uncertain(m, ScenarioKeys.licences["seats"], name: "licences.seats")
        // Optional: the people who should use the CRM. Absent, it is the seats (coverage 1),
        // and nothing changes; so it is only an input when written.
        var users: Uncertain?
        if m.has("users") {
            users = uncertain(m, ScenarioKeys.licences["users"], name: "licences.users")
            if let users, users.distribution.support.upperBound < 1 {
                reader.report(m.value("users"), "“users” in “licences” is 0, but it is the number of people who should use the CRM.",
                              hint: "Write how many people should work in the CRM, e.g. `users: 25`, or leave `users` out to use the number of seats.")
            }
            if users == nil { return nil }
        }
        let price = uncertain(m, ScenarioKeys.licences["price"], name: "licences.price")
        let escalation = uncertain(m, ScenarioKeys.licences["escalation"], name: "licences.escalation")
        let from = m.integer("from", in: 0...horizon, meaning: "the first month paid") ?? ScenarioKeys.licences["from"].integerFallback!
        let to = m.integer("to", in: 0...horizon, meaning: "the last month paid") ?? horizon
        if from > to { m.reader.report(m.value("to"), "In “licences” the last month paid (\(to)) comes before the first (\(from)).") }
        guard let seats, let price, let escalation else { return nil }
        return Licences(seats: seats, price: price, from: min(from, horizon), to: to, escalation: escalation, users: users)
    }

    /// - Parameter horizon: the scenario's horizon in months, nil when it is itself invalid.
    private func adoption(_ node: Node, horizon: Int?) -> Adoption? {
        guard let m = reader.mapping(node, section: "adoption", allowed: ScenarioKeys.adoption.names) else { return nil }
        let model = m.text("model", required: false) ?? "logistic"
        let goLive = uncertain(m, ScenarioKeys.adoption["go_live"], name: "adoption.go_live")
        let ceiling = uncertain(m, ScenarioKeys.adoption["ceiling"], name: "adoption.ceiling")
        // A go-live after the last month simulated leaves a case of costs without a CRM: the
        // user has almost surely mistyped the month or the horizon. (Drawn months are rounded,
        // hence the rounding here; a delay risk may still push go-live past the horizon.)
        if let goLive, let horizon, goLive.distribution.support.lowerBound.rounded() > Double(horizon) {
            let earliest = goLive.distribution.support.lowerBound
            let shown = goLive.distribution.isFixed ? "is month \(formatted(earliest))" : "is never before month \(formatted(earliest.rounded()))"
            reader.report(m.value("go_live"), "“go_live” in “adoption” \(shown), after the horizon of \(horizon) months, so the CRM would never go live within the case.",
                          hint: "Set `go_live` to a month from 0 to \(horizon), or make `horizon` longer.")
        }
        var curve: Adoption.Curve?
        switch model {
        case "logistic":
            for key in ["p", "q"] where m.has(key) {
                reader.report(m.value(key), "“\(key)” belongs to the Bass model, but this adoption curve is logistic.",
                              hint: "Write `model: bass`, or use `half_time` and `steepness`.")
            }
            let half = uncertain(m, ScenarioKeys.adoption["half_time"], name: "adoption.half_time")
            let steep = uncertain(m, ScenarioKeys.adoption["steepness"], name: "adoption.steepness")
            if let half, let steep { curve = .logistic(halfTime: half, steepness: steep) }
        case "bass":
            for key in ["half_time", "steepness"] where m.has(key) {
                reader.report(m.value(key), "“\(key)” belongs to the logistic model, but this adoption curve is Bass.",
                              hint: "Write `model: logistic`, or use `p` and `q`.")
            }
            let p = uncertain(m, ScenarioKeys.adoption["p"], name: "adoption.p")
            let q = uncertain(m, ScenarioKeys.adoption["q"], name: "adoption.q")
            if let p, ScenarioKeys.adoption["p"].aboveLowerBound, p.distribution.support.lowerBound <= 0 {
                reader.report(m.value("p"), "The Bass innovation coefficient p must be above 0, or nobody would ever start.",
                              hint: "Typical values are 0.01 to 0.05 per month.")
            }
            if let p, let q { curve = .bass(p: p, q: q) }
        default:
            let guess = Suggestions.nearest(to: model, in: ["logistic", "bass"])
            reader.report(m.value("model"), "“\(model)” is not an adoption model this tool knows.",
                          hint: guess.map { "Did you mean `\($0)`?" } ?? "Use `logistic` or `bass`.")
        }
        guard let goLive, let ceiling, let curve else { return nil }
        return Adoption(curve: curve, goLive: goLive, ceiling: ceiling)
    }

    private func lines(_ node: Node, section: String, isBenefit: Bool, horizon: Int, used: inout Set<String>) -> [Line]? {
        guard let items = reader.sequence(node, section: section) else { return nil }
        let keys = isBenefit ? ScenarioKeys.benefitLine : ScenarioKeys.costLine
        var result: [Line] = []
        for item in items {
            guard let m = reader.mapping(item, section: "a line of \(section)", allowed: keys.names) else { continue }
            guard let name = m.text("name") else { continue }
            if used.contains(name) {
                reader.report(m.value("name"), "There are two cost or benefit lines called “\(name)”.",
                              hint: "Give each line its own name; reports list them by name.")
            }
            used.insert(name)
            let perText = m.text("per")
            let basis = perText.flatMap { Line.Basis(rawValue: $0) }
            if let perText, basis == nil {
                // Every valid value, always: a near miss such as `year` → `seat` would mislead.
                let options = Line.Basis.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
                let raw = Line.Basis.allCases.map(\.rawValue)
                var hint = Suggestions.nearest(to: perText, in: raw).map { "Did you mean `\($0)`?" }
                if ["year", "yearly", "annual", "annually", "annum", "quarter", "quarterly", "week", "day"].contains(perText.lowercased()) {
                    hint = "Amounts are per month: for a yearly amount, divide it by 12 and write `per: month`."
                }
                reader.report(m.value("per"), "“\(perText)” is not something an amount can be per; use one of \(options).",
                              hint: hint)
            }
            let amount = uncertain(m, keys["amount"], name: "\(section)[\(name)].amount",
                                   unit: basis == .once ? .money : .moneyPerMonth)
            let defaultTo = basis == .once ? 0 : horizon
            let from = m.integer("from", in: 0...horizon, meaning: "a month of the horizon") ?? keys["from"].integerFallback!
            let to = m.integer("to", in: 0...horizon, meaning: "a month of the horizon") ?? max(from, defaultTo)
            if from > to {
                reader.report(m.value("to") ?? m.value("from"), "In “\(name)” the last month (\(to)) comes before the first (\(from)).")
            }
            let scales = m.flag("scale_with_adoption") ?? (isBenefit && basis != .once)
            guard let basis, let amount else { continue }
            result.append(Line(name: name, amount: amount, basis: basis, from: from, to: to, scalesWithAdoption: scales))
        }
        return result
    }

    private func acquisition(_ node: Node) -> Acquisition? {
        guard let m = reader.mapping(node, section: "acquisition", allowed: ScenarioKeys.acquisition.names) else {
            return nil
        }
        let new = uncertain(m, ScenarioKeys.acquisition["new_customers"], name: "acquisition.new_customers")
        let uplift = uncertain(m, ScenarioKeys.acquisition["win_rate_uplift"], name: "acquisition.win_rate_uplift")
        let cost = uncertain(m, ScenarioKeys.acquisition["cost_per_customer"], name: "acquisition.cost_per_customer")
        guard let new, let uplift, let cost else { return nil }
        return Acquisition(newCustomers: new, winRateUplift: uplift, costPerCustomer: cost)
    }

    private func segments(_ node: Node) -> [Segment]? {
        guard let items = reader.sequence(node, section: "segments") else { return nil }
        if items.isEmpty {
            reader.report(node, "“segments” is empty: the case needs at least one group of customers.",
                          hint: "Add a segment with `name`, `customers`, `margin` and `churn`.")
            return nil
        }
        if items.count > Limits.segments {
            reader.report(node, "“segments” lists \(Limits.grouped(items.count)) segments, above the limit of \(Limits.grouped(Limits.segments)).",
                          hint: "Group customers into fewer segments.")
            return nil
        }
        var result: [Segment] = []
        var mixes: [(Double?, Node?)] = []
        // A mix already reported as unreadable is not reported again as "missing" below.
        var badMix = false
        var names: Set<String> = []
        for item in items {
            guard let m = reader.mapping(item, section: "a segment", allowed: ScenarioKeys.segment.names) else { continue }
            guard let name = m.text("name") else { continue }
            if !names.insert(name).inserted {
                reader.report(m.value("name"), "There are two segments called “\(name)”.", hint: "Give each segment its own name.")
            }
            let path = "segments[\(name)]"
            let customers = uncertain(m, ScenarioKeys.segment["customers"], name: "\(path).customers")
            let margin = uncertain(m, ScenarioKeys.segment["margin"], name: "\(path).margin")
            var retention: ShiftedBetaGeometric?
            let churn: Uncertain?
            if let node = m.value("churn"), case .scalar(let scalar) = node,
               scalar.string.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("sbg(") {
                retention = shiftedBetaGeometric(node, text: scalar.string)
                churn = retention.map { sbg in
                    // Shown in the input table: the share of a new cohort lost in its first year.
                    Uncertain(name: "\(path).churn", distribution: .fixed(1 - sbg.survival(after: 12)),
                              source: scalar.string, unit: .sharePerYear)
                }
            } else {
                churn = uncertain(m, ScenarioKeys.segment["churn"], name: "\(path).churn")
            }
            let reduction = uncertain(m, ScenarioKeys.segment["churn_reduction"], name: "\(path).churn_reduction")
            let uplift = uncertain(m, ScenarioKeys.segment["margin_uplift"], name: "\(path).margin_uplift")
            // Optional: overrides `acquisition.cost_per_customer` for this segment only.
            var cost: Uncertain?
            if let node = m.value("cost_per_customer"), case .scalar(let s) = node,
               let n = ValueSyntax.number(s.string), n.value < 0 {
                reader.report(node, "The “cost_per_customer” of segment “\(name)” is \(s.string), but what it costs to win a customer cannot be negative.",
                              hint: "Write what winning one new customer of this segment costs, e.g. `cost_per_customer: 2000`, or leave it out to use `acquisition.cost_per_customer`.")
                continue
            } else if m.has("cost_per_customer") {
                cost = uncertain(m, ScenarioKeys.segment["cost_per_customer"], name: "\(path).cost_per_customer")
                if cost == nil { continue }
            }
            var mix: Double?
            if let node = m.value("mix") {
                if case .scalar(let s) = node, let n = ValueSyntax.number(s.string),
                   let slip = ValueSyntax.fractionSlip([n], written: [s.string], text: s.string, bounds: .share, perYear: false) {
                    reader.report(node, "The “mix” of segment “\(name)”: \(slip.message)", hint: slip.hint)
                } else if case .scalar(let s) = node, let slip = NumberSlip.problem(in: s.string) {
                    reader.report(node, "The “mix” of segment “\(name)”: \(slip)")
                } else if case .scalar(let s) = node, let n = ValueSyntax.number(s.string), n.value >= 0, n.value <= 1 {
                    mix = n.value
                } else {
                    reader.report(node, "The “mix” of segment “\(name)” should be a plain share between 0 % and 100 %, like `40%`.")
                }
            }
            if m.has("mix") && mix == nil { badMix = true }
            mixes.append((mix, m.value("mix")))
            guard let customers, let margin, let churn, let reduction, let uplift else { continue }
            var segment = Segment(name: name, customers: customers, margin: margin, churn: churn,
                                  churnReduction: reduction, marginUplift: uplift, mix: mix ?? 0)
            segment.retention = retention
            segment.costPerCustomer = cost
            result.append(segment)
        }
        guard result.count == items.count else { return nil }

        // New customers' mix: given for every segment and adding up to 100 %, or for none.
        let given = mixes.compactMap(\.0)
        if given.isEmpty {
            let weights = result.map { max(0, $0.customers.distribution.mean) }
            let total = weights.reduce(0, +)
            for i in result.indices {
                result[i].mix = total > 0 ? weights[i] / total : 1 / Double(result.count)
            }
        } else if badMix {
            return result
        } else if given.count != result.count {
            reader.report(node, "Some segments give a “mix” and some do not.",
                          hint: "Give every segment a mix (adding up to 100 %), or leave mix out everywhere to split new customers by segment size.")
        } else {
            let total = given.reduce(0, +)
            if abs(total - 1) > 1e-6 {
                reader.report(node, "The segments’ “mix” shares add up to \(ValueSyntax.formatPercent(total)), not 100 %.")
            }
        }
        return result
    }

    private func risks(_ node: Node) -> [RiskEvent]? {
        guard let items = reader.sequence(node, section: "risks") else { return nil }
        var result: [RiskEvent] = []
        var names: Set<String> = []
        for item in items {
            guard let m = reader.mapping(item, section: "a risk", allowed: ScenarioKeys.risk.names) else {
                continue
            }
            guard let name = m.text("name") else { continue }
            if !names.insert(name).inserted {
                reader.report(m.value("name"), "There are two risks called “\(name)”.", hint: "Give each risk its own name.")
            }
            let path = "risks[\(name)]"
            let probability = uncertain(m, ScenarioKeys.risk["probability"], name: "\(path).probability")
            var effects: [RiskEvent.Effect] = []
            var complete = true
            if let list = m.value("effects") {
                // The list form: several effects decided by one occurrence draw. The effect keys
                // then belong inside the list, where each names its own target.
                for key in ["effect", "factor", "months"] where m.has(key) {
                    reader.report(m.value(key), "Risk “\(name)” lists its “effects”, so “\(key)” belongs inside that list, with its effect.",
                                  hint: "Write each effect as `- { effect: crm_effects, factor: 0.5 }` under `effects:`, or drop `effects:` for a single effect.")
                    complete = false
                }
                guard let entries = reader.sequence(list, section: "effects") else { continue }
                if entries.isEmpty {
                    reader.report(list, "“effects” of risk “\(name)” is empty, so the risk would change nothing.",
                                  hint: "List at least one effect, e.g. `- { effect: crm_effects, factor: 0.5 }`.")
                    continue
                }
                var seen: [RiskEvent.Target: Node] = [:]
                for entry in entries {
                    guard let e = reader.mapping(entry, section: "an effect of risk “\(name)”", allowed: ScenarioKeys.riskEffect.names) else {
                        complete = false
                        continue
                    }
                    guard let effect = riskEffect(e, risk: name, path: { "\(path).effects[\($0.rawValue)]" }) else {
                        complete = false
                        continue
                    }
                    if seen[effect.target] != nil {
                        reader.report(e.value("effect"), "Risk “\(name)” has two effects on “\(effect.target.rawValue)”.",
                                      hint: effect.target.isDelay ? "Add the delays up into one effect." : "Multiply the factors into one effect.")
                        complete = false
                    }
                    seen[effect.target] = entry
                    effects.append(effect)
                }
            } else if let effect = riskEffect(m, risk: name, path: { _ in path }) {
                effects = [effect]
            } else {
                complete = false
            }
            guard let probability, complete, !effects.isEmpty else { continue }
            result.append(RiskEvent(name: name, probability: probability, effects: effects))
        }
        return result
    }

    /// One effect of a risk: `effect:` and its `factor:` (or `months:` for `go_live`), read
    /// from a risk (the single-effect form) or from an entry of its `effects:` list.
    ///
    /// - Parameter path: the input name prefix of the size, given the target
    ///   (`risks[NAME]` or `risks[NAME].effects[TARGET]`).
    private func riskEffect(_ m: MappingReader, risk: String, path: (RiskEvent.Target) -> String) -> RiskEvent.Effect? {
        let effectText = m.text("effect")
        let target = effectText.flatMap { RiskEvent.Target(rawValue: $0) }
        if let effectText, target == nil {
            let options = RiskEvent.Target.allCases.map(\.rawValue)
            let guess = Suggestions.nearest(to: effectText, in: options)
            reader.report(m.value("effect"), "“\(effectText)” is not something a risk can affect.",
                          hint: guess.map { "Did you mean `\($0)`?" } ?? "Use one of: \(options.joined(separator: ", ")).")
        }
        guard let target else { return nil }
        let (key, other) = target.isDelay ? ("months", "factor") : ("factor", "months")
        if m.has(other) {
            reader.report(m.value(other), "A risk on “\(target.rawValue)” has a “\(key)”, not a “\(other)”.")
        }
        guard let size = uncertain(m, ScenarioKeys.riskEffect[key], name: "\(path(target)).\(key)") else { return nil }
        return RiskEvent.Effect(target: target, size: size)
    }

    // MARK: Values

    /// `sbg(α, β)`: a shifted-beta-geometric retention curve with months as periods.
    private func shiftedBetaGeometric(_ node: Node, text: String) -> ShiftedBetaGeometric? {
        let inside = text.trimmingCharacters(in: .whitespaces).dropFirst(4).dropLast()
        let parts = inside.split(separator: ",").map { NumberText.parse(String($0)) }
        guard text.trimmingCharacters(in: .whitespaces).hasSuffix(")"), parts.count == 2,
              let alpha = parts[0], let beta = parts[1], alpha > 0, beta > 0 else {
            reader.report(node, "“\(text)” is not a valid retention curve.",
                          hint: "Write `sbg(α, β)` with two numbers above 0, as `crmcase track` reports them, e.g. `sbg(0.7, 1.2)`.")
            return nil
        }
        return ShiftedBetaGeometric(alpha: alpha, beta: beta)
    }

    private func calendarMonth(_ node: Node) -> CalendarMonth? {
        if case .scalar(let s) = node {
            let parts = s.string.split(separator: "-")
            if parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
               (1900...2200).contains(year), (1...12).contains(month) {
                return CalendarMonth(year: year, month: month)
            }
        }
        reader.report(node, "“start” should be a calendar month written year-month, like `2027-03`.")
        return nil
    }

    /// Reads the number or distribution of `spec` (its bounds, unit and default from the table
    /// of keys, ``ScenarioKeys``) and names it `name`.
    ///
    /// - Parameter unit: the unit where the table leaves it to the file (a line's `amount`).
    private func uncertain(_ m: MappingReader, _ spec: ScenarioKeys.Key, name: String, unit given: Uncertain.Unit? = nil) -> Uncertain? {
        let key = spec.name
        guard let (bounds, tableUnit, fallback) = spec.numberRules, let unit = given ?? tableUnit else {
            preconditionFailure("\(key) is not a number or distribution in ScenarioKeys, or its unit is not given")
        }
        guard let node = m.value(key) else {
            if let fallback { return .constant(name, fallback, unit: unit) }
            m.missing(key)
            return nil
        }
        guard case .scalar(let scalar) = node else {
            reader.report(node, "“\(key)” in “\(m.section)” should be a number or a distribution, but it is \(reader.describe(node)).",
                          hint: "Write it on one line, e.g. `\(key): pert(10, 20, 40)`.")
            return nil
        }
        let text = scalar.string
        // In a one-line `{ key: value, … }` (as risk `effects:` are often written) a comma ends
        // the value, so `pert(0.1, 0.35, 0.7)` arrives as `pert(0.1`: say why, instead of
        // calling it no distribution at all.
        if text.contains("("), !text.contains(")") {
            reader.report(node, "“\(key)” in “\(m.section)” has no closing bracket: “\(text)”; inside `{ … }` a comma ends the value.",
                          hint: "Put the distribution in quotes, e.g. `\(key): \"pert(10, 20, 40)\"`, or write the entry on separate lines.")
            return nil
        }
        switch ValueSyntax.distribution(text, bounds: bounds, perYear: unit == .sharePerYear) {
        case .failure(let problem):
            reader.report(node, "“\(key)” in “\(m.section)”: \(problem.message)", hint: problem.hint)
            return nil
        case .success(let distribution):
            let support = distribution.support
            let place = "“\(key)” in “\(m.section)”"
            if bounds.whole, let fraction = notWhole(distribution) {
                let shown = distribution.isFixed ? "is \(formatted(fraction))" : "can be \(formatted(fraction))"
                reader.report(node, "\(place) \(shown), but it must be a whole number (a \(bounds.wholeWords)); write \(formatted(fraction.rounded(.down))) or \(formatted(fraction.rounded(.up))).",
                              hint: "crmcase does not round such values for you, so that a slip cannot change the case unseen.")
                return nil
            }
            if support.lowerBound.isFinite && support.upperBound.isFinite || distribution.isFixed {
                if support.lowerBound < bounds.lower || support.upperBound > bounds.upper {
                    let shown = distribution.isFixed ? "is \(text)" : "can be as \(support.lowerBound < bounds.lower ? "low" : "high") as \(formatted(support.lowerBound < bounds.lower ? support.lowerBound : support.upperBound))"
                    reader.report(node, "\(place) \(shown), but it must be \(bounds.words).",
                                  hint: distribution.isFixed
                                      ? (bounds.upper == 1 && ValueSyntax.number(text)?.isPercent == false
                                          ? "Write shares as percentages, e.g. `12%`." : nil)
                                      : bounds.hint)
                    return nil
                }
            } else {
                let outside = (bounds.lower.isFinite ? distribution.cdf(bounds.lower) : 0)
                    + (bounds.upper.isFinite ? 1 - distribution.cdf(bounds.upper) : 0)
                // Tolerate a tail too thin to matter; such draws are clamped to the bound.
                if outside > 1e-6 {
                    reader.report(node, "\(place): \(text) falls outside the allowed range (\(bounds.words)) in \(percentText(outside)) of trials.",
                                  hint: bounds.hint)
                    return nil
                }
            }
            // A NaN draw would not stop a trial, only falsify it silently; refuse it here.
            if !distribution.isFixed, let bad = distribution.firstNonFiniteDraw() {
                let what = bad.value.isNaN ? "a value that is not a number (NaN)" : "an infinite value"
                reader.report(node, "“\(name)” (\(text)) draws \(what) at probability \(String(format: "%.3g", bad.probability)).",
                              hint: "The distribution is too extreme to compute; try a less skewed one, e.g. `pert(min, mode, max)`.")
                return nil
            }
            return Uncertain(name: name, distribution: distribution, source: text, unit: unit)
        }
    }

    /// The first value of a fixed or discrete distribution that is not a whole number (nil when
    /// all are, and for continuous distributions, whose draws the model rounds by design).
    private func notWhole(_ distribution: Distribution) -> Double? {
        switch distribution {
        case .fixed(let x): return x == x.rounded() ? nil : x
        case .discrete(let values, _): return values.first { $0 != $0.rounded() }
        default: return nil
        }
    }

    private func percentText(_ share: Double) -> String {
        let percent = share * 100
        if percent >= 1 { return String(format: "%.1f %%", percent) }
        return String(format: "%.2g %%", percent)
    }
}
