import Activations
import ArgumentParser
import Datasets
import Interchange
import Networks
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `rectifier bench train`: the training-speed benchmark (784-256-128-10, ReLU,
/// Adam 1e−3, batch 128, Float32, 60 000 samples).
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training epochs of a 784-256-128-10 ReLU network (Adam, batch 128, Float32).",
        discussion: """
            Trains on the 60 000 Fashion-MNIST training images (or those of --data DIR; \
            --synthetic uses 60 000 generated samples of the same shape instead) and reports \
            seconds per epoch (the median), samples per second, peak resident memory and the \
            share of time in GEMM, in activations and elsewhere.
            """)

    @Option(help: "Also write the results as a JSON object to this file.")
    var json: String?

    @Option(help: "Epochs to time (≥ 1).")
    var epochs = 3

    @OptionGroup var threads: ThreadOption

    @Option(help: ArgumentHelp("Directory with the MNIST-format files (default: Debian's Fashion-MNIST).", valueName: "dir"))
    var data: String?

    @Flag(help: "Time on generated data shaped like Fashion-MNIST (no files needed).")
    var synthetic = false

    @Option(help: "Hidden activation: any family spelling or prelu (the peers' comparison uses relu and tanh).")
    var activation = "relu"

    @Option(help: "Hidden layers instead of 256,128, as train's --layers on 1×28×28 images (e.g. conv:32x5,maxpool:2,conv:64x5,maxpool:2,dense:1024).")
    var layers: String?

    func validate() throws {
        if epochs < 1 { throw ValidationError("--epochs \(epochs) is not allowed (≥ 1)") }
        if synthetic, data != nil { throw ValidationError("--synthetic and --data exclude each other") }
        _ = try asUsageError("\(layers == nil ? "--activation" : "--layers or --activation"): ") {
            try Self.architecture(layers, hiddenActivation: try HiddenActivation(parsing: activation))
        }
    }

    /// The benchmark network: side²-256-128-10, or `layers` on 1×side×side images with 10 outputs.
    static func architecture(_ layers: String?, hiddenActivation: HiddenActivation, side: Int = 28) throws -> Architecture {
        guard let layers else {
            return try .multilayerPerceptron(
                inputSize: side * side, hiddenSizes: [256, 128], hiddenActivation: hiddenActivation, outputSize: 10)
        }
        return try .fromLayerSpecification(
            layers, input: try ImageShape(channels: 1, height: side, width: side), hiddenActivation: hiddenActivation, outputSize: 10)
    }

    func run() throws { try threads.run(runWithThreads) }

    private func runWithThreads() throws {
        var files = CommandFiles()
        if !synthetic { files.readsData(data) }
        files.writes(json, flag: "--json")
        try files.check()
        let samples = synthetic
            ? Self.syntheticFashionMNISTShape(count: 60_000, seed: 1)
            : try TrainingData.dataset(FashionMNIST.load(directory: data ?? FashionMNIST.defaultDirectory).training)
        // MNIST-format images are square: 28×28, or the side of the given files.
        let side = Int(Double(samples.featureCount).squareRoot().rounded())
        guard side * side == samples.featureCount else {
            throw CommandFailure("--data: \(samples.featureCount) pixels per image are not a square image")
        }
        let architecture = try Self.architecture(layers, hiddenActivation: try HiddenActivation(parsing: activation), side: side)
        var result = try Self.benchmark(on: samples, trainer: Self.trainer(architecture, epochs: epochs))
        result.layers = layers
        result.data = synthetic ? "synthetic" : (data ?? FashionMNIST.defaultDirectory)
        result.activation = activation
        print(result.summary)
        if let json {
            try writeJSON(result, to: json)
        }
    }

    /// The benchmark's training of `architecture` (seed 0, Adam 1e-3, batch 128) for
    /// `epochs` epochs, once the memory budget allows the model.
    static func trainer(_ architecture: Architecture, epochs: Int) throws -> Trainer<Float> {
        try asFailure { try MemoryBudget.require(Sequential<Float>.requiredBytes(for: architecture), for: "--layers") }
        var generator = SeededGenerator(seed: 0)
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: epochs, batchSize: 128, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 1e-3))
        return Trainer(model: model, configuration: configuration, generator: generator)
    }

    /// Runs `trainer` on `data` and times its epochs.
    static func benchmark(on data: Dataset<Float>, trainer: Trainer<Float>) throws -> BenchTrainResult {
        // Timers cover each epoch's training steps only: reset after the epoch's probe,
        // read at its last batch.
        let profiler = Profiler()
        var gemmSeconds: [Double] = [], activationSeconds: [Double] = []
        let callbacks = TrainingCallbacks<Float>(
            progress: { progress in
                guard progress.batch == progress.batchesPerEpoch else { return }
                gemmSeconds.append(profiler.seconds(in: .gemm))
                activationSeconds.append(profiler.seconds(in: .activations))
            },
            epochEnded: { _ in profiler.reset() })
        let records = try Execution.current.with(profiler: profiler).run {
            try trainer.train(on: data, callbacks: callbacks)
        }
        return BenchTrainResult(
            epochSeconds: records.map(\.seconds), gemmSeconds: gemmSeconds,
            activationSeconds: activationSeconds, samples: data.count,
            threads: Execution.current.threads, finalTrainAccuracy: records.last?.trainAccuracy ?? 0,
            peakResidentBytes: peakResidentBytes())
    }

    /// 60 000 samples like Fashion-MNIST in shape: 784 features in [0, 1] around ten random
    /// class prototypes, labels 0…9. Learnable, so the timed run does real work.
    static func syntheticFashionMNISTShape(count: Int, seed: UInt64) -> Dataset<Float> {
        let featureCount = 784, classes = 10
        var generator = SeededGenerator(seed: seed)
        var prototypes = [Float](repeating: 0, count: classes * featureCount)
        prototypes.withUnsafeMutableBufferPointer { generator.fillUniform($0, lower: 0, upper: 1) }
        let labels = (0..<count).map { $0 % classes }
        let features = Matrix<Float>(rows: count, columns: featureCount) { buffer in
            generator.fillUniform(buffer, lower: -0.5, upper: 0.5)
            for row in 0..<count {
                for column in 0..<featureCount {
                    let value = prototypes[labels[row] * featureCount + column] + buffer[row * featureCount + column]
                    buffer[row * featureCount + column] = Swift.min(1, Swift.max(0, value))
                }
            }
        }
        return try! Dataset(features: features, labels: labels)
    }

    /// VmHWM from /proc/self/status, in bytes (0 where unavailable).
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

