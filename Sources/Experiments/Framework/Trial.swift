import Activations
import Networks

/// An optimiser with the short name the report uses ("sgd-momentum", "adam").
package struct NamedOptimizer: Hashable, Sendable {
    /// The name in tables, file names and JSON.
    package let name: String
    package let configuration: OptimizerConfiguration

    /// SGD with heavy-ball momentum 0.9 (Krizhevsky et al. 2012), rate 0.05 by default.
    package static func sgdMomentum(learningRate: Double = 0.05) -> NamedOptimizer {
        // The rate and momentum are in range, so the initialiser cannot throw.
        NamedOptimizer(
            name: "sgd-momentum",
            configuration: try! OptimizerConfiguration(
                kind: .sgd(momentum: 0.9, nesterov: false), learningRate: learningRate))
    }

    /// Adam, rate 1e−3 by default (Kingma and Ba 2015).
    package static func adam(learningRate: Double = 1e-3) -> NamedOptimizer {
        NamedOptimizer(
            name: "adam", configuration: try! OptimizerConfiguration(kind: .adam, learningRate: learningRate))
    }
}

/// One training run of a side-by-side comparison: which activation, seed and optimiser, and
/// optionally its own hidden widths or initialisation (for the depth and initialisation
/// experiments); everything else comes from the shared ``TrialBudget``.
package struct Trial: Hashable, Sendable {
    /// The hidden layers' activation (`relu`, `leaky:0.01`, `prelu`, …).
    package var activation: HiddenActivation
    /// Seeds the run's one generator: initial weights and every epoch's sample order.
    package var seed: UInt64
    package var optimizer: NamedOptimizer
    /// Hidden widths; nil takes the budget's.
    package var hiddenSizes: [Int]?
    /// Weight initialisation; nil takes the budget's.
    package var initialization: Initialization?

    /// Every combination, optimiser outermost, then activation, then seed.
    package static func grid(
        activations: [HiddenActivation], seeds: [UInt64], optimizers: [NamedOptimizer]
    ) -> [Trial] {
        optimizers.flatMap { optimizer in
            activations.flatMap { activation in
                seeds.map { Trial(activation: activation, seed: $0, optimizer: optimizer) }
            }
        }
    }

    /// "relu adam seed 0".
    package var label: String { "\(activation) \(optimizer.name) seed \(seed)" }
}

extension Trial: CustomStringConvertible {
    /// The label with the trial's own rate, widths and initialisation: "relu sgd-momentum rate
    /// 0.01 widths 4×128 he-normal ×0.5 seed 0" (what a merge names a missing trial by).
    package var description: String {
        var parts = ["\(activation)", optimizer.name, "rate \(optimizer.configuration.learningRate)"]
        if let hiddenSizes, let first = hiddenSizes.first {
            parts.append(hiddenSizes.allSatisfy { $0 == first } ? "widths \(hiddenSizes.count)×\(first)"
                : "widths " + hiddenSizes.map(String.init).joined(separator: "-"))
        }
        if let initialization { parts.append("\(initialization.scheme.rawValue) ×\(initialization.scale)") }
        return (parts + ["seed \(seed)"]).joined(separator: " ")
    }
}

/// What every trial of a comparison shares: architecture, epochs, batch size, loss and
/// initialisation (unless a trial overrides them).
package struct TrialBudget: Hashable, Sendable {
    /// Hidden widths of the multilayer perceptron (input and output sizes come from the data).
    package var hiddenSizes: [Int]
    /// Hidden layers as `rectifier train --layers` spells them (`conv:16x5:pad=same,maxpool:2,
    /// dense:64`), on square one-channel images; nil for the perceptron of ``hiddenSizes``.
    package var layers: String?
    /// Passes over the training set (≥ 1).
    package var epochs: Int
    /// Samples per step (≥ 1, at most the training set's size).
    package var batchSize: Int
    package var initialization: Initialization
    package var loss: Loss
    /// Probe samples for dead units, gradient norms and slopes after each epoch.
    package var probeSize: Int

    package init(
        hiddenSizes: [Int] = [256, 128], epochs: Int, batchSize: Int = 128,
        initialization: Initialization = try! Initialization(), loss: Loss = .softmaxCrossEntropy,
        probeSize: Int = 500, layers: String? = nil
    ) {
        self.hiddenSizes = hiddenSizes
        self.layers = layers
        self.epochs = epochs
        self.batchSize = batchSize
        self.initialization = initialization
        self.loss = loss
        self.probeSize = probeSize
    }
}
