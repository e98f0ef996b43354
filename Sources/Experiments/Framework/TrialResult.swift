import Activations
import Networks
import Runtime

/// What one trial did: its settings, every epoch's record, and how it ended.
package struct TrialResult: Codable, Sendable {
    /// The hidden activation's spelling (`relu`, `leaky:0.01`, `prelu`).
    package let activation: String
    package let seed: UInt64
    /// The optimiser's short name.
    package let optimizer: String
    package let hiddenSizes: [Int]
    /// The initialisation's scheme and scale multiplier.
    package let initialization: String
    package let initializationScale: Double
    /// The trainer's record of each finished epoch (losses, accuracies, seconds, dead units,
    /// gradient norms, PReLU slopes).
    package let records: [EpochRecord]
    /// Why the run diverged (``Networks/DivergenceRule``: a training or validation loss that
    /// is NaN or ±∞, non-finite parameters, or a non-finite test loss), or nil.
    package let divergence: String?
    /// Whether the run diverged. A diverged run counts as a failure of its activation in
    /// every verdict (see the experiment's rule); its records stop at the last good epoch.
    package let diverged: Bool
    /// The epoch (from 1) in which the divergence was seen; nil when the run did not diverge.
    package let divergedAtEpoch: Int?
    /// Test accuracy after the last epoch, when the data has a test set and training finished.
    package let testAccuracy: Double?

    /// 1 − training accuracy of each epoch (measured while learning, as in Krizhevsky et al.).
    package var trainErrors: [Double] { records.map { 1 - ($0.trainAccuracy ?? .nan) } }
    /// Validation accuracy after each epoch.
    package var validationAccuracies: [Double] { records.map { $0.validationAccuracy ?? .nan } }
    /// Training wall time up to the end of each epoch, in seconds (metrics excluded).
    package var cumulativeSeconds: [Double] {
        var total = 0.0
        return records.map { total += $0.seconds; return total }
    }

    /// The median training seconds of one epoch (robust to load spikes on a shared machine;
    /// NaN when no epoch finished).
    package var medianEpochSeconds: Double { records.map(\.seconds).median }

    /// The first epoch whose training error is ≤ `target`, as a fraction of an epoch found
    /// by linear interpolation between epoch ends (epoch 0 has error 0.9, chance for ten
    /// classes), or nil if never reached.
    package func epochsToReach(trainError target: Double) -> Double? {
        crossing(of: target, along: records.indices.map { Double($0 + 1) })
    }

    /// The training seconds at which the error first reaches `target`, interpolated within
    /// the epoch like ``epochsToReach(trainError:)``, or nil if never reached.
    package func secondsToReach(trainError target: Double) -> Double? {
        crossing(of: target, along: cumulativeSeconds)
    }

    private func crossing(of target: Double, along positions: [Double]) -> Double? {
        let errors = trainErrors
        var previousError = 0.9, previousPosition = 0.0
        for (error, position) in zip(errors, positions) {
            if error <= target {
                guard previousError > error else { return position }
                let share = (previousError - target) / (previousError - error)
                return previousPosition + Swift.max(0, Swift.min(1, share)) * (position - previousPosition)
            }
            previousError = error
            previousPosition = position
        }
        return nil
    }

    init(
        trial: Trial, hiddenSizes: [Int], initialization: Initialization, records: [EpochRecord],
        divergence: String?, divergedAtEpoch: Int?, testAccuracy: Double?
    ) {
        activation = trial.activation.description
        seed = trial.seed
        optimizer = trial.optimizer.name
        self.hiddenSizes = hiddenSizes
        self.initialization = initialization.scheme.rawValue
        initializationScale = initialization.scale
        self.records = records
        self.divergence = divergence
        diverged = divergence != nil
        self.divergedAtEpoch = divergedAtEpoch
        self.testAccuracy = testAccuracy
    }
}

extension Array where Element == TrialResult {
    /// The results of one activation and optimiser, in seed order.
    package func matching(activation: String, optimizer: String) -> [TrialResult] {
        filter { $0.activation == activation && $0.optimizer == optimizer }.sorted { $0.seed < $1.seed }
    }
}
