import Foundation
import Networks
import Runtime
import Testing

@Suite struct GeneratorTests {
    @Test func matchesTheReferenceImplementation() {
        // First outputs of Vigna's reference xoshiro256starstar.c seeded by splitmix64.c
        // (a C transcription whose splitmix64(0) gives the published 0xe220a8397b1dcdaf).
        var zero = SeededGenerator(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0])
        var one = SeededGenerator(seed: 1)
        #expect([one.next(), one.next(), one.next()] == [0xb3f2_af6d_0fc7_10c5, 0x853b_5596_4736_4cea, 0x92f8_9756_082a_4514])
    }

    @Test func stateRoundTripContinuesTheSequence() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<10 { _ = generator.next() }
        var copy = try #require(SeededGenerator(state: generator.state))
        #expect((0..<100).map { _ in generator.next() } == (0..<100).map { _ in copy.next() })
    }

    @Test(arguments: [[0, 0, 0, 0], [1, 2, 3]] as [[UInt64]])
    func invalidStatesAreRefused(state: [UInt64]) {
        #expect(SeededGenerator(state: state) == nil)
    }

    @Test func normalsHaveTheRightMoments() {
        var generator = SeededGenerator(seed: 3)
        var values = [Double](repeating: 0, count: 200_000)
        values.withUnsafeMutableBufferPointer { generator.fillNormal($0, mean: 1, standardDeviation: 2) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let withinOne = Double(values.filter { abs($0 - 1) < 2 }.count) / n
        let withinTwo = Double(values.filter { abs($0 - 1) < 4 }.count) / n
        #expect(abs(mean - 1) < 5 * 2 / n.squareRoot())
        #expect(abs(variance / 4 - 1) < 0.02)
        #expect(abs(withinOne - 0.682_689) < 0.005)  // erf(1/√2)
        #expect(abs(withinTwo - 0.954_500) < 0.003)  // erf(2/√2)
    }

    @Test func boundedIntegersAreUniform() {
        var generator = SeededGenerator(seed: 4)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[generator.nextIndex(below: 7)] += 1 }
        // Each count is Binomial(70 000, 1/7): standard deviation ≈ 92.6.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func permutationsArePermutationsAndDiffer() {
        var generator = SeededGenerator(seed: 5)
        let first = generator.permutation(count: 1000), second = generator.permutation(count: 1000)
        #expect(first.sorted() == Array(0..<1000))
        #expect(second.sorted() == Array(0..<1000))
        #expect(first != second)
    }
}
