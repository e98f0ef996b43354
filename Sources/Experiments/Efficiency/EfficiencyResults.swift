/// The raw numbers of the efficiency experiment (every trial, every epoch) and the figures
/// derived from them: per activation and optimiser, the seed statistics of epochs and
/// seconds to the target and of the final errors.
///
/// Seconds to the target are epochs to the target × the run's median seconds per epoch:
/// on a shared machine a single slow epoch (another process taking the cores) would
/// otherwise decide the comparison. The raw per-epoch seconds stay in ``trials``.
///
/// A diverged seed counts as a model that learned nothing: it never reaches the target
/// (even if it crossed it before diverging), and its final validation and test accuracies
/// are ``chanceAccuracy`` (training error 1 − chance).
package struct EfficiencyResults: Codable, Sendable {
    /// The training error whose first crossing is timed (a fraction).
    package let targetError: Double
    /// The budget in epochs.
    package let epochs: Int
    /// The accuracy of guessing (1/classes), which a diverged seed counts as.
    package let chanceAccuracy: Double
    package let trials: [TrialResult]
    /// Activation spellings and optimiser names (`adam`, `adam-tuned`, …), in report order.
    package let activations: [String]
    package let optimizers: [String]
    /// Each activation's tuned rate per optimiser (nil in documents written before tuning).
    package let tunedRates: TunedRates?

    /// The activations with runs under `optimizer`, in report order.
    package func activations(for optimizer: String) -> [String] {
        activations.filter { activation in trials.contains { $0.activation == activation && $0.optimizer == optimizer } }
    }

    /// The rate `activation` trained at under `optimizer` (`adam` or `adam-tuned`), or nil.
    package func learningRate(activation: String, optimizer: String) -> Double? {
        guard let tunedRates else { return nil }
        if optimizer.hasSuffix(NamedOptimizer.tunedSuffix) {
            return tunedRates.rate(activation: activation, optimizer: String(optimizer.dropLast(NamedOptimizer.tunedSuffix.count)))
        }
        return tunedRates.rates.first { $0.optimizer == optimizer }?.sharedLearningRate
    }

    /// One activation under one optimiser, over seeds.
    package struct Summary: Sendable {
        package let activation: String, optimizer: String
        /// Epochs and seconds to the target; a seed that never reached it is missing.
        package let epochsToTarget: SeedStatistics, secondsToTarget: SeedStatistics
        /// Per-seed epochs to target, with the budget standing in for "never" (a lower bound).
        package let epochsToTargetBounded: [Double], secondsToTargetBounded: [Double]
        package let finalTrainError: SeedStatistics
        package let finalValidationAccuracy: SeedStatistics
        /// Test accuracy after the last epoch (a diverged seed counts as chance; runs without
        /// a test set are missing).
        package let testAccuracy: SeedStatistics
        /// Each run's epoch times (the repetitions a timing verdict rests on).
        package let epochSeconds: [SeedStatistics]
        /// The runs' median training seconds per epoch.
        package let secondsPerEpoch: SeedStatistics
        /// Seeds that diverged.
        package let diverged: Int
    }

    /// The summary of `activation` under `optimizer`.
    package func summary(activation: String, optimizer: String) -> Summary {
        let runs = trials.matching(activation: activation, optimizer: optimizer)
        let epochs = runs.map { $0.diverged ? .infinity : $0.epochsToReach(trainError: targetError) ?? .infinity }
        let seconds = zip(epochs, runs).map { $0 * $1.medianEpochSeconds }
        let budgetSeconds = runs.map { Double(self.epochs) * $0.medianEpochSeconds }
        return Summary(
            activation: activation, optimizer: optimizer,
            epochsToTarget: SeedStatistics(epochs), secondsToTarget: SeedStatistics(seconds),
            epochsToTargetBounded: epochs.map { $0.isFinite ? $0 : Double(self.epochs) },
            secondsToTargetBounded: zip(seconds, budgetSeconds).map { $0.isFinite ? $0 : $1 },
            finalTrainError: SeedStatistics(runs.map { $0.diverged ? 1 - chanceAccuracy : $0.trainErrors.last ?? .nan }),
            finalValidationAccuracy: SeedStatistics(
                runs.map { $0.diverged ? chanceAccuracy : $0.validationAccuracies.last ?? .nan }),
            testAccuracy: SeedStatistics(runs.map { $0.diverged ? chanceAccuracy : $0.testAccuracy ?? .nan }),
            epochSeconds: runs.map { SeedStatistics($0.records.map(\.seconds)) },
            secondsPerEpoch: SeedStatistics(runs.map(\.medianEpochSeconds)),
            diverged: runs.filter { $0.divergence != nil }.count)
    }

    /// Mean epochs (or seconds) tanh needs over ReLU's mean, counting a seed that never got
    /// there as the whole budget; `isLowerBound` when some tanh seed never got there.
    package func ratio(of slow: String, over fast: String, optimizer: String, seconds: Bool = false)
        -> (ratio: Double, isLowerBound: Bool)
    {
        let slowSummary = summary(activation: slow, optimizer: optimizer)
        let fastSummary = summary(activation: fast, optimizer: optimizer)
        let slowValues = seconds ? slowSummary.secondsToTargetBounded : slowSummary.epochsToTargetBounded
        let fastValues = seconds ? fastSummary.secondsToTargetBounded : fastSummary.epochsToTargetBounded
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(Swift.max(values.count, 1)) }
        let missing = seconds ? slowSummary.secondsToTarget.missing : slowSummary.epochsToTarget.missing
        return (mean(slowValues) / mean(fastValues), missing > 0)
    }

    /// The activations under `optimizer` ranked by mean test accuracy, best first (an
    /// activation without a finite test accuracy ranks last).
    package func leaderboard(optimizer: String) -> [(activation: String, accuracy: SeedStatistics)] {
        activations(for: optimizer).map { ($0, summary(activation: $0, optimizer: optimizer).testAccuracy) }
            .sorted { ($0.1.mean.isNaN ? -1 : $0.1.mean) > ($1.1.mean.isNaN ? -1 : $1.1.mean) }
    }
}
