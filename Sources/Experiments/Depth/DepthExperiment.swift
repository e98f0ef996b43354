import Activations
import Networks
import Runtime

/// `rectifier experiment depth`: claim 2, "it allows deeper networks to be trained
/// efficiently" (Glorot, Bordes & Bengio 2011).
///
/// Plain MLPs of each depth and activation are trained side by side (``SideBySideRunner``)
/// with the same data, width, optimiser and budget, from the usual initialisation of their
/// activation (He for the rectifiers and softplus, Glorot for sigmoid and tanh). Each run
/// records its training loss after the budget and the gradient norm of every Dense layer at
/// initialisation and after training.
package enum DepthExperiment: Experiment {
    /// The name of the command and of its files (`depth.json`, `depth-*.svg`).
    package static let name = "depth"
    package static let abstract =
        "Train plain MLPs of 2–32 hidden layers per activation: loss after a fixed budget, gradient norm per layer."
    package static let discussion: String? = """
        Writes DIR/depth.json, DIR/depth-1.csv, DIR/depth-loss.svg (depth × activation heat \
        map) and DIR/depth-gradients.svg (per-layer gradient norms). The short version (90 \
        runs) takes about 20 s of CPU in a release build; --full trains 10 epochs on 10 000 images.
        """

    /// Every (activation, depth, seed) at the shared rate, ordered by activation, then depth,
    /// then seed; then, with tuned rates, every (activation, seed) of the deepest depth at the
    /// activation's tuned rate when it differs from the shared one.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible configuration.
    package static func trials(_ configuration: DepthConfiguration, inputs: ExperimentData) throws -> [Trial] {
        try validate(configuration)
        let trials = { (depths: [Int], activation: HiddenActivation, optimizer: NamedOptimizer) in
            depths.flatMap { depth in
                configuration.seeds.map { seed in
                    Trial(
                        activation: activation, seed: seed, optimizer: optimizer,
                        hiddenSizes: Array(repeating: configuration.width, count: depth),
                        initialization: .standard(for: activation))
                }
            }
        }
        return try configuration.trials(
            { trials(configuration.depths, $0, $1) }, tunedGrid: { trials([configuration.depths.max()!], $0, $1) })
    }

    /// Multiply–adds per sample: a run's cost is O(Σ depth · width² · samples · epochs).
    package static func work(_ trial: Trial, configuration: DepthConfiguration, inputs: ExperimentData) -> Double {
        trial.multiplyAddsPerSample(budget: budget(configuration), inputSize: inputs.training.featureCount)
    }

    package static func measure(
        _ trial: Trial, configuration: DepthConfiguration, inputs: ExperimentData, progress: ProgressTask
    ) throws -> DepthRun {
        let run = try measure(
            trial, runner: SideBySideRunner(data: inputs, budget: budget(configuration)),
            probeSamples: configuration.probeSamples)
        progress.advance(
            by: work(trial, configuration: configuration, inputs: inputs),
            status: "\(trial.activation) depth \(trial.hiddenSizes!.count) seed \(trial.seed)")
        return run
    }

    package static func describe(
        _ runs: [DepthRun], configuration: DepthConfiguration, inputs: ExperimentData, context: ExperimentContext
    ) throws -> ExperimentDocument<DepthResults> {
        var configuration = configuration
        configuration.classes = inputs.classCount
        let results = DepthResults(configuration: configuration, runs: runs)
        return ExperimentDocument(
            experiment: name, title: "Depth: training deep plain networks", summary: summary(configuration),
            settings: context.settings(adding: settings(configuration), data: inputs), claims: DepthVerdict.claims(results),
            figures: try DepthFigures.write(results, to: context.output), tables: DepthFigures.tables(results),
            divergedRuns: DivergenceCount.tally(
                runs, setting: { "\($0.activation) · depth \($0.depth)" + ($0.atTunedRate ? " · tuned rate" : "") },
                diverged: \.diverged),
            results: results)
    }

    private static func budget(_ configuration: DepthConfiguration) -> TrialBudget {
        TrialBudget(
            hiddenSizes: [configuration.width], epochs: configuration.epochs, batchSize: configuration.batchSize,
            probeSize: configuration.probeSamples)
    }

    private static func measure(_ trial: Trial, runner: SideBySideRunner, probeSamples: Int) throws(ExperimentError) -> DepthRun {
        let started = MonotonicClock.now
        var initial: [Double] = [], final = ([Double](), 0.0)
        var failure: String?
        let result = try runner.run([trial]) { _, model, moment in
            do {
                let probe = try denseGradientNorms(model, data: runner.data, probeSamples: probeSamples)
                switch moment {
                case .initialized: initial = probe.norms
                case .trained: final = probe
                }
            } catch {
                failure = "\(error)"
            }
        }[0]
        if let failure { throw .failed(experiment: name, reason: failure) }
        let finished = result.divergence == nil
        return DepthRun(
            activation: result.activation, depth: result.hiddenSizes.count, seed: result.seed,
            trainingLoss: finished ? final.1 : nil,
            validationAccuracy: finished ? result.records.last?.validationAccuracy : nil,
            epochLosses: result.records.map(\.trainLoss), gradientNormsAtInitialisation: initial,
            gradientNormsAfterTraining: finished ? final.0 : nil, optimizer: result.optimizer, divergence: result.divergence,
            divergedAtEpoch: result.divergedAtEpoch, seconds: MonotonicClock.now - started)
    }

    /// The gradient norms of the Dense layers only (a PReLU layer's slopes are left out) and
    /// the mean loss, on the probe images.
    private static func denseGradientNorms(
        _ model: Sequential<Float>, data: ExperimentData, probeSamples: Int
    ) throws(NetworkError) -> (norms: [Double], loss: Double) {
        let measurement = try LayerGradientNorms.measure(model, on: data.training, samples: probeSamples)
        let layers = model.architecture.layers
        let dense = measurement.norms.filter { norm in
            guard let index = Int(norm.layer.dropFirst("layers.".count)), case .dense = layers[index] else { return false }
            return true
        }
        return (dense.map(\.value), measurement.loss)
    }

    private static func validate(_ configuration: DepthConfiguration) throws(ExperimentError) {
        try ExperimentError.require(!configuration.depths.isEmpty && configuration.depths.allSatisfy { $0 >= 1 },
            "depths", "\(configuration.depths) is not allowed (a non-empty list of depths ≥ 1)")
        try ExperimentError.requirePositive(configuration.width, "width")
        try ExperimentError.requirePositive(configuration.probeSamples, "probe samples")
        try configuration.validateGrid()
    }

    private static func summary(_ configuration: DepthConfiguration) -> String {
        let depths = configuration.depths.map(String.init).joined(separator: ", ")
        return """
            Plain MLPs with \(depths) hidden layers of \(configuration.width) units, one per activation, \
            trained for \(configuration.epochs) epochs on \(configuration.trainingSamples) Fashion-MNIST \
            images with SGD (rate \(configuration.learningRate), momentum \(configuration.momentum), \
            batch \(configuration.batchSize)) from He (rectifiers, softplus) or Glorot (sigmoid, tanh) \
            initialisation, \(configuration.seeds.count) seeds each; the deepest networks again at each \
            activation's own rate, tuned at that depth (\(configuration.tunedRates.map { $0.summary(optimizer: "sgd-momentum") } ?? "not tuned")). \
            The heat map shows the training loss at the shared rate \
            after the budget (chance is ln classes, ln 10 ≈ 2.30 for Fashion-MNIST); the curves show the gradient norm of each Dense \
            layer at initialisation and after training. \(DepthVerdict.rule)
            """
    }

    private static func settings(_ configuration: DepthConfiguration) -> [String: String] {
        configuration.gridSettings.merging([
            "depths": configuration.depths.map(String.init).joined(separator: ","),
            "width": String(configuration.width),
            "initialization": "He normal (rectifiers, softplus), Glorot normal (sigmoid, tanh), biases 0",
            "probe samples": String(configuration.probeSamples),
            "tuning": configuration.rateTuning.description + ", at depth \(configuration.depths.max() ?? 0)",
        ]) { $1 }
    }
}
