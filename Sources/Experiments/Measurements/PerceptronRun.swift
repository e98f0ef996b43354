import Activations
import Networks

/// One training run of a plain multi-layer perceptron, as the depth, initialisation and
/// dead-unit experiments make them: Dense → activation pairs of equal width, a linear output,
/// softmax cross-entropy, weights drawn from `SeededGenerator(seed)`, the data order drawn
/// from the same generator afterwards.
struct PerceptronRun {
    var hiddenActivation: HiddenActivation
    var hiddenSizes: [Int]
    var initialization: Initialization
    var optimizer: OptimizerConfiguration
    var epochs: Int
    var batchSize: Int
    var seed: UInt64
    /// Samples (the first of the training set) the trainer probes after each epoch.
    var probeSize: Int

    /// The trained model, its epoch records, and the reason training stopped early (NaN or
    /// ±∞ loss or parameters), if it did.
    struct Outcome {
        let model: Sequential<Float>
        let records: [EpochRecord]
        let divergence: String?
    }

    /// Multiply-adds per sample of one forward pass with `inputSize` features: the cost
    /// unit of the progress bars (a backward pass costs about twice as much, for every run
    /// alike).
    func multiplyAddsPerSample(inputSize: Int) -> Double {
        var total = 0.0, width = inputSize
        for hidden in hiddenSizes {
            total += Double(width * hidden)
            width = hidden
        }
        return total + Double(width * 10)
    }

    /// Builds the model (handing it to `initialized` before any step, e.g. to measure it at
    /// initialisation) and trains it. `epochEnded` sees the model after each epoch's record.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` naming `experiment` for any
    ///   error other than divergence (which ends the run and is reported in the outcome).
    func train(
        on data: ClassificationSubset, experiment: String,
        initialized: (Sequential<Float>) throws(ExperimentError) -> Void = { _ in },
        epochEnded: @escaping (Sequential<Float>, EpochRecord) -> Void = { _, _ in },
        batchFinished: @escaping (TrainingProgress) -> Void = { _ in }
    ) throws(ExperimentError) -> Outcome {
        let model: Sequential<Float>
        let configuration: TrainingConfiguration
        var generator = SeededGenerator(seed: seed)
        do {
            let architecture = try Architecture.multilayerPerceptron(
                inputSize: data.training.featureCount, hiddenSizes: hiddenSizes,
                hiddenActivation: hiddenActivation, outputSize: 10)
            model = Sequential(architecture: architecture, initialization: initialization, generator: &generator)
            configuration = try TrainingConfiguration(
                epochs: epochs, batchSize: batchSize, optimizer: optimizer, probeSize: probeSize)
        } catch {
            throw .failed(experiment: experiment, reason: "\(error)")
        }
        try initialized(model)
        let trainer = Trainer(model: model, configuration: configuration, generator: generator)
        var records: [EpochRecord] = []
        let callbacks = TrainingCallbacks<Float>(
            progress: batchFinished,
            epochEnded: { record in epochEnded(model, record) })
        do {
            records = try trainer.train(on: data.training, callbacks: callbacks)
        } catch .diverged(let epoch, let batch, let reason, _) {
            return Outcome(model: model, records: trainer.history, divergence: "epoch \(epoch), batch \(batch): \(reason)")
        } catch {
            throw .failed(experiment: experiment, reason: error.description)
        }
        return Outcome(model: model, records: records, divergence: nil)
    }
}
