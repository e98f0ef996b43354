import Activations
import ArgumentParser
import Datasets
import Interchange
import Networks
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// One `rectifier train` run: the model and trainer (fresh or resumed), the running average
/// of the weights, the progress bar, the log, the checkpoints and the final summary.
final class TrainingSession {
    private let settings: TrainingRunSettings
    private let data: TrainingData
    private let trainer: Trainer<Float>
    private let average: RunningAverage<Float>?
    /// The average's state when the current epoch started: an epoch rerun after a
    /// learning-rate back-off starts the average from there again.
    private var averageAtEpochStart: (updateCount: Int, values: [Float])?
    /// A model holding the averaged weights, for evaluating them.
    private let averagedModel: Sequential<Float>?
    private let savePath: String?
    private let log: RunLog?
    private let firstEpoch: Int
    private var bar: ProgressBar?
    private var averageValidationAccuracy: Double?

    init(
        settings: TrainingRunSettings, data: TrainingData, resumed: ModelCheckpoint<Float>?, savePath: String?,
        logPath: String?, resumePath: String?
    ) throws {
        self.settings = settings
        self.data = data
        self.savePath = savePath
        let architecture = try Self.architecture(settings, inputShape: data.model.inputShape, outputSize: data.model.outputSize)
        let augmentation = try settings.augment.map { try Self.augmentation($0, inputShape: data.model.inputShape) }
        try TrainingMemory.require(
            architecture: architecture, configuration: settings.configuration, averaging: settings.averageDecay != nil,
            subject: resumePath.map { "--resume \($0)" } ?? Self.layerFlag(settings))
        if let resumed, let resumePath {
            guard resumed.architecture == architecture else {
                throw CommandFailure("--resume \(resumePath): the saved architecture does not fit the data's \(data.training.featureCount) features and \(data.model.outputSize) outputs")
            }
            guard let state = resumed.trainingState else {
                throw CommandFailure("--resume \(resumePath): the file holds no training state (it was not saved by `rectifier train --save`)")
            }
            guard state.completedEpochs < settings.configuration.epochs else {
                throw ValidationError("--epochs \(settings.configuration.epochs): \(resumePath) has already completed \(state.completedEpochs) epochs; give a larger total")
            }
            let trainer = Trainer(
                model: resumed.model, configuration: settings.configuration, generator: SeededGenerator(seed: settings.seed),
                augmentation: augmentation)
            try asFailure("--resume \(resumePath): ") { try trainer.restore(state) }
            self.trainer = trainer
            if settings.threads != Execution.current.threads {
                printToStandardError("note: the run was saved with \(settings.threads) threads and continues with \(Execution.current.threads); only the same count continues bit for bit")
            }
        } else {
            var generator = SeededGenerator(seed: settings.seed)
            let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
            trainer = Trainer(model: model, configuration: settings.configuration, generator: generator, augmentation: augmentation)
        }
        firstEpoch = trainer.completedEpochs
        if let decay = settings.averageDecay {
            let average = try RunningAverage<Float>(count: trainer.model.parameters.count, decay: .uniform(decay))
            if let saved = resumed?.averagedParameters {
                try average.restore(updateCount: saved.updateCount, values: saved.values)
            }
            self.average = average
            averagedModel = Sequential<Float>(architecture: architecture)
        } else {
            average = nil
            averagedModel = nil
        }
        log = logPath.map { RunLog(path: $0, append: resumePath != nil) }
    }

    func run() throws {
        let configuration = settings.configuration
        let batches = (data.training.count + configuration.batchSize - 1) / configuration.batchSize
        let remaining = configuration.epochs - firstEpoch
        bar = ProgressBar(label: "train", total: Double(remaining) * Double(batches))
        print(header)
        averageAtEpochStart = average.map { ($0.updateCount, Array($0.values)) }
        let callbacks = TrainingCallbacks<Float>(
            progress: { [unowned self] progress in batchFinished(progress, batches: batches) },
            epochEnded: { [unowned self] record in epochFinished(record) },
            checkpoint: savePath == nil ? nil : { [unowned self] checkpoint in try saveCheckpoint(checkpoint.state) })
        do {
            try trainer.train(on: data.training, validation: data.validation, callbacks: callbacks)
        } catch {
            bar?.finish(status: "stopped")
            throw CommandFailure(try failureMessage(error))
        }
        bar?.finish(status: "\(remaining) epochs")
        try finish()
    }

