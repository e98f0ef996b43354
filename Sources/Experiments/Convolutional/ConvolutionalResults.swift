/// One activation of the convolutional experiment: its rate tuning and its measuring runs.
package struct ConvolutionalRun: Codable, Sendable {
    /// The activation's spelling.
    package let activation: String
    /// The rate every measuring seed trained at (``RateTuning``).
    package let tunedLearningRate: Double
    /// Each candidate rate's tuning score, ascending by rate.
    package let tuning: [RateTuning.Score]
    /// The measuring seeds' runs, in seed order.
    package let runs: [TrialResult]

    package init(activation: String, tunedLearningRate: Double, tuning: [RateTuning.Score], runs: [TrialResult]) {
        self.activation = activation
        self.tunedLearningRate = tunedLearningRate
        self.tuning = tuning
        self.runs = runs
    }
}

/// The raw numbers of the convolutional experiment and what the claims read from them.
///
/// As in the efficiency experiment, the seconds to a target are epochs to it × the run's
/// median seconds per epoch, and a diverged seed never reaches a target and ends at chance.
package struct ConvolutionalResults: Codable, Sendable {
    /// The training errors whose first crossing is timed (fractions): the paper's 25 %, then
    /// the harder one.
    package let targets: [Double]
    /// The budget in epochs.
    package let epochs: Int
    /// The accuracy of guessing, which a diverged seed counts as.
    package let chanceAccuracy: Double
    /// The hidden layers, as `rectifier train --layers` spells them.
    package let layers: String
    /// One entry per activation, in report order.
    package let activations: [ConvolutionalRun]

    /// The speed-up a claim needs: at least 10 % fewer epochs (or seconds).
    package static let speedMargin = 0.10
    /// How far below the middle of the field "among the best" may be: half a point.
    package static let accuracyMargin = 0.005
    /// Krizhevsky et al.'s Figure 1: tanh took 6× the epochs of ReLU to 25 % training error.
    package static let paperRatio = 6.0

    /// The entry of `activation`, or nil.
    package func run(_ activation: String) -> ConvolutionalRun? {
        activations.first { $0.activation == activation }
    }

    /// Epochs (or seconds) each seed took to `target`; infinity for a seed that never got
    /// there or diverged.
    package func timesToTarget(_ activation: String, target: Double, seconds: Bool = false) -> [Double] {
        (run(activation)?.runs ?? []).map { result in
            let epochs = result.diverged ? .infinity : result.epochsToReach(trainError: target) ?? .infinity
            return seconds ? epochs * result.medianEpochSeconds : epochs
        }
    }

    /// ``timesToTarget(_:target:seconds:)`` as bounds: a seed that never got there took at
    /// least the budget.
    package func bounds(_ activation: String, target: Double, seconds: Bool = false) -> [ThreeWayVerdict.Bound] {
        let results = run(activation)?.runs ?? []
        return zip(timesToTarget(activation, target: target, seconds: seconds), results).map { time, result in
            ThreeWayVerdict.Bound(time, budget: Double(epochs) * (seconds ? result.medianEpochSeconds : 1))
        }
    }

    /// Mean time of `slow` over mean time of `fast` (a seed that never got there counted as
    /// the budget), and which way the figure is a bound: "≥" when only `slow` has such
    /// seeds, "≤" when only `fast` has, "" when neither; nil when both have.
    package func ratio(of slow: String, over fast: String, target: Double, seconds: Bool = false)
        -> (ratio: Double, qualifier: String)?
    {
        let slowBounds = bounds(slow, target: target, seconds: seconds)
        let fastBounds = bounds(fast, target: target, seconds: seconds)
        let slowOpen = slowBounds.contains { !$0.upper.isFinite }, fastOpen = fastBounds.contains { !$0.upper.isFinite }
        guard !(slowOpen && fastOpen), !slowBounds.isEmpty, !fastBounds.isEmpty else { return nil }
        let mean = { (bounds: [ThreeWayVerdict.Bound]) in bounds.map(\.lower).reduce(0, +) / Double(bounds.count) }
        return (mean(slowBounds) / mean(fastBounds), slowOpen ? "≥ " : fastOpen ? "≤ " : "")
    }

    /// Each seed's final validation accuracy (chance for a diverged seed).
    package func finalAccuracies(_ activation: String) -> [Double] {
        (run(activation)?.runs ?? []).map { $0.diverged ? chanceAccuracy : $0.validationAccuracies.last ?? chanceAccuracy }
    }

    /// Each seed's final training error (1 − chance for a diverged seed).
    package func finalTrainErrors(_ activation: String) -> [Double] {
        (run(activation)?.runs ?? []).map { $0.diverged ? 1 - chanceAccuracy : $0.trainErrors.last ?? 1 - chanceAccuracy }
    }

    /// The measuring seeds (the fewest of any activation).
    package var seedCount: Int { activations.map(\.runs.count).min() ?? 0 }
}
