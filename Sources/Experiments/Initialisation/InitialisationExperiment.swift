import Activations
import Networks

/// `rectifier experiment initialisation`: claim 3 of issue 6, "it is much less sensitive to
/// the random initialisation of the weights".
///
/// Each activation is trained from its usual initialisation (He or Glorot normal) with the
/// standard deviation multiplied by each scale of the grid, several seeds each, with the same
/// data, network, optimiser and budget. A run succeeds when its validation accuracy reaches
/// the target; a diverged run fails (and counts at chance, 10 %).
public enum InitialisationExperiment {
    /// The name of the command and of its files (`initialisation.json`, `initialisation-*.svg`).
    public static let name = "initialisation"

    /// Accuracy recorded for a run that diverged: chance among ten classes.
    public static let chanceAccuracy = 0.1

    /// Runs the grid, writes the plots, the CSV table and `initialisation.json` into
    /// `output`, and returns the document.
    /// - Throws: ``ExperimentError`` for an impossible configuration, a failed run or a file
    ///   that cannot be written.
    public static func run(
        configuration: InitialisationConfiguration, data: ClassificationSubset, output: ExperimentOutput,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> ExperimentDocument<InitialisationResults> {
        let started = MonotonicSeconds.now
        let results = try measure(configuration: configuration, data: data, progress: progress)
        let figures = try InitialisationFigures.write(results, to: output)
        let document = ExperimentDocument(
            experiment: name, title: "Initialisation: sensitivity to the scale of the initial weights",
            summary: summary(configuration), settings: settings(configuration, data: data),
            claims: [InitialisationVerdict.claim(results)], figures: figures,
            tables: InitialisationFigures.tables(results), wallSeconds: MonotonicSeconds.now - started,
            results: results)
        try output.write(document)
        return document
    }

    /// Trains every run of the grid, without writing anything.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible
    ///   configuration, ``ExperimentError/failed(experiment:reason:)`` for a failed run.
    public static func measure(
        configuration: InitialisationConfiguration, data: ClassificationSubset,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> InitialisationResults {
        try validate(configuration)
        let activations = try ActivationLineup.parse(configuration.activations)
        var runs: [PerceptronRun] = []
        for activation in activations {
            for scale in configuration.scales {
                for seed in configuration.seeds {
                    runs.append(PerceptronRun(
                        hiddenActivation: activation, hiddenSizes: configuration.hiddenSizes,
                        initialization: .standard(for: activation, scale: scale),
                        // Validated above: the rate is > 0 and the momentum in [0, 1).
                        optimizer: try! OptimizerConfiguration(
                            kind: .sgd(momentum: configuration.momentum, nesterov: false),
                            learningRate: configuration.learningRate),
                        epochs: configuration.epochs, batchSize: configuration.batchSize, seed: seed,
                        probeSize: 1))
                }
            }
        }
        let cost = runs.first.map { $0.multiplyAddsPerSample(inputSize: data.training.featureCount) * Double(data.training.count * configuration.epochs) } ?? 1
        let ledger = WorkLedger(totalCost: cost * Double(runs.count), report: progress)
        var records: [InitialisationRun] = []
        for run in runs {
            let status = "\(run.hiddenActivation) ×\(run.initialization.scale) seed \(run.seed)"
            let outcome = try run.train(
                on: data, experiment: name,
                batchFinished: { step in
                    ledger.update(
                        runCost: cost,
                        share: (Double(step.epoch - 1) + Double(step.batch) / Double(step.batchesPerEpoch)) / Double(step.epochs),
                        status: status)
                })
            var accuracy = chanceAccuracy, loss: Double?
            if outcome.divergence == nil {
                do {
                    loss = try outcome.model.evaluate(data.training).loss
                    accuracy = try outcome.model.evaluate(data.validation).accuracy ?? chanceAccuracy
                } catch {
                    throw .failed(experiment: name, reason: error.description)
                }
            }
            records.append(InitialisationRun(
                activation: run.hiddenActivation.description, scale: run.initialization.scale,
                scheme: run.initialization.schemeFamily, seed: run.seed, validationAccuracy: accuracy,
                trainingLoss: loss, reachedTarget: accuracy >= configuration.targetAccuracy,
                divergence: outcome.divergence))
            ledger.finish(runCost: cost, status: status)
        }
        return InitialisationResults(configuration: configuration, runs: records)
    }

    private static func validate(_ configuration: InitialisationConfiguration) throws(ExperimentError) {
        func require(_ condition: Bool, _ flag: String, _ reason: String) throws(ExperimentError) {
            if !condition { throw .invalidOption(flag: flag, reason: reason) }
        }
        try require(!configuration.scales.isEmpty && configuration.scales.allSatisfy { $0 > 0 && $0.isFinite },
            "scales", "\(configuration.scales) is not allowed (a non-empty list of finite scales > 0)")
        try require(!configuration.hiddenSizes.isEmpty && configuration.hiddenSizes.allSatisfy { $0 >= 1 },
            "hidden sizes", "\(configuration.hiddenSizes) is not allowed (a non-empty list of widths ≥ 1)")
        try require(!configuration.seeds.isEmpty, "seeds", "at least one seed is needed")
        try require(!configuration.activations.isEmpty, "activations", "at least one activation is needed")
        try require(configuration.epochs >= 1, "epochs", "\(configuration.epochs) is not allowed (≥ 1)")
        try require(configuration.batchSize >= 1, "batch size", "\(configuration.batchSize) is not allowed (≥ 1)")
        try require(configuration.learningRate > 0 && configuration.learningRate.isFinite,
            "learning rate", "\(configuration.learningRate) is not allowed (finite, > 0)")
        try require(configuration.momentum >= 0 && configuration.momentum < 1,
            "momentum", "\(configuration.momentum) is not allowed ([0, 1))")
        try require(configuration.targetAccuracy > 0 && configuration.targetAccuracy <= 1,
            "target accuracy", "\(configuration.targetAccuracy) is not allowed ((0, 1])")
    }

    private static func summary(_ configuration: InitialisationConfiguration) -> String {
        let scales = configuration.scales.map { "×\($0)" }.joined(separator: ", ")
        let widths = configuration.hiddenSizes.map(String.init).joined(separator: "-")
        return """
            An MLP 784-\(widths)-10 per activation, its initial weights drawn from the usual \
            distribution (He normal for the rectifiers and softplus, Glorot normal for sigmoid and \
            tanh) with the standard deviation scaled by \(scales), \(configuration.seeds.count) seeds \
            each, trained for \(configuration.epochs) epochs on \(configuration.trainingSamples) \
            Fashion-MNIST images with SGD (rate \(configuration.learningRate), momentum \
            \(configuration.momentum)). A run succeeds when its validation accuracy reaches \
            \(Int((configuration.targetAccuracy * 100).rounded())) %; a diverged run fails and counts \
            at chance. \(InitialisationVerdict.rule)
            """
    }

    private static func settings(_ configuration: InitialisationConfiguration, data: ClassificationSubset) -> [String: String] {
        [
            "scales": configuration.scales.map { "\($0)" }.joined(separator: ","),
            "activations": configuration.activations.joined(separator: ","),
            "hidden_sizes": configuration.hiddenSizes.map(String.init).joined(separator: ","),
            "seeds": configuration.seeds.map(String.init).joined(separator: ","),
            "epochs": String(configuration.epochs),
            "batch_size": String(configuration.batchSize),
            "optimizer": "sgd momentum \(configuration.momentum), rate \(configuration.learningRate)",
            "target_accuracy": "\(configuration.targetAccuracy)",
            "data": data.origin,
            "threads": String(Parallelism.threadCount),
        ]
    }
}
