import Foundation
import Testing
@_spi(Testing) import CRMModel
import GSLSupport
@_spi(Testing) import MonteCarlo
import ScenarioFormat

private func packageRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

private func example(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: packageRoot().appendingPathComponent("Scenarios/\(name).yaml").path).scenario
}

@Suite("Monte Carlo engine")
struct EngineTests {
    @Test("The same seed gives bit-identical results with 1, 2 and 3 threads")
    func threadIndependence() throws {
        let model = TrialModel(scenario: try example("car-dealership"))
        let runs = [1, 2, 3].map { threads in
            Engine(model: model, options: .init(trials: 1500, seed: 99, threads: threads, bandTrials: 700)).run()
        }
        for run in runs.dropFirst() {
            #expect(run.npv == runs[0].npv)
            #expect(run.irr == runs[0].irr)
            #expect(run.payback == runs[0].payback)
            #expect(run.cumulativeCash == runs[0].cumulativeCash)
            #expect(run.lines == runs[0].lines)
            #expect(run.risks == runs[0].risks)
            for s in run.segments.indices {
                #expect(run.segments[s].customersWith == runs[0].segments[s].customersWith)
                #expect(run.segments[s].customersWithBand == runs[0].segments[s].customersWithBand)
            }
        }
        let other = Engine(model: model, options: .init(trials: 1500, seed: 100, threads: 2)).run()
        #expect(other.npv.mean != runs[0].npv.mean, "a different seed gives different draws")
    }

    @Test("Trial i does not depend on how many trials run")
    func prefixStability() throws {
        let model = TrialModel(scenario: try example("b2b-distributor"))
        let small = Engine(model: model, options: .init(trials: 300, seed: 5)).run()
        let large = Engine(model: model, options: .init(trials: 900, seed: 5)).run()
        for i in 0..<300 {
            #expect(small.perTrial.npv(i) == large.perTrial.npv(i))
        }
    }

    @Test("Summaries are consistent: P(loss) matches the NPV distribution; bands are ordered")
    func consistency() throws {
        let model = TrialModel(scenario: try example("subscription-churn"))
        let r = Engine(model: model, options: .init(trials: 2000, seed: 8)).run()
        var losses = 0
        for i in 0..<r.trials where r.perTrial.npv(i) < 0 { losses += 1 }
        #expect(r.probabilityOfLoss.successes == losses)
        #expect(abs(r.probabilityOfLoss.standardError - (r.probabilityOfLoss.value * (1 - r.probabilityOfLoss.value) / 2000).squareRoot()) < 1e-15)
        for t in r.cumulativeCash.p10.indices {
            #expect(r.cumulativeCash.p10[t] <= r.cumulativeCash.p50[t])
            #expect(r.cumulativeCash.p50[t] <= r.cumulativeCash.p90[t])
            #expect(r.adoption.p90[t] <= 1)
        }
        // NPV = PV benefits − PV costs on average, and lines add up to the totals.
        #expect(abs(r.npv.mean - (r.pvBenefits.mean - r.pvCosts.mean)) <= 1e-6 * r.pvCosts.mean)
        let costLines = r.lines.filter { $0.kind == "cost" }.reduce(0) { $0 + $1.mean }
        let benefitLines = r.lines.filter { $0.kind == "benefit" }.reduce(0) { $0 + $1.mean }
        #expect(abs(costLines - r.pvCosts.mean) <= 1e-6 * r.pvCosts.mean)
        #expect(abs(benefitLines - r.pvBenefits.mean) <= 1e-6 * abs(r.pvBenefits.mean) + 1e-6)
        // Risk impact: the split means recombine into the overall mean.
        for risk in r.risks where risk.occurred.successes > 0 && risk.occurred.successes < r.trials {
            let p = risk.occurred.value
            let combined = p * risk.meanNPVWhenItHappens + (1 - p) * risk.meanNPVOtherwise
            #expect(abs(combined - r.npv.mean) <= 1e-6 * abs(r.npv.standardDeviation))
        }
    }

    @Test("Risk events happen at their stated rate")
    func riskRates() throws {
        let scenario = try example("car-dealership")
        let r = Engine(model: TrialModel(scenario: scenario), options: .init(trials: 4000, seed: 21)).run()
        for (k, risk) in scenario.risks.enumerated() {
            let expected = risk.probability.distribution.mean
            let observed = r.risks[k].occurred
            let se = (expected * (1 - expected) / Double(observed.trials)).squareRoot()
            #expect(abs(observed.value - expected) <= 5 * se + 1e-12, "\(risk.name)")
        }
    }
}

