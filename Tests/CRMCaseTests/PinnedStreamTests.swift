import Testing
import CRMModel
import GSLSupport
import MonteCarlo

/// Pinned values of the random streams. Every report number depends on them, so a change to
/// how a key is derived or how a uniform is made must be deliberate: it fails here first, with
/// the exact value that moved, rather than as a thousand shifted digits in the snapshots.
@Suite("Pinned random-stream values")
struct PinnedStreamTests {
    @Test("Input uniforms and the process key of a trial")
    func inputUniforms() {
        let u = KeyedUniforms(seed: 20_000, trial: 7)
        let key = Uncertain.fnv1a("segments[Loyal].churn")
        #expect(key == PinnedStreamTests.expected.inputKey)
        #expect(u.uniform(forKey: key) == PinnedStreamTests.expected.uniform)
        #expect(u.processKey == PinnedStreamTests.expected.processKey)
        let lhs = TrialUniforms(seed: 20_000, trial: 7, sampling: .latinHypercube, trials: 1000)
        #expect(lhs.uniform(forKey: key) == PinnedStreamTests.expected.latinHypercube)
    }

    @Test("Process draw keys and the draws they give")
    func processDraws() {
        let processKey: UInt64 = 0x0123_4567_89ab_cdef
        #expect(ProcessDraw.sharedLeaversHigh.key(processKey: processKey, segment: 2, month: 13) == 0x0123_4767_89ab_cd87)
        #expect(ProcessDraw.arrivalsExtra.key(processKey: processKey, segment: 0, month: 1) == 0x0123_4567_89ab_cde2)
        let stream = RandomStream(key: 0)
        stream.restart(key: ProcessDraw.sharedLeaversHigh.key(processKey: processKey, segment: 2, month: 13))
        let churners = stream.binomial(trials: 1_000, probability: 0.03)
        stream.restart(key: ProcessDraw.arrivalsLow.key(processKey: processKey, segment: 2, month: 13))
        let arrivals = stream.poisson(mean: 25)
        stream.restart(key: 42)
        let first = stream.uniformPositive()
        #expect([churners, arrivals] == PinnedStreamTests.expected.draws)
        #expect(first == PinnedStreamTests.expected.firstUniform)
    }

    /// The key, the uniform and the process key were computed independently by a Python
    /// reimplementation of FNV-1a and SplitMix64 (Streams.swift's formulas); the Latin
    /// hypercube value is stratum 243 of 1,000 plus that uniform over 1,000; the draws are
    /// GSL's samplers on the counter-based generator, pinned as they are.
    static let expected = (
        inputKey: UInt64(7_941_705_051_705_824_208), uniform: 0.06854787328721568,
        processKey: UInt64(11_699_402_414_926_040_847), latinHypercube: 0.24306854787328722,
        draws: [25, 29], firstUniform: 0.8539778724062691
    )
}
