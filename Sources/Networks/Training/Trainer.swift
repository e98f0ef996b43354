import Activations
import Runtime

/// Mini-batch training of a ``Sequential`` model on an in-memory ``Dataset``.
///
/// Each epoch visits the training samples in an order drawn from the run's one
/// ``SeededGenerator`` (a fresh permutation per epoch), one optimiser step per batch (whose
/// images an ``Augmentation``, when given, first changes with draws from the same generator). After
/// the epoch it measures the validation set and a fixed probe batch (see ``EpochRecord``),
/// draws the next epoch's order, and calls the checkpoint hook when due, with a
/// ``TrainingState`` from which ``restore(_:)`` continues bit for bit.
///
/// Divergence (``DivergenceRule``): a batch whose loss is NaN or ±∞ (or, for regression,
/// over 10³× the mean predictor's error) is caught before its update; non-finite parameters
/// and a validation loss that diverges by the same rule are caught at the end of the epoch.
/// The model is then put back to the state of the start of that epoch, and training either
/// stops with
/// ``TrainingError/diverged(epoch:batch:reason:backOffs:)`` or, with
/// ``DivergencePolicy/backOff(factor:maxRetries:)``, reruns the epoch at a lower rate.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = Sequential<Float>(architecture: architecture, initialization: Initialization(), generator: &generator)
/// let trainer = Trainer(model: model, configuration: configuration, generator: generator)
/// let history = try trainer.train(on: training, validation: validation)
/// ```
public final class Trainer<Scalar: ActivationScalar> {
    /// The model being trained (its parameters change in place).
    public let model: Sequential<Scalar>
    /// The run's hyper-parameters.
    public let configuration: TrainingConfiguration
    /// The optimiser, whose state ``state`` includes.
    public let optimizer: Optimizer<Scalar>
    /// The run's generator, after the draws made so far.
    public private(set) var generator: SeededGenerator
    /// Epochs finished so far.
    public private(set) var completedEpochs = 0
    /// The product of learning-rate back-offs so far.
    public private(set) var learningRateScale = 1.0
    /// Back-offs so far.
    public private(set) var backOffs = 0
    /// Records of the epochs this trainer ran.
    public private(set) var history: [EpochRecord] = []
    /// The random changes made to each training batch (nil: none).
    public let augmentation: Augmentation?
    private var dataOrder: [Int32] = []
    private let batch: BatchBuffers<Scalar>

    /// A trainer that continues drawing from `generator` (typically the one that just
    /// initialised `model`), and changes each training batch by `augmentation`.
    public init(
        model: Sequential<Scalar>, configuration: TrainingConfiguration, generator: SeededGenerator,
        augmentation: Augmentation? = nil
    ) {
        self.model = model
        self.configuration = configuration
        self.generator = generator
        self.augmentation = augmentation
        optimizer = Optimizer(configuration: configuration.optimizer, layout: model.parameters.layout)
        batch = BatchBuffers(rows: configuration.batchSize, model: model)
    }

    /// The state at the current epoch boundary (a copy).
    public var state: TrainingState<Scalar> {
        TrainingState(
            completedEpochs: completedEpochs, parameters: model.parameters.snapshot(),
            optimizer: optimizer.state, generatorState: generator.state, dataOrder: dataOrder,
            learningRateScale: learningRateScale, backOffs: backOffs)
    }

    /// Continues from a saved state: parameters, optimiser, generator, counters, data order.
    /// - Throws: ``TrainingError/stateMismatch(_:)`` when it does not fit this model or
    ///   optimiser (sizes, buffer names, generator state, a non-positive learning-rate scale)
    ///   or holds non-finite parameters. The data order is checked by ``train(on:validation:callbacks:)``.
    public func restore(_ state: TrainingState<Scalar>) throws(TrainingError) {
        guard state.parameters.count == model.parameters.count else {
            throw .stateMismatch("\(state.parameters.count) parameters saved, the model has \(model.parameters.count)")
        }
        guard state.completedEpochs >= 0, state.backOffs >= 0,
            state.learningRateScale > 0, state.learningRateScale.isFinite
        else {
            throw .stateMismatch("epoch \(state.completedEpochs), back-offs \(state.backOffs), scale \(state.learningRateScale)")
        }
        if let index = state.parameters.withUnsafeBufferPointer({ $0.firstNonFiniteIndex() }) {
            let name = model.parameters.layout.parameters.first { $0.range.contains(index) }!.name
            throw .stateMismatch("saved parameter \(name) holds NaN or an infinity")
        }
        guard let restoredGenerator = SeededGenerator(state: state.generatorState) else {
            throw .stateMismatch(NetworkError.shapeMismatch(
                what: "generator state", detail: "needs 4 words, not all zero; got \(state.generatorState)").description)
        }
        try optimizer.restore(state.optimizer)
        _ = model.parameters.values.initialize(from: state.parameters)
        generator = restoredGenerator
        completedEpochs = state.completedEpochs
        dataOrder = state.dataOrder
        learningRateScale = state.learningRateScale
        backOffs = state.backOffs
    }

