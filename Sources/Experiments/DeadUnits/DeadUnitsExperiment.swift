import Activations
import Networks

/// `rectifier experiment dead-units`: claim 6 of issue 6, "the leaky variants give an error
/// signal for negative inputs: fewer units that never receive a gradient than with plain
/// ReLU" (Maas, Hannun & Ng 2013; He et al. 2015).
///
/// The same MLP is trained with ReLU, leaky ReLU and PReLU at several Adam learning rates;
/// after each epoch (and at initialisation) every hidden layer's dead and inactive fractions
/// (``UnitActivity``) are measured on a fixed probe batch, and PReLU's learned slopes are
/// kept.
public enum DeadUnitsExperiment {
    /// The name of the command and of its files (`dead-units.json`, `dead-units-*.svg`).
    public static let name = "dead-units"

    /// Runs every (activation, rate, seed), writes the plots, the CSV table and
    /// `dead-units.json` into `output`, and returns the document.
    /// - Throws: ``ExperimentError`` for an impossible configuration, a failed run or a file
    ///   that cannot be written.
    public static func run(
        configuration: DeadUnitsConfiguration, data: ClassificationSubset, output: ExperimentOutput,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> ExperimentDocument<DeadUnitsResults> {
        let started = MonotonicSeconds.now
        let results = try measure(configuration: configuration, data: data, progress: progress)
        let figures = try DeadUnitsFigures.write(results, to: output)
        let document = ExperimentDocument(
            experiment: name, title: "Dead units: ReLU against its leaky variants",
            summary: summary(configuration), settings: settings(configuration, data: data),
            claims: [DeadUnitsVerdict.claim(results)], figures: figures,
            tables: DeadUnitsFigures.tables(results), wallSeconds: MonotonicSeconds.now - started,
            results: results)
        try output.write(document)
        return document
    }

    /// Trains and measures every run, without writing anything.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for an impossible
    ///   configuration, ``ExperimentError/failed(experiment:reason:)`` for a failed run.
    public static func measure(
        configuration: DeadUnitsConfiguration, data: ClassificationSubset,
        progress: @escaping ExperimentProgressHandler = { _, _ in }
    ) throws(ExperimentError) -> DeadUnitsResults {
        try validate(configuration)
        let activations = try ActivationLineup.parse(configuration.activations)
        let probe = data.training.subset(Array(0..<Swift.min(configuration.probeSamples, data.training.count)))
        var runs: [PerceptronRun] = []
        for activation in activations {
            for rate in configuration.learningRates {
                for seed in configuration.seeds {
                    runs.append(PerceptronRun(
                        hiddenActivation: activation, hiddenSizes: configuration.hiddenSizes,
                        initialization: .standard(for: activation),
                        // Validated above: every rate is finite and > 0.
                        optimizer: try! OptimizerConfiguration(kind: .adam, learningRate: rate),
                        epochs: configuration.epochs, batchSize: configuration.batchSize, seed: seed,
                        probeSize: configuration.probeSamples))
                }
            }
        }
        let sampleCost = Double(data.training.count * configuration.epochs)
        let ledger = WorkLedger(
            totalCost: runs.reduce(0) { $0 + $1.multiplyAddsPerSample(inputSize: data.training.featureCount) * sampleCost }, report: progress)
        var records: [DeadUnitsRun] = []
        for run in runs {
            let cost = run.multiplyAddsPerSample(inputSize: data.training.featureCount) * sampleCost
            let status = "\(run.hiddenActivation) rate \(run.optimizer.learningRate) seed \(run.seed)"
            records.append(try measure(run, data: data, probe: probe.features) { share in
                ledger.update(runCost: cost, share: share, status: status)
            })
            ledger.finish(runCost: cost, status: status)
        }
        return DeadUnitsResults(configuration: configuration, runs: records)
    }

    private static func measure(
        _ run: PerceptronRun, data: ClassificationSubset, probe: Matrix<Float>, share: @escaping (Double) -> Void
    ) throws(ExperimentError) -> DeadUnitsRun {
        var activity: [EpochActivity] = []
        var probeError: NetworkError?
        let outcome = try run.train(
            on: data, experiment: name,
            initialized: { model throws(ExperimentError) in
                activity.append(EpochActivity(epoch: 0, layers: try measureActivity(model, probe)))
            },
            epochEnded: { model, record in
                do throws(NetworkError) {
                    activity.append(EpochActivity(epoch: record.epoch, layers: try UnitActivity.measure(model, inputs: probe)))
                } catch {
                    probeError = error
                }
            },
            batchFinished: { step in
                share((Double(step.epoch - 1) + Double(step.batch) / Double(step.batchesPerEpoch)) / Double(step.epochs))
            })
        if let probeError { throw .failed(experiment: name, reason: probeError.description) }
        var accuracy: Double?
        if outcome.divergence == nil {
            do {
                accuracy = try outcome.model.evaluate(data.validation).accuracy
            } catch {
                throw .failed(experiment: name, reason: error.description)
            }
        }
        let store = outcome.model.parameters
        let slopes = store.layout.parameters.filter { $0.name.hasSuffix(".slopes") }.map { info in
            store.values(of: info).map(Double.init)
        }
        return DeadUnitsRun(
            activation: run.hiddenActivation.description, learningRate: run.optimizer.learningRate,
            seed: run.seed, activity: activity, validationAccuracy: accuracy, slopes: slopes,
            divergence: outcome.divergence)
    }

    private static func measureActivity(_ model: Sequential<Float>, _ probe: Matrix<Float>) throws(ExperimentError) -> [UnitActivity] {
        do {
            return try UnitActivity.measure(model, inputs: probe)
        } catch {
            throw .failed(experiment: name, reason: error.description)
        }
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
            there still learns). The curves show both, averaged over the hidden layers, from \
            initialisation (epoch 0). \(DeadUnitsVerdict.rule)
            """
    }

    private static func settings(_ configuration: DeadUnitsConfiguration, data: ClassificationSubset) -> [String: String] {
        [
            "activations": configuration.activations.joined(separator: ","),
            "learning_rates": configuration.learningRates.map { "\($0)" }.joined(separator: ","),
            "hidden_sizes": configuration.hiddenSizes.map(String.init).joined(separator: ","),
            "seeds": configuration.seeds.map(String.init).joined(separator: ","),
            "epochs": String(configuration.epochs),
            "batch_size": String(configuration.batchSize),
            "optimizer": "adam (β₁ 0.9, β₂ 0.999, ε 1e-8)",
            "initialization": "He normal (negative slope of the activation)",
            "probe_samples": String(configuration.probeSamples),
            "data": data.origin,
            "threads": String(Parallelism.threadCount),
        ]
    }
}