    /// A perceptron of `--hidden` widths, or the `--layers` network over the data's image
    /// shape (`[C, H, W]`, `[H, W]` as one channel, or a flat `[D]` read as a square grey image).
    private static func architecture(_ settings: TrainingRunSettings, inputShape: [Int], outputSize: Int) throws -> Architecture {
        let featureCount = inputShape.reduce(1, *)
        let activation = try HiddenActivation(parsing: settings.activation)
        guard let layers = settings.layers else {
            return try .multilayerPerceptron(
                inputSize: featureCount, hiddenSizes: settings.hidden, hiddenActivation: activation,
                outputSize: outputSize)
        }
        let shape = try imageShape(inputShape, for: "--layers")
        return try asFailure("--layers \(layers): ") {
            try .fromLayerSpecification(layers, input: shape, hiddenActivation: activation, outputSize: outputSize)
        }
    }

    /// The data's image shape: `[C, H, W]`, `[H, W]` as one channel, or a flat `[D]` read as
    /// a square grey image; else a failure naming `flag`.
    private static func imageShape(_ inputShape: [Int], for flag: String) throws -> ImageShape {
        switch inputShape.count {
        case 3: return try ImageShape(channels: inputShape[0], height: inputShape[1], width: inputShape[2])
        case 2: return try ImageShape(channels: 1, height: inputShape[0], width: inputShape[1])
        default:
            let featureCount = inputShape.reduce(1, *)
            let side = Int(Double(featureCount).squareRoot().rounded())
            guard side * side == featureCount else {
                throw CommandFailure(
                    "\(flag) needs images; the data has \(featureCount) values per example, not a square image")
            }
            return try ImageShape(channels: 1, height: side, width: side)
        }
    }

    /// `--augment`'s changes for the data's images; a shift as large as the image is a usage error.
    private static func augmentation(_ text: String, inputShape: [Int]) throws -> Augmentation {
        let (flip, shift) = try TrainCommand.augmentation(text)
        let image = try imageShape(inputShape, for: "--augment")
        return try asUsageError("--augment '\(text)': ") { try Augmentation(flip: flip, shift: shift, image: image) }
    }

    private static func layerFlag(_ settings: TrainingRunSettings) -> String {
        settings.layers.map { "--layers \($0)" } ?? "--hidden \(settings.hidden.map(String.init).joined(separator: ","))"
    }

    private var header: String {
        let optimizer = settings.configuration.optimizer
        let layers = settings.layers ?? settings.hidden.map(String.init).joined(separator: "-")
        let augment = settings.augment.map { "augment \($0), " } ?? ""
        return "train: \(data.training.featureCount)-\(layers)-\(data.model.outputSize) \(settings.activation), "
            + "\(Self.name(of: optimizer.kind)) lr \(optimizer.learningRate), batch \(settings.configuration.batchSize), \(augment)"
            + "\(settings.configuration.epochs) epochs, seed \(settings.seed), \(Execution.current.threads) threads; "
            + "\(data.training.count) training, \(data.validation.count) validation, \(data.test.count) test \(data.noun)"
    }

    private static func name(of kind: OptimizerKind) -> String {
        switch kind {
        case let .sgd(momentum, nesterov): momentum == 0 ? "sgd" : "sgd (\(nesterov ? "nesterov " : "")momentum \(momentum))"
        case .adam: "adam"
        case .adamW: "adamw"
        }
    }

    private func batchFinished(_ progress: TrainingProgress, batches: Int) {
        if let average {
            if progress.batch == 1, let start = averageAtEpochStart {
                // Rerunning an epoch after a back-off: forget what the failed attempt folded in.
                try? average.restore(updateCount: start.updateCount, values: start.values)
            }
            average.update(with: UnsafeBufferPointer(trainer.model.parameters.values))
        }
        let done = Double(progress.epoch - 1 - firstEpoch) * Double(batches) + Double(progress.batch)
        let accuracy = progress.runningAccuracy.map { " acc \(decimal($0, 4))" } ?? ""
        bar?.update(
            completed: done,
            status: "epoch \(progress.epoch)/\(progress.epochs) batch \(progress.batch)/\(progress.batchesPerEpoch) "
                + "loss \(decimal(progress.runningLoss, 4))\(accuracy) \(decimal(progress.samplesPerSecond, 0)) samples/s")
    }

