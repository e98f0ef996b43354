/// One activation of the convolutional experiment: its rate tuning and its measuring runs.
package struct ConvolutionalRun: Codable, Sendable {
    /// The grid's scores and the chosen rate (`tuned_learning_rate`).
    package let tuning: TunedRate
    /// The measuring seeds' runs at the tuned rate, in seed order.
    package let runs: [TrialResult]

    /// The activation's spelling.
    package var activation: String { tuning.activation }
}

/// The raw numbers of the convolutional experiment and what the claims read from them.
///
/// As in the efficiency experiment, the seconds to a target are epochs to it × the run's
/// median seconds per epoch, a seed that never reaches a target counts as the whole budget
/// (a lower bound), and a diverged seed never reaches a target and ends at chance.
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

    /// The speed-up a claim needs: the other activation takes ≥ 1.1× ReLU's epochs (or seconds).
    package static let speedMargin = 0.10

    /// The runs of `activation` (none when it was not measured).
    package func runs(_ activation: String) -> [TrialResult] {
        activations.first { $0.activation == activation }?.runs ?? []
    }

    /// Epochs (or seconds) each seed took to `target`; infinity for a seed that never got
    /// there or diverged.
    package func timesToTarget(_ activation: String, target: Double, seconds: Bool = false) -> [Double] {
        runs(activation).map { result in
            let epochs = result.diverged ? .infinity : result.epochsToReach(trainError: target) ?? .infinity
            return seconds ? epochs * result.medianEpochSeconds : epochs
        }
    }

    /// ``timesToTarget(_:target:seconds:)`` with the budget standing in for "never" (a lower bound).
    package func boundedTimes(_ activation: String, target: Double, seconds: Bool = false) -> [Double] {
        zip(timesToTarget(activation, target: target, seconds: seconds), runs(activation)).map { time, run in
            time.isFinite ? time : Double(epochs) * (seconds ? run.medianEpochSeconds : 1)
        }
    }

    /// Mean bounded time of `slow` over `fast`'s, "≥ " when some `slow` seed never got there.
    package func ratioText(of slow: String, over fast: String = "relu", target: Double, seconds: Bool = false) -> String {
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(Swift.max(values.count, 1)) }
        let ratio = mean(boundedTimes(slow, target: target, seconds: seconds))
            / mean(boundedTimes(fast, target: target, seconds: seconds))
        let open = timesToTarget(slow, target: target).contains { !$0.isFinite }
        return (open ? "≥ " : "") + SeedStatistics.format(ratio, digits: 2) + "×"
    }

    /// Each seed's final validation accuracy, test accuracy or training error (chance for a
    /// diverged seed).
    package func finalFigure(_ activation: String, _ figure: FinalFigure) -> [Double] {
        runs(activation).map { run in
            switch figure {
            case .validationAccuracy: run.diverged ? chanceAccuracy : run.validationAccuracies.last ?? .nan
            case .testAccuracy: run.diverged ? chanceAccuracy : run.testAccuracy ?? .nan
            case .trainError: run.diverged ? 1 - chanceAccuracy : run.trainErrors.last ?? .nan
            }
        }
    }

    package enum FinalFigure { case validationAccuracy, testAccuracy, trainError }

    /// The measuring seeds (the fewest of any activation).
    package var seedCount: Int { activations.map(\.runs.count).min() ?? 0 }
}
