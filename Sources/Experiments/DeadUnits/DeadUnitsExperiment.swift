import Activations
import Networks

/// `rectifier experiment dead-units`: claim 6, "the leaky variants give an error
/// signal for negative inputs: fewer units that never receive a gradient than with plain
/// ReLU" (Maas, Hannun & Ng 2013; He et al. 2015).
///
/// The same MLP is trained side by side (``SideBySideRunner``) with ReLU, leaky ReLU and
/// PReLU at several Adam learning rates. Every hidden layer's dead fraction is measured on a
/// fixed probe batch at initialisation and after each epoch (the trainer's probe, the same
/// definition as ``UnitActivity``), the inactive fraction at initialisation and at the end,
/// and PReLU's learned slopes are kept.
package enum DeadUnitsExperiment: Experiment {
    /// The name of the command and of its files (`dead-units.json`, `dead-units-*.svg`).
    package static let name = "dead-units"
    package static let abstract =
        "Count dead hidden units per layer and epoch for ReLU, leaky ReLU and PReLU at several learning rates."
    package static let discussion: String? = """
        Writes DIR/dead-units.json, DIR/dead-units-1.csv, DIR/dead-units-curves.svg (dead \
        units per epoch) and DIR/dead-units-slopes.svg (learned PReLU slopes). The \
        short version (27 runs) takes about 6 s of CPU in a release build; --full trains 15 \
        epochs on 20 000 images.
        """

    /// Every (activation, rate, seed), ordered by activation, then rate, then seed.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible configuration.
    package static func trials(_ configuration: DeadUnitsConfiguration, inputs: ExperimentData) throws -> [Trial] {
        try validate(configuration)
        return try ActivationLineup.parse(configuration.activations).flatMap { activation in
            configuration.learningRates.flatMap { rate in
                configuration.seeds.map { seed in
                    // Validated above: every rate is finite and > 0.
                    let optimizer = NamedOptimizer(
                        name: "adam", configuration: try! OptimizerConfiguration(kind: .adam, learningRate: rate))
                    return Trial(
                        activation: activation, seed: seed, optimizer: optimizer,
                        initialization: .standard(for: activation))
                }
            }
        }
    }

    /// Trains one run, measuring its units on a fixed probe batch once initialised and once
    /// trained. Progress is per run, not per batch: a diverging run's loss can be too large
    /// for the runner's status line.
    package static func measure(
        _ trial: Trial, configuration: DeadUnitsConfiguration, inputs: ExperimentData, progress: ProgressTask
    ) throws -> DeadUnitsRun {
        let budget = TrialBudget(
            hiddenSizes: configuration.hiddenSizes, epochs: configuration.epochs,
            batchSize: configuration.batchSize, probeSize: configuration.probeSamples)
        let probe = inputs.training.features.rows(0..<Swift.min(configuration.probeSamples, inputs.training.count))
        var initial: [UnitActivity] = [], final: [UnitActivity] = [], slopes: [[Double]] = []
        var failure: String?
        let result = try SideBySideRunner(data: inputs, budget: budget).run([trial]) { _, model, moment in
            do {
                switch moment {
                case .initialized:
                    initial = try UnitActivity.measure(model, inputs: probe)
                case .trained:
                    final = try UnitActivity.measure(model, inputs: probe)
                    let store = model.parameters
                    slopes = store.layout.parameters.filter { $0.name.hasSuffix(".slopes") }.map { info in
                        store.values(of: info).map(Double.init)
                    }
                }
            } catch {
                failure = failure ?? "\(error)"
            }
        }[0]
        progress.advance(by: 1, status: "\(trial.activation) rate \(trial.optimizer.configuration.learningRate) seed \(trial.seed)")
        if let failure { throw ExperimentError.failed(experiment: name, reason: failure) }
        return DeadUnitsRun(
            activation: result.activation, learningRate: trial.optimizer.configuration.learningRate,
            seed: result.seed,
            deadFractions: [initial.map(\.deadFraction)] + result.records.map { $0.deadUnitFractions.map(\.value) },
            initialActivity: initial, finalActivity: final,
            validationAccuracy: result.divergence == nil ? result.records.last?.validationAccuracy : nil,
            slopes: slopes, divergence: result.divergence, divergedAtEpoch: result.divergedAtEpoch)
    }

    package static func describe(
        _ runs: [DeadUnitsRun], configuration: DeadUnitsConfiguration, inputs: ExperimentData, context: ExperimentContext
    ) throws -> ExperimentDocument<DeadUnitsResults> {
        let results = DeadUnitsResults(configuration: configuration, runs: runs)
        return ExperimentDocument(
            experiment: name, title: "Dead units: ReLU against its leaky variants", summary: summary(configuration),
            settings: context.settings(adding: settings(configuration), data: inputs),
            claims: [DeadUnitsVerdict.claim(results)],
            figures: try DeadUnitsFigures.write(results, to: context.output), tables: DeadUnitsFigures.tables(results),
            divergedRuns: DivergenceCount.tally(runs, setting: { "\($0.activation) · rate \($0.learningRate)" }, diverged: \.diverged),
            results: results)
    }

    private static func validate(_ configuration: DeadUnitsConfiguration) throws(ExperimentError) {
        try ExperimentError.require(
            !configuration.learningRates.isEmpty && configuration.learningRates.allSatisfy { $0 > 0 && $0.isFinite },
            "learning rates", "\(configuration.learningRates) is not allowed (a non-empty list of finite rates > 0)")
        try ExperimentError.requireWidths(configuration.hiddenSizes)
        try ExperimentError.requireGrid(
            seeds: configuration.seeds, activations: configuration.activations, epochs: configuration.epochs,
            batchSize: configuration.batchSize)
        try ExperimentError.requirePositive(configuration.probeSamples, "probe samples")
    }

    private static func summary(_ configuration: DeadUnitsConfiguration) -> String {
        let rates = configuration.learningRates.map { "\($0)" }.joined(separator: ", ")
        let widths = configuration.hiddenSizes.map(String.init).joined(separator: "-")
        return """
            An MLP 784-\(widths)-10 with ReLU, leaky ReLU (α = 0.01) and PReLU (slopes learned from \
            0.25) trained with Adam at rates \(rates) for \(configuration.epochs) epochs on \
            \(configuration.trainingSamples) Fashion-MNIST images, \(configuration.seeds.count) seeds. \
            A unit is dead when its output is exactly 0 for all \(configuration.probeSamples) probe images \
            (it then passes no gradient), inactive when its input is ≤ 0 for all of them (a leaky unit \
            there still learns). The curves show the dead units averaged over the hidden layers, from \
            initialisation (epoch 0); the table adds the inactive ones. \(DeadUnitsVerdict.rule)
            """
    }

    private static func settings(_ configuration: DeadUnitsConfiguration) -> [String: String] {
        [
            "activations": configuration.activations.joined(separator: ","),
            "learning rates": configuration.learningRates.map { "\($0)" }.joined(separator: ","),
            "architecture": "784-" + configuration.hiddenSizes.map(String.init).joined(separator: "-") + "-10",
            "epochs": String(configuration.epochs),
            "batch size": String(configuration.batchSize),
            "optimizer": "Adam (β₁ 0.9, β₂ 0.999, ε 1e-8)",
            "initialization": "He normal (gain for the negative slope), biases 0",
            "probe samples": String(configuration.probeSamples),
        ]
    }
}
