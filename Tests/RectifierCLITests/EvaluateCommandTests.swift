import Foundation
import Interchange
import Networks
import RectifierCLI
import Testing

/// `rectifier evaluate`, `export` and `import` on a model trained on synthetic data.
@Suite struct EvaluateCommandTests {
    static func evaluation(_ model: String, data: SyntheticMNIST) throws -> [String: Any] {
        let lines = try capturingStandardOutput {
            try runRectifier(["evaluate", model, "--data", data.path, "--json", "--threads", "1"])
        }
        let line = try #require(lines.first { $0.contains("\"confusion_matrix\"") && $0.contains(model) })
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func evaluateExportAndImportAgree() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors"), log = data.file("run.jsonl")
        try runRectifier(["train", "--data", data.path, "--epochs", "2", "--activation", "prelu", "--save", model,
                          "--log", log] + TrainCommandTests.small)
        let logged = try #require(TrainCommandTests.jsonLines(log).last?["test_accuracy"] as? Double)

        let report = try Self.evaluation(model, data: data)
        let accuracy = try #require(report["test_accuracy"] as? Double)
        let matrix = try #require(report["confusion_matrix"] as? [[Int]])
        #expect(accuracy == logged)
        #expect(matrix.count == 10 && matrix.allSatisfy { $0.count == 10 })
        #expect(matrix.joined().reduce(0, +) == 200)
        #expect(Double((0..<10).reduce(0) { $0 + matrix[$1][$1] }) / 200 == accuracy)
        // The keys the command's help names, and no others.
        #expect(Set(report.keys) == [
            "model", "test_accuracy", "loss", "confusion_matrix", "class_names", "classes", "per_class", "macro_f1", "test_count",
        ])
        #expect(report["classes"] as? [String] == report["class_names"] as? [String])
        let perClass = try #require(report["per_class"] as? [[String: Any]])
        #expect(perClass.count == 10 && perClass.allSatisfy { Set($0.keys) == ["class", "precision", "recall", "f1", "support"] })

        let onnx = data.file("model.onnx")
        try runRectifier(["export", model, "-o", onnx])
        let onnxReport = try Self.evaluation(onnx, data: data)
        #expect(onnxReport["test_accuracy"] as? Double == accuracy)
        #expect(onnxReport["confusion_matrix"] as? [[Int]] == matrix)

        let back = data.file("back.safetensors")
        try runRectifier(["import", onnx, "-o", back])
        let original = try ModelFile.load(model), imported = try ModelFile.load(back)
        #expect(imported.architecture == original.architecture)
        #expect(imported.model.parameters.snapshot() == original.model.parameters.snapshot())
    }

    @Test func missingAndMalformedModelsFailWithOneLine() throws {
        let data = try SyntheticMNIST()
        let garbage = data.file("garbage.onnx")
        try Data("not onnx".utf8).write(to: URL(fileURLWithPath: garbage))
        for arguments in [
            ["evaluate", data.file("absent.safetensors"), "--data", data.path],
            ["evaluate", garbage, "--data", data.path],
            ["export", data.file("absent.safetensors"), "-o", data.file("x.onnx")],
            ["import", garbage, "-o", data.file("x.safetensors")],
        ] {
            let error = try #require(failureOfRectifier(arguments), "\(arguments)")
            let (status, message) = exitStatusAndMessage(error)
            #expect(status == 1, "\(arguments)")
            #expect(!message.contains("\n") && !message.isEmpty, "\(arguments): \(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: data.file("x.safetensors")))
    }
}
