import Activations
import Datasets
import Runtime

extension LeakyUnitsOptions {
    /// The bytes the adding problem holds at its longest length T, at least, in Float
    /// (H = ``units``, F = 2 features, B = ``batchSize``, N = ``testSequences``, C = the
    /// prediction chunk, min(256, N)); nil when the count overflows `Int`:
    /// ```
    /// parameters, gradients, Adam   4·(H·(H + F + 3) + 1)
    /// the passes' buffers           (F + 4H)·max(B, C)·T
    /// gradient reach                3·H²
    /// test set and a batch          (N + B)·T·F
    /// ```
    /// Check it with ``MemoryBudget/require(_:for:)`` before a run whose sizes come from the
    /// command line.
    package var addingProblemBytes: Int? {
        let features = AddingProblem.featureCount
        let length = lengths.max() ?? 0
        let rows = Swift.max(batchSize, Swift.min(RecurrentTraining.evaluationChunk, testSequences))
        let parameters = MemoryBudget.sum(
            MemoryBudget.sum(units, features, 3).flatMap { MemoryBudget.product(units, $0) }, 1)
        let floats = MemoryBudget.sum(
            parameters.flatMap { MemoryBudget.product(4, $0) },
            MemoryBudget.sum(features, MemoryBudget.product(4, units)).flatMap { MemoryBudget.product($0, rows, length) },
            MemoryBudget.product(3, units, units),
            MemoryBudget.sum(testSequences, batchSize).flatMap { MemoryBudget.product($0, length, features) })
        return floats.flatMap { MemoryBudget.product($0, MemoryLayout<Float>.size) }
    }
}
