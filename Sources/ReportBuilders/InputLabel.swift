/// Input names for people: the scenario path of an input (what `--set` and the tables use,
/// e.g. `segments[Relationship-seeking].margin_uplift`) as words for a chart's row label
/// (“Relationship-seeking: margin uplift”).
public enum InputLabel {
    /// `kind[name].field` → “name: field”, with a risk's name quoted and marked as a risk;
    /// `group.field` → “Group: field”; a whole risk event (“risk: NAME”, the swing of the event
    /// and its size together) → “Risk “NAME””. Underscores in keys become spaces. Anything
    /// else is returned as it is.
    public static func words(_ path: String) -> String {
        if path.hasPrefix("risk: ") { return "Risk “\(path.dropFirst(6))”" }
        if let open = path.firstIndex(of: "["), let close = path.lastIndex(of: "]"), open < close {
            let kind = path[..<open]
            let name = path[path.index(after: open)..<close]
            let rest = path[path.index(after: close)...]
            guard rest.hasPrefix("."), rest.count > 1 else { return path }
            let field = key(rest.dropFirst())
            return kind == "risks" ? "Risk “\(name)”: \(field)" : "\(name): \(field)"
        }
        let parts = path.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let first = parts[0].first else { return path }
        return first.uppercased() + parts[0].dropFirst() + ": " + key(parts[1])
    }

    private static func key(_ text: Substring) -> String {
        String(text.map { $0 == "_" ? " " : $0 })
    }
}