    private func epochFinished(_ record: EpochRecord) {
        var extra: [String: Double] = [:]
        if let average, let averagedModel {
            averageAtEpochStart = (average.updateCount, Array(average.values))
            _ = averagedModel.parameters.values.initialize(from: average.average())
            if let accuracy = try? averagedModel.evaluate(data.validation, loss: settings.configuration.loss).accuracy {
                extra["average_validation_accuracy"] = accuracy
                averageValidationAccuracy = accuracy
            }
        }
        do {
            try log?.write(record, extra: extra)
        } catch {
            printToStandardError("rectifier: \(error)")
        }
        let dead = record.deadUnitFractions.map { decimal($0.value, 3) }.joined(separator: "/")
        var line = "epoch \(record.epoch)/\(settings.configuration.epochs)  train loss \(decimal(record.trainLoss, 4))"
            + (data.model.task == .regression
                ? "  validation loss \(decimal(record.validationLoss ?? .nan, 4))"
                : " acc \(decimal(record.trainAccuracy ?? 0, 4))  validation acc \(decimal(record.validationAccuracy ?? 0, 4))")
        if let averaged = extra["average_validation_accuracy"] { line += " (averaged \(decimal(averaged, 4)))" }
        line += "  dead \(dead)  \(decimal(record.seconds, 2)) s"
        if isatty(2) == 1 { printToStandardError("\r\u{1B}[2K", newline: false) }
        print(line)
    }

    private func saveCheckpoint(_ state: TrainingState<Float>) throws {
        guard let savePath else { return }
        let averaged = average.map {
            AveragedParameters(decay: settings.averageDecay ?? 0, updateCount: $0.updateCount, values: Array($0.values))
        }
        try ModelFile.save(
            trainer.model, trainingState: state, averagedParameters: averaged,
            metadata: [TrainingRunSettings.metadataKey: settings.json, ModelData.metadataKey: data.model.json], to: savePath)
    }

    /// The one-line message for a stopped run; after divergence the last good state (the end
    /// of the epoch before) is saved, so the checkpoint file is never worse than before.
    private func failureMessage(_ error: TrainingError) throws -> String {
        guard case .diverged = error else { return error.description }
        guard let savePath else { return error.description + " (no checkpoint: use --save FILE to keep one)" }
        guard trainer.completedEpochs > 0 else { return error.description + "; no epoch finished, so \(savePath) was not written" }
        do {
            try saveCheckpoint(trainer.state)
        } catch let saveError {
            return "\(error); saving the last good checkpoint failed: \(saveError)"
        }
        return error.description + "; the last good checkpoint (end of epoch \(trainer.completedEpochs)) is in \(savePath)"
    }

    /// The test figure (raw and averaged weights), the last log line and the summary; a test
    /// loss that is NaN or ±∞ ends the run as diverged (exit 1), like a validation loss would.
    private func finish() throws {
        let test = try trainer.model.evaluate(data.test, loss: settings.configuration.loss)
        if let reason = DivergenceRule.reason(loss: test.loss, baseline: nil, what: "the test loss") {
            throw CommandFailure(
                "the model diverged on the \(data.test.count) test \(data.noun) after epoch \(trainer.completedEpochs): \(reason)"
                    + (savePath.map { " (\($0) holds the model as trained)" } ?? ""))
        }
        var summary: [String: Any] = ["test_loss": test.loss, "epochs": settings.configuration.epochs]
        if let accuracy = test.accuracy { summary["test_accuracy"] = accuracy }
        var averagedTest: Double?
        if let average, let averagedModel {
            _ = averagedModel.parameters.values.initialize(from: average.average())
            averagedTest = try averagedModel.evaluate(data.test, loss: settings.configuration.loss).accuracy
            summary["average_test_accuracy"] = averagedTest
        }
        let seconds = trainer.history.map(\.seconds)
        let perEpoch = seconds.isEmpty ? 0 : seconds.reduce(0, +) / Double(seconds.count)
        summary["seconds_per_epoch"] = perEpoch
        try log?.write(summary)
        var lines = [
            test.accuracy.map { "test accuracy \(decimal($0, 4)) (loss \(decimal(test.loss, 4))) on \(data.test.count) test \(data.noun)" }
                ?? "test MSE \(decimal(test.loss, 4)) on \(data.test.count) test \(data.noun)"
        ]
        if let averagedTest {
            lines[0] += "; averaged weights (α = \(settings.averageDecay ?? 0)) \(decimal(averagedTest, 4))"
            if let averageValidationAccuracy { lines[0] += " (validation \(decimal(averageValidationAccuracy, 4)))" }
        }
        lines.append("\(trainer.history.count) epochs, \(decimal(perEpoch, 3)) s/epoch, \(decimal(Double(data.training.count) / Swift.max(perEpoch, 1e-9), 0)) samples/s")
        if let savePath { lines.append("saved \(savePath)") }
        print(lines.joined(separator: "\n"))
    }
}
