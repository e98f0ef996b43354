import Activations
import ArgumentParser
import Datasets
import Foundation
import Interchange
import Networks
import Runtime

/// `rectifier bench inference`: samples/s of a trained model (by default 784-256-128-10
/// ReLU) on Fashion-MNIST in Float32 and int8, at batch 1 and 1024.
struct BenchInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Time inference of a Fashion-MNIST model (784-256-128-10 ReLU, or --model) in Float32 and int8.",
        discussion: """
            The model is read from --model (ONNX, as Rectifier writes it) or, without it, \
            trained for one epoch on Fashion-MNIST (Adam 1e-3, batch 128, seed 0); --save-model \
            writes it as ONNX so another runtime can run the same weights. The int8 network \
            is the post-training quantisation of the Quantization module: weights per output \
            channel, input codes at scale 1/255, every other range calibrated on the first 2048 \
            training images; `int8` has ±127 weights, `int8-w7` 7-bit weights (±64, as \
            `rectifier quantize --weight-bits 7`); a model with a layer integer inference \
            cannot run (a convolution) is timed in Float32 only. Reports the test accuracy of each and, per \
            batch size, the median seconds per batch (Float input to logits, into preallocated \
            codes and logits for int8) and samples/s.
            """)

    @Option(help: ArgumentHelp("Also write the results as a JSON object to this file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Read the Float32 model from this ONNX file.", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("Write the Float32 model to this ONNX file.", valueName: "file"))
    var saveModel: String?

    @Option(help: ArgumentHelp("Batch sizes, comma-separated (1…10000).", valueName: "sizes"))
    var batches = "1,1024"

    @Option(help: "Threads for BLAS and the kernels (default: all processors).")
    var threads: Int?

    @Option(help: ArgumentHelp("The Fashion-MNIST folder.", valueName: "dir"))
    var data = FashionMNIST.defaultDirectory

    func validate() throws {
        _ = try batchSizes()
        try requireThreadCount(threads)
    }

    /// Training images the int8 ranges are calibrated on.
    static let calibrationCount = 2048

    func run() throws {
        try Execution(threads: threads).run { try runWithThreads() }
    }

    private func runWithThreads() throws {
        var files = CommandFiles()
        files.reads(model, flag: "--model")
        files.readsData(data)
        files.writes(json, flag: "--json")
        files.writes(saveModel, flag: "--save-model")
        try files.check()
        let images = try FashionMNIST.load(directory: data)
        guard images.training.count >= Self.calibrationCount else {
            throw CommandFailure(
                "--data \(data): the benchmark calibrates on \(Self.calibrationCount) training images; the directory has \(images.training.count)")
        }
        if let largest = try batchSizes().max(), largest > images.test.count {
            throw ValidationError("--batches: \(largest) is larger than the \(images.test.count) test images of \(data)")
        }
        let network = try model.map(ModelLoading.onnxModel) ?? Self.train(on: images.training)
        guard network.inputSize == images.training.pixelsPerImage, network.outputSize == 10 else {
            throw CommandFailure(
                "--model \(model ?? ""): the model maps \(network.inputSize) inputs to \(network.outputSize) outputs; the benchmark needs \(images.training.pixelsPerImage) pixels to 10 classes")
        }
        if let saveModel {
            do {
                try ONNXModel(network).writeONNX(to: saveModel)
            } catch {
                throw CommandFailure("--save-model: \(error.description)")
            }
        }
        let calibration = try Matrix(
            rows: Self.calibrationCount, columns: images.training.pixelsPerImage,
            scalars: Array(images.training.pixels[0..<Self.calibrationCount * images.training.pixelsPerImage]))
        let benchmark = try InferenceBenchmark(model: network, calibration: calibration)
        let accuracy = try benchmark.accuracy(images.test)
        print("bench inference: \(model ?? "784-256-128-10 relu"), \(Execution.current.threads) threads")
        if let refusal = benchmark.int8Refusal { print("int8: not timed: \(refusal)") }
        print("test accuracy: float32 \(accuracy.float32)"
            + (accuracy.int8.map { ", int8 \($0)" } ?? "") + (accuracy.int8W7.map { ", int8-w7 \($0)" } ?? ""))
        var rows: [InferenceBenchmark.Measurement] = []
        for batch in try batchSizes() {
            for row in try benchmark.measure(batch: batch, data: images.test, calls: batch < 64 ? 3000 : 60) {
                print("\(row.precision) batch \(row.batch): \(decimal(row.samplesPerSecond, 0)) samples/s")
                rows.append(row)
            }
        }
        if let json {
            let report = Report(
                threads: Execution.current.threads, accuracyFloat32: accuracy.float32,
                accuracyInt8: accuracy.int8, accuracyInt8W7: accuracy.int8W7,
                int8Bytes: benchmark.int8?.exact.byteCount, rows: rows)
            try report.write(to: json)
        }
    }

    private func batchSizes() throws -> [Int] {
        try batches.split(separator: ",").map { item in
            guard let n = Int(item), (1...10_000).contains(n) else {
                throw ValidationError("--batches: '\(item)' is not a batch size from 1 to 10000")
            }
            return n
        }
    }

    /// One epoch of the benchmark network (seeded): enough to make the int8 calibration and
    /// the accuracy figures meaningful.
    private static func train(on images: LabeledImages) throws -> Sequential<Float> {
        var generator = SeededGenerator(seed: 0)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: images.pixelsPerImage, hiddenSizes: [256, 128], hiddenActivation: .fixed(.relu),
            outputSize: 10)
        let model = Sequential<Float>(
            architecture: architecture, initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: 1, batchSize: 128, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 1e-3))
        let features = try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels)
        let dataset = try Dataset(features: features, labels: images.labels.map(Int.init))
        try Trainer(model: model, configuration: configuration, generator: generator).train(on: dataset)
        return model
    }

    /// The JSON report: the run's settings, both accuracies and one row per precision and batch.
    struct Report: Encodable {
        let threads: Int
        let accuracyFloat32: Double
        let accuracyInt8: Double?
        let accuracyInt8W7: Double?
        let int8Bytes: Int?
        let rows: [InferenceBenchmark.Measurement]

        enum CodingKeys: String, CodingKey {
            case threads, rows
            case accuracyFloat32 = "accuracy_float32"
            case accuracyInt8 = "accuracy_int8"
            case accuracyInt8W7 = "accuracy_int8_w7"
            case int8Bytes = "int8_bytes"
        }

        /// Writes atomically (``AtomicFile``).
        func write(to path: String) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do {
                try AtomicFile.write(Array(try encoder.encode(self)), to: path)
            } catch {
                throw BenchInferenceError(message: "--json \(path): cannot write the file: \(FileErrorText.reason(error))")
            }
        }
    }
}