@Suite("Order statistics")
struct OrderStatisticsTests {
    @Test("A monthly band equals GSL's type-7 quantiles and the plain mean of each month's values",
          arguments: [(trials: 1_001, months: 37, segments: 3), (trials: 1, months: 1, segments: 1),
                      (trials: 257, months: 61, segments: 1), (trials: 40, months: 5, segments: 2)])
    func bandMatchesGSL(_ shape: (trials: Int, months: Int, segments: Int)) {
        let (trials, months, segments) = shape
        // Path k, segment s, month t at [(k·S + s)·months + t], as the trial table keeps them;
        // values with ties and both signs.
        let values = (0..<(trials * segments * months)).map { i in
            Float(Int(SplitMix64.mix(UInt64(i)) % 20_000) - 6_000) / 7
        }
        for s in 0..<segments {
            let band = values.withUnsafeBufferPointer {
                Band(paths: $0, trials: trials, months: months, rowStride: segments * months, offset: s * months)
            }
            #expect(band.p10.count == months && band.mean.count == months)
            for t in 0..<months {
                let column = (0..<trials).map { Double(values[($0 * segments + s) * months + t]) }
                let sorted = column.sorted()
                #expect(band.p10[t] == SampleQuantile.fromSorted(sorted, 0.1), "segment \(s) month \(t)")
                #expect(band.p50[t] == SampleQuantile.fromSorted(sorted, 0.5), "segment \(s) month \(t)")
                #expect(band.p90[t] == SampleQuantile.fromSorted(sorted, 0.9), "segment \(s) month \(t)")
                #expect(band.mean[t] == column.reduce(0, +) / Double(trials), "segment \(s) month \(t)")
            }
        }
    }

    @Test("Selection quantiles equal GSL's type-7 quantiles of the sorted data")
    func matchesGSL() {
        var generator = SystemRandomNumberGenerator()
        for n in [1, 2, 3, 17, 100, 1001, 5000] {
            var values = (0..<n).map { _ in Double(Int.random(in: 0..<50, using: &generator)) / 7 } // many ties
            let sorted = values.sorted()
            let ps = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0]
            let q = OrderStatistics.quantiles(&values, ps)
            for (k, p) in ps.enumerated() {
                #expect(q[k] == SampleQuantile.fromSorted(sorted, p), "n \(n) p \(p)")
            }
        }
    }

    @Test("Radix selection is exact on awkward samples: infinities, signed zeros, subnormals, wide and narrow ranges, millions of ties")
    func awkward() {
        var generator = SystemRandomNumberGenerator()
        let ps = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0]
        func check(_ name: String, _ values: [Double]) {
            var copy = values
            let q = OrderStatistics.quantiles(&copy, ps)
            let sorted = values.sorted()
            for (k, p) in ps.enumerated() {
                // GSL's quantile of the sorted copy; next to an infinity (where GSL's arithmetic
                // gives NaN) the documented rule: the order statistic itself when the position is
                // whole, else the infinity.
                let position = Double(values.count - 1) * p
                let j = Int(position.rounded(.down))
                let neighbours = sorted[j...min(j + 1, values.count - 1)]
                let expected = !neighbours.contains(where: \.isInfinite) ? SampleQuantile.fromSorted(sorted, p)
                    : position == Double(j) ? sorted[j]
                    : (neighbours.last!.isInfinite ? neighbours.last! : neighbours.first!)
                #expect(q[k] == expected, "\(name) (n \(values.count)) p \(p): \(q[k]) against \(expected)")
            }
        }
        for n in [1, 2, 63, 64, 65, 2_049, 70_000] {
            check("wide", (0..<n).map { _ in Double.random(in: -1...1, using: &generator) * pow(10, Double.random(in: -300...300, using: &generator)) })
            check("narrow", (0..<n).map { _ in 1_000 + Double(Int.random(in: 0..<5, using: &generator)) * 0x1p-40 })
            check("signs and zeros", (0..<n).map { _ in [-0.0, 0.0, -1, 1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude][Int.random(in: 0..<8, using: &generator)] })
            check("counts", (0..<n).map { _ in Double(Int.random(in: 800...1_200, using: &generator)) })
            check("one value", [Double](repeating: 42.5, count: n))
            check("neighbours", (0..<n).map { _ in Double(bitPattern: 0x3FF0_0000_0000_0000 + UInt64.random(in: 0..<3, using: &generator)) })
        }
        check("two million payback months", (0..<2_000_000).map { _ in Double(Int.random(in: 0..<61, using: &generator)) })
    }

    @Test("Summary: mean, sd, SE and +∞ for never")
    func summary() {
        let s = Summary([1, 2, 3, 4, .nan])
        #expect(s.count == 4 && s.undefined == 1)
        #expect(s.mean == 2.5)
        #expect(abs(s.standardDeviation - (5.0 / 3).squareRoot()) < 1e-15)
        #expect(abs(s.standardError - (5.0 / 3).squareRoot() / 2) < 1e-15)
        #expect(s.median == 2.5)
        let payback = Summary([10, 20, .infinity, .infinity, .infinity], undefinedAsInfinite: true)
        #expect(payback.mean == 15)
        #expect(payback.median == .infinity)
        #expect(payback.percentile(0.25) == 20)
        #expect(payback.percentile(0.05) == 10 + 0.2 * 10)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-2 test vectors")
    func vectors() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("Hashed in pieces of any size, the digest is the whole message's (FIPS 180-2: a million a's)")
    func pieces() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex(of: message) == expected)
        // Pieces that end inside, on and just past 64-byte blocks, and one piece of everything left.
        for sizes in [[1], [63], [64], [65], [1, 127, 4096, 55], [999_999]] {
            var hasher = SHA256.Hasher()
            var start = 0, k = 0
            message.withUnsafeBytes { bytes in
                while start < bytes.count {
                    let end = min(bytes.count, start + sizes[k % sizes.count])
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                    k += 1
                }
            }
            #expect(hasher.finalize() == expected, "pieces of \(sizes)")
        }
    }
}

