/// What to do when a run diverges (``DivergenceRule``: a training or validation loss that is
/// NaN or ±∞, or a regression error over 10³× the mean predictor's; non-finite parameters).
public enum DivergencePolicy: Hashable, Sendable, Codable {
    /// Stop with ``TrainingError/diverged(epoch:batch:reason:backOffs:)``.
    case stop
    /// Restore the state of the start of the epoch, multiply the learning rate by `factor`
    /// and run the epoch again; at most `maxRetries` times in the whole run, then stop.
    case backOff(factor: Double, maxRetries: Int)
}

/// The hyper-parameters of a training run.
public struct TrainingConfiguration: Hashable, Sendable, Codable {
    /// Passes over the training data (≥ 1).
    public let epochs: Int
    /// Samples per optimiser step (≥ 1, and at most the training set's size). The last
    /// batch of an epoch holds the remainder.
    public let batchSize: Int
    /// The update rule, rate, decay and schedule.
    public let optimizer: OptimizerConfiguration
    /// The training objective.
    public let loss: Loss
    /// Call the checkpoint hook every this many epochs (and always after the last).
    public let checkpointEvery: Int?
    /// What to do when the run diverges.
    public let divergence: DivergencePolicy
    /// Samples (the first ones of the training set) on which dead units, gradient norms and
    /// slopes are measured after each epoch.
    public let probeSize: Int

    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming the
    ///   parameter: epochs < 1, batch size < 1, checkpoint period < 1, probe size < 1, a
    ///   back-off factor outside (0, 1) or a retry count < 1.
    public init(
        epochs: Int, batchSize: Int, optimizer: OptimizerConfiguration,
        loss: Loss = .softmaxCrossEntropy, checkpointEvery: Int? = nil,
        divergence: DivergencePolicy = .stop, probeSize: Int = 1000
    ) throws(TrainingError) {
        try TrainingError.require(epochs >= 1, "epochs", epochs, "an integer ≥ 1")
        try TrainingError.require(batchSize >= 1, "batch size", batchSize, "an integer ≥ 1")
        if let checkpointEvery {
            try TrainingError.require(checkpointEvery >= 1, "checkpoint period", checkpointEvery, "an integer ≥ 1 epochs")
        }
        try TrainingError.require(probeSize >= 1, "probe size", probeSize, "an integer ≥ 1")
        if case let .backOff(factor, maxRetries) = divergence {
            try TrainingError.require(factor > 0 && factor < 1, "back-off factor", factor, "a number in (0, 1)")
            try TrainingError.require(maxRetries >= 1, "back-off retries", maxRetries, "an integer ≥ 1")
        }
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.loss = loss
        self.checkpointEvery = checkpointEvery
        self.divergence = divergence
        self.probeSize = probeSize
    }
}

extension TrainingConfiguration {
    private enum CodingKeys: String, CodingKey {
        case epochs, batchSize, optimizer, loss, checkpointEvery, divergence, probeSize
    }

    /// Decodes and validates as the memberwise initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            epochs: try container.decode(Int.self, forKey: .epochs),
            batchSize: try container.decode(Int.self, forKey: .batchSize),
            optimizer: try container.decode(OptimizerConfiguration.self, forKey: .optimizer),
            loss: try container.decode(Loss.self, forKey: .loss),
            checkpointEvery: try container.decodeIfPresent(Int.self, forKey: .checkpointEvery),
            divergence: try container.decode(DivergencePolicy.self, forKey: .divergence),
            probeSize: try container.decode(Int.self, forKey: .probeSize))
    }
}
