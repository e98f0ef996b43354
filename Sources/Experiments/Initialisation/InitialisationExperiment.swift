import Activations
import Networks

/// `rectifier experiment initialisation`: claim 3 of issue 6, "it is much less sensitive to
/// the random initialisation of the weights".
///
/// Each activation is trained from its usual initialisation (He or Glorot normal) with the
/// standard deviation multiplied by each scale of the grid, several seeds each, with the same
/// data, network, optimiser and budget. A run succeeds when its validation accuracy reaches
/// the target; a diverged run fails (and counts at chance, 10 %).
public enum InitialisationExperiment: GridExperiment {
    /// The name of the command and of its files (`initialisation.json`, `initialisation-*.svg`).
    public static let name = "initialisation"

    /// Accuracy recorded for a run that diverged: chance among ten classes.
    public static let chanceAccuracy = 0.1

    /// The registry's entry.
    public static let registration = registered(
        summary: "init scales ×0.25…×4 of He/Glorot × seeds: share of runs reaching a target, spread of accuracy")

    /// The document of `results` (see ``GridExperiment/describe(_:output:)``).
    /// - Throws: ``ExperimentError`` when a figure cannot be written.
    public static func describe(
        _ results: InitialisationResults, output: ExperimentOutput
    ) throws(ExperimentError) -> ExperimentDocument<InitialisationResults> {
        ExperimentDocument(
            experiment: name, title: "Initialisation: sensitivity to the scale of the initial weights", summary: summary(results.configuration),
            settings: settings(results.configuration), claims: [InitialisationVerdict.claim(results)],
            figures: try InitialisationFigures.write(results, to: output), tables: InitialisationFigures.tables(results),
            wallSeconds: 0, divergedRuns: DivergenceCount.tally(results.runs, setting: { "\($0.activation) · ×\($0.scale)" }, diverged: \.diverged),
            results: results)
    }

    /// Trains every run of the grid, without writing anything. Runs are ordered by
    /// activation, then scale, then seed.
    /// - Throws: as ``GridExperiment/measure(configuration:data:progress:)``.
    public static func measure(
        configuration: InitialisationConfiguration, data: ExperimentData, progress: ProgressReporter = .silent
    ) throws(ExperimentError) -> InitialisationResults {
        try validate(configuration)
        let activations = try ActivationLineup.parse(configuration.activations)
        let budget = TrialBudget(
            hiddenSizes: configuration.hiddenSizes, epochs: configuration.epochs,
            batchSize: configuration.batchSize, probeSize: 1)
        let optimizer = NamedOptimizer(
            name: "sgd-momentum",
            // Validated above: the rate is > 0 and the momentum in [0, 1).
            configuration: try! OptimizerConfiguration(
                kind: .sgd(momentum: configuration.momentum, nesterov: false), learningRate: configuration.learningRate))
        let trials = activations.flatMap { activation in
            configuration.scales.flatMap { scale in
                configuration.seeds.map { seed in
                    Trial(
                        activation: activation, seed: seed, optimizer: optimizer,
                        initialization: .standard(for: activation, scale: scale))
                }
            }
        }
        let runner = SideBySideRunner(data: data, budget: budget)
        // Progress per run: every run costs the same.
        let task = progress.start(name, totalWork: Double(trials.count))
        var results: [TrialResult] = []
        for trial in trials {
            results += try runner.run([trial])
            task.advance(by: 1, status: "\(trial.activation) ×\(trial.initialization!.scale) seed \(trial.seed)")
        }
        task.finish(status: "\(trials.count) runs")
        let runs = zip(trials, results).map { trial, result in
            let finished = result.divergence == nil
            let accuracy = finished ? result.records.last?.validationAccuracy ?? chanceAccuracy : chanceAccuracy
            return InitialisationRun(
                activation: result.activation, scale: result.initializationScale,
                scheme: trial.initialization!.schemeFamily, seed: result.seed, validationAccuracy: accuracy,
                trainingLoss: finished ? result.records.last?.trainLoss : nil,
                reachedTarget: accuracy >= configuration.targetAccuracy, divergence: result.divergence,
                divergedAtEpoch: result.divergedAtEpoch)
        }
        return InitialisationResults(configuration: configuration, runs: runs)
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

    private static func settings(_ configuration: InitialisationConfiguration) -> [String: String] {
        [
            "scales": configuration.scales.map { "\($0)" }.joined(separator: ","),
            "activations": configuration.activations.joined(separator: ","),
            "architecture": "784-" + configuration.hiddenSizes.map(String.init).joined(separator: "-") + "-10",
            "epochs": String(configuration.epochs),
            "batch size": String(configuration.batchSize),
            "optimizer": "SGD, momentum \(configuration.momentum), rate \(configuration.learningRate)",
            "initialization": "scale × (He normal for rectifiers and softplus, Glorot normal for sigmoid and tanh), biases 0",
            "target accuracy": "\(configuration.targetAccuracy)",
        ]
    }
}
