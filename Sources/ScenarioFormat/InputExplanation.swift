import CRMModel
import Foundation

/// What each uncertain input of a scenario became, in one line a user can check against what
/// they meant: the text written, the distribution family with its parameters, its mean and
/// its 5th and 95th percentiles, e.g.
///
///     segments[Loyal].churn_reduction: 0% to 30% → beta(α=1, β=8.4) on 0…100 %, mean 10.6 %, P5 0.6 %, P95 30.0 %
///
/// `crmcase validate` prints these, so that "0% to 30%" turning into a beta (and not a normal
/// that dips below 0 %) is visible before anything is simulated.
public enum InputExplanation {
    /// One line per input that is not a fixed number, in the report's input order.
    public static func lines(for scenario: Scenario) -> [String] {
        scenario.inputs.filter { !$0.distribution.isFixed }.map(line)
    }

    /// `name: source → family(parameters) on range, mean …, P5 …, P95 …`.
    public static func line(_ input: Uncertain) -> String {
        let d = input.distribution
        let show = { (x: Double) in value(x, unit: input.unit) }
        return "\(input.name): \(input.source) → \(family(d, show: show)), mean \(show(d.mean)), "
            + "P5 \(show(d.quantile(0.05))), P95 \(show(d.quantile(0.95)))"
    }

    /// The family and its parameters; ranges in the input's own unit, shapes as plain numbers.
    static func family(_ d: Distribution, show: (Double) -> String) -> String {
        switch d {
        case .fixed(let x):
            return "fixed \(show(x))"
        case .uniform(let a, let b):
            return "uniform on \(show(a))…\(show(b))"
        case .triangular(let a, let c, let b):
            return "triangular on \(show(a))…\(show(b)), most likely \(show(c))"
        case .pert(let a, let c, let b, let lambda):
            let (alpha, beta) = Distribution.pertShape(min: a, mode: c, max: b, lambda: lambda)
            return "PERT: beta(α=\(shape(alpha)), β=\(shape(beta))) on \(show(a))…\(show(b)), most likely \(show(c))"
        case .normal(let mean, let sd):
            return "normal(mean \(show(mean)), sd \(show(sd))), unbounded"
        case .lognormal(let mu, let sigma):
            return "lognormal(μ=\(shape(mu)), σ=\(shape(sigma)) on the log scale) on 0…∞"
        case .beta(let alpha, let beta, let a, let b):
            return "beta(α=\(shape(alpha)), β=\(shape(beta))) on \(show(a))…\(show(b))"
        case .gamma(let k, let theta):
            if k == 1 { return "exponential (gamma with shape 1, scale \(show(theta))) on 0…∞" }
            return "gamma(shape \(shape(k)), scale \(show(theta))) on 0…∞"
        case .discrete(let values, let probabilities):
            let pairs = zip(values, probabilities).map { "\(show($0.0)) (\(percent($0.1)))" }
            return "discrete: " + pairs.joined(separator: ", ")
        }
    }

    /// A value in the input's unit: shares as percentages with one decimal, other numbers
    /// with four significant digits and a k/M suffix.
    static func value(_ x: Double, unit: Uncertain.Unit) -> String {
        switch unit {
        case .share, .sharePerYear: return percent(x)
        default: return plain(x)
        }
    }

    private static func percent(_ share: Double) -> String {
        // “100 %” and not “100.0 %” at the bound itself, so that `0…100 %` reads naturally.
        if share == 0 || share == 1 { return "\(Int(share * 100)) %" }
        return String(format: "%.1f %%", share * 100)
    }

    private static func plain(_ x: Double) -> String {
        let a = abs(x)
        func trim(_ text: String) -> String {
            guard text.contains(".") else { return text }
            var t = text
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t
        }
        if a >= 1e9 { return trim(String(format: "%.3f", x / 1e9)) + "bn" }
        if a >= 1e6 { return trim(String(format: "%.3f", x / 1e6)) + "M" }
        if a >= 1e4 { return trim(String(format: "%.1f", x / 1e3)) + "k" }
        if a >= 100 { return trim(String(format: "%.1f", x)) }
        return trim(String(format: "%.3g", x))
    }

    private static func shape(_ x: Double) -> String {
        let text = String(format: "%.3g", x)
        return text
    }
}
