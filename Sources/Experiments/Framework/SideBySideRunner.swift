import Activations
import Networks
import Runtime

/// Trains a list of ``Trial``s one after another on the same data, architecture and budget
/// with the Networks ``Trainer``, and collects each one's per-epoch records.
///
/// Determinism: each trial draws its weights and sample orders from one
/// ``SeededGenerator`` seeded by its seed, so the same trials, data and thread count give
/// bit-identical records (wall seconds aside).
///
/// ```swift
/// let runner = SideBySideRunner(data: data, budget: TrialBudget(epochs: 5))
/// let trials = Trial.grid(activations: [.fixed(.relu), .fixed(.tanh)], seeds: [0, 1, 2],
///                         optimizers: [.adam()])
/// let task = context.progress.start("efficiency", totalWork: runner.workUnits(trials))
/// let results = try runner.run(trials, progress: task)
/// ```
package struct SideBySideRunner {
    package let data: ExperimentData
    package let budget: TrialBudget

    /// When ``run(_:progress:inspect:)`` calls its `inspect` hook.
    package enum Moment: Sendable {
        /// After initialisation, before the first step.
        case initialized
        /// After the last epoch (or the last good epoch of a diverged run).
        case trained
    }

    /// A batch larger than the training set (your own small data) becomes the whole set.
    package init(data: ExperimentData, budget: TrialBudget) {
        self.data = data
        var budget = budget
        budget.batchSize = min(budget.batchSize, max(1, data.training.count))
        self.budget = budget
    }

    /// Progress units of `trials`: one per training batch.
    package func workUnits(_ trials: [Trial]) -> Double {
        let batches = (data.training.count + budget.batchSize - 1) / budget.batchSize
        return Double(trials.count * budget.epochs * batches)
    }

    /// Trains every trial in order. A run that diverges (``Networks/DivergenceRule``: a
    /// training or validation loss that is NaN or ±∞, or, after training, a test loss that
    /// is) is not an error: its result keeps the epochs before and says why and in which
    /// epoch it diverged.
    ///
    /// - Parameters:
    ///   - progress: advanced by one unit per batch (see ``workUnits(_:)``); nil for none.
    ///   - inspect: called with each model after initialisation and after training (for
    ///     gradient norms at initialisation, weight statistics, …).
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` for a budget the data or
    ///   network cannot take (batch larger than the data, a bad width).
    package func run(
        _ trials: [Trial], progress: ProgressTask? = nil,
        inspect: ((Trial, Sequential<Float>, Moment) -> Void)? = nil
    ) throws(ExperimentError) -> [TrialResult] {
        var results: [TrialResult] = []
        for (index, trial) in trials.enumerated() {
            results.append(try run(trial, number: index + 1, of: trials.count, progress: progress, inspect: inspect))
        }
        return results
    }

    private func run(
        _ trial: Trial, number: Int, of count: Int, progress: ProgressTask?,
        inspect: ((Trial, Sequential<Float>, Moment) -> Void)?
    ) throws(ExperimentError) -> TrialResult {
        let hiddenSizes = trial.hiddenSizes ?? budget.hiddenSizes
        let initialization = trial.initialization ?? budget.initialization
        let trainer: Trainer<Float>
        do {
            let architecture = try architecture(trial.activation, hiddenSizes: hiddenSizes)
            var generator = SeededGenerator(seed: trial.seed)
            let model = Sequential<Float>(
                architecture: architecture, initialization: initialization, generator: &generator)
            let configuration = try TrainingConfiguration(
                epochs: budget.epochs, batchSize: budget.batchSize, optimizer: trial.optimizer.configuration,
                loss: budget.loss, probeSize: Swift.min(budget.probeSize, data.training.count))
            trainer = Trainer(model: model, configuration: configuration, generator: generator)
        } catch {
            throw .failed(experiment: "trial \(trial.label)", reason: "\(error)")
        }
        inspect?(trial, trainer.model, .initialized)
        var batchesDone = 0
        let callbacks = TrainingCallbacks<Float>(progress: { step in
            batchesDone += 1
            guard let progress else { return }
            progress.advance(
                by: 1,
                status: "[\(number)/\(count)] \(trial.label) epoch \(step.epoch)/\(step.epochs) "
                    + "loss \(SeedStatistics.fixed(step.runningLoss, decimals: 3))")
        })
        var divergence: String?, divergedAtEpoch: Int?
        do {
            try trainer.train(on: data.training, validation: data.validation, callbacks: callbacks)
        } catch .diverged(let epoch, let batch, let reason, _) {
            divergence = "diverged in epoch \(epoch), batch \(batch): \(reason)"
            divergedAtEpoch = epoch
            let remaining = budget.epochs * batchesPerEpoch - batchesDone
            progress?.advance(by: Double(remaining), status: "\(trial.label) diverged")
        } catch {
            throw .failed(experiment: "trial \(trial.label)", reason: error.description)
        }
        inspect?(trial, trainer.model, .trained)
        var testAccuracy: Double?
        if divergence == nil, let test = data.test, let score = try? trainer.evaluate(test) {
            if let reason = DivergenceRule.reason(loss: score.loss, baseline: nil, what: "the test loss after training") {
                divergence = "diverged after epoch \(budget.epochs): \(reason)"
                divergedAtEpoch = budget.epochs
            } else {
                testAccuracy = score.accuracy
            }
        }
        return TrialResult(
            trial: trial, hiddenSizes: hiddenSizes, initialization: initialization, records: trainer.history,
            divergence: divergence, divergedAtEpoch: divergedAtEpoch, testAccuracy: testAccuracy)
    }

    /// The budget's layers on the data's square images, or the perceptron of `hiddenSizes`.
    private func architecture(_ activation: HiddenActivation, hiddenSizes: [Int]) throws -> Architecture {
        guard let layers = budget.layers else {
            return try Architecture.multilayerPerceptron(
                inputSize: data.training.featureCount, hiddenSizes: hiddenSizes, hiddenActivation: activation,
                outputSize: data.classCount)
        }
        let side = Int(Double(data.training.featureCount).squareRoot().rounded())
        guard side * side == data.training.featureCount else {
            throw ExperimentError.invalidOption(
                flag: "--data", reason: "\(data.training.featureCount) features are not a square image for \(layers)")
        }
        return try Architecture.fromLayerSpecification(
            layers, input: try ImageShape(channels: 1, height: side, width: side), hiddenActivation: activation,
            outputSize: data.classCount)
    }

    private var batchesPerEpoch: Int { (data.training.count + budget.batchSize - 1) / budget.batchSize }
}
