/// The settings of the dead-unit experiment: which rectifiers, at which learning rates, on
/// which network and data.
package struct DeadUnitsConfiguration: Codable, Equatable, Sendable, SizedConfiguration, VersionedConfiguration {
    /// Hidden activations, in ``HiddenActivation`` text form (ReLU, leaky ReLU, PReLU).
    package var activations: [String]
    /// Adam's learning rates; large rates are what kill ReLU units.
    package var learningRates: [Double]
    /// The widths of the hidden layers.
    package var hiddenSizes: [Int]
    /// One run per seed for each (activation, rate).
    package var seeds: [UInt64]
    /// Training and validation images drawn from Fashion-MNIST's training set.
    package var trainingSamples: Int, validationSamples: Int
    package var epochs: Int
    package var batchSize: Int
    /// Samples (the first training samples) over which a unit must stay silent to count.
    package var probeSamples: Int

    package var sizes: ExperimentData.Sizes { .init(training: trainingSamples, validation: validationSamples) }
}

extension DeadUnitsConfiguration {
    /// The short version (part of `rectifier run`): 4 × 128 hidden units, Adam at 1e−3, 1e−2
    /// and 5e−2, 4 epochs on 2048 images, probe of 1024, seeds `0..<seeds`; the long one
    /// (`full`): 15 epochs on 20 000 images, probe of 2000.
    package init(seeds: Int, full: Bool = false) {
        self.init(
            activations: ActivationLineup.rectifiers, learningRates: [1e-3, 1e-2, 5e-2], hiddenSizes: [128, 128, 128, 128],
            seeds: Self.seedList(seeds), trainingSamples: full ? 20_000 : 2048,
            validationSamples: full ? 5_000 : 1024, epochs: full ? 15 : 4, batchSize: 64, probeSamples: full ? 2_000 : 1024)
    }
}

/// One training run of the dead-unit experiment.
package struct DeadUnitsRun: Codable, Equatable, Sendable {
    package let activation: String
    package let learningRate: Double
    package let seed: UInt64
    /// `deadFractions[epoch][layer]`: the dead fraction of each hidden layer at
    /// initialisation (epoch 0) and after each completed epoch (the trainer's probe).
    package let deadFractions: [[Double]]
    /// Dead and inactive fractions of each hidden layer at initialisation.
    package let initialActivity: [UnitActivity]
    /// The same after training (after the last good epoch of a diverged run).
    package let finalActivity: [UnitActivity]
    /// The validation accuracy after training, in [0, 1]; nil when the run diverged.
    package let validationAccuracy: Double?
    /// For PReLU: the learned slopes of each PReLU layer after training; empty otherwise.
    package let slopes: [[Double]]
    /// Why training stopped early, if it did.
    package let divergence: String?
    /// Whether the run diverged (the verdict then counts every unit dead).
    package let diverged: Bool
    /// The epoch (from 1) in which it diverged; nil when it did not.
    package let divergedAtEpoch: Int?

    package init(
        activation: String, learningRate: Double, seed: UInt64, deadFractions: [[Double]],
        initialActivity: [UnitActivity], finalActivity: [UnitActivity], validationAccuracy: Double?,
        slopes: [[Double]], divergence: String?, divergedAtEpoch: Int? = nil
    ) {
        self.activation = activation
        self.learningRate = learningRate
        self.seed = seed
        self.deadFractions = deadFractions
        self.initialActivity = initialActivity
        self.finalActivity = finalActivity
        self.validationAccuracy = validationAccuracy
        self.slopes = slopes
        self.divergence = divergence
        diverged = divergence != nil
        self.divergedAtEpoch = divergedAtEpoch
    }

    /// The dead fraction after `epoch` (0: initialisation) averaged over the hidden layers,
    /// each layer weighing the same.
    package func meanDeadFraction(epoch: Int) -> Double {
        let layers = deadFractions[epoch]
        return layers.isEmpty ? 0 : layers.reduce(0, +) / Double(layers.count)
    }

    /// The dead fraction after the last completed epoch, averaged over the hidden layers.
    package var finalMeanDeadFraction: Double { meanDeadFraction(epoch: deadFractions.count - 1) }

    /// The inactive fraction after training, averaged over the hidden layers.
    package var finalMeanInactiveFraction: Double {
        finalActivity.isEmpty ? 0 : finalActivity.map(\.inactiveFraction).reduce(0, +) / Double(finalActivity.count)
    }
}

/// The raw numbers of the dead-unit experiment: its settings and every run.
package typealias DeadUnitsResults = GridResults<DeadUnitsConfiguration, DeadUnitsRun>

extension GridResults where Run == DeadUnitsRun {
    /// The runs of one (activation, rate), in seed order.
    package func runs(activation: String, learningRate: Double) -> [DeadUnitsRun] {
        runs.filter { $0.activation == activation && $0.learningRate == learningRate }
    }
}
