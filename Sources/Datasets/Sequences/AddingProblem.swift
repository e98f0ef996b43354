import Runtime

/// The adding problem (Hochreiter & Schmidhuber 1997), a test of long-range memory for
/// recurrent networks.
///
/// Each sequence has ``length`` steps of two features, `(value, marker)`: the values are
/// uniform in [0, 1), and exactly two steps carry marker 1, all others 0. The target is the
/// sum of the two marked values. As in the usual modern formulation (Le, Jaitly & Hinton
/// 2015; Arjovsky, Shah & Bengio 2016), the first marker is uniform over the first half,
/// steps `0..<length/2`, and the second over the second half, `length/2..<length` (integer
/// division); the original paper placed them differently and used values in [−1, 1].
///
/// The baseline to beat: the target has mean 1 and variance 2 · 1/12, so always predicting
/// 1 gives a mean squared error of 1/6 ≈ 0.167 (``meanPredictionError``). The task counts as
/// solved at MSE < 0.01.
public struct AddingProblem: Sendable {
    /// Steps per sequence, ≥ 2.
    public let length: Int

    /// Features per step: the value and the marker.
    public static let featureCount = 2
    /// The mean squared error of always predicting the mean target 1: `Var(U₁ + U₂) = 1/6`.
    public static let meanPredictionError = 1.0 / 6.0
    /// The largest batch, in floats of input (`size · length · 2`), that one call makes: 2³⁰
    /// (4 GiB).
    public static let maximumInputFloats = 1 << 30

    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `length < 2`
    ///   (two markers need two steps).
    public init(length: Int) throws(DatasetError) {
        guard length >= 2 else {
            throw .invalidArgument(
                name: "adding-problem length", value: String(length), allowed: "an integer ≥ 2")
        }
        self.length = length
    }

    /// A batch of `size` sequences drawn from `generator`.
    ///
    /// Per sequence, in this order: `length` values (``SplitMix64/nextFloat()``), then the
    /// first marker's step (`nextIndex(below: length / 2)`), then the second's
    /// (`length / 2 + nextIndex(below: length - length / 2)`). Complexity: O(size · length).
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` when `size < 1` or the
    ///   batch would exceed ``maximumInputFloats``.
    public func makeBatch(
        size: Int, using generator: inout SplitMix64
    ) throws(DatasetError) -> SequenceRegressionBatch {
        let (steps, overflow) = size.multipliedReportingOverflow(by: length)
        guard size >= 1, !overflow, steps <= AddingProblem.maximumInputFloats / 2 else {
            throw .invalidArgument(
                name: "batch size", value: String(size),
                allowed: "1…\(AddingProblem.maximumInputFloats / 2 / length) for length \(length)")
        }
        let half = length / 2
        var inputs = [Float](repeating: 0, count: steps * AddingProblem.featureCount)
        var targets = [Float](repeating: 0, count: size)
        for sequence in 0..<size {
            let start = sequence * length * AddingProblem.featureCount
            for step in 0..<length {
                inputs[start + step * AddingProblem.featureCount] = generator.nextFloat()
            }
            let first = generator.nextIndex(below: half)
            let second = half + generator.nextIndex(below: length - half)
            inputs[start + first * AddingProblem.featureCount + 1] = 1
            inputs[start + second * AddingProblem.featureCount + 1] = 1
            targets[sequence] =
                inputs[start + first * AddingProblem.featureCount]
                + inputs[start + second * AddingProblem.featureCount]
        }
        return SequenceRegressionBatch(
            inputs: inputs, targets: targets, size: size, length: length,
            featureCount: AddingProblem.featureCount)
    }

    /// A batch of `size` sequences from a generator seeded with `seed`; the same seed gives
    /// the same batch on every run and platform.
    ///
    /// - Throws: as ``makeBatch(size:using:)``.
    public func makeBatch(size: Int, seed: UInt64) throws(DatasetError) -> SequenceRegressionBatch {
        var generator = SplitMix64(seed: seed)
        return try makeBatch(size: size, using: &generator)
    }
}

/// Sequences with one real target each, laid out for a recurrent layer.
public struct SequenceRegressionBatch: Sendable {
    /// `size × length × featureCount`, sequence-major, then step, then feature.
    public let inputs: [Float]
    /// One target per sequence.
    public let targets: [Float]
    /// Sequences in the batch.
    public let size: Int
    /// Steps per sequence.
    public let length: Int
    /// Features per step.
    public let featureCount: Int
}
