import Activations
import Datasets
import Networks
import Quantization
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `rectifier experiment precision`: for each activation of the family a 784-256-128-10
/// model is trained on Fashion-MNIST (Float32), then evaluated in Float64 (the same weights
/// widened), Float32 and int8 (post-training quantisation calibrated on 2000 training
/// images): test accuracy, agreement of predictions with Float64, bytes of the parameters,
/// and samples/s at batch 1024 and 1 on one thread. Writes `DIR/precision.json`, a CSV
/// table and two plots; the claims are computed from the numbers.
package enum PrecisionExperiment: Experiment {
    /// `precision.json`.
    package static let name = "precision"
    /// The hidden activations compared (PReLU with learned per-unit slopes).
    package static let activations = ["relu", "leaky:0.01", "prelu", "softplus", "sigmoid", "tanh"]
    /// The network: 784-256-128-10.
    package static let hiddenSizes = [256, 128]
    /// Training images used for calibration (the first ones of the training subset).
    package static let calibrationCount = 2000

    package static let abstract = "Float64 vs Float32 vs int8: accuracy, agreement, size and speed per activation."
    package static let discussion: String? = """
        Trains a 784-256-128-10 network per activation (relu, leaky, prelu, softplus, sigmoid, \
        tanh) and seed on Fashion-MNIST, quantises it to int8 (calibrated on 2000 training \
        images) and evaluates the three forms. Writes DIR/precision.json, precision-1.csv, \
        precision-agreement.svg and precision-throughput.svg.
        """

    /// What a version does; the short one fits in about a minute on a 2-core machine.
    package struct Plan: Sendable {
        /// Seeds per activation.
        package var seeds: [UInt64]
        /// Training images (the first of the training files): 10 000 short, 50 000 long.
        package var trainingCount: Int
        /// 3 short, 5 long.
        package var epochs: Int
        /// Seconds each throughput figure is timed for (first seed only).
        package var timingSeconds: Double

        package init(seeds: [UInt64], trainingCount: Int, epochs: Int, timingSeconds: Double) {
            self.seeds = seeds
            self.trainingCount = trainingCount
            self.epochs = epochs
            self.timingSeconds = timingSeconds
        }
    }

    /// One activation and seed.
    package struct PrecisionTrial: Sendable, CustomStringConvertible {
        package var activation: String
        package var seed: UInt64
        package var description: String { "\(activation) seed \(seed)" }
    }

    /// One trained model in the three number types, and whether its training diverged.
    package struct TrialMeasurement: Codable, Sendable {
        /// In ``PrecisionComparison/NumberType`` order.
        package var measurements: [PrecisionComparison.Measurement]
        package var diverged: Bool
    }

    package static func configuration(_ context: ExperimentContext) -> Plan {
        Plan(
            seeds: context.seedList, trainingCount: context.full ? 50_000 : 10_000, epochs: context.full ? 5 : 3,
            timingSeconds: context.full ? 1 : 0.15)
    }

    /// The first `trainingCount` training images and every test image.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data`.
    package static func inputs(_ plan: Plan, context: ExperimentContext) throws -> (training: Dataset<Float>, test: Dataset<Float>) {
        let images = try context.images()
        guard images.training.count >= plan.trainingCount else {
            throw ExperimentError.invalidOption(
                flag: "--data",
                reason: "\(context.dataDirectory) holds \(images.training.count) training images, \(plan.trainingCount) needed")
        }
        do {
            return (
                try ExperimentData.dataset(images.training.firstSamples(plan.trainingCount)),
                try ExperimentData.dataset(images.test))
        } catch {
            throw ExperimentError.invalidOption(flag: "--data", reason: "\(error)")
        }
    }

    package static func trials(_ plan: Plan, inputs: (training: Dataset<Float>, test: Dataset<Float>)) -> [PrecisionTrial] {
        activations.flatMap { activation in plan.seeds.map { PrecisionTrial(activation: activation, seed: $0) } }
    }

    package static func measure(
        _ trial: PrecisionTrial, configuration plan: Plan, inputs: (training: Dataset<Float>, test: Dataset<Float>),
        progress: ProgressTask
    ) throws -> TrialMeasurement {
        let label = "\(trial.activation) seed \(trial.seed)"
        progress.advance(by: 0, status: "\(label): training \(plan.epochs) epochs on \(inputs.training.count) images")
        do {
            let (model, divergence) = try train(trial.activation, seed: trial.seed, on: inputs.training, epochs: plan.epochs)
            if let divergence { progress.advance(by: 0, status: "\(label): \(divergence)") }
            let comparison = try PrecisionComparison(
                model: model, calibration: inputs.training.features.rows(0..<calibrationCount), test: inputs.test,
                timingSeconds: trial.seed == plan.seeds.first ? plan.timingSeconds : nil)
            let int8 = comparison[.int8]
            progress.advance(
                by: 1,
                status: "\(label): int8 accuracy \(SeedStatistics.percent(int8.testAccuracy, decimals: 2)), "
                    + "agreement \(SeedStatistics.percent(int8.agreementWithFloat64, decimals: 2))")
            return TrialMeasurement(
                measurements: PrecisionComparison.NumberType.allCases.map { comparison[$0] }, diverged: divergence != nil)
        } catch {
            throw ExperimentError.failed(experiment: name, reason: "\(label): \(error)")
        }
    }

    package static func describe(
        _ measurements: [TrialMeasurement], configuration plan: Plan,
        inputs: (training: Dataset<Float>, test: Dataset<Float>), context: ExperimentContext
    ) throws -> ExperimentDocument<[PrecisionResult]> {
        var results: [PrecisionResult] = []
        for (index, activation) in activations.enumerated() {
            let seeds = measurements[(index * plan.seeds.count)..<((index + 1) * plan.seeds.count)]
            for (typeIndex, type) in PrecisionComparison.NumberType.allCases.enumerated() {
                results.append(PrecisionResult(
                    activation: activation, type: type.rawValue, seeds: plan.seeds,
                    measurements: seeds.map { $0.measurements[typeIndex] }, diverged: seeds.map(\.diverged)))
            }
        }
        let architecture = ([inputs.training.featureCount] + hiddenSizes + [ExperimentData.classCount(inputs.training)])
            .map(String.init).joined(separator: "-")
        let report = PrecisionReport(results: results, architecture: architecture)
        let figures = try report.figures(writtenTo: context.output)
        var settings = context.commonSettings
        settings["threads"] = "\(context.threads) for training, 1 for timing"
        settings["architecture"] = architecture
        settings["training"] = "\(inputs.training.count) images, \(plan.epochs) epochs, Adam 0.001, batch 64"
        settings["test"] = "\(inputs.test.count) images"
        settings["calibration"] = "\(calibrationCount) training images, min/max"
        return ExperimentDocument(
            experiment: name, title: "Float64, Float32 and int8 inference of the same networks",
            summary: report.summary(plan: plan, trainingCount: inputs.training.count, testCount: inputs.test.count),
            settings: settings, claims: report.claims(), figures: figures, tables: [report.table()],
            divergedRuns: results.filter { $0.type == PrecisionComparison.NumberType.float32.rawValue }.map {
                DivergenceCount(setting: $0.activation, runs: $0.seeds.count, diverged: $0.divergedPerSeed.filter { $0 }.count)
            },
            results: results)
    }

    /// A 784-256-128-K model (K: the data's classes) with `activation`, trained in Float32 from seed `seed`, and why
    /// it diverged (nil when it did not): a diverged model keeps the weights of its last good
    /// epoch (the initial ones if the first epoch diverged), which are still compared.
    package static func train(_ activation: String, seed: UInt64, on training: Dataset<Float>, epochs: Int) throws
        -> (model: Sequential<Float>, divergence: String?)
    {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: training.featureCount, hiddenSizes: hiddenSizes,
            hiddenActivation: try HiddenActivation(parsing: activation),
            outputSize: ExperimentData.classCount(training))
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: epochs, batchSize: 64, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.001))
        do {
            try Trainer(model: model, configuration: configuration, generator: generator).train(on: training)
        } catch .diverged(let epoch, let batch, let reason, _) {
            return (model, "diverged in epoch \(epoch), batch \(batch): \(reason)")
        }
        return (model, nil)
    }
}
