/// The settings of the depth experiment: which plain MLPs are trained, on how much data, for
/// how long. Every (activation, depth, seed) run has the same data, width, budget and
/// optimiser.
public struct DepthConfiguration: GridConfiguration {
    /// Hidden layers per network (each Dense + activation); the output layer comes on top.
    public var depths: [Int]
    /// Units per hidden layer.
    public var width: Int
    /// Hidden activations, in ``HiddenActivation`` text form.
    public var activations: [String]
    /// One run per seed for each (activation, depth): the weights and the data order.
    public var seeds: [UInt64]
    /// Training and validation images drawn from Fashion-MNIST's training set.
    public var trainingSamples: Int, validationSamples: Int
    /// The fixed budget: passes over the training samples.
    public var epochs: Int
    public var batchSize: Int
    /// SGD with heavy-ball momentum (the setting of Krizhevsky et al. 2012).
    public var learningRate: Double, momentum: Double
    /// Samples (the first training samples) on which the gradient norms are measured.
    public var probeSamples: Int

    /// The short version (part of `rectifier run`): depths 2…32, width 128, 2 epochs on
    /// 2048 images, seeds `0..<seeds`.
    public static func short(seeds: Int) -> DepthConfiguration {
        DepthConfiguration(
            depths: [2, 4, 8, 16, 32], width: 128, activations: ActivationLineup.all,
            seeds: (0..<UInt64(Swift.max(1, seeds))).map { $0 }, trainingSamples: 2048,
            validationSamples: 1024, epochs: 2, batchSize: 64, learningRate: 0.01, momentum: 0.9,
            probeSamples: 256)
    }

    /// The long version (`--full`): 10 epochs on 20 000 images.
    public static func full(seeds: Int) -> DepthConfiguration {
        var configuration = short(seeds: seeds)
        configuration.trainingSamples = 20_000
        configuration.validationSamples = 5_000
        configuration.epochs = 10
        configuration.probeSamples = 1_000
        return configuration
    }
}

/// One trained network of the depth experiment.
public struct DepthRun: Codable, Equatable, Sendable {
    public let activation: String
    /// Hidden layers.
    public let depth: Int
    public let seed: UInt64
    /// The mean cross-entropy on the probe images (the first training images) after the
    /// budget; nil when the run diverged (NaN or ±∞).
    public let trainingLoss: Double?
    /// The validation accuracy after the budget, in [0, 1]; nil when the run diverged.
    public let validationAccuracy: Double?
    /// The mean training loss of each epoch, as seen while learning.
    public let epochLosses: [Double]
    /// ‖∂L/∂θ‖ of each Dense layer (weight and bias), input side first, at initialisation.
    public let gradientNormsAtInitialisation: [Double]
    /// The same after training; nil when the run diverged.
    public let gradientNormsAfterTraining: [Double]?
    /// Why training stopped early, if it did.
    public let divergence: String?
    /// Whether the run diverged (it then counts as chance, ln 10, in the verdict).
    public let diverged: Bool
    /// The epoch (from 1) in which it diverged; nil when it did not.
    public let divergedAtEpoch: Int?
    /// Wall time of the run (training and measurements), in seconds.
    public let seconds: Double

    public init(
        activation: String, depth: Int, seed: UInt64, trainingLoss: Double?, validationAccuracy: Double?,
        epochLosses: [Double], gradientNormsAtInitialisation: [Double], gradientNormsAfterTraining: [Double]?,
        divergence: String?, divergedAtEpoch: Int? = nil, seconds: Double
    ) {
        self.activation = activation
        self.depth = depth
        self.seed = seed
        self.trainingLoss = trainingLoss
        self.validationAccuracy = validationAccuracy
        self.epochLosses = epochLosses
        self.gradientNormsAtInitialisation = gradientNormsAtInitialisation
        self.gradientNormsAfterTraining = gradientNormsAfterTraining
        self.divergence = divergence
        diverged = divergence != nil
        self.divergedAtEpoch = divergedAtEpoch
        self.seconds = seconds
    }

    private enum CodingKeys: String, CodingKey {
        case activation, depth, seed, divergence, diverged, seconds
        case divergedAtEpoch = "diverged_at_epoch"
        case trainingLoss = "training_loss"
        case validationAccuracy = "validation_accuracy"
        case epochLosses = "epoch_losses"
        case gradientNormsAtInitialisation = "gradient_norms_at_initialisation"
        case gradientNormsAfterTraining = "gradient_norms_after_training"
    }
}

/// The raw numbers of the depth experiment: its settings and every run.
public typealias DepthResults = GridResults<DepthConfiguration, DepthRun>

extension GridResults where Run == DepthRun {
    /// The runs of one (activation, depth), in seed order.
    public func runs(activation: String, depth: Int) -> [DepthRun] {
        runs.filter { $0.activation == activation && $0.depth == depth }
    }
}
