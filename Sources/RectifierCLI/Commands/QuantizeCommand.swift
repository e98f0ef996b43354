import Activations
import ArgumentParser
import Datasets
import Interchange
import Networks
import Quantization
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `rectifier quantize MODEL --calibration N -o OUT`: post-training quantisation of a float
/// model file into an int8 model file.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantise a float model file to int8 (int8 weights, int32 biases, uint8 activations).",
        discussion: """
            Calibrates every activation range on N training images drawn at random (seed 0) from \
            Fashion-MNIST (or --data: an MNIST-format directory, or for a model trained on its \
            own data any form train reads, scaled as the model says), by min/max or \
            --percentile P, and writes an int8 safetensors file (rectifier.format = int8, with \
            the float model's class names and scaling) that `rectifier evaluate` and `predict` \
            run with integer-only inference.
            """)

    @Argument(help: ArgumentHelp("A float model file (.safetensors, from rectifier train --save).", valueName: "model"))
    var model: String

    @Option(help: "Training images to calibrate on (1…the training set's size).")
    var calibration = 2000

    @Option(help: "Calibrate by this percentile in (50, 100] instead of min/max (e.g. 99.99).")
    var percentile: Double?

    @Option(help: "Weight codes: 8 (±127, default) or 7 (±63, faster GEMM on CPUs without VNNI).")
    var weightBits = 8

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The int8 model file to write.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("The data to calibrate on (default: Debian's Fashion-MNIST).", valueName: "path"))
    var data: String?

    func validate() throws {
        if calibration < 1 { throw ValidationError("--calibration \(calibration) is not allowed (an integer ≥ 1)") }
        if let percentile, !(percentile > 50 && percentile <= 100) {
            throw ValidationError("--percentile \(percentile) is not allowed (a number in (50, 100])")
        }
        if weightBits != 8 && weightBits != 7 { throw ValidationError("--weight-bits \(weightBits) is not allowed (8 or 7)") }
    }

    func run() throws {
        var files = CommandFiles()
        files.reads(model, flag: "<model>")
        files.readsData(data)
        files.writes(output, flag: "--output")
        try files.check()
        let checkpoint: ModelCheckpoint<Float> = try asFailure { try ModelFile.load(model) }
        let float = checkpoint.model
        let saved = try ModelData.saved(in: checkpoint.metadata, file: model, inputSize: float.inputSize, outputSize: float.outputSize)
        try requireCalibrationMemory(float.architecture)
        let features = try calibrationFeatures(saved)
        let options = try QuantizationOptions(
            calibration: percentile.map { .percentile($0) } ?? .minMax,
            weightPrecision: weightBits == 8 ? .bits8 : .bits7)
        do {
            let network = try QuantizedNetwork.quantize(float, calibration: features, options: options)
            var metadata = ["rectifier.calibration": "\(options.calibration) on \(calibration) training images"]
            if let saved { metadata[ModelData.metadataKey] = saved.json }
            try QuantizedModelFile.save(network, architecture: float.architecture, metadata: metadata, to: output)
        } catch let error as QuantizationError {
            throw CommandFailure("\(model): \(error.description)")
        } catch let error as QuantizedModelFileError {
            throw CommandFailure(error.description)
        }
        let floatBytes = Self.fileSize(model), int8Bytes = Self.fileSize(output)
        print("wrote \(output): \(int8Bytes) bytes, \(String(format: "%.3f", Double(int8Bytes) / Double(max(floatBytes, 1))))× \(model) (\(floatBytes) bytes)")
    }

    /// `calibration` examples drawn at random (seed 0), preprocessed as the model's data
    /// description says: from the training files of an MNIST-format directory (pixels / 255,
    /// the images' own draw, for models scaled so), or from `--data` in any form `train`
    /// reads (the model's columns; labels ignored; an MNIST directory's training files).
    private func calibrationFeatures(_ saved: ModelData?) throws -> Matrix<Float> {
        let path = data ?? FashionMNIST.defaultDirectory
        if let saved, try DataReader.format(of: path) != .mnist || saved.preprocessing != .scale255 {
            var reader = saved.reader(featuresOnly: true)
            reader.testSplitOnly = false
            let examples = try reader.read(path).examples
            guard calibration <= examples.count else {
                throw ValidationError("--calibration \(calibration) is not allowed (1…\(examples.count), the examples of \(path))")
            }
            return try saved.inputs(try examples.subset(calibration, seed: 0), path: path)
        }
        let images = try FashionMNIST.load(directory: path).training
        guard calibration <= images.count else {
            throw ValidationError("--calibration \(calibration) is not allowed (1…\(images.count), the training images)")
        }
        let sample = try images.randomSamples(calibration, seed: 0)
        return try Matrix<Float>(rows: sample.count, columns: sample.pixelsPerImage, scalars: sample.pixels)
    }

    /// The calibration images as Float, and with `--percentile` every value each layer
    /// gives on them (kept to be sorted), against the memory available.
    private func requireCalibrationMemory(_ architecture: Architecture) throws {
        let widths: Int? = percentile == nil
            ? architecture.inputSize : MemoryBudget.sum(architecture.inputSize, architecture.valuesPerSample)
        try asFailure {
            try MemoryBudget.require(
                widths.flatMap { MemoryBudget.product(calibration, $0, 2, MemoryLayout<Float>.size) },
                for: "--calibration \(calibration)\(percentile.map { " --percentile \($0)" } ?? "") on \(model)")
        }
    }

    private static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }
}
