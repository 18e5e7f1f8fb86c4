import CRMModel
import Yams

/// A change to one value of a scenario for a run: `--set licences.seats=60` on the command line,
/// or a line of a variant in the scenario's `variants:` section.
///
/// The path names the value the way reports name inputs: keys joined by dots, a list item chosen
/// by its name in brackets — `licences.seats`, `adoption.ceiling`, `costs[Training].amount`,
/// `segments[Hybrid].churn_reduction`, `risks[Budget overrun].probability`. The value is written
/// as in the scenario file (`60`, `12%`, `pert(10%, 20%, 30%)`, `70% to 95%`).
public struct Override: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var value: String
    /// Where it came from, for messages and reports: "--set" or "variant “More training”".
    public var origin: String
    /// Where it is written, when in a file (a variant's line under `set:`), so that a problem
    /// with it points there; nil for `--set`, whose problems name `--set`.
    public var place: Place?

    /// A place in a file: the file, and the line and column of an override's path and value.
    public struct Place: Sendable, Hashable {
        public var file: String
        public var pathLine: Int
        public var pathColumn: Int
        public var valueLine: Int
        public var valueColumn: Int

        public init(file: String, pathLine: Int, pathColumn: Int, valueLine: Int, valueColumn: Int) {
            self.file = file
            self.pathLine = pathLine
            self.pathColumn = pathColumn
            self.valueLine = valueLine
            self.valueColumn = valueColumn
        }
    }

    public init(path: String, value: String, origin: String, place: Place? = nil) {
        self.path = path
        self.value = value
        self.origin = origin
        self.place = place
    }

    /// A problem with this override, `In path=value: message`: at its place in a file when it
    /// has one (at its value when `aboutValue`, else at its path), else named by its origin.
    func issue(_ message: String, hint: String? = nil, aboutValue: Bool = false) -> ScenarioIssue {
        guard let place else {
            return ScenarioIssue(file: origin, message: "In \(path)=\(value): \(message)", hint: hint)
        }
        return ScenarioIssue(file: place.file, line: aboutValue ? place.valueLine : place.pathLine,
                             column: aboutValue ? place.valueColumn : place.pathColumn,
                             message: "In \(path)=\(value) (\(origin)): \(message)", hint: hint)
    }

    /// Reads `path=value`, as `--set` takes it.
    public static func parse(_ text: String, origin: String = "--set") -> Override? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let path = text[..<equals].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, !value.isEmpty else { return nil }
        return Override(path: path, value: value, origin: origin)
    }

    /// Why `path` is too long or too deep to be a path to a value (``Limits/overridePathLength``,
    /// ``Limits/overridePathDepth``), or nil. Checked before the path is walked: a path of
    /// thousands of steps cost memory quadratic in its length (gigabytes) before it failed.
    public static func sizeProblem(_ path: String) -> String? {
        let length = path.unicodeScalars.count
        if length > Limits.overridePathLength {
            return "The path has \(Limits.grouped(length)) characters, above the limit of \(Limits.grouped(Limits.overridePathLength)) for a path to a value."
        }
        // Counted without reading names: a dot inside brackets (`costs[Dr. Who]`) is part of a name.
        var depth = 1, inBrackets = false
        for c in path.unicodeScalars {
            if c == "[" { inBrackets = true } else if c == "]" { inBrackets = false } else if c == ".", !inBrackets { depth += 1 }
        }
        if depth > Limits.overridePathDepth {
            return "The path has \(Limits.grouped(depth)) steps, above the limit of \(Limits.overridePathDepth); scenario values are at most 3 steps deep, like `segments[Hybrid].churn`."
        }
        return nil
    }

    public var description: String { "\(path) = \(value)" }

    /// `path=value`, as `--set` takes it (and as a what-if report folder is named).
    public var pathAndValue: String { "\(path)=\(value)" }
}

/// A named set of overrides of a base scenario (the `variants:` section).
public struct Variant: Sendable {
    public var name: String
    public var overrides: [Override]
}

/// Applies overrides to a YAML node tree before the scenario is read, so every changed value is
/// checked exactly like one written in the file.
enum OverrideApplier {
    struct Step {
        var key: String
        /// The name of the list item, for `key[Name]`.
        var item: String?
    }