/// `Engine.run` stops the process on more than `Limits.trials` trials (its documented
/// precondition: `trials + blockSize − 1` and the per-trial storage would overflow or not fit).
/// Every command checks the number first, so no command line reaches it.
@Suite("Engine.run's trial limit is never reached from the command line")
struct EngineTrialLimitTests {
    static let above = "\(Limits.trials + 1)"

    @Test("Every option that sets a number of trials refuses one above Limits.trials (exit 64, no trap)", arguments: [
        ["run", "case.yaml", "--trials", above],
        ["run", "case.yaml", "--trials", "9223372036854775807"],
        ["run", "case.yaml", "--precision", "2%", "--max-trials", above],
        ["compare", "case.yaml", "case.yaml", "--trials", above],
        ["sweep", "case.yaml", "--vary", "licences.seats=20:30:10", "--trials", above],
        ["track", "case.yaml", "--actuals", "case.actuals.csv", "--trials", above],
    ])
    func refused(arguments: [String]) throws {
        let folder = try ScratchFolder("engine-limit")
        try folder.copyExample("car-dealership.yaml", as: "case.yaml")
        try folder.copyExample("car-dealership.actuals.csv", as: "case.actuals.csv")
        let result = try folder.crmcase(arguments)
        #expect(result.status == 64, "exit \(result.status); stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stderr.contains("above the limit of \(Limits.grouped(Limits.trials)) trials"), "\(result.stderr)")
    }

    @Test("Limits.trials itself passes the check and meets the memory check before any run")
    func limitItself() throws {
        let folder = try ScratchFolder("engine-limit")
        try folder.copyExample("car-dealership.yaml", as: "case.yaml")
        let result = try folder.crmcase(["run", "case.yaml", "--trials", "\(Limits.trials)", "--quiet"],
                                        environment: ["CRMCASE_MEMORY_AVAILABLE": "1000000000"])
        #expect(result.status == 64, "exit \(result.status); stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: This run would need about"), "\(result.stderr)")
        #expect(folder.leftovers().isEmpty && !FileManager.default.fileExists(atPath: folder.path("Reports")))
    }
}

