import Activations
import Runtime

/// Everything a resumed run needs to continue bit for bit as if never stopped: the
/// parameters, the optimiser's state, the generator's state, the counters and the data
/// order of the next epoch. Taken at epoch boundaries (``Trainer/state``), restored with
/// ``Trainer/restore(_:)``.
///
/// A checkpoint stores ``parameters`` as named tensors (by the model's
/// ``ParameterLayout``), the optimiser buffers likewise, and the rest as metadata.
public struct TrainingState<Scalar: ActivationScalar>: Equatable, Sendable {
    /// Epochs finished so far.
    public var completedEpochs: Int
    /// The flat parameter buffer.
    public var parameters: [Scalar]
    /// The optimiser's step count and buffers (its step count is the global step).
    public var optimizer: OptimizerState<Scalar>
    /// ``SeededGenerator/state`` after drawing ``dataOrder``.
    public var generatorState: [UInt64]
    /// The order in which the next epoch visits the training samples (a permutation of
    /// `0..<n`; empty before the first epoch has been drawn).
    public var dataOrder: [Int32]
    /// The product of the learning-rate back-offs so far (1 without any).
    public var learningRateScale: Double
    /// The number of back-offs so far.
    public var backOffs: Int

    /// A state from its parts (e.g. read back from a checkpoint).
    public init(
        completedEpochs: Int, parameters: [Scalar], optimizer: OptimizerState<Scalar>,
        generatorState: [UInt64], dataOrder: [Int32], learningRateScale: Double, backOffs: Int
    ) {
        self.completedEpochs = completedEpochs
        self.parameters = parameters
        self.optimizer = optimizer
        self.generatorState = generatorState
        self.dataOrder = dataOrder
        self.learningRateScale = learningRateScale
        self.backOffs = backOffs
    }
}

/// What the checkpoint hook receives after an epoch.
public struct TrainingCheckpoint<Scalar: ActivationScalar>: Sendable {
    /// The state to save.
    public let state: TrainingState<Scalar>
    /// The record of the epoch just finished.
    public let record: EpochRecord
    /// True after the last epoch of the run.
    public let isFinal: Bool
}