    /// Trains until ``TrainingConfiguration/epochs`` epochs are complete (counting those of a
    /// restored state) and returns the records of the epochs run by this call.
    /// - Throws: ``TrainingError``: `invalidHyperparameter` for a batch size larger than the
    ///   data, `invalidData` for data that does not fit the model or loss or holds NaN/±∞,
    ///   `stateMismatch` for a restored data order of the wrong size, `diverged`, or
    ///   `checkpointFailed`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    @discardableResult
    public func train(
        on training: Dataset<Scalar>, validation: Dataset<Scalar>? = nil,
        callbacks: TrainingCallbacks<Scalar> = TrainingCallbacks()
    ) throws(TrainingError) -> [EpochRecord] {
        try check(training, as: "training")
        if let validation { try check(validation, as: "validation") }
        if let augmentation, augmentation.image.count != model.inputSize {
            throw .invalidData("the augmented images are \(augmentation.image), \(augmentation.image.count) values; the model takes \(model.inputSize)")
        }
        try TrainingError.require(
            configuration.batchSize <= training.count, "batch size", configuration.batchSize,
            "1...\(training.count), the training set's size")
        if dataOrder.isEmpty {
            dataOrder = generator.permutation(count: training.count)
        } else if !Self.isPermutation(dataOrder, of: training.count) {
            throw .stateMismatch("the saved data order is not a permutation of the \(training.count) training samples")
        }
        let baselines = Baselines(training: training, validation: validation)
        var records: [EpochRecord] = []
        while completedEpochs < configuration.epochs {
            let start = state
            let record: EpochRecord
            do {
                record = try runEpoch(training, validation, baselines, callbacks)
            } catch .diverged(let epoch, let batch, let reason, _) {
                try restore(start)
                if case let .backOff(factor, maxRetries) = configuration.divergence, backOffs < maxRetries {
                    learningRateScale *= factor
                    backOffs += 1
                    continue
                }
                throw .diverged(epoch: epoch, batch: batch, reason: reason, backOffs: backOffs)
            }
            records.append(record)
            history.append(record)
            completedEpochs += 1
            dataOrder = generator.permutation(count: training.count)
            callbacks.epochEnded?(record)
            let isFinal = completedEpochs == configuration.epochs
            let due = configuration.checkpointEvery.map { completedEpochs % $0 == 0 } ?? false
            if let hook = callbacks.checkpoint, isFinal || due {
                do {
                    try hook(TrainingCheckpoint(state: state, record: record, isFinal: isFinal))
                } catch {
                    throw .checkpointFailed(epoch: completedEpochs, reason: "\(error)")
                }
            }
        }
        return records
    }

