import Foundation
import Interchange
import RectifierCLI
import Testing

/// A model trained on the user's data, exported, and run by ONNX Runtime (peer venv,
/// `Tests/Peers/onnx_peer.py`) on the raw inputs: the graph's Sub and Div nodes apply the
/// model's scaling, so its predictions are `rectifier predict`'s, and the class names travel
/// in the ONNX metadata.
@Suite struct OwnDataONNXPeerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = ProcessInfo.processInfo.environment["RECTIFIER_PEER_PYTHON"]
        ?? root.appendingPathComponent(".build/venv/bin/python").path

    /// Runs `onnx_peer.py run` on `model` with `rows` raw inputs; the logits, row-major.
    static func onnxRuntimeLogits(_ model: String, inputs: [Float], rows: Int, in files: DataFiles) throws -> [Double] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CommandFailureText("the Python peer venv is missing (\(python)): run `make peer-venv`")
        }
        let batch = files.file("batch.json"), output = files.file("ort.json")
        try JSONSerialization.data(withJSONObject: ["rows": rows, "values": inputs.map(Double.init)]).write(to: URL(fileURLWithPath: batch))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/Peers/onnx_peer.py").path, "run", batch, model, output]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailureText("onnx_peer.py: \(text)") }
        let result = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: [Double]])
        return try #require(result["logits"])
    }

    struct CommandFailureText: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Trains on `data`, predicts `inputs` (file `inputsPath`) and compares with ONNX Runtime.
    static func expectSamePredictions(data: String, inputsPath: String, inputs: [Float], rows: Int, classes: [String], files: DataFiles) throws {
        let model = files.file("model.safetensors"), onnx = files.file("model.onnx"), predictions = files.file("p.csv")
        try runRectifier(["train", "--data", data, "--save", model] + OwnDataCommandTests.small)
        try runRectifier(["predict", model, "--data", inputsPath, "-o", predictions, "--threads", "1"])
        try runRectifier(["export", model, "-o", onnx])
        let exported = try ONNXModel(contentsOfONNXFile: onnx)
        #expect(exported.inputScaling != nil)
        let classesText = try #require(exported.metadata["classes"])
        let names = try #require(JSONSerialization.jsonObject(with: Data(classesText.utf8)) as? [String])
        #expect(names == classes)
        let logits = try onnxRuntimeLogits(onnx, inputs: inputs, rows: rows, in: files)
        let rowsWritten = try OwnDataCommandTests.csvRows(predictions).dropFirst()
        #expect(rowsWritten.count == rows && logits.count == rows * classes.count)
        for (row, fields) in rowsWritten.enumerated() {
            let scores = logits[row * classes.count..<(row + 1) * classes.count]
            let best = scores.indices.max { scores[$0] < scores[$1] }! - row * classes.count
            #expect(fields[1] == names[best], "row \(row): \(fields) vs \(Array(scores))")
            let largest = scores.max()!
            let total = scores.reduce(0) { $0 + exp($1 - largest) }
            for (column, score) in scores.enumerated() {
                #expect(abs(Double(fields[2 + column])! - exp(score - largest) / total) < 1e-5, "row \(row)")
            }
        }
        // The ONNX file evaluates in Rectifier too, on raw data, with the same figure.
        let fromFile = try OwnDataCommandTests.json(["evaluate", model, "--data", data, "--json", "--threads", "1"], marker: "macro_f1")
        let fromONNX = try OwnDataCommandTests.json(["evaluate", onnx, "--data", data, "--json", "--threads", "1"], marker: "macro_f1")
        #expect(fromONNX["test_accuracy"] as? Double == fromFile["test_accuracy"] as? Double)
        #expect(fromONNX["classes"] as? [String] == classes)
    }

    @Test func aThreeClassCSV() throws {
        let files = try DataFiles()
        let data = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 40)), to: "train.csv")
        let rows = DataFiles.clusters(perClass: 6, offset: 500)
        let inputs = try files.write(DataFiles.csv(rows), to: "new.csv")
        try Self.expectSamePredictions(data: data, inputsPath: inputs, inputs: rows.flatMap(\.x), rows: rows.count, classes: ["ant", "bee", "cat"], files: files)
    }

    @Test func anNPZWithStringLabels() throws {
        let files = try DataFiles()
        let rows = DataFiles.clusters(perClass: 30, names: ["north", "south", "east"])
        let data = try files.write(
            storedZip([("x.npy", npyFloats(rows.flatMap(\.x), shape: [rows.count, 2])), ("y.npy", npyStrings(rows.map(\.label)))]), to: "data.npz")
        let new = DataFiles.clusters(perClass: 5, names: ["north", "south", "east"], offset: 77)
        let inputs = try files.write(npyFloats(new.flatMap(\.x), shape: [new.count, 2]), to: "new.npy")
        try Self.expectSamePredictions(data: data, inputsPath: inputs, inputs: new.flatMap(\.x), rows: new.count, classes: ["east", "north", "south"], files: files)
    }

    @Test func aPNGFolder() throws {
        let files = try DataFiles()
        let classes = ["circle", "line", "square"]
        _ = try OwnDataCommandTests.writeImages(files, classes: classes, perClass: 12, folder: "images")
        _ = try OwnDataCommandTests.writeImages(files, classes: classes, perClass: 2, folder: "new", flat: true)
        // The flat folder in sorted order: each class's images 0 and 1.
        var pixels: [Float] = []
        for index in classes.indices {
            for image in 0..<2 {
                pixels += (0..<16).map { Float($0 / 4 == index ? 200 + image : 10 + (image * 3 + $0) % 20) }
            }
        }
        try Self.expectSamePredictions(data: files.file("images"), inputsPath: files.file("new"), inputs: pixels, rows: 6, classes: classes, files: files)
    }

    /// The int8 model of the 3-class CSV: its ONNX graph scales raw inputs too, and ONNX
    /// Runtime's classes are `rectifier predict`'s.
    @Test func anInt8ModelOfTheThreeClassCSV() throws {
        let files = try DataFiles()
        let data = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 40)), to: "train.csv")
        let rows = DataFiles.clusters(perClass: 6, offset: 500)
        let inputs = try files.write(DataFiles.csv(rows), to: "new.csv")
        let model = files.file("model.safetensors"), int8 = files.file("int8.safetensors")
        let onnx = files.file("int8.onnx"), predictions = files.file("p.csv")
        try runRectifier(["train", "--data", data, "--save", model] + OwnDataCommandTests.small)
        try runRectifier(["quantize", model, "--data", data, "--calibration", "90", "-o", int8])
        try runRectifier(["predict", int8, "--data", inputs, "-o", predictions, "--threads", "1"])
        try runRectifier(["export", int8, "-o", onnx])
        let logits = try Self.onnxRuntimeLogits(onnx, inputs: rows.flatMap(\.x), rows: rows.count, in: files)
        let predicted = try OwnDataCommandTests.csvRows(predictions).dropFirst().map { $0[1] }
        let classes = ["ant", "bee", "cat"]
        let fromRuntime = (0..<rows.count).map { row in
            let scores = logits[row * 3..<row * 3 + 3]
            return classes[scores.indices.max { scores[$0] < scores[$1] }! - row * 3]
        }
        #expect(predicted == fromRuntime)
        #expect(predicted == rows.map(\.label))
    }
}
