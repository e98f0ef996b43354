#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The settings of the depth experiment: which plain MLPs are trained, on how much data, for
/// how long. Every (activation, depth, seed) run has the same data, width, budget and
/// optimiser.
package struct DepthConfiguration: Codable, Equatable, Sendable, RateTunedConfiguration {
    /// Hidden layers per network (each Dense + activation); the output layer comes on top.
    package var depths: [Int]
    /// Units per hidden layer.
    package var width: Int
    /// Hidden activations, in ``HiddenActivation`` text form.
    package var activations: [String]
    /// One run per seed for each (activation, depth): the weights and the data order.
    package var seeds: [UInt64]
    /// Training and validation images drawn from Fashion-MNIST's training set.
    package var trainingSamples: Int, validationSamples: Int
    /// The fixed budget: passes over the training samples.
    package var epochs: Int
    package var batchSize: Int
    /// SGD with heavy-ball momentum (the setting of Krizhevsky et al. 2012).
    package var learningRate: Double, momentum: Double
    /// Samples (the first training samples) on which the gradient norms are measured.
    package var probeSamples: Int
    /// Each activation's SGD rate tuned at the deepest depth (``RateTunedConfiguration/rateTuning``);
    /// the deepest networks are trained at it too. Nil: the shared rate only.
    package var tunedRates: TunedRates?
    /// The data's classes (set when the runs are described; nil in documents written before
    /// it was kept: Fashion-MNIST's 10).
    package var classes: Int?

    /// The loss of a network that guesses uniformly among the classes, ln classes (ln 10 ≈ 2.30).
    package var chanceLoss: Double { log(Double(classes ?? 10)) }

    /// The rates are tuned on the deepest network.
    package var tunedHiddenSizes: [Int] { Array(repeating: width, count: depths.max() ?? 1) }
}

extension DepthConfiguration {
    /// The short version (part of `rectifier run`): depths 2…32, width 128, 2 epochs on
    /// 2048 images, probe of 256, seeds `0..<seeds`; the long one (`full`): 10 epochs on
    /// 10 000 images, probe of 1000.
    package init(seeds: Int, full: Bool = false) {
        self.init(
            depths: [2, 4, 8, 16, 32], width: 128, activations: ActivationLineup.all, seeds: Self.seedList(seeds),
            trainingSamples: full ? 10_000 : 2048, validationSamples: full ? 5_000 : 1024, epochs: full ? 10 : 2,
            batchSize: 64, learningRate: 0.01, momentum: 0.9, probeSamples: full ? 1_000 : 256)
    }
}

/// One trained network of the depth experiment.
package struct DepthRun: Codable, Equatable, Sendable, RateTunedRun {
    package let activation: String
    /// Hidden layers.
    package let depth: Int
    package let seed: UInt64
    /// The mean cross-entropy on the probe images (the first training images) after the
    /// budget; nil when the run diverged (NaN or ±∞).
    package let trainingLoss: Double?
    /// The validation accuracy after the budget, in [0, 1]; nil when the run diverged.
    package let validationAccuracy: Double?
    /// The mean training loss of each epoch, as seen while learning.
    package let epochLosses: [Double]
    /// ‖∂L/∂θ‖ of each Dense layer (weight and bias), input side first, at initialisation.
    package let gradientNormsAtInitialisation: [Double]
    /// The same after training; nil when the run diverged.
    package let gradientNormsAfterTraining: [Double]?
    /// `sgd-momentum` (the shared rate) or `sgd-momentum-tuned` (the activation's tuned
    /// rate); nil in documents written before tuning (the shared rate).
    package var optimizer: String?
    /// Why training stopped early, if it did.
    package let divergence: String?
    /// Whether the run diverged (it then counts as chance, ln classes, in the verdict).
    package let diverged: Bool
    /// The epoch (from 1) in which it diverged; nil when it did not.
    package let divergedAtEpoch: Int?
    /// Wall time of the run (training and measurements), in seconds.
    package let seconds: Double

    package init(
        activation: String, depth: Int, seed: UInt64, trainingLoss: Double?, validationAccuracy: Double?,
        epochLosses: [Double], gradientNormsAtInitialisation: [Double], gradientNormsAfterTraining: [Double]?,
        optimizer: String? = nil, divergence: String?, divergedAtEpoch: Int? = nil, seconds: Double
    ) {
        self.optimizer = optimizer
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
}

/// The raw numbers of the depth experiment: its settings and every run.
package typealias DepthResults = GridResults<DepthConfiguration, DepthRun>

extension GridResults where Configuration == DepthConfiguration, Run == DepthRun {
    /// The runs of one (activation, depth) at the shared rate, or at the tuned rate when
    /// `tuned` (the shared-rate runs when the tuned rate is the shared one: those are not
    /// trained twice), in seed order.
    package func runs(activation: String, depth: Int, tuned: Bool = false) -> [DepthRun] {
        runs(activation: activation, tuned: tuned) { $0.depth == depth }
    }
}
