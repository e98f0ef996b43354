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
public enum PrecisionExperiment {
    /// `precision.json`.
    public static let name = "precision"
    /// The hidden activations compared (PReLU with learned per-unit slopes).
    public static let activations = ["relu", "leaky:0.01", "prelu", "softplus", "sigmoid", "tanh"]
    /// The network: 784-256-128-10.
    public static let hiddenSizes = [256, 128]
    /// Training images used for calibration (the first ones of the training subset).
    public static let calibrationCount = 2000

    /// What a run does; the short version fits in about a minute on this machine.
    public struct Options: Sendable {
        /// Directory for `precision.json`, the CSV and the plots (made if missing).
        public var outputDirectory: String
        /// Seeds per activation (0 ..< seeds), ≥ 1.
        public var seeds: Int
        /// The long version: 50 000 training images and 10 epochs instead of 10 000 and 3.
        public var full: Bool
        /// Training threads (timing always uses one); nil keeps ``Execution/threads``.
        public var threads: Int?
        /// The MNIST-format directory.
        public var dataDirectory: String

        public init(
            outputDirectory: String, seeds: Int = 3, full: Bool = false, threads: Int? = nil,
            dataDirectory: String = FashionMNIST.defaultDirectory
        ) {
            self.outputDirectory = outputDirectory
            self.seeds = seeds
            self.full = full
            self.threads = threads
            self.dataDirectory = dataDirectory
        }

        var trainingCount: Int { full ? 50_000 : 10_000 }
        var epochs: Int { full ? 10 : 3 }
        var timingSeconds: Double { full ? 1 : 0.15 }
    }

    /// Runs the experiment and writes its files; `progress` receives one line per step.
    /// - Returns: the document written to `DIR/precision.json`.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for seeds or threads < 1 or
    ///   unreadable data (`--data`); ``ExperimentError/failed(experiment:reason:)`` when a
    ///   model does not train or quantise; the writing errors of ``ExperimentOutput``.
    @discardableResult
    public static func run(options: Options, progress: (String) -> Void = { _ in })
        throws(ExperimentError) -> ExperimentDocument<[PrecisionResult]>
    {
        guard options.seeds >= 1 else {
            throw .invalidOption(flag: "--seeds", reason: "\(options.seeds) is not allowed (≥ 1)")
        }
        if let threads = options.threads, threads < 1 {
            throw .invalidOption(flag: "--threads", reason: "\(threads) is not allowed (≥ 1)")
        }
        return try Execution.current.with(threads: options.threads ?? Execution.current.threads).run {
            () throws(ExperimentError) in try measure(options: options, progress: progress)
        }
    }

    private static func measure(options: Options, progress: (String) -> Void)
        throws(ExperimentError) -> ExperimentDocument<[PrecisionResult]>
    {
        let output = try ExperimentOutput(directory: options.outputDirectory)
        let started = MonotonicClock.now
        let (training, test) = try loadData(options)
        let seeds = (0..<options.seeds).map(UInt64.init)
        var results: [PrecisionResult] = []
        for activation in activations {
            var comparisons: [PrecisionComparison] = []
            var diverged: [Bool] = []
            for seed in seeds {
                progress("\(activation) seed \(seed): training \(options.epochs) epochs on \(training.count) images")
                do {
                    let (model, divergence) = try train(activation, seed: seed, on: training, epochs: options.epochs)
                    if let divergence { progress("\(activation) seed \(seed): \(divergence)") }
                    diverged.append(divergence != nil)
                    comparisons.append(try PrecisionComparison(
                        model: model, calibration: training.features.rows(0..<calibrationCount), test: test,
                        timingSeconds: seed == seeds[0] ? options.timingSeconds : nil))
                } catch {
                    throw .failed(experiment: name, reason: "\(activation) seed \(seed): \(error)")
                }
                let int8 = comparisons.last![.int8]
                progress("\(activation) seed \(seed): int8 accuracy \(percent(int8.testAccuracy)), agreement \(percent(int8.agreementWithFloat64))")
            }
            for type in PrecisionComparison.NumberType.allCases {
                results.append(PrecisionResult(
                    activation: activation, type: type.rawValue, seeds: seeds, measurements: comparisons.map { $0[type] },
                    diverged: diverged))
            }
        }
        let report = PrecisionReport(results: results)
        try report.writeFigures(to: output)
        let document = ExperimentDocument(
            experiment: name, title: "Float64, Float32 and int8 inference of the same networks",
            summary: report.summary(options: options, trainingCount: training.count, testCount: test.count),
            settings: [
                "seeds": "\(options.seeds) (0…\(options.seeds - 1))", "version": options.full ? "full" : "short",
                "threads": "\(Execution.current.threads) for training, 1 for timing", "data": options.dataDirectory,
                "architecture": "784-" + hiddenSizes.map(String.init).joined(separator: "-") + "-10",
                "training": "\(training.count) images, \(options.epochs) epochs, Adam 0.001, batch 64",
                "test": "\(test.count) images", "calibration": "\(calibrationCount) training images, min/max",
            ],
            claims: report.claims(), figures: PrecisionReport.figures, tables: [report.table()],
            wallSeconds: MonotonicClock.now - started,
            divergedRuns: results.filter { $0.type == PrecisionComparison.NumberType.float32.rawValue }.map {
                DivergenceCount(setting: $0.activation, runs: $0.seeds.count, diverged: $0.divergedPerSeed.filter { $0 }.count)
            },
            results: results)
        try output.write(document)
        return document
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", 100 * fraction)
    }

    private static func loadData(_ options: Options) throws(ExperimentError) -> (Dataset<Float>, Dataset<Float>) {
        do {
            let images = try FashionMNIST.load(directory: options.dataDirectory)
            guard images.training.count >= options.trainingCount else {
                throw ExperimentError.invalidOption(
                    flag: "--data", reason: "\(options.dataDirectory) holds \(images.training.count) training images, \(options.trainingCount) needed")
            }
            return (try dataset(images.training.firstSamples(options.trainingCount)), try dataset(images.test))
        } catch let error as ExperimentError {
            throw error
        } catch {
            throw .invalidOption(flag: "--data", reason: "\(error)")
        }
    }

    private static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        try Dataset(
            features: try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels),
            labels: images.labels.map(Int.init))
    }

    /// A 784-256-128-10 model with `activation`, trained in Float32 from seed `seed`, and why
    /// it diverged (nil when it did not): a diverged model keeps the weights of its last good
    /// epoch (the initial ones if the first epoch diverged), which are still compared.
    static func train(_ activation: String, seed: UInt64, on training: Dataset<Float>, epochs: Int) throws
        -> (model: Sequential<Float>, divergence: String?)
    {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: training.featureCount, hiddenSizes: hiddenSizes,
            hiddenActivation: try HiddenActivation(parsing: activation), outputSize: 10)
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