    /// One pass over the data in `dataOrder`, then the epoch's measurements.
    private func runEpoch(
        _ training: Dataset<Scalar>, _ validation: Dataset<Scalar>?, _ baselines: Baselines,
        _ callbacks: TrainingCallbacks<Scalar>
    ) throws(TrainingError) -> EpochRecord {
        let epoch = completedEpochs + 1
        let count = training.count, batchSize = configuration.batchSize
        let batches = (count + batchSize - 1) / batchSize
        // Saturating: an epoch count near Int.max is a run that never ends, not a trap.
        let (product, overflow) = batches.multipliedReportingOverflow(by: configuration.epochs)
        let totalSteps = overflow ? Int.max : product
        let started = MonotonicClock.nanoseconds
        var lossSum = 0.0, correct = 0, seen = 0, learningRate = 0.0
        for batchIndex in 0..<batches {
            let first = batchIndex * batchSize
            let rows = Swift.min(batchSize, count - first)
            let targets = batch.gather(training, dataOrder[first..<first + rows])
            augmentation?.apply(to: batch.features(rows: rows).base, rows: rows, generator: &generator)
            let output = withUnsafeMutablePointer(to: &generator) { model.forward(input: batch.features(rows: rows), generator: $0) }
            let result = configuration.loss.compute(
                outputs: output, targets: targets, gradient: model.outputGradient(rows: rows))
            if let reason = DivergenceRule.reason(
                loss: result.sum / Double(rows), baseline: baselines.training, what: "the loss")
            {
                throw .diverged(epoch: epoch, batch: batchIndex + 1, reason: reason, backOffs: backOffs)
            }
            model.backward(computeInputGradient: false)
            learningRate = configuration.optimizer.learningRate * learningRateScale
                * configuration.optimizer.schedule.factor(
                    step: optimizer.stepCount, stepsPerEpoch: batches, totalSteps: totalSteps)
            optimizer.step(model.parameters, learningRate: learningRate)
            lossSum += result.sum
            correct += result.correct
            seen += rows
            if let progress = callbacks.progress {
                let elapsed = Double(MonotonicClock.nanoseconds - started) / 1e9
                progress(TrainingProgress(
                    epoch: epoch, epochs: configuration.epochs, batch: batchIndex + 1,
                    batchesPerEpoch: batches, runningLoss: lossSum / Double(seen),
                    runningAccuracy: training.labels == nil ? nil : Double(correct) / Double(seen),
                    samplesPerSecond: Double(seen) / Swift.max(elapsed, 1e-9)))
            }
        }
        let seconds = Double(MonotonicClock.nanoseconds - started) / 1e9
        if let index = model.parameters.firstNonFiniteIndex {
            let name = model.parameters.layout.parameters.first { $0.range.contains(index) }!.name
            throw .diverged(epoch: epoch, batch: batches, reason: "parameter \(name) is NaN or infinite", backOffs: backOffs)
        }
        let validationResult = validation.map { EpochProbe.evaluate(model, $0, loss: configuration.loss) }
        if let validationResult, let reason = DivergenceRule.reason(
            loss: validationResult.loss, baseline: baselines.validation, what: "the validation loss after the epoch")
        {
            throw .diverged(epoch: epoch, batch: batches, reason: reason, backOffs: backOffs)
        }
        let probe = EpochProbe.measure(model, training, loss: configuration.loss, size: configuration.probeSize)
        return EpochRecord(
            epoch: epoch, trainLoss: lossSum / Double(count),
            trainAccuracy: training.labels == nil ? nil : Double(correct) / Double(count),
            validationLoss: validationResult?.loss, validationAccuracy: validationResult?.accuracy,
            seconds: seconds, learningRate: learningRate, deadUnitFractions: probe.deadUnitFractions,
            gradientNorms: probe.gradientNorms, slopes: probe.slopes)
    }

    /// Mean loss (this run's loss) and accuracy of the model on `data`.
    /// - Throws: ``TrainingError/invalidData(_:)`` as ``Sequential/evaluate(_:loss:)``.
    public func evaluate(_ data: Dataset<Scalar>) throws(TrainingError) -> (loss: Double, accuracy: Double?) {
        try model.evaluate(data, loss: configuration.loss)
    }

    /// The mean predictor's error on the training and validation sets (regression only),
    /// predicting the training targets' mean.
    private struct Baselines {
        var training: Double?, validation: Double?

        init(training: Dataset<Scalar>, validation: Dataset<Scalar>?) {
            let mean = DivergenceRule.targetMeans(training)
            self.training = mean.flatMap { DivergenceRule.meanPredictorError(training, mean: $0) }
            self.validation = mean.flatMap { mean in validation.flatMap { DivergenceRule.meanPredictorError($0, mean: mean) } }
        }
    }

    /// True when `order` holds every index of `0..<count` once.
    private static func isPermutation(_ order: [Int32], of count: Int) -> Bool {
        guard order.count == count else { return false }
        var seen = [Bool](repeating: false, count: count)
        for index in order {
            guard index >= 0, Int(index) < count, !seen[Int(index)] else { return false }
            seen[Int(index)] = true
        }
        return true
    }

    private func check(_ data: Dataset<Scalar>, as role: String) throws(TrainingError) {
        guard data.featureCount == model.inputSize else {
            throw .invalidData("the \(role) set has \(data.featureCount) features, the model takes \(model.inputSize)")
        }
        do {
            try configuration.loss.validate(targets: data.targets, outputCount: model.outputSize)
        } catch {
            throw .invalidData("\(role) set: \(error.description)")
        }
        if let index = data.features.firstNonFiniteIndex {
            throw .invalidData(
                "\(role) sample \(index / data.featureCount), feature \(index % data.featureCount) is NaN or infinite")
        }
    }
}
