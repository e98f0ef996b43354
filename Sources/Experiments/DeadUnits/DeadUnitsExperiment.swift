import Activations
import Networks

/// `rectifier experiment dead-units`: claim 6 of issue 6, "the leaky variants give an error
/// signal for negative inputs: fewer units that never receive a gradient than with plain
/// ReLU" (Maas, Hannun & Ng 2013; He et al. 2015).
///
/// The same MLP is trained side by side (``SideBySideRunner``) with ReLU, leaky ReLU and
/// PReLU at several Adam learning rates. Every hidden layer's dead fraction is measured on a
/// fixed probe batch at initialisation and after each epoch (the trainer's probe, the same
/// definition as ``UnitActivity``), the inactive fraction at initialisation and at the end,
/// and PReLU's learned slopes are kept.
public enum DeadUnitsExperiment: GridExperiment {
    /// The name of the command and of its files (`dead-units.json`, `dead-units-*.svg`).
    public static let name = "dead-units"

    /// The registry's entry.
    public static let registration = registered(
        summary: "dead units per layer and epoch for ReLU, leaky ReLU and PReLU at several rates; PReLU slopes")

    /// The document of `results` (see ``GridExperiment/describe(_:output:)``).
    /// - Throws: ``ExperimentError`` when a figure cannot be written.
    public static func describe(
        _ results: DeadUnitsResults, output: ExperimentOutput
    ) throws(ExperimentError) -> ExperimentDocument<DeadUnitsResults> {
        ExperimentDocument(
            experiment: name, title: "Dead units: ReLU against its leaky variants", summary: summary(results.configuration),
            settings: settings(results.configuration), claims: [DeadUnitsVerdict.claim(results)],
            figures: try DeadUnitsFigures.write(results, to: output), tables: DeadUnitsFigures.tables(results),
            wallSeconds: 0,
            divergedRuns: DivergenceCount.tally(
                results.runs, setting: { "\($0.activation) · rate \($0.learningRate)" }, diverged: \.diverged),
            results: results)
    }

    /// Trains and measures every run, without writing anything. Runs are ordered by
    /// activation, then rate, then seed.
    /// - Throws: as ``GridExperiment/measure(configuration:data:progress:)``.
    public static func measure(
        configuration: DeadUnitsConfiguration, data: ExperimentData, progress: ProgressReporter = .silent
    ) throws(ExperimentError) -> DeadUnitsResults {
        try validate(configuration)
        let activations = try ActivationLineup.parse(configuration.activations)
        let budget = TrialBudget(
            hiddenSizes: configuration.hiddenSizes, epochs: configuration.epochs,
            batchSize: configuration.batchSize, probeSize: configuration.probeSamples)
        var trials: [Trial] = []
        for activation in activations {
            for rate in configuration.learningRates {
                for seed in configuration.seeds {
                    // Validated above: every rate is finite and > 0.
                    let optimizer = NamedOptimizer(
                        name: "adam", configuration: try! OptimizerConfiguration(kind: .adam, learningRate: rate))
                    trials.append(Trial(
                        activation: activation, seed: seed, optimizer: optimizer,
                        initialization: .standard(for: activation)))
                }
            }
        }
        let probe = data.training.features.rows(0..<Swift.min(configuration.probeSamples, data.training.count))
        let runner = SideBySideRunner(data: data, budget: budget)
        // The runner calls `inspect` for each trial in order: once initialised, once trained.
        var initial: [[UnitActivity]] = [], final: [[UnitActivity]] = [], slopes: [[[Double]]] = []
        var failure: String?
        // Progress per run (every run costs the same), not per batch: a diverging run's loss
        // can be too large for the runner's status line.
        let task = progress.start(name, totalWork: Double(trials.count))
        var results: [TrialResult] = []
        for trial in trials {
            results += try runner.run([trial]) { _, model, moment in
                do {
                    switch moment {
                    case .initialized:
                        initial.append(try UnitActivity.measure(model, inputs: probe))
                    case .trained:
                        final.append(try UnitActivity.measure(model, inputs: probe))
                        let store = model.parameters
                        slopes.append(store.layout.parameters.filter { $0.name.hasSuffix(".slopes") }.map { info in
                            store.values(of: info).map(Double.init)
                        })
                    }
                } catch {
                    failure = failure ?? "\(error)"
                }
            }
            task.advance(by: 1, status: "\(trial.activation) rate \(trial.optimizer.configuration.learningRate) seed \(trial.seed)")
        }
        task.finish(status: "\(trials.count) runs")
        if let failure { throw .failed(experiment: name, reason: failure) }
        let runs = results.indices.map { index in
            let result = results[index]
            return DeadUnitsRun(
                activation: result.activation, learningRate: trials[index].optimizer.configuration.learningRate,
                seed: result.seed,
                deadFractions: [initial[index].map(\.deadFraction)] + result.records.map { $0.deadUnitFractions.map(\.value) },
                initialActivity: initial[index], finalActivity: final[index],
                validationAccuracy: result.divergence == nil ? result.records.last?.validationAccuracy : nil,
                slopes: slopes[index], divergence: result.divergence, divergedAtEpoch: result.divergedAtEpoch)
        }
        return DeadUnitsResults(configuration: configuration, runs: runs)
    }

    private static func validate(_ configuration: DeadUnitsConfiguration) throws(ExperimentError) {
        func require(_ condition: Bool, _ flag: String, _ reason: String) throws(ExperimentError) {
            if !condition { throw .invalidOption(flag: flag, reason: reason) }
        }
        try require(!configuration.learningRates.isEmpty && configuration.learningRates.allSatisfy { $0 > 0 && $0.isFinite },
            "learning rates", "\(configuration.learningRates) is not allowed (a non-empty list of finite rates > 0)")
        try require(!configuration.hiddenSizes.isEmpty && configuration.hiddenSizes.allSatisfy { $0 >= 1 },
            "hidden sizes", "\(configuration.hiddenSizes) is not allowed (a non-empty list of widths ≥ 1)")
        try require(!configuration.seeds.isEmpty, "seeds", "at least one seed is needed")
        try require(!configuration.activations.isEmpty, "activations", "at least one activation is needed")
        try require(configuration.epochs >= 1, "epochs", "\(configuration.epochs) is not allowed (≥ 1)")
        try require(configuration.batchSize >= 1, "batch size", "\(configuration.batchSize) is not allowed (≥ 1)")
        try require(configuration.probeSamples >= 1, "probe samples", "\(configuration.probeSamples) is not allowed (≥ 1)")
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
