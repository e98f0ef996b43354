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
            Fashion-MNIST (or --data DIR), by min/max or --percentile P, and writes an int8 \
            safetensors file (rectifier.format = int8) that `rectifier evaluate` runs with \
            integer-only inference.
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

    @Option(help: ArgumentHelp("Directory with the MNIST-format files (default: Debian's Fashion-MNIST).", valueName: "dir"))
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
        let float = try ModelLoading.floatModel(at: model)
        let images = try FashionMNIST.load(directory: data ?? FashionMNIST.defaultDirectory).training
        guard calibration <= images.count else {
            throw ValidationError("--calibration \(calibration) is not allowed (1…\(images.count), the training images)")
        }
        try requireCalibrationMemory(float.architecture)
        let sample = try images.randomSamples(calibration, seed: 0)
        let features = try Matrix<Float>(rows: sample.count, columns: sample.pixelsPerImage, scalars: sample.pixels)
        let options = try QuantizationOptions(
            calibration: percentile.map { .percentile($0) } ?? .minMax,
            weightPrecision: weightBits == 8 ? .bits8 : .bits7)
        do {
            let network = try QuantizedNetwork.quantize(float, calibration: features, options: options)
            try QuantizedModelFile.save(
                network, architecture: float.architecture,
                metadata: ["rectifier.calibration": "\(options.calibration) on \(calibration) training images"],
                to: output)
        } catch let error as QuantizationError {
            throw CommandFailure("\(model): \(error.description)")
        } catch let error as QuantizedModelFileError {
            throw CommandFailure(error.description)
        }
        let floatBytes = Self.fileSize(model), int8Bytes = Self.fileSize(output)
        print("wrote \(output): \(int8Bytes) bytes, \(String(format: "%.3f", Double(int8Bytes) / Double(max(floatBytes, 1))))× \(model) (\(floatBytes) bytes)")
    }

    /// The calibration images as Float, and with `--percentile` every value each layer
    /// gives on them (kept to be sorted), against the memory available.
    private func requireCalibrationMemory(_ architecture: Architecture) throws {
        let widths: Int? = percentile == nil
            ? architecture.inputSize : MemoryBudget.sum(architecture.inputSize, architecture.valuesPerSample)
        do {
            try MemoryBudget.require(
                widths.flatMap { MemoryBudget.product(calibration, $0, 2, MemoryLayout<Float>.size) },
                for: "--calibration \(calibration)\(percentile.map { " --percentile \($0)" } ?? "") on \(model)")
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }
}