    /// The steps of a path, or nil when it is malformed.
    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(path)
        while !rest.isEmpty {
            var key = ""
            while let c = rest.first, c != ".", c != "[" {
                key.append(c)
                rest.removeFirst()
            }
            guard !key.isEmpty else { return nil }
            var item: String?
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                item = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
                guard item?.isEmpty == false else { return nil }
            }
            steps.append(Step(key: key.trimmingCharacters(in: .whitespaces), item: item))
            if rest.first == "." { rest.removeFirst() } else if !rest.isEmpty { return nil }
        }
        return steps.isEmpty ? nil : steps
    }

    /// The tag that marks a value node as coming from override number `index`, so that a
    /// problem with the value is reported against the override rather than a line of the file.
    static let tagPrefix = "tag:crmcase,2026:override:"

    /// The suffix of the tag of a key an override added (a step of its path, not its value).
    static let pathTagSuffix = "/path"

    /// The override a node came from, if it came from one, and whether the node is a key of its
    /// path (else its value).
    static func overrideIndex(of node: Node?) -> (index: Int, isPath: Bool)? {
        guard case .scalar(let scalar)? = node, scalar.tag.rawValue.hasPrefix(tagPrefix) else { return nil }
        var rest = scalar.tag.rawValue.dropFirst(tagPrefix.count)
        let isPath = rest.hasSuffix(pathTagSuffix)
        if isPath { rest = rest.dropLast(pathTagSuffix.count) }
        return Int(rest).map { ($0, isPath) }
    }

    /// The tree with `override` (number `index` of the run) applied, or a problem in words.
    static func apply(_ override: Override, index: Int, to root: Node) -> Result<Node, ScenarioIssue> {
        if let problem = Override.sizeProblem(override.path) {
            var issue = override.issue(problem, hint: "Write it like `licences.seats` or `costs[Training].amount`.")
            issue.message = problem     // without the path itself, which is far too long to repeat
            return .failure(issue)
        }
        guard let steps = steps(override.path) else {
            return .failure(issue(override, "“\(override.path)” is not a path to a value.",
                                  hint: "Write it like `licences.seats` or `costs[Training].amount`."))
        }
        let valueTag = Tag(Tag.Name(rawValue: "\(tagPrefix)\(index)"))
        let pathTag = Tag(Tag.Name(rawValue: "\(tagPrefix)\(index)\(pathTagSuffix)"))
        return set(steps[...], in: root, override: override, value: Node(override.value, valueTag), tag: pathTag, walked: "")
    }

    private static func issue(_ override: Override, _ message: String, hint: String? = nil) -> ScenarioIssue {
        override.issue(message, hint: hint)
    }

    /// `steps` is a slice, so walking a level shares the path instead of copying its rest.
    /// A key the path adds (a value or section the file does not have) carries `tag` as the
    /// value does, so that a problem with it (an unknown key) names the override, not the file.
    private static func set(_ steps: ArraySlice<Step>, in node: Node, override: Override, value: Node, tag: Tag,
                            walked: String) -> Result<Node, ScenarioIssue> {
        guard case .mapping(var mapping) = node else {
            return .failure(issue(override, "“\(walked)” is not a section with settings."))
        }
        let step = steps[steps.startIndex]
        let here = walked.isEmpty ? step.key : "\(walked).\(step.key)"
        let index = mapping.firstIndex { pair in
            if case .scalar(let s) = pair.key { return s.string == step.key }
            return false
        }
        if steps.count == 1 && step.item == nil {
            if let index {
                mapping[index] = (key: mapping[index].key, value: value)
            } else {
                mapping = Node.Mapping(mapping.map { ($0.key, $0.value) } + [(Node(step.key, tag), value)], mapping.tag,
                                       mapping.style, mapping.mark)
            }
            return .success(.mapping(mapping))
        }
        guard let index else {
            if step.item != nil {
                return .failure(issue(override, "the scenario has no “\(step.key)” list."))
            }
            // A missing section is created, so `acquisition.new_customers` works without one.
            let created = Node([(Node, Node)]())
            switch set(steps.dropFirst(), in: created, override: override, value: value, tag: tag, walked: here) {
            case .failure(let problem): return .failure(problem)
            case .success(let child):
                mapping = Node.Mapping(mapping.map { ($0.key, $0.value) } + [(Node(step.key, tag), child)], mapping.tag,
                                       mapping.style, mapping.mark)
                return .success(.mapping(mapping))
            }
        }
        var child = mapping[index].value
        if let item = step.item {
            guard case .sequence(var sequence) = child else {
                return .failure(issue(override, "“\(here)” is not a list."))
            }
            let names = sequence.compactMap { element -> String? in
                if case .mapping(let m) = element, case .scalar(let s)? = m["name"] { return s.string }
                // A risk's `effects:` entries have no name: they are named by their target,
                // as in `risks[Project fails].effects[crm_effects].factor`.
                if case .mapping(let m) = element, case .scalar(let s)? = m["effect"] { return s.string }
                return nil
            }
            guard let position = names.firstIndex(of: item) else {
                let guess = Suggestions.nearest(to: item, in: names)
                return .failure(issue(override, "“\(here)” has no item called “\(item)”.",
                                      hint: guess.map { "Did you mean `\(step.key)[\($0)]`?" }
                                          ?? "Its items are: \(names.joined(separator: ", "))."))
            }
            let rest = steps.dropFirst()
            guard !rest.isEmpty else {
                return .failure(issue(override, "name a value inside “\(here)[\(item)]”, e.g. `\(here)[\(item)].amount`."))
            }
            switch set(rest, in: sequence[position], override: override, value: value, tag: tag, walked: "\(here)[\(item)]") {
            case .failure(let problem): return .failure(problem)
            case .success(let updated):
                sequence[position] = updated
                child = .sequence(sequence)
            }
        } else {
            switch set(steps.dropFirst(), in: child, override: override, value: value, tag: tag, walked: here) {
            case .failure(let problem): return .failure(problem)
            case .success(let updated): child = updated
            }
        }
        mapping[index] = (key: mapping[index].key, value: child)
        return .success(.mapping(mapping))
    }
}
