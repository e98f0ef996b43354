import Activations
import Networks

/// Each activation's learning rate, chosen as Krizhevsky et al. chose theirs ("independently
/// to make training as fast as possible"): every rate of a log-spaced grid trains on the
/// tuning seeds (never the measuring seeds) for a short budget, and the rate with the best
/// mean validation accuracy wins. A diverged tuning run scores chance accuracy; on a tie the
/// smaller rate wins.
package struct RateTuning: Sendable {
    /// The candidate rates, ascending (≥ 5, log-spaced).
    package let rates: [Double]
    /// Seeds of the tuning runs, disjoint from the measuring seeds 0…n−1.
    package let seeds: [UInt64]
    /// Epochs of each tuning run.
    package let epochs: Int

    /// The tuning seeds start here, far above any `--seeds` (at most 1000).
    package static let firstSeed: UInt64 = 1_000_000

    /// `count` rates from 10^`lowestPower` up in steps of √10; each power of ten is the
    /// correctly rounded 10^k (10^|k| is exact in Double for |k| ≤ 22).
    package static func halfDecades(from lowestPower: Int, count: Int) -> [Double] {
        (0..<count).map { step in
            let power = lowestPower + step / 2
            var magnitude = 1.0
            for _ in 0..<Swift.min(abs(power), 22) { magnitude *= 10 }
            let rate = power < 0 ? 1 / magnitude : magnitude
            return step % 2 == 0 ? rate : rate * 3.1622776601683795
        }
    }

    package init(rates: [Double], seedCount: Int, epochs: Int) {
        self.rates = rates
        seeds = (0..<UInt64(Swift.max(1, seedCount))).map { Self.firstSeed + $0 }
        self.epochs = epochs
    }

    /// One rate's tuning score.
    package struct Score: Codable, Equatable, Sendable {
        package let learningRate: Double
        /// Mean final validation accuracy over the tuning seeds (a diverged seed counts as chance).
        package let validationAccuracy: Double
        /// Tuning seeds that diverged at this rate.
        package let diverged: Int

        package init(learningRate: Double, validationAccuracy: Double, diverged: Int) {
            self.learningRate = learningRate
            self.validationAccuracy = validationAccuracy
            self.diverged = diverged
        }
    }

    /// The winning rate of `scores`: the highest accuracy, the smaller rate on a tie; nil for none.
    package static func choose(_ scores: [Score]) -> Double? {
        scores.filter { !$0.validationAccuracy.isNaN }
            .min { ($0.validationAccuracy, -$0.learningRate) > ($1.validationAccuracy, -$1.learningRate) }?
            .learningRate
    }

    /// The trials of one rate: every tuning seed with `optimizer`'s kind at `rate`.
    package func trials(
        _ activation: HiddenActivation, rate: Double, optimizer: NamedOptimizer, initialization: Initialization
    ) throws(ExperimentError) -> [Trial] {
        let configuration: OptimizerConfiguration
        do {
            configuration = try OptimizerConfiguration(kind: optimizer.configuration.kind, learningRate: rate)
        } catch {
            throw .invalidOption(flag: "learning rate", reason: "\(error)")
        }
        let tuned = NamedOptimizer(name: optimizer.name, configuration: configuration)
        return seeds.map { Trial(activation: activation, seed: $0, optimizer: tuned, initialization: initialization) }
    }

    /// The score of one rate's runs.
    package static func score(_ runs: [TrialResult], rate: Double, chance: Double) -> Score {
        let accuracies = runs.map { $0.diverged ? chance : $0.validationAccuracies.last ?? chance }
        return Score(
            learningRate: rate, validationAccuracy: accuracies.reduce(0, +) / Double(Swift.max(1, accuracies.count)),
            diverged: runs.filter(\.diverged).count)
    }
}
