import Foundation
import Testing
import CRMModel
import GSLSupport

/// The pure-Swift Brent solver the IRR of every trial uses, against GSL's
/// `gsl_root_fsolver_brent` (through ``RootFinding/brent``), which stays the reference.
@Suite("Brent root finding without allocation, against GSL")
struct BracketedRootTests {
    /// Monthly cash-flow series like a business case's: an investment, a ramp-up, a steady
    /// state, sometimes a late cost or a loss-making tail, on a grid of sizes and horizons.
    static func cashFlowGrid() -> [[Double]] {
        var grid: [[Double]] = []
        for horizon in [1, 2, 12, 36, 60, 120] {
            for investment in [1.0, 250.0, 1e5, 3.7e6] {
                for monthly in [0.01, 0.3, 1.0, 7.0] {
                    for ramp in [0.0, 6.0] {
                        for lateCost in [0.0, 0.5] {
                            var flows = [-investment]
                            for t in 1...horizon {
                                let share = ramp == 0 ? 1 : 1 - exp(-Double(t) / ramp)
                                flows.append(investment * monthly / 10 * share)
                            }
                            if lateCost > 0, horizon >= 12 { flows[horizon / 2] -= investment * lateCost }
                            grid.append(flows)
                        }
                    }
                }
            }
        }
        return grid
    }

    private static func polynomial(_ flows: [Double]) -> (Double) -> Double {
        { x in
            var value = 0.0
            for flow in flows.reversed() { value = value * x + flow }
            return value
        }
    }

    @Test("Same root as GSL's Brent solver on a grid of cash flows (to 1e-12, relative)")
    func matchesGSLOnCashFlows() throws {
        var compared = 0, identical = 0
        for flows in Self.cashFlowGrid() {
            let f = Self.polynomial(flows)
            // A bracket of the NPV polynomial's root in x = 1/(1 + r) on a grid, as the IRR does.
            var lo = 1e-6, hi = 1e-6
            var bracket: (Double, Double)?
            while hi < 1e4 {
                lo = hi
                hi *= 1.7
                if (f(lo) > 0) != (f(hi) > 0) { bracket = (lo, hi); break }
            }
            guard let (a, b) = bracket else { continue }
            for relative in [1e-14, 1e-10, 1e-6] {
                let ours = try #require(BracketedRoot.brent(lower: a, upper: b, absoluteTolerance: 0,
                                                            relativeTolerance: relative, f))
                let gsl = try RootFinding.brent(lower: a, upper: b, absoluteTolerance: 0,
                                                relativeTolerance: relative, f)
                #expect(abs(ours - gsl) <= 1e-12 * abs(gsl), "flows \(flows.prefix(3))…: \(ours) vs GSL \(gsl)")
                compared += 1
                if ours == gsl { identical += 1 }
            }
        }
        #expect(compared > 1000)
        // The same steps as GSL: bit for bit on this grid, not merely within the tolerance.
        #expect(identical == compared, "\(identical) of \(compared) identical")
    }

    @Test("Same root as GSL on smooth functions with awkward shapes")
    func matchesGSLOnFunctions() throws {
        let cases: [(String, Double, Double, (Double) -> Double)] = [
            ("x³ − 2", 0, 2, { $0 * $0 * $0 - 2 }),
            ("cos x − x", 0, 1, { cos($0) - $0 }),
            ("flat near the root: (x − 1)⁹", 0, 3, { pow($0 - 1, 9) }),
            ("steep: exp(30x) − 5", -1, 1, { exp(30 * $0) - 5 }),
            ("root at an end", 1, 2, { $0 - 1 }),
            ("tiny root", 0, 1, { $0 - 1e-9 }),
        ]
        for (name, a, b, f) in cases {
            for (absolute, relative) in [(1e-15, 1e-13), (0, 1e-14), (1e-8, 0)] {
                let gsl = try RootFinding.brent(lower: a, upper: b, absoluteTolerance: absolute,
                                                relativeTolerance: relative, f)
                let ours = try #require(BracketedRoot.brent(lower: a, upper: b, absoluteTolerance: absolute,
                                                            relativeTolerance: relative, f), "\(name)")
                #expect(abs(ours - gsl) <= 1e-12 * max(abs(gsl), 1e-300), "\(name): \(ours) vs GSL \(gsl)")
            }
        }
    }

    @Test("No root where GSL refuses: a bracket that does not straddle zero, a non-finite value")
    func refusals() {
        #expect(BracketedRoot.brent(lower: 0, upper: 1, { $0 + 1 }) == nil)
        #expect((try? RootFinding.brent(lower: 0, upper: 1, { $0 + 1 })) == nil)
        #expect(BracketedRoot.brent(lower: -1, upper: 1, { $0 == 1 ? .nan : $0 }) == nil)
        #expect(BracketedRoot.brent(lower: 2, upper: 1, { $0 - 1.5 }) == nil)
    }
}
