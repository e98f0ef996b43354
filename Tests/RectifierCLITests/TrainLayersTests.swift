import Foundation
import Interchange
import Networks
import RectifierCLI
import Testing

/// `rectifier train --layers`: a convolutional network trains, saves with PyTorch's names
/// and resumes; bad specifications are one-line usage errors naming the flag.
@Suite struct TrainLayersTests {
    static let small = ["--batch-size", "50", "--threads", "1", "--validation", "100"]

    @Test func aConvolutionalNetworkTrainsSavesAndResumes() throws {
        let data = try SyntheticMNIST()
        let path = data.file("cnn.safetensors")
        try runRectifier(
            ["train", "--data", data.path, "--layers", "conv:4x3:pad=same,maxpool:2,conv:6x3,gap,dense:8", "--epochs", "1",
             "--save", path] + Self.small)
        let first = try ModelFile.load(path)
        #expect(first.model.parameters.layout.parameters.map(\.shape) == [[4, 1, 3, 3], [4], [6, 4, 3, 3], [6], [8, 6], [8], [10, 8], [10]])
        try runRectifier(["train", "--data", data.path, "--resume", path, "--epochs", "2", "--save", path, "--threads", "1"])
        let second = try ModelFile.load(path)
        #expect(second.trainingState?.completedEpochs == 2)
        #expect(second.architecture == first.architecture)
    }

    /// Batch norm and dropout through the commands: train, evaluate, predict, export and
    /// import (the ONNX file reads back as the same layers), summary.
    @Test func batchNormAndDropoutWorkInEveryCommand() throws {
        let data = try SyntheticMNIST()
        let path = data.file("bn.safetensors"), onnx = data.file("bn.onnx"), back = data.file("back.safetensors")
        try runRectifier(
            ["train", "--data", data.path, "--layers", "conv:4x3,batchnorm,maxpool:2,dense:8,dropout:0.25", "--epochs", "1",
             "--save", path] + Self.small)
        let model = try ModelFile.load(path)
        #expect(try model.model.parameters.tensor(named: "layers.1.num_batches_tracked") == [Float(500 / 50)])
        try runRectifier(["evaluate", path, "--data", data.path])
        try runRectifier(["predict", path, "--data", data.path, "-o", data.file("predictions.csv")])
        try runRectifier(["export", path, "-o", onnx])
        try runRectifier(["import", onnx, "-o", back])
        #expect(try ModelFile.load(back).architecture.layers == model.architecture.layers)
        let int8 = data.file("bn-int8.safetensors"), int8ONNX = data.file("bn-int8.onnx")
        try runRectifier(["quantize", path, "--calibration", "50", "--data", data.path, "-o", int8])
        try runRectifier(["export", int8, "-o", int8ONNX])
        #expect(FileManager.default.fileExists(atPath: int8ONNX))
        let summary = try OwnDataCommandTests.outputLines(["summary", path]).joined(separator: "\n")
        #expect(summary.contains("batch norm, 4 channels"), "\(summary)")
        #expect(summary.contains("dropout p = 0.25"), "\(summary)")
        #expect(summary.contains("batch norm statistics"), "\(summary)")
    }

    /// A convolutional model is timed in Float32 and both int8 precisions, with int8's
    /// agreement with Float32.
    @Test func theInferenceBenchmarkTimesAConvolutionalModelInEveryPrecision() throws {
        let data = try SyntheticMNIST(trainingCount: 2048, testCount: 200)
        let path = data.file("cnn.safetensors"), onnx = data.file("cnn.onnx"), json = data.file("bench.json")
        try runRectifier(
            ["train", "--data", data.path, "--layers", "conv:2x5,batchnorm,maxpool:2,dense:4", "--epochs", "1",
             "--save", path] + Self.small)
        try runRectifier(["export", path, "-o", onnx])
        try runRectifier(["bench", "inference", "--model", onnx, "--data", data.path, "--batches", "1,8", "--threads", "1", "--json", json])
        let report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["precision"] as? String }) == ["float32", "int8", "int8-w7"])
        #expect(Set(rows.compactMap { $0["batch"] as? Int }) == [1, 8])
        #expect(rows.count == 6)
        for key in ["accuracy_float32", "accuracy_int8", "accuracy_int8_w7", "agreement_int8", "agreement_int8_w7"] {
            let value = try #require(report[key] as? Double, "\(key)")
            #expect(value >= 0 && value <= 1, "\(key)")
        }
        #expect((report["int8_bytes"] as? Int ?? 0) > 0)
    }

    /// `bench inference --layers` trains that network for one epoch, times it and saves it as
    /// ONNX for another runtime; with --model, or a bad specification, it is a usage error.
    @Test func theInferenceBenchmarkTrainsTheNetworkOfLayers() throws {
        let data = try SyntheticMNIST(trainingCount: 2048, testCount: 200)
        let onnx = data.file("cnn.onnx"), json = data.file("bench.json"), back = data.file("back.safetensors")
        try runRectifier(
            ["bench", "inference", "--layers", "conv:2x5,batchnorm,maxpool:2,dense:4", "--data", data.path, "--batches", "8",
             "--threads", "1", "--save-model", onnx, "--json", json])
        let report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect((report["rows"] as? [[String: Any]])?.count == 3)
        try runRectifier(["import", onnx, "-o", back])
        let layers = try ModelFile.load(back).architecture.layers
        #expect(layers.count == 8, "\(layers)")
        #expect(layers[1] == .batchNormalization(NormalizedShape(image: try ImageShape(channels: 2, height: 4, width: 4))))
        expectUsageError(["bench", "inference", "--layers", "conv:0x3"], naming: "--layers")
        expectUsageError(["bench", "inference", "--layers", "dense:8", "--model", onnx], naming: "--layers")
    }

    @Test(arguments: [
        "", "conv:0x3", "conv:-1x3", "conv:9223372036854775807x3", "conv:4x29", "maxpool:0", "dense:0", "gap,gap",
        "lstm:4", "conv:4x3:pad=full", "dropout:1.5", "dropout:nan", "batchnorm:2",
    ])
    func badSpecificationsAreUsageErrors(spec: String) {
        expectUsageError(["train", "--layers", spec] + Self.small, naming: "--layers")
    }

    @Test func layersAndHiddenTogetherAreRefused() {
        expectUsageError(["train", "--layers", "dense:8", "--hidden", "8"] + Self.small, naming: "--layers")
    }
}
