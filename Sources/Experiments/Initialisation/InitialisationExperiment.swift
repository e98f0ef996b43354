import Activations
import Networks

/// `rectifier experiment initialisation`: claim 3, "it is much less sensitive to
/// the random initialisation of the weights".
///
/// Each activation is trained from its usual initialisation (He or Glorot normal) with the
/// standard deviation multiplied by each scale of the grid, several seeds each, with the same
/// data, network, optimiser and budget. A run succeeds when its validation accuracy reaches
/// the target; a diverged run fails (and counts at chance, 1/classes: 10 % on Fashion-MNIST).
package enum InitialisationExperiment: Experiment {
    /// The name of the command and of its files (`initialisation.json`, `initialisation-*.svg`).
    package static let name = "initialisation"
    package static let abstract =
        "Train each activation from ×0.25 … ×4 its usual initial weight scale: share of runs reaching the target, spread of accuracy."
    package static let discussion: String? = """
        Writes DIR/initialisation.json, DIR/initialisation-1.csv, \
        DIR/initialisation-success.svg (success rate against scale) and \
        DIR/initialisation-accuracy.svg. The short version (90 runs) takes about 7 s of \
        CPU in a release build; --full trains 10 epochs on 10 000 images with an 82 % target.
        """

    /// Every (activation, scale, seed), ordered by activation, then scale, then seed.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible configuration.
    package static func trials(_ configuration: InitialisationConfiguration, inputs: ExperimentData) throws -> [Trial] {
        try validate(configuration)
        return try configuration.trials { activation, optimizer in
            configuration.scales.flatMap { scale in
                configuration.seeds.map { seed in
                    Trial(
                        activation: activation, seed: seed, optimizer: optimizer,
                        initialization: .standard(for: activation, scale: scale))
                }
            }
        }
    }

    package static func measure(
        _ trial: Trial, configuration: InitialisationConfiguration, inputs: ExperimentData, progress: ProgressTask
    ) throws -> InitialisationRun {
        let budget = TrialBudget(
            hiddenSizes: configuration.hiddenSizes, epochs: configuration.epochs,
            batchSize: configuration.batchSize, probeSize: 1)
        let result = try SideBySideRunner(data: inputs, budget: budget).run([trial])[0]
        progress.advance(by: 1, status: "\(trial.activation) ×\(trial.initialization!.scale) seed \(trial.seed)")
        let finished = result.divergence == nil
        let accuracy = finished ? result.records.last?.validationAccuracy ?? inputs.chanceAccuracy : inputs.chanceAccuracy
        return InitialisationRun(
            activation: result.activation, scale: result.initializationScale,
            scheme: trial.initialization!.schemeFamily, seed: result.seed, validationAccuracy: accuracy,
            trainingLoss: finished ? result.records.last?.trainLoss : nil,
            reachedTarget: finished && accuracy >= configuration.targetAccuracy, optimizer: result.optimizer, divergence: result.divergence,
            divergedAtEpoch: result.divergedAtEpoch)
    }

    package static func describe(
        _ runs: [InitialisationRun], configuration: InitialisationConfiguration, inputs: ExperimentData,
        context: ExperimentContext
    ) throws -> ExperimentDocument<InitialisationResults> {
        let results = InitialisationResults(configuration: configuration, runs: runs)
        return ExperimentDocument(
            experiment: name, title: "Initialisation: sensitivity to the scale of the initial weights",
            summary: summary(configuration), settings: context.settings(adding: settings(configuration), data: inputs),
            claims: [InitialisationVerdict.claim(results)] + (configuration.tunedRates == nil ? [] : [InitialisationVerdict.claim(results, tuned: true)]),
            figures: try InitialisationFigures.write(results, to: context.output), tables: InitialisationFigures.tables(results),
            divergedRuns: DivergenceCount.tally(
                runs, setting: { "\($0.activation) · ×\($0.scale)" + ($0.atTunedRate ? " · tuned rate" : "") },
                diverged: \.diverged),
            results: results)
    }

    private static func validate(_ configuration: InitialisationConfiguration) throws(ExperimentError) {
        try ExperimentError.require(!configuration.scales.isEmpty && configuration.scales.allSatisfy { $0 > 0 && $0.isFinite },
            "scales", "\(configuration.scales) is not allowed (a non-empty list of finite scales > 0)")
        try ExperimentError.requireWidths(configuration.hiddenSizes)
        try configuration.validateGrid()
        try ExperimentError.require(configuration.targetAccuracy > 0 && configuration.targetAccuracy <= 1,
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
            \(configuration.momentum)), and again at each activation's own rate tuned at scale ×1 \
            (\(configuration.tunedRates.map { $0.summary(optimizer: "sgd-momentum") } ?? "not tuned")). A run succeeds when its validation accuracy reaches \
            \(Int((configuration.targetAccuracy * 100).rounded())) %; a diverged run fails and counts \
            at chance. \(InitialisationVerdict.rule)
            """
    }

    private static func settings(_ configuration: InitialisationConfiguration) -> [String: String] {
        configuration.gridSettings.merging([
            "scales": configuration.scales.map { "\($0)" }.joined(separator: ","),
            "architecture": "784-" + configuration.hiddenSizes.map(String.init).joined(separator: "-") + "-10",
            "initialization": "scale × (He normal for rectifiers and softplus, Glorot normal for sigmoid and tanh), biases 0",
            "target accuracy": "\(configuration.targetAccuracy)",
            "tuning": configuration.rateTuning.description + ", at scale ×1",
        ]) { $1 }
    }
}
