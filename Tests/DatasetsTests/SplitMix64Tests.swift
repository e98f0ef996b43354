import Datasets
import Runtime
import Testing

/// The generator: Vigna's reference outputs, ranges, and uniformity.
@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceImplementation() {
        // splitmix64.c (Vigna) with state 1234567, reproduced in Python for this test.
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test func stateResumesTheSequence() {
        var generator = SplitMix64(seed: 8)
        _ = generator.next()
        var resumed = SplitMix64(seed: generator.state)
        #expect(generator.next() == resumed.next())
    }

    @Test func unitFloatsAndDoublesAreOnTheirGridsInTheHalfOpenInterval() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let single = generator.nextFloat()
            #expect(single >= 0 && single < 1 && (single * 0x1p24).rounded() == single * 0x1p24)
            let double = generator.nextDouble()
            #expect(double >= 0 && double < 1 && (double * 0x1p53).rounded() == double * 0x1p53)
        }
    }

    @Test func indicesStayBelowTheBound() {
        var generator = SplitMix64(seed: 4)
        for bound in [1, 2, 3, 7, 1 << 40 + 3, Int.max] {
            for _ in 0..<1_000 {
                let index = generator.nextIndex(below: bound)
                #expect(index >= 0 && index < bound)
            }
        }
    }

    @Test func indicesAreUniform() {
        // χ² with 6 degrees of freedom; 22.46 is its 0.999 quantile.
        var generator = SplitMix64(seed: 5)
        var counts = [Int](repeating: 0, count: 7)
        let draws = 70_000
        for _ in 0..<draws { counts[generator.nextIndex(below: 7)] += 1 }
        let expected = Double(draws) / 7
        let chiSquare = counts.reduce(0) { $0 + pow2(Double($1) - expected) / expected }
        #expect(chiSquare < 22.46)
    }

    @Test func shuffleIsAUniformPermutation() {
        // All six orders of three elements, χ² with 5 degrees of freedom (0.999 quantile 20.52).
        var generator = SplitMix64(seed: 6)
        var counts: [[Int]: Int] = [:]
        let trials = 60_000
        for _ in 0..<trials {
            var elements = [0, 1, 2]
            generator.shuffle(&elements)
            counts[elements, default: 0] += 1
        }
        #expect(counts.count == 6)
        let expected = Double(trials) / 6
        let chiSquare = counts.values.reduce(0) { $0 + pow2(Double($1) - expected) / expected }
        #expect(chiSquare < 20.52)
        var empty: [Int] = []
        generator.shuffle(&empty)
        #expect(empty.isEmpty)
    }

    private func pow2(_ x: Double) -> Double { x * x }
}
