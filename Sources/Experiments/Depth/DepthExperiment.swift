import Activations
import Networks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `rectifier experiment depth`: claim 2 of issue 6, "it allows deeper networks to be trained
/// efficiently" (Glorot, Bordes & Bengio 2011).
///
/// Plain MLPs of each depth and activation are trained with the same data, width, optimiser
/// and budget, from the usual initialisation of their activation (He for the rectifiers and
/// softplus, Glorot for sigmoid and tanh). Each run records its training loss after the
/// budget and the gradient norm of every Dense layer at initialisation and after training.
public enum DepthExperiment {
    /// The name of the command and of its files (`depth.json`, `depth-*.svg`).
    public static let name = "depth"

    /// Runs every (activation, depth, seed), writes the plots, the CSV tables and
    /// `depth.json` into `output`, and returns the document. Cost: O(seeds · activations ·
    /// Σ depth · width² · samples · epochs).
    /// - Throws: ``ExperimentError`` for an impossible configuration, unreadable data or a
    ///   file that cannot be written.
    public static func run(
        configuration: DepthConfiguration, data: ClassificationSubset, output: ExperimentOutput,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> ExperimentDocument<DepthResults> {
        let started = MonotonicSeconds.now
        let results = try measure(configuration: configuration, data: data, progress: progress)
        let figures = try DepthFigures.write(results, to: output)
        let document = ExperimentDocument(
            experiment: name, title: "Depth: training deep plain networks",
            summary: summary(configuration), settings: settings(configuration, data: data),
            claims: DepthVerdict.claims(results), figures: figures, tables: DepthFigures.tables(results),
            wallSeconds: MonotonicSeconds.now - started, results: results)
        try output.write(document)
        return document
    }

    /// Trains and measures every run, without writing anything.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible
    ///   configuration, ``ExperimentError/failed(experiment:reason:)`` when a run fails for a
    ///   reason other than divergence.
    public static func measure(
        configuration: DepthConfiguration, data: ClassificationSubset,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> DepthResults {
        try validate(configuration)
        let activations = try ActivationLineup.parse(configuration.activations)
        let plan = activations.flatMap { activation in
            configuration.depths.flatMap { depth in configuration.seeds.map { (activation, depth, $0) } }
        }
        let runs = plan.map { activation, depth, seed in
            PerceptronRun(
                hiddenActivation: activation,
                hiddenSizes: Array(repeating: configuration.width, count: depth),
                initialization: .standard(for: activation),
                // Validated above: the rate is > 0 and the momentum in [0, 1).
                optimizer: try! OptimizerConfiguration(
                    kind: .sgd(momentum: configuration.momentum, nesterov: false),
                    learningRate: configuration.learningRate),
                epochs: configuration.epochs, batchSize: configuration.batchSize, seed: seed,
                probeSize: configuration.probeSamples)
        }
        let sampleCost = Double(data.training.count * configuration.epochs)
        let ledger = WorkLedger(
            totalCost: runs.reduce(0) { $0 + $1.multiplyAddsPerSample(inputSize: data.training.featureCount) * sampleCost }, report: progress)
        var records: [DepthRun] = []
        for run in runs {
            let cost = run.multiplyAddsPerSample(inputSize: data.training.featureCount) * sampleCost
            let status = "\(run.hiddenActivation) depth \(run.hiddenSizes.count) seed \(run.seed)"
            records.append(try measure(run, data: data, probeSamples: configuration.probeSamples) { share in
                ledger.update(runCost: cost, share: share, status: status)
            })
            ledger.finish(runCost: cost, status: status)
        }
        return DepthResults(configuration: configuration, runs: records)
    }

    private static func measure(
        _ run: PerceptronRun, data: ClassificationSubset, probeSamples: Int, share: @escaping (Double) -> Void
    ) throws(ExperimentError) -> DepthRun {
        let started = MonotonicSeconds.now
        var initialNorms: [Double] = []
        let outcome = try run.train(
            on: data, experiment: name,
            initialized: { model throws(ExperimentError) in
                initialNorms = try denseGradientNorms(model, data: data, probeSamples: probeSamples)
            },
            batchFinished: { step in
                share((Double(step.epoch - 1) + Double(step.batch) / Double(step.batchesPerEpoch)) / Double(step.epochs))
            })
        var trainingLoss: Double?, accuracy: Double?, finalNorms: [Double]?
        if outcome.divergence == nil {
            do {
                trainingLoss = try outcome.model.evaluate(data.training).loss
                accuracy = try outcome.model.evaluate(data.validation).accuracy
            } catch {
                throw .failed(experiment: name, reason: error.description)
            }
            finalNorms = try denseGradientNorms(outcome.model, data: data, probeSamples: probeSamples)
        }
        return DepthRun(
            activation: run.hiddenActivation.description, depth: run.hiddenSizes.count, seed: run.seed,
            trainingLoss: trainingLoss, validationAccuracy: accuracy,
            epochLosses: outcome.records.map(\.trainLoss), gradientNormsAtInitialisation: initialNorms,
            gradientNormsAfterTraining: finalNorms, divergence: outcome.divergence,
            seconds: MonotonicSeconds.now - started)
    }

    /// The gradient norms of the Dense layers only (a PReLU layer's slopes are left out).
    private static func denseGradientNorms(
        _ model: Sequential<Float>, data: ClassificationSubset, probeSamples: Int
    ) throws(ExperimentError) -> [Double] {
        let norms: [LayerStatistic]
        do {
            norms = try LayerGradientNorms.measure(model, on: data.training, samples: probeSamples)
        } catch {
            throw .failed(experiment: name, reason: error.description)
        }
        let denseNames = Set(model.architecture.layers.indices.filter {
            if case .dense = model.architecture.layers[$0] { return true }
            return false
        }.map { "layers.\($0)" })
        return norms.filter { denseNames.contains($0.layer) }.map(\.value)
    }

    private static func validate(_ configuration: DepthConfiguration) throws(ExperimentError) {
        func require(_ condition: Bool, _ flag: String, _ reason: String) throws(ExperimentError) {
            if !condition { throw .invalidOption(flag: flag, reason: reason) }
        }
        try require(!configuration.depths.isEmpty && configuration.depths.allSatisfy { $0 >= 1 },
            "depths", "\(configuration.depths) is not allowed (a non-empty list of depths ≥ 1)")
        try require(configuration.width >= 1, "width", "\(configuration.width) is not allowed (≥ 1)")
        try require(!configuration.seeds.isEmpty, "seeds", "at least one seed is needed")
        try require(!configuration.activations.isEmpty, "activations", "at least one activation is needed")
        try require(configuration.epochs >= 1, "epochs", "\(configuration.epochs) is not allowed (≥ 1)")
        try require(configuration.batchSize >= 1, "batch size", "\(configuration.batchSize) is not allowed (≥ 1)")
        try require(configuration.probeSamples >= 1, "probe samples", "\(configuration.probeSamples) is not allowed (≥ 1)")
        try require(configuration.learningRate > 0 && configuration.learningRate.isFinite,
            "learning rate", "\(configuration.learningRate) is not allowed (finite, > 0)")
        try require(configuration.momentum >= 0 && configuration.momentum < 1,
            "momentum", "\(configuration.momentum) is not allowed ([0, 1))")
    }

    private static func summary(_ configuration: DepthConfiguration) -> String {
        let depths = configuration.depths.map(String.init).joined(separator: ", ")
        return """
            Plain MLPs with \(depths) hidden layers of \(configuration.width) units, one per activation, \
            trained for \(configuration.epochs) epochs on \(configuration.trainingSamples) Fashion-MNIST \
            images with SGD (rate \(configuration.learningRate), momentum \(configuration.momentum), \
            batch \(configuration.batchSize)) from He (rectifiers, softplus) or Glorot (sigmoid, tanh) \
            initialisation, \(configuration.seeds.count) seeds each. The heat map shows the training loss \
            after the budget (chance is ln 10 ≈ 2.30); the curves show the gradient norm of each Dense \
            layer at initialisation and after training. \(DepthVerdict.rule)
            """
    }

    private static func settings(_ configuration: DepthConfiguration, data: ClassificationSubset) -> [String: String] {
        [
            "depths": configuration.depths.map(String.init).joined(separator: ","),
            "width": String(configuration.width),
            "activations": configuration.activations.joined(separator: ","),
            "seeds": configuration.seeds.map(String.init).joined(separator: ","),
            "epochs": String(configuration.epochs),
            "batch_size": String(configuration.batchSize),
            "optimizer": "sgd momentum \(configuration.momentum), rate \(configuration.learningRate)",
            "probe_samples": String(configuration.probeSamples),
            "data": data.origin,
            "threads": String(Parallelism.threadCount),
        ]
    }
}