/// The figures of one `bench train` run (JSON keys: the names in snake_case).
struct BenchTrainResult: Encodable {
    /// Where the samples came from: a directory, or `synthetic`.
    var data = "synthetic"
    /// The hidden activation's spelling.
    var activation = "relu"
    /// The `--layers` specification, nil for the 784-256-128-10 perceptron.
    var layers: String?
    let epochSeconds: [Double]
    let samples: Int
    let threads: Int
    let finalTrainAccuracy: Double
    let peakRssBytes: Int
    /// The median epoch time.
    let secondsPerEpoch: Double
    let samplesPerSecond: Double
    /// The shares of the epochs' time in GEMM, in the activations and elsewhere.
    let gemmShare: Double, activationShare: Double, otherShare: Double

    init(
        epochSeconds: [Double], gemmSeconds: [Double], activationSeconds: [Double], samples: Int, threads: Int,
        finalTrainAccuracy: Double, peakResidentBytes: Int
    ) {
        (self.epochSeconds, self.samples, self.threads) = (epochSeconds, samples, threads)
        (self.finalTrainAccuracy, peakRssBytes) = (finalTrainAccuracy, peakResidentBytes)
        secondsPerEpoch = epochSeconds.median
        samplesPerSecond = Double(samples) / secondsPerEpoch
        gemmShare = gemmSeconds.reduce(0, +) / epochSeconds.reduce(0, +)
        activationShare = activationSeconds.reduce(0, +) / epochSeconds.reduce(0, +)
        otherShare = 1 - gemmShare - activationShare
    }

    var summary: String {
        let percent = { (share: Double) in String((share * 1000).rounded() / 10) + "%" }
        return """
            bench train: \(layers.map { "1×28×28 → " + $0 + " → 10" } ?? "784-256-128-10") \(activation), adam 1e-3, batch 128, float32, \(threads) threads, \(samples) samples (\(data))
            seconds per epoch: \(secondsPerEpoch) (median of \(epochSeconds.count): \(epochSeconds.map { String($0) }.joined(separator: ", ")))
            samples per second: \(decimal(samplesPerSecond, 0))
            time in GEMM \(percent(gemmShare)), activations \(percent(activationShare)), elsewhere \(percent(otherShare))
            peak resident memory: \(peakRssBytes / 1_048_576) MiB; final train accuracy \(finalTrainAccuracy)
            """
    }
}
