import Activations

/// A report after each batch, for a progress bar.
public struct TrainingProgress: Sendable {
    /// The epoch (from 1) and the number of epochs of the run.
    public let epoch: Int, epochs: Int
    /// The batch just finished (from 1) and the number of batches per epoch.
    public let batch: Int, batchesPerEpoch: Int
    /// The mean loss over the epoch's batches so far.
    public let runningLoss: Double
    /// The accuracy over the epoch's samples so far (nil for regression).
    public let runningAccuracy: Double?
    /// Training throughput in this epoch so far.
    public let samplesPerSecond: Double
}

/// Hooks the trainer calls: after each batch, after each epoch, and at checkpoints.
public struct TrainingCallbacks<Scalar: ActivationScalar> {
    /// Called after every batch (for a progress bar; keep it cheap).
    public var progress: ((TrainingProgress) -> Void)?
    /// Called after each epoch's measurements, before the checkpoint hook.
    public var epochEnded: ((EpochRecord) -> Void)?
    /// Called every ``TrainingConfiguration/checkpointEvery`` epochs and after the last;
    /// a thrown error stops training with ``TrainingError/checkpointFailed(epoch:reason:)``.
    public var checkpoint: ((TrainingCheckpoint<Scalar>) throws -> Void)?

    /// Hooks; each may be nil.
    public init(
        progress: ((TrainingProgress) -> Void)? = nil, epochEnded: ((EpochRecord) -> Void)? = nil,
        checkpoint: ((TrainingCheckpoint<Scalar>) throws -> Void)? = nil
    ) {
        self.progress = progress
        self.epochEnded = epochEnded
        self.checkpoint = checkpoint
    }
}
