import Activations
import Foundation
import Networks
import Runtime
import Testing

/// The running average `μ ← α·μ + (1 − α)·v`: the fast kernel against its scalar twin, the
/// bias-corrected value against the closed form in Double, and its bad inputs.
@Suite struct RunningAverageTests {
    static func buffer<Scalar: ActivationScalar>(_ count: Int, seed: UInt64, as: Scalar.Type) -> [Scalar] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Scalar(4 * generator.nextDouble() - 2) }
    }

    /// (count, units) pairs: tails shorter than a lane group, and one large enough to split
    /// across threads.
    static let shapes = [(1, 1), (7, 1), (1003, 1), (1 << 18, 1), (1001, 7), (39, 13), (24, 24), (1 << 18, 256)]

    func kernelMatchesTwin<Scalar: ActivationScalar>(_ type: Scalar.Type) {
        for (count, units) in Self.shapes {
            let decays: [Scalar] = units == 1 ? [Scalar(0.999)] : (0..<units).map { Scalar(Double($0) / Double(units) * 0.98) }
            var fast = Self.buffer(count, seed: 1, as: Scalar.self)
            var slow = fast
            let values: [Scalar] = Self.buffer(count, seed: 2, as: Scalar.self)
            decays.withUnsafeBufferPointer { decays in
                values.withUnsafeBufferPointer { values in
                    for _ in 0..<3 {
                        fast.withUnsafeMutableBufferPointer { RunningAverage.update($0, toward: values, decays: decays) }
                        slow.withUnsafeMutableBufferPointer { RunningAverage.referenceUpdate($0, toward: values, decays: decays) }
                    }
                }
            }
            #expect(fast == slow, "\(Scalar.self) count \(count) units \(units)")
        }
    }

    @Test func kernelMatchesItsScalarTwinBitForBit() {
        kernelMatchesTwin(Float.self)
        kernelMatchesTwin(Double.self)
    }

    /// μ̂_t = Σ_k (1 − α)·α^(t−k)·v_k / (1 − αᵗ), summed in Double.
    static func closedForm(_ sequence: [[Double]], alpha: [Double], element: Int) -> Double {
        let a = alpha.count == 1 ? alpha[0] : alpha[element % alpha.count]
        let t = sequence.count
        var sum = 0.0
        for (k, values) in sequence.enumerated() {
            sum += (1 - a) * pow(a, Double(t - 1 - k)) * values[element]
        }
        return sum / (1 - pow(a, Double(t)))
    }

    @Test(arguments: [
        RunningAverage<Float>.Decay.uniform(0.9), .uniform(0.999), .uniform(0), .perUnit([0.5, 0.9, 0.99, 0]),
        .perElement((0..<12).map { Double($0) / 12.5 }),
    ])
    func biasCorrectedAverageMatchesTheClosedForm(decay: RunningAverage<Float>.Decay) throws {
        let average = try RunningAverage<Float>(count: 12, decay: decay)
        var sequence: [[Double]] = []
        for step in 0..<50 {
            let values: [Float] = Self.buffer(12, seed: UInt64(step + 10), as: Float.self)
            sequence.append(values.map(Double.init))
            average.update(with: values)
        }
        let alphas: [Double]
        switch decay {
        case .uniform(let alpha): alphas = [alpha]
        case .perUnit(let list), .perElement(let list): alphas = list
        }
        #expect(average.updateCount == 50)
        for (element, value) in average.average().enumerated() {
            let expected = Self.closedForm(sequence, alpha: alphas, element: element)
            #expect(abs(Double(value) - expected) <= 1e-5 * Swift.max(1, abs(expected)), "\(decay) element \(element)")
        }
    }

    @Test func aConstantInputIsItsOwnCorrectedAverageFromTheFirstUpdate() throws {
        let average = try RunningAverage<Double>(count: 3, decay: .uniform(0.999))
        average.update(with: [1.5, -2, 0.25])
        #expect(average.average() == [1.5, -2, 0.25])
        let raw = try RunningAverage<Double>(count: 3, decay: .uniform(0.999), biasCorrection: false)
        raw.update(with: [1.5, -2, 0.25])
        #expect(raw.average().map { ($0 * 1e6).rounded() / 1e6 } == [0.0015, -0.002, 0.00025])
    }

    @Test func restoringContinuesExactly() throws {
        let straight = try RunningAverage<Float>(count: 100, decay: .uniform(0.99))
        let first = try RunningAverage<Float>(count: 100, decay: .uniform(0.99))
        let inputs: [[Float]] = (0..<6).map { Self.buffer(100, seed: UInt64($0), as: Float.self) }
        for input in inputs { straight.update(with: input) }
        for input in inputs.prefix(3) { first.update(with: input) }
        let resumed = try RunningAverage<Float>(count: 100, decay: .uniform(0.99))
        try resumed.restore(updateCount: first.updateCount, values: Array(first.values))
        for input in inputs.suffix(3) { resumed.update(with: input) }
        #expect(resumed.average() == straight.average())
        #expect(throws: TrainingError.self) { try resumed.restore(updateCount: 1, values: [1]) }
    }

    @Test(arguments: [
        (RunningAverage<Float>.Decay.uniform(1), "decay"), (.uniform(-0.1), "decay"), (.uniform(.nan), "decay"),
        (.perUnit([0.5, 1.5]), "decay"), (.perUnit([0.5, 0.5, 0.5]), "decay count"), (.perUnit([]), "decay count"),
        (.perElement([0.5]), "decay count"),
    ])
    func impossibleDecaysAreRefusedByName(decay: RunningAverage<Float>.Decay, name: String) {
        #expect {
            _ = try RunningAverage<Float>(count: 4, decay: decay)
        } throws: { error in
            guard case .invalidHyperparameter(name, _, _) = error as? TrainingError else { return false }
            return !(error as! TrainingError).description.contains("\n")
        }
    }
}
