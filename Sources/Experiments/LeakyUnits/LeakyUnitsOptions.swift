import Activations
import Networks

/// The settings of `rectifier experiment leaky-units`: which runs, and the budget each gets.
/// Every configuration gets the same seeds, steps, batch size, optimiser and clipping.
package struct LeakyUnitsOptions: Sendable {
    /// Seeds per configuration (≥ 1); seed k draws the weights and the training batches.
    package var seeds: Int
    /// Adding-problem lengths T.
    package var lengths: [Int]
    /// Hidden units of the recurrent layer.
    package var units: Int
    /// Sequences per training step.
    package var batchSize: Int
    /// Training steps (one fresh batch each) per run.
    package var steps: Int
    /// Adam's rate (β = 0.9, 0.999).
    package var learningRate: Double
    /// The gradient's Euclidean norm is clipped to this.
    package var maximumGradientNorm: Double
    /// Held-out sequences for the final MSE (the same for every run of a length).
    package var testSequences: Int
    /// The leak variants, in table order.
    package var leaks: [Leak]
    /// The activations σ.
    package var activations: [Activation]
    /// Also time one BPTT step at hidden 128, batch 64, T = 200 and report the GEMM share.
    package var profilesStep: Bool
    /// The sequential Fashion-MNIST task, run with the same leaks, activations and seeds;
    /// nil runs the adding problem only.
    package var sequentialImages: SequentialImagesOptions?
    /// What a run does when its training loss or gradient norm diverges (both tasks): stop
    /// there, diverged (the default), or go back to the last checkpoint at a lower rate.
    package var divergence: DivergencePolicy = .stop

    /// α = 0; α = 0.99 fixed (τ = 100); time constants log-uniform from 1 to 1000; learned α
    /// starting log-uniform from τ = 1.5 to 100 (so the long lengths need it to grow).
    package static let standardLeaks: [Leak] = [
        .none, .fixed(0.99), .multiScale(maximumTimeConstant: 1000), .learned(initialTimeConstants: 1.5...100),
    ]

    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming the bad setting.
    package func validate() throws(ExperimentError) {
        try ExperimentError.require(seeds >= 1, "--seeds", "\(seeds) is not ≥ 1")
        try ExperimentError.require(
            !lengths.isEmpty && lengths.allSatisfy { $0 >= 2 }, "lengths", "\(lengths) must be non-empty, each ≥ 2")
        try ExperimentError.require(
            units >= 1 && batchSize >= 1 && steps >= 1 && testSequences >= 1, "budget",
            "units, batch size, steps and test sequences must be ≥ 1")
        try ExperimentError.require(
            learningRate > 0 && maximumGradientNorm > 0, "optimiser", "learning rate and maximum gradient norm must be > 0")
        try ExperimentError.require(
            !leaks.isEmpty && !activations.isEmpty, "configurations", "at least one leak and one activation")
        if case let .backOff(factor, maxRetries) = divergence {
            try ExperimentError.require(
                factor > 0 && factor < 1 && maxRetries >= 1, "--on-divergence",
                "a back-off factor in (0, 1) and at least one retry, not \(factor) and \(maxRetries)")
        }
        try sequentialImages?.validate()
    }
}

extension LeakyUnitsOptions {
    /// The short version (about a minute in release on a 2-core machine): 32 units, 300
    /// steps of 32 sequences, T = 50, 100, 200, 400, held-out MSE on 512 sequences;
    /// sequential Fashion-MNIST as ``SequentialImagesOptions/short``.
    ///
    /// The long version (`full`; about 23 minutes with 5 seeds in release on a 2-core
    /// machine): 128 units, 800 steps of 32 sequences at Adam 3e−3 (the budget in which leaky
    /// ReLU layers reach MSE < 0.01 at T = 200; 9.4 s a run there, median, idle), held-out MSE
    /// on 2048 sequences; sequential Fashion-MNIST as ``SequentialImagesOptions/full``.
    package init(seeds: Int, full: Bool = false) {
        self.init(
            seeds: seeds, lengths: [50, 100, 200, 400], units: full ? 128 : 32, batchSize: 32, steps: full ? 800 : 300,
            learningRate: 3e-3, maximumGradientNorm: 1, testSequences: full ? 2048 : 512, leaks: Self.standardLeaks,
            activations: [.relu, .tanh], profilesStep: true, sequentialImages: full ? .full : .short)
    }
}
