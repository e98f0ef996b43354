import Activations
import ArgumentParser
import Datasets
import Foundation
import Interchange
import Networks
import Runtime

/// `rectifier bench inference`: samples/s of a trained model on Fashion-MNIST in Float32 and
/// int8 (and int8's top-1 agreement with Float32), at batch 1 and 1024 (a 784-256-128-10 ReLU model, a network of
/// --layers trained for one epoch, or any model from --model, e.g. a convolutional one).
struct BenchInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Time inference of a model (784-256-128-10 ReLU, or --model) in Float32 and int8.",
        discussion: """
            The model is read from --model (ONNX, as Rectifier writes it: a perceptron or a \
            convolutional network) or, without it, a 784-256-128-10 ReLU model (or the ReLU network of --layers) is trained for one epoch on Fashion-MNIST (Adam 1e-3, batch 128, seed 0); --save-model \
            writes it as ONNX so another runtime can run the same weights. The int8 network \
            is the post-training quantisation of the Quantization module: weights per output \
            unit or channel (batch normalisation folded in), input codes at scale 1/255, every other range calibrated on the first 2048 \
            training images; `int8` has ±127 weights, `int8-w7` 7-bit weights (±64, as \
            `rectifier quantize --weight-bits 7`). Reports the test accuracy of each and, per \
            batch size, the median seconds per batch (Float input to logits, into preallocated \
            codes and logits for int8) and samples/s.
            """)

    @Option(help: ArgumentHelp("Also write the results as a JSON object to this file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Read the Float32 model from this ONNX file.", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("Write the Float32 model to this ONNX file.", valueName: "file"))
    var saveModel: String?

    @Option(help: "Train this ReLU network instead of 784-256-128-10, as train's --layers on the images (e.g. conv:32x5,batchnorm,maxpool:2,conv:64x5,batchnorm,maxpool:2,dense:1024,dropout:0.5).")
    var layers: String?

    @Option(help: ArgumentHelp("Batch sizes, comma-separated (1…10000).", valueName: "sizes"))
    var batches = "1,1024"

    @OptionGroup var threads: ThreadOption

    @Option(help: ArgumentHelp("The Fashion-MNIST folder.", valueName: "dir"))
    var data = FashionMNIST.defaultDirectory

    func validate() throws {
        _ = try batchSizes()
        if layers != nil, model != nil { throw ValidationError("--layers and --model exclude each other (--layers is trained, --model read)") }
        _ = try asUsageError("--layers: ") { try BenchTrainCommand.architecture(layers, hiddenActivation: .fixed(.relu)) }
    }

    /// Training images the int8 ranges are calibrated on.
    static let calibrationCount = 2048

    func run() throws { try threads.run(runWithThreads) }

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
        let network = try model.map(ModelLoading.onnxModel) ?? Self.train(layers, on: images.training)
        guard network.inputSize == images.training.pixelsPerImage, network.outputSize == 10 else {
            throw CommandFailure(
                "--model \(model ?? ""): the model maps \(network.inputSize) inputs to \(network.outputSize) outputs; the benchmark needs \(images.training.pixelsPerImage) pixels to 10 classes")
        }
        if let saveModel {
            try asFailure("--save-model: ") { try ONNXModel(network).writeONNX(to: saveModel) }
        }
        let calibration = try Matrix(
            rows: Self.calibrationCount, columns: images.training.pixelsPerImage,
            scalars: Array(images.training.pixels[0..<Self.calibrationCount * images.training.pixelsPerImage]))
        let benchmark = try InferenceBenchmark(model: network, calibration: calibration)
        let accuracy = try benchmark.accuracy(images.test)
        print("bench inference: \(model ?? layers.map { "\($0) relu" } ?? "784-256-128-10 relu"), \(Execution.current.threads) threads")
        print("test accuracy: float32 \(accuracy.float32), int8 \(accuracy.int8), int8-w7 \(accuracy.int8W7)")
        print("top-1 agreement with float32: int8 \(accuracy.agreementInt8), int8-w7 \(accuracy.agreementInt8W7)")
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
                agreementInt8: accuracy.agreementInt8, agreementInt8W7: accuracy.agreementInt8W7,
                int8Bytes: benchmark.quantized.byteCount, rows: rows)
            try writeJSON(report, to: json)
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

    /// One epoch of the benchmark network, 784-256-128-10 or `layers` (seeded): enough to make
    /// the int8 calibration and the accuracy figures meaningful.
    private static func train(_ layers: String?, on images: LabeledImages) throws -> Sequential<Float> {
        // MNIST-format images are square: 28×28, or the side of the given files.
        let side = Int(Double(images.pixelsPerImage).squareRoot().rounded())
        guard side * side == images.pixelsPerImage || layers == nil else {
            throw CommandFailure("--layers: \(images.pixelsPerImage) pixels per image are not a square image")
        }
        let architecture = try layers == nil
            ? Architecture.multilayerPerceptron(
                inputSize: images.pixelsPerImage, hiddenSizes: [256, 128], hiddenActivation: .fixed(.relu), outputSize: 10)
            : BenchTrainCommand.architecture(layers, hiddenActivation: .fixed(.relu), side: side)
        let trainer = try BenchTrainCommand.trainer(architecture, epochs: 1)
        try trainer.train(on: TrainingData.dataset(images))
        return trainer.model
    }

    /// The JSON report: the run's settings, both accuracies and one row per precision and batch.
    struct Report: Encodable {
        let threads: Int
        let accuracyFloat32: Double
        let accuracyInt8: Double
        let accuracyInt8W7: Double
        let agreementInt8: Double
        let agreementInt8W7: Double
        let int8Bytes: Int
        let rows: [InferenceBenchmark.Measurement]
    }
}