@Suite("Cores a process may use")
struct CoresTests {
    @Test("The affinity mask and the cgroup's CPU quota are read as Slurm and Kubernetes set them")
    func parsing() {
        #expect(Cores.affinityCores(status: "Name:\tcrmcase\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n") == 2)
        #expect(Cores.affinityCores(status: "Cpus_allowed:\tffffffff,00000001\n") == 33)
        #expect(Cores.affinityCores(status: "Cpus_allowed:\tzz\n") == nil)
        #expect(Cores.affinityCores(status: "Name:\tcrmcase\n") == nil)
        #expect(Cores.quotaCores(cpuMax: "max 100000\n") == nil)
        #expect(Cores.quotaCores(cpuMax: "150000 100000\n") == 2)
        #expect(Cores.quotaCores(cpuMax: "200000 100000") == 2)
        #expect(Cores.quotaCores(cpuMax: nil) == nil)
        #expect(Cores.quotaCores(cfsQuota: "-1\n", cfsPeriod: "100000\n") == nil)
        #expect(Cores.quotaCores(cfsQuota: "250000\n", cfsPeriod: "100000\n") == 3)

        // The quota of a parent cgroup holds below it; folders that are not there are skipped.
        let files = ["/sys/fs/cgroup/kubepods/pod1/cpu.max": "400000 100000\n",
                     "/sys/fs/cgroup/kubepods/cpu.max": "max 100000\n",
                     "/sys/fs/cgroup/kubepods/pod1/container/cpu.max": "max 100000\n",
                     "/sys/fs/cgroup/cpu/slurm/job_7/cpu.cfs_quota_us": "150000",
                     "/sys/fs/cgroup/cpu/slurm/job_7/cpu.cfs_period_us": "100000",
                     "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1",
                     "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"]
        #expect(Cores.cgroupQuotaCores(folders: ControlGroups.folders(controller: "cpu", cgroups: "0::/kubepods/pod1/container\n"), read: { files[$0] }) == 4)
        #expect(Cores.cgroupQuotaCores(folders: ControlGroups.folders(controller: "cpu", cgroups: "4:cpu,cpuacct:/slurm/job_7/step_0\n1:memory:/x\n"), read: { files[$0] }) == 2)
        #expect(Cores.cgroupQuotaCores(folders: ControlGroups.folders(controller: "cpu", cgroups: "1:cpu:/\n0::/\n"), read: { files[$0] }) == nil)
        #expect(Cores.cgroupQuotaCores(folders: ControlGroups.folders(controller: "cpu", cgroups: "0::/docker/abc\n"), read: { $0 == "/sys/fs/cgroup/cpu.max" ? "100000 100000" : nil }) == 1)
        #expect(Cores.cgroupQuotaCores(folders: ControlGroups.folders(controller: "cpu", cgroups: nil)) == nil)
    }

    @Test("The memory available is the room under the cgroups' limits where they set one")
    func cgroupMemory() {
        let files = ["/sys/fs/cgroup/job/memory.max": "8589934592\n",                 // 8 GiB for the job
                     "/sys/fs/cgroup/job/memory.current": "3221225472\n",             // 3 GiB used …
                     "/sys/fs/cgroup/job/memory.stat": "anon 1\ninactive_file 1073741824\nactive_file 5\n", // … 1 GiB of it droppable
                     "/sys/fs/cgroup/job/step/memory.max": "max\n",
                     "/sys/fs/cgroup/memory/a/memory.limit_in_bytes": "9223372036854771712\n",
                     "/sys/fs/cgroup/memory/a/memory.usage_in_bytes": "100\n",
                     "/sys/fs/cgroup/memory/memory.limit_in_bytes": "1000000000\n",
                     "/sys/fs/cgroup/memory/memory.usage_in_bytes": "600000000\n",
                     "/sys/fs/cgroup/memory/memory.stat": "inactive_file 5\ntotal_inactive_file 100000000\n"]
        #expect(MemoryBudget.cgroupHeadroom(folders: ControlGroups.folders(controller: "memory", cgroups: "0::/job/step\n"), read: { files[$0] }) == 6_442_450_944.0)
        #expect(MemoryBudget.cgroupHeadroom(folders: ControlGroups.folders(controller: "memory", cgroups: "4:memory:/a\n3:cpu:/\n"), read: { files[$0] }) == 500_000_000)
        #expect(MemoryBudget.cgroupHeadroom(folders: ControlGroups.folders(controller: "memory", cgroups: "4:memory:/a\n"), read: { $0.hasSuffix("a/memory.limit_in_bytes") ? files[$0] : nil }) == nil)
        #expect(MemoryBudget.cgroupHeadroom(folders: ControlGroups.folders(controller: "memory", cgroups: nil)) == nil)
        #expect(MemoryBudget.availableBytes(environment: ["CRMCASE_MEMORY_AVAILABLE": "12345"]) == 12345)
        #expect(MemoryBudget.availableBytes(environment: [:]) > 0)
        #expect(Cores.available >= 1 && Cores.available <= ProcessInfo.processInfo.activeProcessorCount)
    }
}
