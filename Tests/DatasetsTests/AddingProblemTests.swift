import Datasets
import Runtime
import Testing

/// The adding problem: two markers in the right halves, targets their sum, baseline 1/6.
@Suite struct AddingProblemTests {
    /// The marked steps of sequence `sequence`, found from the inputs alone.
    private func markers(_ batch: SequenceRegressionBatch, sequence: Int) -> [Int] {
        (0..<batch.length).filter { batch.inputs[(sequence * batch.length + $0) * 2 + 1] != 0 }
    }

    @Test func twoMarkersOnePerHalfAndTheTargetIsTheirSum() throws {
        for length in [2, 3, 50, 101, 200, 400] {
            let batch = try AddingProblem(length: length).makeBatch(size: 64, seed: UInt64(length))
            #expect(batch.size == 64 && batch.length == length && batch.featureCount == 2)
            #expect(batch.inputs.count == 64 * length * 2 && batch.targets.count == 64)
            for sequence in 0..<64 {
                let marked = markers(batch, sequence: sequence)
                #expect(marked.count == 2)
                guard marked.count == 2 else { continue }
                #expect(marked[0] < length / 2 && marked[1] >= length / 2)
                let values = marked.map { batch.inputs[(sequence * length + $0) * 2] }
                #expect(batch.targets[sequence] == values[0] + values[1])
            }
            for step in 0..<64 * length {
                #expect(batch.inputs[step * 2] >= 0 && batch.inputs[step * 2] < 1)
                #expect(batch.inputs[step * 2 + 1] == 0 || batch.inputs[step * 2 + 1] == 1)
            }
        }
    }

    @Test func markersReachEveryStepOfTheirHalf() throws {
        let batch = try AddingProblem(length: 9).makeBatch(size: 2_000, seed: 1)
        var seen = Set<Int>()
        for sequence in 0..<2_000 { seen.formUnion(markers(batch, sequence: sequence)) }
        #expect(seen == Set(0..<9))
    }

    @Test func predictingTheMeanGivesOneSixth() throws {
        // Var(U₁ + U₂) = 1/6; the squared error's standard deviation is about 0.2, so over
        // 200 000 sequences the mean lies within 0.003 (7 standard errors).
        var generator = SplitMix64(seed: 2015)
        let problem = try AddingProblem(length: 50)
        var total = 0.0
        var count = 0
        for _ in 0..<100 {
            let batch = try problem.makeBatch(size: 2_000, using: &generator)
            total += batch.targets.reduce(0) { $0 + (Double($1) - 1) * (Double($1) - 1) }
            count += batch.size
        }
        #expect(abs(total / Double(count) - AddingProblem.meanPredictionError) < 0.003)
        #expect(abs(AddingProblem.meanPredictionError - 0.1667) < 1e-4)
    }

    @Test func sameSeedSameBatch() throws {
        let problem = try AddingProblem(length: 100)
        let first = try problem.makeBatch(size: 8, seed: 7)
        #expect(first.inputs == (try problem.makeBatch(size: 8, seed: 7)).inputs)
        #expect(first.inputs != (try problem.makeBatch(size: 8, seed: 8)).inputs)
    }

    @Test func badParametersAreRefused() throws {
        for length in [-5, 0, 1] {
            let error = #expect(throws: DatasetError.self) { try AddingProblem(length: length) }
            #expect(error?.description.contains("length") == true)
        }
        let problem = try AddingProblem(length: 200)
        for size in [0, -1, 1 << 40, Int.max] {
            #expect(throws: DatasetError.self) { try problem.makeBatch(size: size, seed: 0) }
        }
    }
}
