import Activations
import Datasets
import Networks
import Runtime

/// What the leaky-units tasks share: the network (leaky recurrent layer read out from its
/// last state), the training loop (`RecurrentTrainingLoop.swift`), prediction in chunks, and
/// the gradient reach.
enum RecurrentTraining {
    /// Sequences per prediction chunk (bounds the workspace at T = 400).
    static let evaluationChunk = 256
    /// Sequences the gradient reach is averaged over.
    static let reachSamples = 4
    /// Points on a learning curve (each the mean loss of a window of steps).
    static let curvePoints = 50

    /// One training step's sequences, `size × length × features` batch-major, and targets.
    struct Batch {
        var inputs: [Float]
        var size: Int
        var length: Int
        var targets: Targets<Float>
    }

    /// A network of `units` leaky units over `inputSize` features and `outputSize` outputs,
    /// initialised from seed `seed`.
    static func makeNetwork(
        inputSize: Int, units: Int, activation: Activation, leak: Leak, outputSize: Int, seed: Int
    ) throws -> RecurrentNetwork<Float> {
        let network = try RecurrentNetwork<Float>(
            try LeakyRecurrent(inputSize: inputSize, units: units, activation: activation, leak: leak),
            outputSize: outputSize)
        var weights = SeededGenerator(seed: UInt64(seed))
        network.initialize(generator: &weights)
        return network
    }

    /// The network's outputs for `count` sequences of `length × featureCount` in `inputs`,
    /// in chunks of ``evaluationChunk``: `body(first, outputs)` gets the outputs of sequences
    /// `first ..< first + outputs.rows`.
    static func forEachPrediction(
        _ network: RecurrentNetwork<Float>, inputs: [Float], count: Int, length: Int, featureCount: Int,
        _ body: (Int, Matrix<Float>) -> Void
    ) throws {
        let perSequence = length * featureCount
        var first = 0
        while first < count {
            let chunk = min(evaluationChunk, count - first)
            let outputs = try network.predict(
                Array(inputs[first * perSequence..<(first + chunk) * perSequence]), batchSize: chunk, length: length)
            body(first, outputs)
            first += chunk
        }
    }

    /// The gradient reach over the first ``reachSamples`` sequences of `inputs`, at
    /// `distances` from the last step.
    static func reach(
        _ network: RecurrentNetwork<Float>, inputs: [Float], count: Int, length: Int, featureCount: Int,
        distances: [Int]
    ) throws -> [Double] {
        let samples = min(reachSamples, count)
        _ = try network.predict(
            Array(inputs[0..<samples * length * featureCount]), batchSize: samples, length: length)
        let curve = try network.recurrent.gradientReach(samples: samples)
        return distances.map { curve[length - 1 - $0] }
    }

    /// 0, 1, 2, 3, … then about 12 per decade up to T − 1.
    static func reachDistances(length: Int) -> [Int] {
        var distances: [Int] = []
        var value = 0.0
        while Int(value) < length {
            if distances.last != Int(value) { distances.append(Int(value)) }
            value = max(value + 1, value * 1.2)
        }
        if distances.last != length - 1 { distances.append(length - 1) }
        return distances
    }

    /// τ_j = 1/(1 − α_j) of a learned leak after training; empty for the other leaks.
    static func learnedTimeConstants(_ network: RecurrentNetwork<Float>, leak: Leak) -> [Double] {
        leak.isLearned ? network.recurrent.alphas.map { 1 / (1 - Double($0)) } : []
    }
}
