import Activations
import Networks
import Runtime

/// The memory a `rectifier train` run holds at once, checked before the model is made.
///
/// P = the parameter count, k = the optimiser's buffers per parameter (Adam 2, SGD with
/// momentum 1, plain SGD 0), Float = 4 bytes:
/// ```
/// parameters   4·P·(2 + k)        values and gradients, the optimiser's buffers
/// epoch start  4·P·(1 + k)        the state a diverged epoch returns to
/// checkpoint   4·P·(1 + k)        the tensors of a file being written (--save)
/// average      4·P·3              the running average and the model evaluating it
/// passes       4·R·Σ widths·2     values and gradients of R = max(batch, 1024) rows
/// ```
enum TrainingMemory {
    /// The bytes above, or nil when they overflow `Int`.
    static func requiredBytes(
        architecture: Architecture, configuration: TrainingConfiguration, averaging: Bool
    ) -> Int? {
        let parameters = architecture.parameterLayout.count
        let buffers: Int
        switch configuration.optimizer.kind {
        case .adam, .adamW: buffers = 2
        case let .sgd(momentum, _): buffers = momentum == 0 ? 0 : 1
        }
        let rows = Swift.max(configuration.batchSize, Sequential<Float>.predictionChunk)
        return MemoryBudget.sum(
            MemoryBudget.product(4, parameters, 4 + 3 * buffers + (averaging ? 3 : 0)),
            architecture.valuesPerSample.flatMap { MemoryBudget.product(4, rows, $0, 2) })
    }

    /// Refuses a run that needs more memory than the machine has.
    /// - Throws: ``CommandFailure`` naming `subject` and both amounts.
    static func require(
        architecture: Architecture, configuration: TrainingConfiguration, averaging: Bool, subject: String
    ) throws {
        try asFailure {
            try MemoryBudget.require(
                requiredBytes(architecture: architecture, configuration: configuration, averaging: averaging), for: subject)
        }
    }
}
