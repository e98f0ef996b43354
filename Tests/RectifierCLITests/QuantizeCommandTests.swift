import Foundation
import Interchange
import RectifierCLI
import Testing

/// `rectifier quantize` and `rectifier evaluate` on the int8 file, on synthetic data.
@Suite struct QuantizeCommandTests {
    @Test func quantizedModelsEvaluateAndAgreeWithTheFloatModel() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors"), int8 = data.file("model-int8.safetensors")
        try runRectifier(["train", "--data", data.path, "--epochs", "2", "--save", model] + TrainCommandTests.small)
        let lines = try capturingStandardOutput {
            try runRectifier(["quantize", model, "--calibration", "100", "--data", data.path, "-o", int8])
        }
        #expect(lines.contains { $0.hasPrefix("wrote \(int8)") })
        let file = try SafeTensors(contentsOf: int8)
        #expect(file.metadata["rectifier.format"] == "int8")
        #expect(try file.tensor(named: "layers.0.weight").dtype == .int8)
        let float = try EvaluateCommandTests.evaluation(model, data: data)
        let integer = try EvaluateCommandTests.evaluation(int8, data: data)
        let floatAccuracy = try #require(float["test_accuracy"] as? Double)
        let integerAccuracy = try #require(integer["test_accuracy"] as? Double)
        #expect(abs(floatAccuracy - integerAccuracy) <= 0.05, "\(floatAccuracy) vs \(integerAccuracy)")
        let onnx = data.file("model-int8.onnx")
        try runRectifier(["export", int8, "-o", onnx])
        #expect(FileManager.default.fileExists(atPath: onnx))
    }

    @Test func badOptionsAndFilesFailWithOneLine() throws {
        let data = try SyntheticMNIST()
        for arguments in [
            ["quantize", data.file("absent.safetensors"), "--data", data.path, "-o", data.file("x.safetensors")],
            ["quantize", data.file("absent.safetensors"), "--calibration", "0", "-o", data.file("x.safetensors")],
            ["quantize", data.file("absent.safetensors"), "--percentile", "40", "-o", data.file("x.safetensors")],
        ] {
            let error = try #require(failureOfRectifier(arguments), "\(arguments)")
            let (_, message) = exitStatusAndMessage(error)
            #expect(!message.contains("\n") && !message.isEmpty, "\(arguments): \(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: data.file("x.safetensors")))
    }
}
