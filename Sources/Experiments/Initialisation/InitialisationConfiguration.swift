/// The settings of the initialisation experiment: a grid of weight scales × activations ×
/// seeds, each run trained with the same data, network and budget.
package struct InitialisationConfiguration: Codable, Equatable, Sendable, RateTunedConfiguration {
    /// Multipliers of each activation's usual standard deviation (He for the rectifiers and
    /// softplus, Glorot for sigmoid and tanh).
    package var scales: [Double]
    /// Hidden activations, in ``HiddenActivation`` text form.
    package var activations: [String]
    /// The widths of the hidden layers.
    package var hiddenSizes: [Int]
    /// One run per seed for each (activation, scale).
    package var seeds: [UInt64]
    /// Training and validation images drawn from Fashion-MNIST's training set.
    package var trainingSamples: Int, validationSamples: Int
    package var epochs: Int
    package var batchSize: Int
    /// SGD with heavy-ball momentum.
    package var learningRate: Double, momentum: Double
    /// A run succeeds when its validation accuracy after the budget reaches this, in (0, 1].
    package var targetAccuracy: Double
    /// Each activation's SGD rate tuned at scale ×1 (``RateTunedConfiguration/rateTuning``);
    /// the whole grid is trained at it too. Nil: the shared rate only.
    package var tunedRates: TunedRates?

    /// The rates are tuned at scale ×1.
    package var tunedHiddenSizes: [Int] { hiddenSizes }
}

extension InitialisationConfiguration {
    /// The short version (part of `rectifier run`): scales ×0.25 … ×4, 4 × 128 hidden units,
    /// 2 epochs on 2048 images, target 70 % validation accuracy, seeds `0..<seeds`; the long
    /// one (`full`): 10 epochs on 10 000 images, target 82 %.
    package init(seeds: Int, full: Bool = false) {
        self.init(
            scales: [0.25, 0.5, 1, 2, 4], activations: ActivationLineup.all, hiddenSizes: [128, 128, 128, 128],
            seeds: Self.seedList(seeds), trainingSamples: full ? 10_000 : 2048,
            validationSamples: full ? 5_000 : 1024, epochs: full ? 10 : 2, batchSize: 64, learningRate: 0.01,
            momentum: 0.9, targetAccuracy: full ? 0.82 : 0.70)
    }
}

/// One training run of the initialisation grid.
package struct InitialisationRun: Codable, Equatable, Sendable, RateTunedRun {
    package let activation: String
    /// The multiplier of the usual standard deviation.
    package let scale: Double
    /// "He" or "Glorot".
    package let scheme: String
    package let seed: UInt64
    /// The validation accuracy after the budget, in [0, 1]; chance (1/classes) for a diverged run.
    package let validationAccuracy: Double
    /// The mean training loss of the last epoch (measured while learning); nil when diverged.
    package let trainingLoss: Double?
    /// Whether ``validationAccuracy`` reached the target.
    package let reachedTarget: Bool
    /// `sgd-momentum` (the shared rate) or `sgd-momentum-tuned` (the activation's tuned
    /// rate); nil in documents written before tuning (the shared rate).
    package var optimizer: String?
    /// Why training stopped early, if it did.
    package let divergence: String?
    /// Whether the run diverged (it then fails the target and counts at chance).
    package let diverged: Bool
    /// The epoch (from 1) in which it diverged; nil when it did not.
    package let divergedAtEpoch: Int?

    package init(
        activation: String, scale: Double, scheme: String, seed: UInt64, validationAccuracy: Double,
        trainingLoss: Double?, reachedTarget: Bool, optimizer: String? = nil, divergence: String?, divergedAtEpoch: Int? = nil
    ) {
        self.optimizer = optimizer
        self.activation = activation
        self.scale = scale
        self.scheme = scheme
        self.seed = seed
        self.validationAccuracy = validationAccuracy
        self.trainingLoss = trainingLoss
        self.reachedTarget = reachedTarget
        self.divergence = divergence
        diverged = divergence != nil
        self.divergedAtEpoch = divergedAtEpoch
    }
}

/// The raw numbers of the initialisation experiment: its settings and every run.
package typealias InitialisationResults = GridResults<InitialisationConfiguration, InitialisationRun>

extension GridResults where Configuration == InitialisationConfiguration, Run == InitialisationRun {
    /// The runs of one (activation, scale) at the shared rate, or at the tuned rate when
    /// `tuned`, in seed order.
    /// (The shared-rate runs stand for the tuned ones when the tuned rate is the shared one.)
    package func runs(activation: String, scale: Double, tuned: Bool = false) -> [InitialisationRun] {
        runs(activation: activation, tuned: tuned) { $0.scale == scale }
    }

    /// The fraction of the activation's runs (all scales and seeds) that reached the target.
    package func successRate(activation: String, tuned: Bool = false) -> Double? {
        successRate(of: configuration.scales.flatMap { runs(activation: activation, scale: $0, tuned: tuned) })
    }

    /// Per seed, over the scales: the fraction of runs reaching the target, and the range
    /// (max − min) of validation accuracy.
    package func perSeed(activation: String, tuned: Bool = false) -> (success: [Double], range: [Double]) {
        let mine = configuration.scales.flatMap { runs(activation: activation, scale: $0, tuned: tuned) }
        let seeds = Array(Set(mine.map(\.seed))).sorted()
        let bySeed = seeds.map { seed in mine.filter { $0.seed == seed } }
        return (
            bySeed.map { Double($0.filter(\.reachedTarget).count) / Double($0.count) },
            bySeed.map { ($0.map(\.validationAccuracy).max() ?? .nan) - ($0.map(\.validationAccuracy).min() ?? .nan) }
        )
    }

    /// The fraction of the (activation, scale) runs that reached the target.
    package func successRate(activation: String, scale: Double) -> Double? {
        successRate(of: runs(activation: activation, scale: scale))
    }

    private func successRate(of mine: [InitialisationRun]) -> Double? {
        mine.isEmpty ? nil : Double(mine.filter(\.reachedTarget).count) / Double(mine.count)
    }
}
